import { classScore } from './fbeta.js';
import type { ClassScoreOptions } from './types.js';

/**
 * Precision `tp / (tp + fp)`: binary for `posLabel` (default 1), or macro / micro averaged over classes.
 * 0 when nothing was predicted positive (scikit-learn's `zero_division=0`).
 *
 * @example
 * ```ts
 * precision([0, 1, 1, 0], [1, 1, 0, 0]); // 0.5
 * precision([0, 1, 2, 2], [0, 2, 2, 2], { average: 'macro' }); // 0.5555555555555555 ((1 + 0 + 2/3) / 3)
 * ```
 */
export function precision(
  golds: ArrayLike<number>,
  preds: ArrayLike<number>,
  options: ClassScoreOptions = {},
): number {
  return classScore('precision', golds, preds, options, 'precision');
}
