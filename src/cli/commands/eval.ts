import type { Command } from 'commander';
import { evaluateFile, evaluateRun } from '../../experiment/index.js';
import type { CliIo } from '../io.js';
import { tableFlags, withTableFlags, type TableFlags } from './table-flags.js';

interface EvalCliOptions extends TableFlags {
  task?: string;
  data?: string;
  stage?: string;
  split?: string;
  glueDir?: string;
}

/**
 * `mmtl eval <runDir> [--data file --task T] [--stage stage1|TASK] [--split dev] [--glue-dir d]`: restores a
 * run's trained model(s) and prints one JSON line of `task/dataset/split/metric` scores: with `--data`, of a
 * labelled file of your own for one task (split `eval`); else of every task (GLUE tasks on dev or `--split`,
 * your tasks on their valid and test files). Without `--stage`, a two-stage run scores each task with its
 * fine-tuned model.
 *
 * @example
 * ```sh
 * mmtl eval runs/rte-mrpc
 * # {"RTE/RTE/dev/accuracy":0.5776,"MRPC/MRPC/dev/accuracy":0.6838,"MRPC/MRPC/dev/f1":0.8122,…}
 * mmtl eval runs/spam --data labelled.csv
 * # {"spam/spam/eval/accuracy":0.93,"spam/spam/eval/f1_macro":0.92}
 * ```
 */
export function registerEval(program: Command, io: CliIo): void {
  withTableFlags(program.command('eval'))
    .description("score a run's trained model: on a labelled --data file, or on each task's dev/valid split")
    .argument('<runDir>', 'run folder written by mmtl train')
    .option('--data <file>', 'labelled rows to score (.csv, .tsv, .jsonl, .json)')
    .option('--task <name>', "with --data: the task (default: the run's first task)")
    .option('--stage <stage>', 'stage1, or a task name for its stage-2 model (default: the best per task)')
    .option('--split <split>', "GLUE split to score (default: each task's dev split)")
    .option('--glue-dir <dir>', "glue_data folder (default: the run's glueDir)")
    .action(async (runDir: string, opts: EvalCliOptions) => {
      const scores =
        opts.data === undefined
          ? await evaluateRun(runDir, opts)
          : await evaluateFile(runDir, opts.data, {
              task: opts.task,
              stage: opts.stage,
              table: tableFlags(opts),
            });
      io.out(`${JSON.stringify(scores)}\n`);
    });
}
