import type { Command } from 'commander';
import { glueTask, loadGlueSplit, type GlueSplit } from '../../glue/index.js';
import { defaultStage, RunModels, scoreGlueRows } from '../experiment/restore.js';
import type { CliIo } from '../io.js';

interface EvalCliOptions {
  stage?: string;
  split?: string;
  glueDir?: string;
}

/**
 * `mmtl eval <runDir> [--stage stage1|TASK] [--split dev] [--glue-dir d]`: restores a run's trained model(s)
 * and scores every task of the run on its dev split (or `--split`), printing one JSON line of
 * `task/dataset/split/metric` scores. Without `--stage`, a two-stage run scores each task with its
 * fine-tuned model.
 *
 * @example
 * ```sh
 * mmtl eval runs/rte-mrpc
 * # {"RTE/RTE/dev/accuracy":0.5776,"MRPC/MRPC/dev/accuracy":0.6838,"MRPC/MRPC/dev/f1":0.8122,…}
 * ```
 */
export function registerEval(program: Command, io: CliIo): void {
  program
    .command('eval')
    .description("score a run's trained model on each task's dev split (or --split)")
    .argument('<runDir>', 'run folder written by mmtl train')
    .option('--stage <stage>', 'stage1, or a task name for its stage-2 model (default: the best per task)')
    .option('--split <split>', "GLUE split to score (default: each task's dev split)")
    .option('--glue-dir <dir>', "glue_data folder (default: the run's glueDir)")
    .action(async (runDir: string, opts: EvalCliOptions) => {
      const runs = new RunModels(runDir);
      try {
        const cfg = await runs.config();
        const glueDir = opts.glueDir ?? cfg.glueDir;
        const tasks =
          opts.stage !== undefined && opts.stage !== 'stage1' && !opts.stage.startsWith('member-')
            ? [glueTask(opts.stage).name]
            : cfg.tasks.map((t) => glueTask(t).name);
        const scores: Record<string, number> = {};
        for (const task of tasks) {
          const spec = glueTask(task);
          const split = (opts.split ?? spec.validSplit ?? 'dev') as GlueSplit;
          const { rows } = await loadGlueSplit(glueDir, spec.name, split);
          const run = await runs.get(defaultStage(cfg, task, opts.stage));
          Object.assign(scores, scoreGlueRows(run, task, rows, split));
        }
        io.out(`${JSON.stringify(scores)}\n`);
      } finally {
        await runs.dispose();
      }
    });
}
