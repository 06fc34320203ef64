import { pearson } from './pearson.js';
import { averageRanks } from './rank.js';
import { checkPair } from './validate.js';

/**
 * Spearman rank correlation: the Pearson correlation of the ranks, ties given their average rank (scipy's
 * `spearmanr`). NaN when either side is constant.
 *
 * @example
 * ```ts
 * spearman([1, 2, 3, 4], [10, 20, 30, 25]); // 0.8
 * spearman([1, 2, 2, 3], [1, 3, 2, 4]); // 0.9486832980505138 (ties get rank 2.5)
 * ```
 */
export function spearman(golds: ArrayLike<number>, preds: ArrayLike<number>): number {
  checkPair(golds, preds, 'spearman');
  return pearson(averageRanks(golds), averageRanks(preds));
}
