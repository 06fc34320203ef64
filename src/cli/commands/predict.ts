import type { Command } from 'commander';
import { assertNoAlias, writeFileAtomic, type PathRole } from '../../core/index.js';
import { predictFile, predictGlueSplit, readRunConfig } from '../../experiment/index.js';
import { runFolderInputs } from '../../training/index.js';
import type { CliIo } from '../io.js';
import { tableFlags, withTableFlags, type TableFlags } from './table-flags.js';

interface PredictCliOptions extends TableFlags {
  task?: string;
  data?: string;
  stage?: string;
  split?: string;
  out?: string;
  glueDir?: string;
}

/**
 * `mmtl predict <runDir> --task T --data new.csv [--out preds.jsonl]` predicts a task of your own on a file
 * of new rows: one JSON line per row, in file order, `{"id"?, "prediction", "probabilities"}`.
 * `mmtl predict <runDir> [--task RTE] [--split test] [--out preds.tsv]` predicts a GLUE task on a GLUE split
 * as `index<TAB>prediction` lines. Without `--out` the lines go to standard output; with it, a JSON line
 * `{out, task, rows}` is printed.
 *
 * @example
 * ```sh
 * mmtl predict runs/spam --task spam --data new.csv --out preds.jsonl
 * # {"out":"preds.jsonl","task":"spam","rows":120}
 * # preds.jsonl: {"id":"17","prediction":"spam","probabilities":[0.08,0.92]} …
 * mmtl predict runs/rte --task RTE --out rte-test.tsv
 * # {"out":"rte-test.tsv","task":"RTE","split":"test","rows":3000}
 * ```
 */
export function registerPredict(program: Command, io: CliIo): void {
  withTableFlags(program.command('predict'))
    .description("predict new rows with a run's model: --data file (your tasks) or a GLUE split")
    .argument('<runDir>', 'run folder written by mmtl train')
    .option('--task <name>', "task to predict (default: the run's first task)")
    .option('--data <file>', 'rows to predict (.csv, .tsv, .jsonl, .json) with the task’s input fields')
    .option('--split <split>', 'GLUE split to predict (GLUE tasks; default: test)')
    .option(
      '--stage <stage>',
      'stage1, or a task name for its stage-2 model (default: the best for the task)',
    )
    .option('--out <file>', 'file to write (default: standard output)')
    .option('--glue-dir <dir>', "glue_data folder (default: the run's glueDir)")
    .action(async (runDir: string, opts: PredictCliOptions) => {
      if (opts.out !== undefined) {
        const inputs: PathRole[] = await runFolderInputs(runDir, '<runDir>');
        if (opts.data !== undefined) inputs.push({ arg: '--data', path: opts.data });
        else {
          const glueDir = opts.glueDir ?? (await readRunConfig(runDir)).glueDir;
          inputs.push({ arg: '--glue-dir', path: glueDir, tree: true });
        }
        await assertNoAlias('mmtl predict', inputs, [{ arg: '--out', path: opts.out }]);
      }
      let text: string;
      let summary: Record<string, unknown>;
      if (opts.data !== undefined) {
        const r = await predictFile(runDir, opts.data, {
          task: opts.task,
          stage: opts.stage,
          table: tableFlags(opts),
        });
        text = r.lines.map((l) => `${JSON.stringify(l)}\n`).join('');
        summary = { task: r.task, rows: r.lines.length };
      } else {
        const r = await predictGlueSplit(runDir, opts);
        text = r.tsv;
        summary = { task: r.task, split: r.split, rows: r.rows };
      }
      if (opts.out === undefined) {
        io.out(text);
      } else {
        await writeFileAtomic(opts.out, text);
        io.out(`${JSON.stringify({ out: opts.out, ...summary })}\n`);
      }
    });
}
