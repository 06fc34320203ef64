import { assert } from '../core/index.js';
import type { MetricRecord } from '../training/index.js';

/**
 * Metric logs as plot data: one point per (metric key, evaluation) with a finite value, and the
 * `task/dataset/split/metric` key split into its parts. Keys that are not four parts are kept whole
 * (task = the key, other parts empty), so an odd key in a log never breaks a report.
 */

/**
 * The four parts of a metric key, tolerant of keys of other shapes.
 *
 * @example
 * ```ts
 * const p: KeyParts = splitMetricKey('model/all/train/loss'); // { task: 'model', dataset: 'all', split: 'train', metric: 'loss' }
 * ```
 */
export interface KeyParts {
  /** Task (`model` for aggregates). */
  task: string;
  /** Dataset; a slice key `RTE/RTE:neg/valid/accuracy` has dataset `RTE:neg`. */
  dataset: string;
  /** Split (`train`, `valid`, `test`, …). */
  split: string;
  /** Metric name (`loss`, `lr`, `accuracy`, …). */
  metric: string;
}

/**
 * One plotted point of a metric curve.
 *
 * @example
 * ```ts
 * const p: CurvePoint = { step: 200, key: 'RTE/RTE/valid/accuracy', split: 'valid', value: 0.61 };
 * ```
 */
export interface CurvePoint {
  /** Optimizer step of the evaluation. */
  step: number;
  /** Full metric key: the series the point belongs to. */
  key: string;
  /** The key's split (used to dash validation curves). */
  split: string;
  /** The metric's value (always finite). */
  value: number;
}

/**
 * Options of {@link curvePoints}.
 *
 * @example
 * ```ts
 * curvePoints(records, (p) => p.metric === 'loss', { maxPointsPerSeries: 100 });
 * ```
 */
export interface CurvePointsOptions {
  /** At most this many points per series (evenly strided, last point kept); default 500. */
  maxPointsPerSeries?: number;
}

/**
 * Splits a metric key into its four parts; a key of another shape becomes `{ task: key }` with empty parts.
 *
 * @example
 * ```ts
 * splitMetricKey('RTE/RTE/valid/accuracy'); // { task: 'RTE', dataset: 'RTE', split: 'valid', metric: 'accuracy' }
 * splitMetricKey('odd'); // { task: 'odd', dataset: '', split: '', metric: '' }
 * ```
 */
export function splitMetricKey(key: string): KeyParts {
  const parts = key.split('/');
  if (parts.length !== 4) return { task: key, dataset: '', split: '', metric: '' };
  const [task, dataset, split, metric] = parts as [string, string, string, string];
  return { task, dataset, split, metric };
}

function stride<T>(items: T[], max: number): T[] {
  if (items.length <= max) return items;
  if (max === 1) return [items[items.length - 1]!];
  const out: T[] = [];
  let last = -1;
  for (let i = 0; i < max; i++) {
    const at = Math.round((i * (items.length - 1)) / (max - 1));
    if (at !== last) out.push(items[at]!);
    last = at;
  }
  return out;
}

/**
 * The finite points of every metric key that `select` accepts, ordered by key then step. NaN and ±Infinity
 * values are skipped (a diverged evaluation leaves a gap rather than breaking the plot's scale).
 *
 * @example
 * ```ts
 * const recs = [
 *   { step: 10, epoch: 1, wallTime: 0, metrics: { 'model/all/train/loss': 0.7, 'RTE/RTE/valid/accuracy': NaN } },
 *   { step: 20, epoch: 2, wallTime: 1, metrics: { 'model/all/train/loss': 0.5 } },
 * ];
 * curvePoints(recs, (p) => p.metric === 'loss');
 * // [{ step: 10, key: 'model/all/train/loss', split: 'train', value: 0.7 }, { step: 20, …, value: 0.5 }]
 * ```
 */
export function curvePoints(
  records: readonly MetricRecord[],
  select: (parts: KeyParts, key: string) => boolean,
  options: CurvePointsOptions = {},
): CurvePoint[] {
  const max = options.maxPointsPerSeries ?? 500;
  assert(
    Number.isInteger(max) && max >= 1,
    'E_ARG',
    () => `Argument 'maxPointsPerSeries' passed to 'curvePoints' must be an integer ≥ 1, got ${max}`,
  );
  const series = new Map<string, CurvePoint[]>();
  const chosen = new Map<string, KeyParts | null>();
  for (const r of records) {
    for (const [key, value] of Object.entries(r.metrics)) {
      let parts = chosen.get(key);
      if (parts === undefined) {
        const p = splitMetricKey(key);
        parts = select(p, key) ? p : null;
        chosen.set(key, parts);
      }
      if (parts === null || !Number.isFinite(value) || !Number.isFinite(r.step)) continue;
      let points = series.get(key);
      if (points === undefined) series.set(key, (points = []));
      points.push({ step: r.step, key, split: parts.split, value });
    }
  }
  return [...series.keys()].sort().flatMap((key) =>
    stride(
      series.get(key)!.sort((a, b) => a.step - b.step),
      max,
    ),
  );
}

/**
 * The longest series length in `points` (how many evaluations the densest curve has).
 *
 * @example
 * ```ts
 * longestSeries([{ step: 1, key: 'a', split: 'train', value: 1 }, { step: 2, key: 'a', split: 'train', value: 2 }]); // 2
 * ```
 */
export function longestSeries(points: readonly CurvePoint[]): number {
  const counts = new Map<string, number>();
  for (const p of points) counts.set(p.key, (counts.get(p.key) ?? 0) + 1);
  return Math.max(0, ...counts.values());
}
