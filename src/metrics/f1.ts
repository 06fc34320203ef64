import { classScore } from './fbeta.js';
import type { ClassScoreOptions } from './types.js';

/**
 * F1 score, the harmonic mean of precision and recall: binary for `posLabel` (default 1), or macro / micro
 * averaged. For single-label data without abstaining predictions, micro F1 equals accuracy.
 *
 * @example
 * ```ts
 * f1([1, 1, 0, 0, 1], [1, 0, 0, 1, 1]); // 0.6666666666666666
 * f1([0, 1, 2, 2], [0, 2, 2, 2], { average: 'macro' }); // 0.6 ((1 + 0 + 0.8) / 3)
 * f1([0, 1, 2, 2], [0, 2, 2, 2], { average: 'micro' }); // 0.75
 * ```
 */
export function f1(
  golds: ArrayLike<number>,
  preds: ArrayLike<number>,
  options: ClassScoreOptions = {},
): number {
  return classScore('fbeta', golds, preds, { ...options, beta: 1 }, 'f1');
}
