import { MmtlError } from '../core/index.js';
import { GLUE_TASKS } from './registry.js';
import type { GlueTaskSpec } from './task-spec.js';

/** The GLUE score and the per-task scores it averages. */
export interface GlueScoreBreakdown {
  /** Mean of `tasks` (0–1 scale; the leaderboard prints it ×100). */
  score: number;
  /** Each task found in the metrics, with its score. */
  tasks: Record<string, number>;
}

const mean = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;

/** The task's score on one dataset, or `undefined` when none of its keys are present. */
function datasetScore(
  spec: GlueTaskSpec,
  dataset: string,
  split: string,
  metrics: Record<string, number>,
): number | undefined {
  const key = (metric: string) => `${spec.name}/${dataset}/${split}/${metric}`;
  const keys = spec.scoreMetrics.map(key);
  const found = keys.filter((k) => k in metrics);
  if (found.length === keys.length) return mean(keys.map((k) => metrics[k]!));
  const primary = metrics[key(spec.primaryMetric)];
  if (primary !== undefined) return primary;
  if (found.length === 0) return undefined;
  throw new MmtlError(
    'E_ARG',
    `Argument 'metrics' passed to 'glueScore' has ${found.join(', ')} but not ${keys.filter((k) => !(k in metrics)).join(', ')} or ${key(spec.primaryMetric)}`,
  );
}

/**
 * {@link glueScore} with the per-task scores. Each task's score is the mean of its `scoreMetrics` read from
 * keys `TASK/TASK/<split>/<metric>` — MRPC and QQP: mean of accuracy and F1; STS-B: mean of Pearson and
 * Spearman; CoLA: Matthews correlation; the others: accuracy — falling back to the task's single primary
 * key (`acc_f1`, `pearson_spearman`) when the separate metrics are absent. MNLI averages dataset `MNLI`
 * (matched) with `MNLI-mm` (mismatched) when that is present. AX is never scored. The GLUE score is then
 * the plain mean over the tasks present (GLUE's macro-average when all nine are). A task with only part
 * of its metrics fails with `E_ARG`, as do metrics with no GLUE task at all.
 *
 * @example
 * ```ts
 * glueScoreBreakdown({ 'MRPC/MRPC/valid/accuracy': 0.8, 'MRPC/MRPC/valid/f1': 0.9, 'RTE/RTE/valid/accuracy': 0.6 });
 * // { score: 0.725, tasks: { MRPC: 0.85, RTE: 0.6 } }  (up to rounding)
 * ```
 */
export function glueScoreBreakdown(metrics: Record<string, number>, split = 'valid'): GlueScoreBreakdown {
  const tasks: Record<string, number> = {};
  for (const name of GLUE_TASKS.names()) {
    const spec = GLUE_TASKS.get(name);
    if (spec.scoreMetrics.length === 0) continue;
    const values = spec.scoreDatasets
      .map((d) => datasetScore(spec, d, split, metrics))
      .filter((v) => v !== undefined);
    if (values.length > 0) tasks[name] = mean(values);
  }
  const scores = Object.values(tasks);
  if (scores.length === 0) {
    throw new MmtlError(
      'E_ARG',
      `Argument 'metrics' passed to 'glueScore' holds no GLUE task metric for split '${split}'; expected keys like CoLA/CoLA/${split}/matthews_corrcoef or RTE/RTE/${split}/accuracy`,
    );
  }
  return { score: mean(scores), tasks };
}

/**
 * The GLUE score of a run's metrics for one split: per task, the mean of its GLUE metrics (two-metric tasks
 * — MRPC, QQP, STS-B — are averaged first), then the mean over the tasks present. See
 * {@link glueScoreBreakdown} for the keys read.
 *
 * @example
 * ```ts
 * glueScore({
 *   'CoLA/CoLA/valid/matthews_corrcoef': 0.5,
 *   'STS-B/STS-B/valid/pearson': 0.8,
 *   'STS-B/STS-B/valid/spearman': 0.7,
 *   'RTE/RTE/valid/accuracy': 0.65,
 * }); // 0.6333333333333333 ((0.5 + 0.75 + 0.65) / 3)
 * ```
 */
export function glueScore(metrics: Record<string, number>, split = 'valid'): number {
  return glueScoreBreakdown(metrics, split).score;
}
