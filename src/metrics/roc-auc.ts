import { averageRanks } from './rank.js';
import { checkPair, positiveScores } from './validate.js';

/** Options of {@link rocAuc}. */
export interface RocAucOptions {
  /** The positive class (default 1); every other gold label is negative. */
  posLabel?: number;
}

/**
 * Area under the ROC curve for a binary task, from scores (Mann–Whitney U with average ranks, so tied
 * scores count one half, exactly as scikit-learn's `roc_auc_score`). `probs` is either one positive-class
 * score per row or an n×k row-major probability matrix (column `posLabel` is used). Returns NaN when golds
 * hold only one class (the area is undefined).
 *
 * @example
 * ```ts
 * rocAuc([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]); // 0.75
 * rocAuc([0, 1], [0.9, 0.1, 0.2, 0.8]); // 1 (n×2 matrix, column 1)
 * ```
 */
export function rocAuc(
  golds: ArrayLike<number>,
  probs: ArrayLike<number>,
  options: RocAucOptions = {},
): number {
  const { posLabel = 1 } = options;
  const n = golds.length;
  const scores = positiveScores(probs, n, posLabel, 'rocAuc');
  checkPair(golds, scores, 'rocAuc');
  const ranks = averageRanks(scores);
  let nPos = 0;
  let rankSum = 0;
  for (let i = 0; i < n; i++) {
    if (golds[i] === posLabel) {
      nPos++;
      rankSum += ranks[i]!;
    }
  }
  const nNeg = n - nPos;
  if (nPos === 0 || nNeg === 0) return Number.NaN;
  return (rankSum - (nPos * (nPos + 1)) / 2) / (nPos * nNeg);
}
