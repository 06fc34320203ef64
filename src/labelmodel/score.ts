// Local metric helpers; they should move to src/metrics once that folder's metrics land.
import { ABSTAIN, assert } from '../core/index.js';

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
  // confusion[g*k + p]; abstained predictions counted separately per gold class
  const confusion = new Float64Array(k * k);
  const abstainByGold = new Float64Array(k);
  let total = 0;
  for (let i = 0; i < gold.length; i++) {
    const g = gold[i]!;
    if (g === ABSTAIN) continue;
    total++;
    const p = preds[i]!;
    if (p === ABSTAIN) abstainByGold[g]!++;
    else confusion[g * k + p]!++;
  }
  const out: Record<string, number> = {};
  const f1Of = (c: number): number => {
    const tp = confusion[c * k + c]!;
    let predPos = 0;
    let goldPos = abstainByGold[c]!;
    for (let j = 0; j < k; j++) {
      predPos += confusion[j * k + c]!;
      goldPos += confusion[c * k + j]!;
    }
    return tp === 0 ? 0 : (2 * tp) / (predPos + goldPos);
  };
  for (const metric of metrics) {
    if (metric === 'accuracy') {
      let correct = 0;
      for (let c = 0; c < k; c++) correct += confusion[c * k + c]!;
      out.accuracy = total === 0 ? Number.NaN : correct / total;
    } else if (metric === 'coverage') {
      let abstained = 0;
      for (let c = 0; c < k; c++) abstained += abstainByGold[c]!;
      out.coverage = total === 0 ? Number.NaN : 1 - abstained / total;
    } else if (metric === 'f1') {
      assert(
        k === 2,
        'E_ARG',
        () => `Metric 'f1' passed to 'scorePredictions' needs k = 2, got k = ${k}; use macro_f1`,
      );
      out.f1 = f1Of(opts.posLabel ?? 1);
    } else if (metric === 'macro_f1') {
      let sum = 0;
      let count = 0;
      for (let c = 0; c < k; c++) {
        let present = abstainByGold[c]!;
        for (let j = 0; j < k; j++) present += confusion[c * k + j]! + confusion[j * k + c]!;
        if (present === 0) continue;
        sum += f1Of(c);
        count++;
      }
      out.macro_f1 = count === 0 ? Number.NaN : sum / count;
    } else {
      assert(
        false,
        'E_ARG',
        () =>
          `Unknown metric '${String(metric)}' passed to 'scorePredictions'; expected accuracy, coverage, f1, macro_f1`,
      );
    }
  }
  return out;
}
