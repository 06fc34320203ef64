import type { Command } from 'commander';
import { assertNoAlias } from '../../core/index.js';
import { runExperiment } from '../experiment/run.js';
import { experimentInputs } from '../experiment/inputs.js';
import { loadExperiment } from '../experiment/load.js';
import { experimentJsonSchema } from '../experiment/schema.js';
import type { CliIo } from '../io.js';
import { createProgress } from '../progress.js';

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/**
 * `mmtl train <config> [--set key=value …] [--run-dir d]`: runs an experiment file (YAML/JSON) with a progress
 * bar, writes its run folder, prints one line per task and a final JSON line. `mmtl config schema` prints the
 * experiment JSON Schema for editors.
 */
export function registerTrain(program: Command, io: CliIo): void {
  program
    .command('train')
    .description('train an experiment (YAML or JSON file)')
    .argument('<config>', 'experiment file')
    .option('--set <key=value>', 'override a setting, e.g. --set stage1.nEpochs=2 (repeatable)', collect, [])
    .option('--run-dir <dir>', 'run folder (default runs/<name>-<time>)')
    .action(async (path: string, opts: { set: string[]; runDir?: string }) => {
      const overrides =
        opts.runDir === undefined ? opts.set : [...opts.set, `runDir=${JSON.stringify(opts.runDir)}`];
      const cfg = await loadExperiment(path, overrides);
      if (cfg.runDir !== undefined) {
        const runDir = { arg: '--run-dir', path: cfg.runDir, tree: true };
        await assertNoAlias('mmtl train', experimentInputs(path, cfg), [runDir]);
      }
      const bar = createProgress(io, '{stage} {bar} {value}/{total} steps | epoch {epoch} | loss {loss}');
      const r = await runExperiment(cfg, {
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
      });
      bar.stop();
      for (const [task, t] of Object.entries(r.tasks)) {
        io.out(
          `${task}: ${t.metric} = ${t.stage1.toFixed(4)}${t.stage2 === undefined ? '' : ` → ${t.stage2.toFixed(4)} after fine-tuning`}\n`,
        );
      }
      io.out(`${JSON.stringify({ runDir: r.runDir, tasks: r.tasks, seconds: r.seconds })}\n`);
      r.model.dispose();
      for (const m of r.finetuned.values()) m.dispose();
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
