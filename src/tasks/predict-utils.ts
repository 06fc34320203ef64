import { MmtlError } from '../core/index.js';
import { probsToPreds } from '../labelmodel/index.js';

/**
 * How predictions break ties between equally likely classes: 'first' takes the lowest class (MeTaL), the
 * others are the label model's policies ('abstain' predicts -1, 'random' is a deterministic per-row hash,
 * 'true-random' a seeded draw).
 */
export type TiePolicy = 'first' | 'abstain' | 'random' | 'true-random';

/**
 * Turns row-major probabilities [n, k] into class predictions under a {@link TiePolicy}.
 *
 * @example
 * ```ts
 * predsFromProbs(Float32Array.of(0.5, 0.5, 0.1, 0.9), 2, 'abstain'); // Int32Array [-1, 1]
 * predsFromProbs(Float32Array.of(0.5, 0.5), 2, 'first'); // Int32Array [0]
 * ```
 */
export function predsFromProbs(
  probs: ArrayLike<number>,
  k: number,
  tiePolicy: TiePolicy = 'first',
): Int32Array {
  if (k < 1 || probs.length % k !== 0) {
    throw new MmtlError(
      'E_SHAPE',
      `Argument 'probs' passed to 'predsFromProbs' has length ${probs.length}, not a multiple of k=${k}`,
    );
  }
  if (tiePolicy !== 'first') return probsToPreds(Float64Array.from(probs), k, { tieBreakPolicy: tiePolicy });
  const n = probs.length / k;
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let c = 1; c < k; c++) if (probs[i * k + c]! > probs[i * k + best]!) best = c;
    out[i] = best;
  }
  return out;
}
