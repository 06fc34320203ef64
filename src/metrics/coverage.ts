import { ABSTAIN } from '../core/index.js';
import { checkPair } from './validate.js';

/**
 * Fraction of rows with a prediction, i.e. whose prediction is not the abstain label (default -1).
 *
 * @example
 * ```ts
 * coverage([0, 1, 1, 0], [0, -1, 1, -1]); // 0.5
 * ```
 */
export function coverage(golds: ArrayLike<number>, preds: ArrayLike<number>, abstainLabel = ABSTAIN): number {
  const n = checkPair(golds, preds, 'coverage');
  let covered = 0;
  for (let i = 0; i < n; i++) if (preds[i] !== abstainLabel) covered++;
  return covered / n;
}
