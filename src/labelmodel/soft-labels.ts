import { assert } from '../core/index.js';
import type { LabelMatrixLike } from './label-matrix.js';

/**
 * Probabilistic training labels from a label model's `predictProba` output: the n × k probabilities as float32,
 * with the rows no LF voted on set to zeros (Snorkel's filter_unlabeled, kept row-aligned: a zero row is a
 * missing label for a 'soft' label set, so it never enters a loss).
 *
 * @example
 * ```ts
 * const y = softLabels(lm.predictProba(L), L, 2);
 * dataset.addLabelSet('weak', { kind: 'soft', values: y, cardinality: 2 });
 * ```
 */
export function softLabels(probs: ArrayLike<number>, L: LabelMatrixLike, k: number): Float32Array {
  assert(
    probs.length === L.n * k,
    'E_SHAPE',
    () => `Argument 'probs' passed to 'softLabels' has ${probs.length} values, expected n·k = ${L.n}·${k}`,
  );
  const out = Float32Array.from(probs);
  for (let i = 0; i < L.n; i++) {
    let voted = false;
    for (let j = 0; j < L.m && !voted; j++) voted = L.data[i * L.m + j]! !== -1;
    if (!voted) out.fill(0, i * k, (i + 1) * k);
  }
  return out;
}
