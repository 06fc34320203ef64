import { pearson } from './pearson.js';
import { spearman } from './spearman.js';

/**
 * GLUE's STS-B metric: the mean of the Pearson and Spearman correlations (NaN if either is).
 *
 * @example
 * ```ts
 * pearsonSpearman([1, 2, 3, 4], [10, 20, 30, 25]); // 0.81576... ((0.8315218406203 + 0.8) / 2)
 * ```
 */
export function pearsonSpearman(golds: ArrayLike<number>, preds: ArrayLike<number>): number {
  return (pearson(golds, preds) + spearman(golds, preds)) / 2;
}
