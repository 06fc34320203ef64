import { MmtlError, assert } from '../core/index.js';

/**
 * Builds a full metric key `task/dataset/split/metric` (Snorkel's `label/dataset/split/metric`, MeTaL's
 * `task/payload/labelset/metric`). No part may be empty or contain '/'.
 *
 * @example
 * ```ts
 * metricKey('CoLA', 'CoLA', 'valid', 'matthews_corrcoef'); // 'CoLA/CoLA/valid/matthews_corrcoef'
 * ```
 */
export function metricKey(task: string, dataset: string, split: string, metric: string): string {
  const parts = [task, dataset, split, metric];
  for (const [i, part] of parts.entries()) {
    assert(
      part.length > 0 && !part.includes('/'),
      'E_ARG',
      () =>
        `Argument '${['task', 'dataset', 'split', 'metric'][i]!}' passed to 'metricKey' must be non-empty without '/', got '${part}'`,
    );
  }
  return parts.join('/');
}

/** The four parts of a metric key. */
export interface MetricKeyParts {
  task: string;
  dataset: string;
  split: string;
  metric: string;
}

/**
 * Splits a `task/dataset/split/metric` key into its parts; throws E_ARG for any other shape.
 *
 * @example
 * ```ts
 * parseMetricKey('RTE/RTE/valid/accuracy'); // { task: 'RTE', dataset: 'RTE', split: 'valid', metric: 'accuracy' }
 * ```
 */
export function parseMetricKey(key: string): MetricKeyParts {
  const parts = key.split('/');
  assert(
    parts.length === 4 && parts.every((p) => p.length > 0),
    'E_ARG',
    () => `Argument 'key' passed to 'parseMetricKey' must look like task/dataset/split/metric, got '${key}'`,
  );
  const [task, dataset, split, metric] = parts as [string, string, string, string];
  return { task, dataset, split, metric };
}

/** How {@link aggregateMetrics} combines the selected values. */
export type Aggregation = 'mean' | 'median' | 'min' | 'max';

function patternToRegExp(pattern: string): RegExp {
  const escaped = pattern.split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${escaped.join('[^/]*')}$`);
}

/**
 * Combines several metric values into one, e.g. a GLUE-style score over tasks. `keys` are metric keys
 * (`task/dataset/split/metric`, see {@link metricKey}); a key may use `*` as a wildcard within one part
 * (`'*\/*\/valid/accuracy'`). An exact key that is missing, or a pattern that matches nothing, is an E_ARG
 * error; a value matched twice counts once. NaN values propagate (the result is NaN).
 *
 * @example
 * ```ts
 * const scores = {
 *   'CoLA/CoLA/valid/matthews_corrcoef': 0.5,
 *   'SST-2/SST-2/valid/accuracy': 0.9,
 *   'MRPC/MRPC/valid/acc_f1': 0.85,
 * };
 * aggregateMetrics(scores, Object.keys(scores), 'mean'); // 0.75
 * aggregateMetrics(scores, ['*\/*\/valid/accuracy', 'MRPC/MRPC/valid/acc_f1'], 'max'); // 0.9
 * ```
 */
export function aggregateMetrics(
  metricsDict: Record<string, number>,
  keys: string[],
  how: Aggregation = 'mean',
): number {
  assert(keys.length > 0, 'E_ARG', () => `Argument 'keys' passed to 'aggregateMetrics' must not be empty`);
  const selected = new Set<string>();
  for (const key of keys) {
    if (!key.includes('*')) {
      if (!(key in metricsDict)) {
        throw new MmtlError(
          'E_ARG',
          `Argument 'keys' passed to 'aggregateMetrics' names a missing metric '${key}'`,
        );
      }
      selected.add(key);
      continue;
    }
    const re = patternToRegExp(key);
    const hits = Object.keys(metricsDict).filter((k) => re.test(k));
    assert(
      hits.length > 0,
      'E_ARG',
      () => `Argument 'keys' passed to 'aggregateMetrics' has a pattern '${key}' that matches no metric`,
    );
    for (const h of hits) selected.add(h);
  }
  const values = [...selected].map((k) => metricsDict[k]!);
  switch (how) {
    case 'mean':
      return values.reduce((a, b) => a + b, 0) / values.length;
    case 'min':
      return values.some(Number.isNaN) ? Number.NaN : Math.min(...values);
    case 'max':
      return values.some(Number.isNaN) ? Number.NaN : Math.max(...values);
    case 'median': {
      if (values.some(Number.isNaN)) return Number.NaN;
      const s = [...values].sort((a, b) => a - b);
      const m = s.length >> 1;
      return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
    }
    default:
      throw new MmtlError(
        'E_ARG',
        `Argument 'how' passed to 'aggregateMetrics' must be one of mean, median, min, max, got '${how as string}'`,
      );
  }
}
