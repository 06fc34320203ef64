import { checkPair } from './validate.js';

/**
 * Fraction of rows whose prediction equals the gold label. An abstaining prediction (-1) counts as wrong.
 *
 * @example
 * ```ts
 * accuracy([0, 1, 1, 2], [0, 1, 0, 2]); // 0.75
 * ```
 */
export function accuracy(golds: ArrayLike<number>, preds: ArrayLike<number>): number {
  const n = checkPair(golds, preds, 'accuracy');
  let correct = 0;
  for (let i = 0; i < n; i++) if (golds[i] === preds[i]) correct++;
  return correct / n;
}
