import type { Command } from 'commander';
import { join } from 'node:path';
import { MmtlError, assertNoAlias, writeFileAtomic } from '../../core/index.js';
import { glueTask, loadGlueSplit, type GlueSplit, type GlueTaskSpec } from '../../glue/index.js';
import { runFolderInputs } from '../../training/index.js';
import { defaultStage, predictGlueRows, RunModels } from '../experiment/restore.js';
import type { CliIo } from '../io.js';

interface PredictCliOptions {
  task?: string;
  stage?: string;
  split?: string;
  out?: string;
  glueDir?: string;
}

/** The split `mmtl predict` reads by default: `test`, or the task's first submission split (MNLI: test_matched). */
function defaultPredictSplit(spec: GlueTaskSpec): GlueSplit {
  if (spec.splits.test !== undefined) return 'test';
  const first = spec.submissions[0];
  if (first === undefined) {
    throw new MmtlError('E_ARG', `mmtl predict: task '${spec.name}' has no test split; pass --split`);
  }
  return first.split;
}

/**
 * `mmtl predict <runDir> [--task RTE] [--split test] [--stage s] [--out preds.tsv]`: predicts one task of a
 * run (default: its main task) on a GLUE split and writes `index<TAB>prediction` lines with GLUE's label
 * strings (the row's line-order number where the file has no index column). Without `--out` the TSV goes to
 * standard output; with it, a JSON line `{out, task, split, rows}` is printed.
 *
 * @example
 * ```sh
 * mmtl predict runs/rte --task RTE --out rte-test.tsv
 * # {"out":"rte-test.tsv","task":"RTE","split":"test","rows":3000}
 * # rte-test.tsv: index	prediction / 0	not_entailment / 1	entailment / …
 * ```
 */
export function registerPredict(program: Command, io: CliIo): void {
  program
    .command('predict')
    .description("write a run's predictions for one task's split as index<TAB>prediction")
    .argument('<runDir>', 'run folder written by mmtl train')
    .option('--task <name>', "GLUE task to predict (default: the run's main task)")
    .option('--split <split>', 'GLUE split to predict (default: test)')
    .option(
      '--stage <stage>',
      'stage1, or a task name for its stage-2 model (default: the best for the task)',
    )
    .option('--out <file>', 'TSV file to write (default: standard output)')
    .option('--glue-dir <dir>', "glue_data folder (default: the run's glueDir)")
    .action(async (runDir: string, opts: PredictCliOptions) => {
      const runs = new RunModels(runDir);
      try {
        const cfg = await runs.config();
        const spec = glueTask(opts.task ?? cfg.tasks[0]!);
        const runTasks = cfg.tasks.map((t) => glueTask(t).name);
        if (!runTasks.includes(spec.headTask)) {
          throw new MmtlError(
            'E_ARG',
            `mmtl predict: --task '${spec.name}' is not a task of run '${runDir}'; expected one of ${runTasks.join(', ')}`,
          );
        }
        const split = (opts.split as GlueSplit | undefined) ?? defaultPredictSplit(spec);
        const glueDir = opts.glueDir ?? cfg.glueDir;
        const splitFile = spec.splits[split];
        if (opts.out !== undefined) {
          await assertNoAlias(
            'mmtl predict',
            [
              ...(await runFolderInputs(runDir, '<runDir>')),
              ...(splitFile ? [{ arg: '--glue-dir', path: join(glueDir, splitFile.path) }] : []),
            ],
            [{ arg: '--out', path: opts.out }],
          );
        }
        const { rows } = await loadGlueSplit(glueDir, spec.name, split);
        const run = await runs.get(defaultStage(cfg, spec.headTask, opts.stage));
        const preds = predictGlueRows(run, spec.name, rows);
        const lines = ['index\tprediction'];
        for (const [i, r] of rows.entries()) lines.push(`${r.index ?? i}\t${spec.formatLabel(preds[i]!)}`);
        const tsv = `${lines.join('\n')}\n`;
        if (opts.out === undefined) {
          io.out(tsv);
        } else {
          await writeFileAtomic(opts.out, tsv);
          io.out(`${JSON.stringify({ out: opts.out, task: spec.name, split, rows: rows.length })}\n`);
        }
      } finally {
        await runs.dispose();
      }
    });
}
