import { checkPair } from './validate.js';

/**
 * Pearson correlation coefficient of golds and predictions (GLUE's STS-B metric, with Spearman).
 * Returns NaN when either side has zero variance (the coefficient is undefined; scipy does the same).
 *
 * @example
 * ```ts
 * pearson([1, 2, 3, 4], [2, 4, 5, 9]); // 0.9647638212377322
 * pearson([1, 1, 1], [1, 2, 3]); // NaN (zero variance)
 * ```
 */
export function pearson(golds: ArrayLike<number>, preds: ArrayLike<number>): number {
  const n = checkPair(golds, preds, 'pearson');
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += golds[i]!;
    my += preds[i]!;
  }
  mx /= n;
  my /= n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = golds[i]! - mx;
    const dy = preds[i]! - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  if (sxx === 0 || syy === 0) return Number.NaN;
  const r = sxy / Math.sqrt(sxx * syy);
  return Math.max(-1, Math.min(1, r));
}
