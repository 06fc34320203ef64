import { ABSTAIN, MmtlError, assert } from '../core/index.js';

/**
 * Throws unless `golds` and `preds` are non-empty and of equal length; returns the length. Internal.
 *
 * @example
 * ```ts
 * checkPair([1, 0], [1, 1], 'accuracy'); // 2
 * checkPair([], [], 'accuracy'); // throws E_ARG: Argument 'golds' passed to 'accuracy' must not be empty
 * ```
 */
export function checkPair(golds: ArrayLike<number>, preds: ArrayLike<number>, fn: string): number {
  assert(golds.length > 0, 'E_ARG', () => `Argument 'golds' passed to '${fn}' must not be empty`);
  if (golds.length !== preds.length) {
    throw new MmtlError(
      'E_SHAPE',
      `Arguments 'golds' and 'preds' passed to '${fn}' must have the same length, got ${golds.length} and ${preds.length}`,
    );
  }
  return golds.length;
}

/**
 * The positive-class score of each row from `probs`, which is either n scores or an n×k row-major matrix
 * (then column `posLabel` is used). Internal.
 *
 * @example
 * ```ts
 * positiveScores([0.9, 0.1, 0.2, 0.8], 2, 1, 'rocAuc'); // Float64Array [0.1, 0.8]
 * ```
 */
export function positiveScores(
  probs: ArrayLike<number> | undefined,
  n: number,
  posLabel: number,
  fn: string,
): Float64Array {
  assert(probs !== undefined, 'E_ARG', () => `Argument 'probs' passed to '${fn}' is required`);
  if (probs.length === n) return Float64Array.from(probs);
  const k = probs.length / n;
  assert(
    Number.isInteger(k) && k >= 2,
    'E_SHAPE',
    () =>
      `Argument 'probs' passed to '${fn}' must hold n=${n} scores or an n×k matrix, got length ${probs.length}`,
  );
  assert(
    Number.isInteger(posLabel) && posLabel >= 0 && posLabel < k,
    'E_ARG',
    () => `Argument 'posLabel' passed to '${fn}' must be a column of the ${n}×${k} 'probs', got ${posLabel}`,
  );
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = probs[i * k + posLabel]!;
  return out;
}

/** Per-class true positives, false positives and false negatives, over classes seen in golds or preds. */
export interface ClassCounts {
  /** Class ids, ascending (the abstain label is left out). */
  labels: number[];
  tp: Float64Array;
  fp: Float64Array;
  fn: Float64Array;
}

/**
 * Counts tp / fp / fn per class; a prediction of ABSTAIN is a false negative for the gold class. Internal.
 *
 * @example
 * ```ts
 * classCounts([0, 1], [1, 1], 'f1'); // { labels: [0, 1], tp: [0, 1], fp: [0, 1], fn: [1, 0] }
 * ```
 */
export function classCounts(golds: ArrayLike<number>, preds: ArrayLike<number>, fn: string): ClassCounts {
  const n = checkPair(golds, preds, fn);
  const seen = new Set<number>();
  for (let i = 0; i < n; i++) {
    if (golds[i] !== ABSTAIN) seen.add(golds[i]!);
    if (preds[i] !== ABSTAIN) seen.add(preds[i]!);
  }
  const labels = [...seen].sort((a, b) => a - b);
  const index = new Map(labels.map((l, i) => [l, i]));
  const tp = new Float64Array(labels.length);
  const fp = new Float64Array(labels.length);
  const fnc = new Float64Array(labels.length);
  for (let i = 0; i < n; i++) {
    const g = golds[i]!;
    const p = preds[i]!;
    if (g === p) {
      if (g !== ABSTAIN) tp[index.get(g)!]! += 1;
      continue;
    }
    if (p !== ABSTAIN) fp[index.get(p)!]! += 1;
    if (g !== ABSTAIN) fnc[index.get(g)!]! += 1;
  }
  return { labels, tp, fp, fn: fnc };
}

/**
 * a / b, or 0 when b is 0 (scikit-learn's zero_division default). Internal.
 *
 * @example
 * ```ts
 * safeDiv(1, 0); // 0
 * ```
 */
export function safeDiv(a: number, b: number): number {
  return b === 0 ? 0 : a / b;
}
