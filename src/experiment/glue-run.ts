// GLUE predictions of a trained run: one split as TSV lines, or a whole server submission.
import { join } from 'node:path';
import { MmtlError, assertNoAlias } from '../core/index.js';
import {
  GLUE_SUBMISSION_FILES,
  GLUE_TASKS,
  glueTask,
  loadGlueSplit,
  writeGlueSubmission,
  type GlueFilePredictions,
  type GlueSplit,
  type GlueTaskSpec,
} from '../glue/index.js';
import { runFolderInputs } from '../training/index.js';
import { defaultStage, predictGlueRows, RunModels } from './restore.js';
import { isCustomTask } from './task-config.js';

/** Options of {@link predictGlueSplit}. */
export interface GluePredictOptions {
  /** GLUE task (default: the run's main task). */
  task?: string | undefined;
  /** Split (default `test`, or the task's first submission split). */
  split?: string | undefined;
  /** `stage1`, or a task name for its stage-2 model (default: the best for the task). */
  stage?: string | undefined;
  /** glue_data folder (default: the run's `glueDir`). */
  glueDir?: string | undefined;
}

/** The split predicted by default: `test`, or the task's first submission split (MNLI: test_matched). */
function defaultPredictSplit(spec: GlueTaskSpec): GlueSplit {
  if (spec.splits.test !== undefined) return 'test';
  const first = spec.submissions[0];
  if (first === undefined) {
    throw new MmtlError('E_ARG', `predictGlueSplit: task '${spec.name}' has no test split; pass --split`);
  }
  return first.split;
}

/**
 * Predicts one GLUE task of a run on a GLUE split: `index<TAB>prediction` TSV text with GLUE's label strings
 * (the row's line-order number where the file has no index column).
 *
 * @example
 * ```ts
 * const r = await predictGlueSplit('runs/rte', { task: 'RTE' });
 * r.tsv; // 'index\tprediction\n0\tnot_entailment\n…'
 * ```
 */
export async function predictGlueSplit(
  runDir: string,
  options: GluePredictOptions = {},
): Promise<{ task: string; split: GlueSplit; rows: number; tsv: string }> {
  const runs = new RunModels(runDir);
  try {
    const cfg = await runs.config();
    const first = cfg.tasks[0]!;
    if (options.task === undefined && isCustomTask(first)) {
      throw new MmtlError(
        'E_ARG',
        `mmtl predict: '${first.name}' is a task of your own; pass --data <file> to predict it`,
      );
    }
    const spec = glueTask(options.task ?? (first as string));
    const runTasks = cfg.tasks.filter((t): t is string => !isCustomTask(t)).map((t) => glueTask(t).name);
    if (!runTasks.includes(spec.headTask)) {
      throw new MmtlError(
        'E_ARG',
        `mmtl predict: --task '${spec.name}' is not a GLUE task of run '${runDir}'; expected one of ${runTasks.join(', ') || '(none)'}`,
      );
    }
    const split = (options.split as GlueSplit | undefined) ?? defaultPredictSplit(spec);
    const { rows } = await loadGlueSplit(options.glueDir ?? cfg.glueDir, spec.name, split);
    const run = await runs.get(defaultStage(cfg, spec.headTask, options.stage));
    const preds = predictGlueRows(run, spec.name, rows);
    const lines = ['index\tprediction'];
    for (const [i, r] of rows.entries()) lines.push(`${r.index ?? i}\t${spec.formatLabel(preds[i]!)}`);
    return { task: spec.name, split, rows: rows.length, tsv: `${lines.join('\n')}\n` };
  } finally {
    await runs.dispose();
  }
}

/**
 * Predicts every GLUE task of a run on its test split(s) (MNLI: matched and mismatched, plus AX with MNLI's
 * head) and writes a GLUE server submission (one TSV per file and a flat zip; partial, since a run rarely
 * covers all nine tasks) into `out` (default `<runDir>/glue-submission`); returns the zip's path.
 *
 * @example
 * ```ts
 * await submitGlueRun('runs/rte-mrpc'); // 'runs/rte-mrpc/glue-submission/submission.zip'
 * ```
 */
export async function submitGlueRun(
  runDir: string,
  options: { out?: string | undefined; stage?: string | undefined; glueDir?: string | undefined } = {},
): Promise<string> {
  const runs = new RunModels(runDir);
  try {
    const cfg = await runs.config();
    const glueDir = options.glueDir ?? cfg.glueDir;
    const outDir = options.out ?? join(runDir, 'glue-submission');
    await assertNoAlias(
      'mmtl glue submit',
      [...(await runFolderInputs(runDir, '<runDir>')), { arg: '--glue-dir', path: glueDir, tree: true }],
      [...GLUE_SUBMISSION_FILES.names(), 'submission.zip'].map((f) => ({
        arg: '--out',
        path: join(outDir, f),
      })),
    );
    const runTasks = new Set(
      cfg.tasks.filter((t): t is string => !isCustomTask(t)).map((t) => glueTask(t).name),
    );
    const predictions = new Map<string, GlueFilePredictions>();
    for (const file of GLUE_SUBMISSION_FILES.names()) {
      const entry = GLUE_SUBMISSION_FILES.get(file);
      const spec = GLUE_TASKS.get(entry.task);
      if (!runTasks.has(spec.headTask)) continue;
      const { rows } = await loadGlueSplit(glueDir, spec.name, entry.split);
      const run = await runs.get(defaultStage(cfg, spec.headTask, options.stage));
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
    return r.zip;
  } finally {
    await runs.dispose();
  }
}
