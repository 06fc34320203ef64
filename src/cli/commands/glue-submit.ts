import { join } from 'node:path';
import type { Command } from 'commander';
import { MmtlError, assertNoAlias } from '../../core/index.js';
import {
  GLUE_SUBMISSION_FILES,
  GLUE_TASKS,
  glueTask,
  loadGlueSplit,
  writeGlueSubmission,
  type GlueFilePredictions,
} from '../../glue/index.js';
import { runFolderInputs } from '../../training/index.js';
import { defaultStage, predictGlueRows, RunModels } from '../experiment/restore.js';
import type { CliIo } from '../io.js';

interface SubmitCliOptions {
  out?: string;
  stage?: string;
  glueDir?: string;
}

/**
 * `mmtl glue submit <runDir> [--out dir] [--stage s] [--glue-dir d]`: predicts every task of a run on its
 * GLUE test split(s) (MNLI: matched and mismatched, plus AX with MNLI's head) and writes a GLUE server
 * submission (one TSV per file and a flat zip; partial, since a run rarely covers all nine tasks) into
 * `--out` (default `<runDir>/glue-submission`), then prints the zip's path. Registers `submit` on the `glue`
 * command, creating that command when absent.
 *
 * @example
 * ```sh
 * mmtl glue submit runs/rte-mrpc
 * # runs/rte-mrpc/glue-submission/submission.zip   (holds MRPC.tsv and RTE.tsv)
 * ```
 */
export function registerGlueSubmit(program: Command, io: CliIo): void {
  const glue = program.commands.find((c) => c.name() === 'glue') ?? program.command('glue');
  glue.description('GLUE: the supervision ladder and test-set submissions');
  glue
    .command('submit')
    .description("predict a run's tasks on their GLUE test splits and zip a submission")
    .argument('<runDir>', 'run folder written by mmtl train')
    .option('--out <dir>', 'submission folder (default <runDir>/glue-submission)')
    .option('--stage <stage>', 'stage1, or a task name for its stage-2 model (default: the best per task)')
    .option('--glue-dir <dir>', "glue_data folder (default: the run's glueDir)")
    .action(async (runDir: string, opts: SubmitCliOptions) => {
      const runs = new RunModels(runDir);
      try {
        const cfg = await runs.config();
        const glueDir = opts.glueDir ?? cfg.glueDir;
        const outDir = opts.out ?? join(runDir, 'glue-submission');
        await assertNoAlias(
          'mmtl glue submit',
          [...(await runFolderInputs(runDir, '<runDir>')), { arg: '--glue-dir', path: glueDir, tree: true }],
          [...GLUE_SUBMISSION_FILES.names(), 'submission.zip'].map((f) => ({
            arg: '--out',
            path: join(outDir, f),
          })),
        );
        const runTasks = new Set(cfg.tasks.map((t) => glueTask(t).name));
        const predictions = new Map<string, GlueFilePredictions>();
        for (const file of GLUE_SUBMISSION_FILES.names()) {
          const entry = GLUE_SUBMISSION_FILES.get(file);
          const spec = GLUE_TASKS.get(entry.task);
          if (!runTasks.has(spec.headTask)) continue;
          const { rows } = await loadGlueSplit(glueDir, spec.name, entry.split);
          const run = await runs.get(defaultStage(cfg, spec.headTask, opts.stage));
          const preds = predictGlueRows(run, spec.name, rows);
          predictions.set(file, { index: rows.map((r, i) => r.index ?? String(i)), preds });
        }
        if (predictions.size === 0) {
          throw new MmtlError(
            'E_ARG',
            `mmtl glue submit: run '${runDir}' has no GLUE task with a submission file (tasks: ${[...runTasks].join(', ')})`,
          );
        }
        const r = await writeGlueSubmission(outDir, predictions, {
          allowPartial: true,
        });
        io.out(`${r.zip}\n`);
      } finally {
        await runs.dispose();
      }
    });
}
