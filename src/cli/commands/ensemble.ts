import { InvalidArgumentError, type Command } from 'commander';
import { COMBINERS, SPLIT_MODES } from '../../ensemble/index.js';
import { assertNoAlias } from '../../core/index.js';
import {
  experimentInputs,
  experimentTaskNames,
  loadExperiment,
  runEnsemble,
} from '../../experiment/index.js';
import type { CliIo } from '../io.js';

interface EnsembleCliOptions {
  members: number;
  mode: string;
  combiner: string;
  validFraction: number;
  set: string[];
  runDir?: string;
  overwrite?: boolean;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function members(value: string): number {
  const v = Number(value);
  if (!Number.isInteger(v) || v < 2) throw new InvalidArgumentError('must be an integer ≥ 2');
  return v;
}

function fraction(value: string): number {
  const v = Number(value);
  if (!(v > 0 && v < 1)) throw new InvalidArgumentError('must be a number between 0 and 1');
  return v;
}

/**
 * `mmtl ensemble <experiment> --members 3 --mode resplit|kfold [--combiner mean|weighted|vote]
 * [--valid-fraction 0.1] [--set k=v …] [--run-dir d]`: trains the experiment's main task (the first of
 * `tasks`; the other tasks and stage 2 are left out) as one member per re-split or k-fold train/valid split of
 * its training rows, each member built as the experiment builds its model (seed + member) and selecting its
 * checkpoint on its own valid rows; then scores every member, the mean member and the ensemble on the task's
 * dev split. Prints one JSON line per member and a last one for the ensemble with its gain over the mean
 * member; the run folder holds `config.json`, `vocab.json`, `member-<i>/` and `ensemble.json` (members
 * restore with `restoreRun(dir, { stage: 'member-0' })`).
 *
 * @example
 * ```sh
 * mmtl ensemble exp.yaml --members 3 --mode kfold --combiner mean
 * # {"member":0,"trainRows":1660,"validRows":830,"valid":0.55,"dev":{"RTE/RTE/dev/accuracy":0.552}}
 * # …
 * # {"ensemble":"mean","mode":"kfold","members":3,"dev":{"RTE/RTE/dev/accuracy":0.574},"meanMember":{…},"gainOverMean":{"RTE/RTE/dev/accuracy":0.012},"runDir":"runs/…"}
 * ```
 */
export function registerEnsemble(program: Command, io: CliIo): void {
  program
    .command('ensemble')
    .description("train the experiment's main task as re-split / k-fold members and score their ensemble")
    .argument('<config>', 'experiment file')
    .option('--members <k>', 'members (folds in kfold mode)', members, 3)
    .option('--mode <mode>', `how rows are split: ${SPLIT_MODES.names().join(', ')}`, 'resplit')
    .option('--combiner <name>', `how members combine: ${COMBINERS.names().join(', ')}`, 'mean')
    .option('--valid-fraction <f>', 'share of rows each resplit member validates on', fraction, 0.1)
    .option('--set <key=value>', 'override a setting, e.g. --set stage1.nEpochs=2 (repeatable)', collect, [])
    .option('--run-dir <dir>', 'run folder (default runs/<name>-ensemble-<time>)')
    .option('--overwrite', 'replace the run folder when it already exists')
    .action(async (path: string, opts: EnsembleCliOptions) => {
      SPLIT_MODES.get(opts.mode);
      COMBINERS.get(opts.combiner);
      const cfg = await loadExperiment(path, opts.set);
      if (opts.runDir !== undefined) {
        await assertNoAlias(
          'mmtl ensemble',
          [{ arg: '<config>', path }, ...experimentInputs(cfg)],
          [{ arg: '--run-dir', path: opts.runDir, tree: true }],
        );
      }
      if (cfg.tasks.length > 1 || cfg.stage2 !== undefined) {
        const main = experimentTaskNames(cfg)[0]!;
        io.err(`mmtl ensemble: training ${main} alone in one stage (other tasks and stage 2 are left out)\n`);
      }
      const lines = await runEnsemble(cfg, {
        members: opts.members,
        mode: opts.mode,
        combiner: opts.combiner,
        validFraction: opts.validFraction,
        runDir: opts.runDir,
        overwrite: opts.overwrite,
        onMember: (i, best) => {
          if (!io.isTTY) io.err(`member ${i}: best ${best === null ? '-' : best.toFixed(4)}\n`);
        },
      });
      for (const line of lines) io.out(`${JSON.stringify(line)}\n`);
      for (const w of (lines.at(-1)?.warnings as string[] | undefined) ?? []) io.err(`warning: ${w}\n`);
    });
}
