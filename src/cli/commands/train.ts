import type { Command } from 'commander';
import { MmtlError, assertNoAlias } from '../../core/index.js';
import {
  experimentInputs,
  experimentJsonSchema,
  loadExperiment,
  resumeExperiment,
  runExperiment,
  type ExperimentResult,
} from '../../experiment/index.js';
import type { FitOptions } from '../../training/index.js';
import type { CliIo } from '../io.js';
import { createProgress } from '../progress.js';

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

interface TrainCliOptions {
  set: string[];
  runDir?: string;
  overwrite?: boolean;
  resume?: string;
}

/** Progress bar on a terminal, one line per evaluation otherwise. */
function fitHooks(io: CliIo): { fit: (stage: string) => FitOptions; stop: () => void } {
  const bar = createProgress(io, '{stage} {bar} {value}/{total} steps | epoch {epoch} | loss {loss}');
  return {
    fit: (stage) => ({
      onStep: (s) =>
        bar.update(s.step, s.totalSteps, {
          stage,
          epoch: s.epoch + 1,
          loss: Number.isNaN(s.loss) ? '-' : s.loss.toFixed(4),
        }),
      onEvaluate: (rec) => {
        if (!io.isTTY)
          io.err(
            `[${stage}] step ${rec.step}: ${Object.entries(rec.metrics)
              .filter(([k]) => k.includes('/valid/'))
              .map(([k, v]) => `${k}=${v.toFixed(4)}`)
              .join(' ')}\n`,
          );
      },
    }),
    stop: () => bar.stop(),
  };
}

function report(io: CliIo, r: ExperimentResult): void {
  for (const w of r.warnings) io.err(`warning: ${w}\n`);
  for (const w of r.weak?.warnings ?? []) io.err(`label model: ${w}\n`);
  for (const [task, t] of Object.entries(r.tasks)) {
    io.out(
      `${task}: ${t.metric} = ${t.stage1.toFixed(4)}${t.stage2 === undefined ? '' : ` → ${t.stage2.toFixed(4)} after fine-tuning`}\n`,
    );
  }
  io.out(`${JSON.stringify({ runDir: r.runDir, tasks: r.tasks, seconds: r.seconds, resumed: r.resumed })}\n`);
  r.model.dispose();
  for (const m of r.finetuned.values()) m.dispose();
}

/**
 * `mmtl train <config> [--set key=value …] [--run-dir d] [--overwrite]` runs an experiment file (YAML/JSON)
 * into a run folder (an existing one is refused unless `--overwrite`); `mmtl train --resume <run>`
 * continues a run folder exactly from its last checkpoints. Prints one line per task and a final JSON line.
 * `mmtl config schema` prints the experiment JSON Schema for editors.
 */
export function registerTrain(program: Command, io: CliIo): void {
  program
    .command('train')
    .description('train an experiment (YAML or JSON file), or continue a run with --resume')
    .argument('[config]', 'experiment file')
    .option('--set <key=value>', 'override a setting, e.g. --set stage1.nEpochs=2 (repeatable)', collect, [])
    .option('--run-dir <dir>', 'run folder (default runs/<name>-<time>)')
    .option('--overwrite', 'replace the run folder when it already exists')
    .option('--resume <runDir>', 'continue an interrupted run from its last checkpoints')
    .action(async (path: string | undefined, opts: TrainCliOptions) => {
      const hooks = fitHooks(io);
      let r: ExperimentResult;
      try {
        if (opts.resume !== undefined) {
          if (path !== undefined || opts.set.length > 0 || opts.runDir !== undefined) {
            throw new MmtlError(
              'E_ARG',
              'mmtl train --resume takes the run folder only: the experiment comes from its config.json',
            );
          }
          r = await resumeExperiment(opts.resume, { fit: hooks.fit });
        } else {
          if (path === undefined) {
            throw new MmtlError('E_ARG', 'mmtl train: pass an experiment file, or --resume <run folder>');
          }
          const overrides =
            opts.runDir === undefined ? opts.set : [...opts.set, `runDir=${JSON.stringify(opts.runDir)}`];
          const cfg = await loadExperiment(path, overrides);
          if (opts.runDir !== undefined) {
            await assertNoAlias(
              'mmtl train',
              [{ arg: '<config>', path }, ...experimentInputs(cfg)],
              [{ arg: '--run-dir', path: opts.runDir, tree: true }],
            );
          }
          r = await runExperiment(cfg, { fit: hooks.fit, overwrite: opts.overwrite ?? false });
        }
      } finally {
        hooks.stop();
      }
      report(io, r);
    });
  program
    .command('config')
    .description('experiment config helpers')
    .command('schema')
    .description('print the JSON Schema of experiment files')
    .action(() => {
      io.out(`${JSON.stringify(experimentJsonSchema(), null, 2)}\n`);
    });
}
