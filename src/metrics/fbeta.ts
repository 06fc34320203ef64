import { assert } from '../core/index.js';
import type { ClassScoreOptions } from './types.js';
import { classCounts, safeDiv } from './validate.js';

/** Options of {@link fbeta}. */
export interface FbetaOptions extends ClassScoreOptions {
  /** Weight of recall relative to precision (default 1, which gives F1). */
  beta?: number;
}

/** Which of precision, recall or F-beta to compute from counts. */
type ClassScore = 'precision' | 'recall' | 'fbeta';

function scoreOf(what: ClassScore, tp: number, fp: number, fn: number, beta2: number): number {
  const p = safeDiv(tp, tp + fp);
  const r = safeDiv(tp, tp + fn);
  if (what === 'precision') return p;
  if (what === 'recall') return r;
  return safeDiv((1 + beta2) * p * r, beta2 * p + r);
}

/**
 * Shared engine of precision, recall and F-beta: per-class counts, then binary / macro / micro averaging.
 * Undefined ratios (0/0) count as 0, like scikit-learn's `zero_division=0`. Internal (not re-exported).
 *
 * @example
 * ```ts
 * classScore('recall', [1, 1, 0], [1, 0, 0], {}, 'recall'); // 0.5
 * ```
 */
export function classScore(
  what: ClassScore,
  golds: ArrayLike<number>,
  preds: ArrayLike<number>,
  options: FbetaOptions,
  fn: string,
): number {
  const { average = 'binary', posLabel = 1, beta = 1 } = options;
  assert(beta > 0, 'E_ARG', () => `Argument 'beta' passed to '${fn}' must be > 0, got ${beta}`);
  const beta2 = beta * beta;
  const c = classCounts(golds, preds, fn);
  if (average === 'binary') {
    const i = c.labels.indexOf(posLabel);
    return i < 0 ? 0 : scoreOf(what, c.tp[i]!, c.fp[i]!, c.fn[i]!, beta2);
  }
  if (average === 'micro') {
    let tp = 0;
    let fp = 0;
    let fnSum = 0;
    for (let i = 0; i < c.labels.length; i++) {
      tp += c.tp[i]!;
      fp += c.fp[i]!;
      fnSum += c.fn[i]!;
    }
    return scoreOf(what, tp, fp, fnSum, beta2);
  }
  assert(
    average === 'macro',
    'E_ARG',
    () =>
      `Argument 'average' passed to '${fn}' must be one of binary, macro, micro, got '${average as string}'`,
  );
  if (c.labels.length === 0) return 0;
  let sum = 0;
  for (let i = 0; i < c.labels.length; i++) sum += scoreOf(what, c.tp[i]!, c.fp[i]!, c.fn[i]!, beta2);
  return sum / c.labels.length;
}

/**
 * F-beta score: `(1 + β²)·P·R / (β²·P + R)`, binary for `posLabel` (default 1) or macro / micro averaged.
 * Matches scikit-learn's `fbeta_score` (abstaining predictions, -1, count as misses and are not a class).
 *
 * @example
 * ```ts
 * fbeta([1, 1, 0, 0], [1, 0, 1, 0], { beta: 2 }); // 0.5 (P = R = 0.5)
 * fbeta([0, 1, 1, 1], [0, 1, 1, 0], { beta: 0.5 }); // 0.9090909090909091 (P = 1, R = 2/3)
 * ```
 */
export function fbeta(
  golds: ArrayLike<number>,
  preds: ArrayLike<number>,
  options: FbetaOptions = {},
): number {
  return classScore('fbeta', golds, preds, options, 'fbeta');
}
