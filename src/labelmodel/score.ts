// Scoring of hard label predictions with the shared metric functions of src/metrics.
import { ABSTAIN, MmtlError, assert } from '../core/index.js';
import { accuracy, coverage, f1 } from '../metrics/index.js';

/** Metric names understood by {@link scorePredictions}. */
export type LabelMetric = 'accuracy' | 'coverage' | 'f1' | 'macro_f1';

/** Options of {@link scorePredictions}. */
export interface ScoreOptions {
  /** Positive class of binary `f1` (default 1). */
  posLabel?: number;
}

/**
 * Scores hard predictions against gold labels. Rows whose gold label is `-1` are dropped. Predictions of
 * `-1` (abstain) count as wrong for accuracy and F1 (every row is scored), and `coverage` is the fraction
 * of scored rows with a prediction. `f1` is binary F1 of `posLabel`; `macro_f1` averages per-class F1
 * over the classes `0..k-1` that occur in gold or predictions.
 *
 * @example
 * ```ts
 * scorePredictions(Int32Array.from([1, 0, -1]), Int32Array.from([1, 1, 0]), 2, ['accuracy', 'coverage']);
 * // { accuracy: 0.3333333333333333, coverage: 0.6666666666666666 }
 * ```
 */
export function scorePredictions(
  preds: ArrayLike<number>,
  gold: ArrayLike<number>,
  k: number,
  metrics: readonly LabelMetric[] = ['accuracy'],
  opts: ScoreOptions = {},
): Record<string, number> {
  assert(
    preds.length === gold.length,
    'E_ARG',
    () =>
      `Arguments 'preds' (${preds.length}) and 'gold' (${gold.length}) passed to 'scorePredictions' differ in length`,
  );
  const g: number[] = [];
  const p: number[] = [];
  for (let i = 0; i < gold.length; i++) {
    if (gold[i] === ABSTAIN) continue;
    g.push(gold[i]!);
    p.push(preds[i]!);
  }
  const out: Record<string, number> = {};
  for (const metric of metrics) {
    if (!(metric in SCORERS)) {
      throw new MmtlError(
        'E_ARG',
        `Unknown metric '${metric as string}' passed to 'scorePredictions'; expected ${Object.keys(SCORERS).join(', ')}`,
      );
    }
    if (metric === 'f1') {
      assert(
        k === 2,
        'E_ARG',
        () => `Metric 'f1' passed to 'scorePredictions' needs k = 2, got k = ${k}; use macro_f1`,
      );
    }
    out[metric] = g.length === 0 ? Number.NaN : SCORERS[metric](g, p, opts.posLabel ?? 1);
  }
  return out;
}

/** Each metric over the rows with a gold label (abstained predictions count as misses). */
const SCORERS: Record<LabelMetric, (g: number[], p: number[], posLabel: number) => number> = {
  accuracy: (g, p) => accuracy(g, p),
  coverage: (g, p) => coverage(g, p),
  f1: (g, p, posLabel) => f1(g, p, { average: 'binary', posLabel }),
  macro_f1: (g, p) => f1(g, p, { average: 'macro' }),
};
