/**
 * Shared metric types. A metric is a pure function of gold labels, predictions and (optionally) class
 * probabilities that returns one number.
 */

/**
 * A metric function: `(golds, preds, probs?) → number`.
 *
 * - `golds`, `preds`: one entry per row (class ids `0..k-1` for classification, floats for regression).
 * - `probs`: either one positive-class score per row (length n) or an n×k row-major matrix (length n·k).
 *
 * A metric may carry a `kind` that tells the {@link Scorer} which rows to drop before calling it:
 * `'classification'` drops rows whose gold is the abstain label, `'regression'` drops rows whose gold or
 * prediction is NaN.
 *
 * @example
 * ```ts
 * const errorRate: MetricFn = (golds, preds) => 1 - accuracy(golds, preds);
 * errorRate([0, 1, 1], [0, 1, 0]); // 0.3333333333333333
 * ```
 */
export interface MetricFn {
  (golds: ArrayLike<number>, preds: ArrayLike<number>, probs?: ArrayLike<number>): number;
  /** Which rows the Scorer drops before calling the metric; see {@link MetricKind}. */
  kind?: MetricKind;
}

/**
 * `'classification'`: rows whose gold is the abstain label are dropped before scoring.
 * `'regression'`: rows whose gold or prediction is NaN are dropped; nothing else is.
 */
export type MetricKind = 'classification' | 'regression';

/**
 * How per-class scores are combined:
 * - `'binary'`: the score of the positive class only (`posLabel`);
 * - `'macro'`: the unweighted mean over the classes seen in golds or preds (the abstain label -1 is not a
 *   class; abstaining predictions count as misses);
 * - `'micro'`: the score of the pooled counts over all classes.
 */
export type ClassAverage = 'binary' | 'macro' | 'micro';

/** Options of the precision / recall / F-score family. */
export interface ClassScoreOptions {
  /** How per-class scores are combined (default `'binary'`). */
  average?: ClassAverage;
  /** The positive class for `average: 'binary'` (default 1). */
  posLabel?: number;
}
