import { checkPair } from './validate.js';

/**
 * Mean squared error of predictions against golds (regression; lower is better).
 *
 * @example
 * ```ts
 * mse([1, 2, 3], [1, 2, 5]); // 1.3333333333333333
 * ```
 */
export function mse(golds: ArrayLike<number>, preds: ArrayLike<number>): number {
  const n = checkPair(golds, preds, 'mse');
  let s = 0;
  for (let i = 0; i < n; i++) s += (golds[i]! - preds[i]!) ** 2;
  return s / n;
}

/**
 * Mean absolute error of predictions against golds (regression; lower is better).
 *
 * @example
 * ```ts
 * mae([1, 2, 3], [1, 2, 5]); // 0.6666666666666666
 * ```
 */
export function mae(golds: ArrayLike<number>, preds: ArrayLike<number>): number {
  const n = checkPair(golds, preds, 'mae');
  let s = 0;
  for (let i = 0; i < n; i++) s += Math.abs(golds[i]! - preds[i]!);
  return s / n;
}
