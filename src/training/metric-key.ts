import { MmtlError } from '../core/index.js';
import { metricKey, parseMetricKey, type MetricKeyParts } from '../metrics/index.js';

/**
 * Metric keys name one number of a run: `task/dataset/split/metric` (Snorkel's convention), e.g.
 * `rte/rte/valid/accuracy`. Aggregates over tasks use task `model` and dataset `all`
 * (`model/all/train/loss`, `model/all/valid/glue_score`). A checkpoint metric adds the direction:
 * `rte/rte/valid/accuracy:max`.
 */

/** Whether larger (`max`) or smaller (`min`) values are better. */
export type MetricMode = 'max' | 'min';

/** The four parts of a metric key (see metrics' `parseMetricKey`). */
export type MetricKey = MetricKeyParts;

/** A metric key with its direction. */
export interface CheckpointMetric {
  /** The key as a string, `task/dataset/split/metric`. */
  key: string;
  /** The key's parts. */
  parts: MetricKey;
  /** Which direction is better. */
  mode: MetricMode;
}

/**
 * The task name of aggregate keys.
 *
 * @example
 * ```ts
 * `${AGGREGATE_TASK}/${AGGREGATE_DATASET}/train/loss`; // 'model/all/train/loss'
 * ```
 */
export const AGGREGATE_TASK = 'model';
/**
 * The dataset name of aggregate keys.
 *
 * @example
 * ```ts
 * parseMetricKey('model/all/valid/glue_score').dataset === AGGREGATE_DATASET; // true
 * ```
 */
export const AGGREGATE_DATASET = 'all';

const KEY_FORMAT = "'task/dataset/split/metric'";
const PART = /^[^/:\s]+$/;

function badKey(arg: string, fn: string, value: string, format: string, why: string): MmtlError {
  return new MmtlError(
    'E_ARG',
    `Argument '${arg}' passed to '${fn}' must be formatted ${format}, got '${value}' (${why})`,
  );
}

function splitKey(key: string, arg: string, fn: string, format: string): MetricKey {
  const parts = key.split('/');
  if (parts.length !== 4) throw badKey(arg, fn, key, format, `${parts.length} parts, expected 4`);
  const bad = parts.find((p) => !PART.test(p));
  if (bad !== undefined) {
    throw badKey(arg, fn, key, format, `part '${bad}' is empty or holds whitespace or ':'`);
  }
  const [task, dataset, split, metric] = parts as [string, string, string, string];
  return { task, dataset, split, metric };
}

/**
 * The key of an aggregate over all tasks, `model/all/<split>/<metric>`.
 *
 * @example
 * ```ts
 * aggregateMetricKey('train', 'loss'); // 'model/all/train/loss'
 * ```
 */
export function aggregateMetricKey(split: string, metric: string): string {
  return metricKey(AGGREGATE_TASK, AGGREGATE_DATASET, split, metric);
}

/**
 * Whether a key names an aggregate over tasks (`model/all/…`).
 *
 * @example
 * ```ts
 * isAggregateKey('model/all/valid/glue_score'); // true
 * isAggregateKey('rte/rte/valid/accuracy'); // false
 * ```
 */
export function isAggregateKey(key: string): boolean {
  const k = parseMetricKey(key);
  return k.task === AGGREGATE_TASK && k.dataset === AGGREGATE_DATASET;
}

/**
 * Parses a checkpoint metric `task/dataset/split/metric:max|min`.
 *
 * @example
 * ```ts
 * parseCheckpointMetric('model/all/valid/loss:min');
 * // { key: 'model/all/valid/loss', parts: { task: 'model', …, metric: 'loss' }, mode: 'min' }
 * parseCheckpointMetric('rte/rte/valid/accuracy'); // throws E_ARG: … must be formatted 'task/dataset/split/metric:mode' …
 * ```
 */
export function parseCheckpointMetric(spec: string): CheckpointMetric {
  const format = "'task/dataset/split/metric:mode' with mode 'max' or 'min'";
  const colon = spec.lastIndexOf(':');
  if (colon < 0) throw badKey('spec', 'parseCheckpointMetric', spec, format, 'no ":mode"');
  const key = spec.slice(0, colon);
  const mode = spec.slice(colon + 1);
  if (mode !== 'max' && mode !== 'min') {
    throw badKey('spec', 'parseCheckpointMetric', spec, format, `mode '${mode}'`);
  }
  return { key, parts: splitKey(key, 'spec', 'parseCheckpointMetric', format), mode };
}

/**
 * Formats a key and mode as `key:mode`.
 *
 * @example
 * ```ts
 * formatCheckpointMetric('rte/rte/valid/accuracy', 'max'); // 'rte/rte/valid/accuracy:max'
 * ```
 */
export function formatCheckpointMetric(key: string, mode: MetricMode): string {
  splitKey(key, 'key', 'formatCheckpointMetric', KEY_FORMAT);
  return `${key}:${mode}`;
}

/**
 * Whether `a` is strictly better than `b` by more than `minDelta` in `mode`. NaN is never better, and
 * anything finite is better than NaN.
 *
 * @example
 * ```ts
 * isBetter(0.8, 0.7, 'max'); // true
 * isBetter(0.8, 0.7, 'min'); // false
 * isBetter(0.71, 0.7, 'max', 0.05); // false
 * ```
 */
export function isBetter(a: number, b: number, mode: MetricMode, minDelta = 0): boolean {
  if (Number.isNaN(a)) return false;
  if (Number.isNaN(b)) return true;
  return mode === 'max' ? a - b > minDelta : b - a > minDelta;
}

/**
 * Reads one metric from a metrics record; throws E_ARG listing the available keys when it is missing.
 *
 * @example
 * ```ts
 * lookupMetric({ 'rte/rte/valid/accuracy': 0.7 }, 'rte/rte/valid/accuracy', 'EarlyStopping.update'); // 0.7
 * ```
 */
export function lookupMetric(metrics: Readonly<Record<string, number>>, key: string, fn: string): number {
  const v = metrics[key];
  if (v === undefined) {
    const have = Object.keys(metrics);
    throw new MmtlError(
      'E_ARG',
      `Argument 'metrics' passed to '${fn}' lacks '${key}'; it has ${have.length === 0 ? 'no keys' : have.join(', ')}`,
    );
  }
  return v;
}
