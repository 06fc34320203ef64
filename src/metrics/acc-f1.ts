import { accuracy } from './accuracy.js';
import { f1 } from './f1.js';

/**
 * GLUE's combined MRPC/QQP metric: the mean of accuracy and binary F1 (positive class 1).
 *
 * @example
 * ```ts
 * accF1([1, 1, 0, 0, 1], [1, 0, 0, 1, 1]); // 0.6333333333333333 ((0.6 + 2/3) / 2)
 * ```
 */
export function accF1(golds: ArrayLike<number>, preds: ArrayLike<number>): number {
  return (accuracy(golds, preds) + f1(golds, preds)) / 2;
}
