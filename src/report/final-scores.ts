import type { MetricRecord } from '../training/index.js';
import { splitMetricKey } from './metric-series.js';

/**
 * The scores a run ended with, read off its metric log: the last finite value of every evaluation metric
 * (not losses or learning rates, not the train split), per task and, for slice keys
 * (`task/dataset:slice/split/metric`, see slicing's `sliceMetricKey`), per slice.
 */

/**
 * One score of the report's "final scores" table and bar chart.
 *
 * @example
 * ```ts
 * const row: ScoreRow = { task: 'label model', split: 'test', metric: 'accuracy', value: 0.86 };
 * ```
 */
export interface ScoreRow {
  /** Task, or any label for the scored thing (`'label model'`, `'majority vote'`). */
  task: string;
  /** Metric name. */
  metric: string;
  /** The score (non-finite values are shown as "—" and not plotted). */
  value: number;
  /** Dataset, when it differs from the task. */
  dataset?: string;
  /** Split the score was taken on (`valid`, `test`). */
  split?: string;
  /** Step of the evaluation the score comes from. */
  step?: number;
}

/**
 * One score on a slice; slicing's `SliceReportRow` (from `sliceReport`) fits as it is.
 *
 * @example
 * ```ts
 * const row: SliceScore = { task: 'spam', slice: 'short', size: 126, metric: 'f1', score: 0.88 };
 * ```
 */
export interface SliceScore {
  /** Slice name. */
  slice: string;
  /** Metric name. */
  metric: string;
  /** The metric on the slice's rows. */
  score: number;
  /** Task the slice belongs to. */
  task?: string;
  /** Rows in the slice. */
  size?: number;
  /** The metric on all rows, for comparison. */
  overall?: number;
  /** score − overall. */
  gap?: number;
  /** Split the score was taken on. */
  split?: string;
}

const NOT_SCORES = new Set(['loss', 'lr']);

interface Last {
  value: number;
  step: number;
}

function lastFinite(records: readonly MetricRecord[]): Map<string, Last> {
  const last = new Map<string, Last>();
  for (const r of records) {
    for (const [key, value] of Object.entries(r.metrics)) {
      if (Number.isFinite(value)) last.set(key, { value, step: r.step });
      else if (!last.has(key)) last.set(key, { value, step: r.step });
    }
  }
  return last;
}

function isScoreKey(key: string): boolean {
  const p = splitMetricKey(key);
  return p.metric !== '' && p.split !== 'train' && !NOT_SCORES.has(p.metric);
}

/**
 * The final score of every evaluation metric in a metric log: the last finite value of each
 * `task/dataset/split/metric` key whose split is not `train` and whose metric is not `loss` or `lr`
 * (NaN when the key never had a finite value). Slice keys are left to {@link sliceScoresFromLog}.
 * Ordered by task, with the `model/all/…` aggregates last.
 *
 * @example
 * ```ts
 * finalScores([
 *   { step: 10, epoch: 1, wallTime: 0, metrics: { 'RTE/RTE/valid/accuracy': 0.61, 'model/all/train/loss': 0.6 } },
 *   { step: 20, epoch: 2, wallTime: 1, metrics: { 'RTE/RTE/valid/accuracy': NaN } },
 * ]);
 * // [{ task: 'RTE', dataset: 'RTE', split: 'valid', metric: 'accuracy', value: 0.61, step: 10 }]
 * ```
 */
export function finalScores(records: readonly MetricRecord[]): ScoreRow[] {
  const rows: ScoreRow[] = [];
  for (const [key, { value, step }] of lastFinite(records)) {
    if (!isScoreKey(key)) continue;
    const { task, dataset, split, metric } = splitMetricKey(key);
    if (dataset.includes(':')) continue;
    rows.push({ task, dataset, split, metric, value, step });
  }
  const rank = (r: ScoreRow): number => (r.task === 'model' && r.dataset === 'all' ? 1 : 0);
  return rows.sort(
    (a, b) =>
      rank(a) - rank(b) ||
      a.task.localeCompare(b.task) ||
      (a.split ?? '').localeCompare(b.split ?? '') ||
      a.metric.localeCompare(b.metric),
  );
}

/**
 * Per-slice final scores from slice keys in a metric log (`task/dataset:slice/split/metric`), with the
 * same metric on the whole split (`task/dataset/split/metric`) as `overall` when it was logged.
 *
 * @example
 * ```ts
 * sliceScoresFromLog([{ step: 5, epoch: 1, wallTime: 0, metrics: {
 *   'RTE/RTE/valid/accuracy': 0.6, 'RTE/RTE:negation/valid/accuracy': 0.5 } }]);
 * // [{ task: 'RTE', slice: 'negation', split: 'valid', metric: 'accuracy', score: 0.5, overall: 0.6, gap: -0.1 }]
 * ```
 */
export function sliceScoresFromLog(records: readonly MetricRecord[]): SliceScore[] {
  const last = lastFinite(records);
  const rows: SliceScore[] = [];
  for (const [key, { value }] of last) {
    if (!isScoreKey(key)) continue;
    const { task, dataset, split, metric } = splitMetricKey(key);
    const colon = dataset.indexOf(':');
    if (colon < 0) continue;
    const row: SliceScore = { task, slice: dataset.slice(colon + 1), split, metric, score: value };
    const overall = last.get(`${task}/${dataset.slice(0, colon)}/${split}/${metric}`);
    if (overall !== undefined) {
      row.overall = overall.value;
      row.gap = value - overall.value;
    }
    rows.push(row);
  }
  return rows.sort(
    (a, b) =>
      (a.task ?? '').localeCompare(b.task ?? '') ||
      a.slice.localeCompare(b.slice) ||
      a.metric.localeCompare(b.metric),
  );
}
