import { classScore } from './fbeta.js';
import type { ClassScoreOptions } from './types.js';

/**
 * Recall `tp / (tp + fn)`: binary for `posLabel` (default 1), or macro / micro averaged over classes.
 * 0 when the positive class never occurs in golds.
 *
 * @example
 * ```ts
 * recall([1, 1, 1, 0], [1, 0, 1, 1]); // 0.6666666666666666
 * recall([0, 1, 2, 2], [0, 2, 2, 2], { average: 'macro' }); // 0.6666666666666666 ((1 + 0 + 1) / 3)
 * ```
 */
export function recall(
  golds: ArrayLike<number>,
  preds: ArrayLike<number>,
  options: ClassScoreOptions = {},
): number {
  return classScore('recall', golds, preds, options, 'recall');
}
