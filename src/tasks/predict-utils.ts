import { MmtlError } from '../core/index.js';

/** How {@link probsToPreds} breaks ties between equally likely classes. */
export type TiePolicy = 'first' | 'abstain' | 'random';

/**
 * Turns row-major probabilities [n, k] into class predictions. Ties: 'first' takes the lowest class (as
 * MeTaL), 'abstain' predicts -1, 'random' picks among the tied classes by a hash of the row index and the
 * probabilities (deterministic: the same inputs give the same predictions).
 *
 * @example
 * ```ts
 * probsToPreds(Float32Array.of(0.5, 0.5, 0.1, 0.9), 2, 'abstain'); // Int32Array [-1, 1]
 * ```
 */
export function probsToPreds(
  probs: ArrayLike<number>,
  k: number,
  tiePolicy: TiePolicy = 'first',
  tol = 1e-6,
): Int32Array {
  if (k < 1 || probs.length % k !== 0) {
    throw new MmtlError(
      'E_SHAPE',
      `Argument 'probs' passed to 'probsToPreds' has length ${probs.length}, not a multiple of k=${k}`,
    );
  }
  const n = probs.length / k;
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let best = -Infinity;
    for (let c = 0; c < k; c++) best = Math.max(best, probs[i * k + c]!);
    const tied: number[] = [];
    for (let c = 0; c < k; c++) if (best - probs[i * k + c]! <= tol) tied.push(c);
    if (tied.length === 1 || tiePolicy === 'first') out[i] = tied[0]!;
    else if (tiePolicy === 'abstain') out[i] = -1;
    else {
      let h = Math.imul(i + 1, 2654435761);
      h ^= Math.round(best * 1e6);
      out[i] = tied[Math.abs(Math.imul(h, 16777619)) % tied.length]!;
    }
  }
  return out;
}
