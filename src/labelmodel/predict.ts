import { createHash } from 'node:crypto';
import { ABSTAIN, Rng, assert } from '../core/index.js';

/** How to resolve rows whose top probability is shared by several classes. */
export type TieBreakPolicy = 'abstain' | 'random' | 'true-random';

/** Options of {@link probsToPreds} and every `predict`. */
export interface PredictOptions {
  /**
   * `'abstain'` (default): a tied row gets `-1`. `'random'`: a tied class chosen by a hash of the row's
   * index (Snorkel's rule; see {@link hashTieBreak}), so the same row always gets the same answer.
   * `'true-random'`: drawn from an `Rng` seeded with `seed`.
   */
  tieBreakPolicy?: TieBreakPolicy;
  /** Seed of the `'true-random'` policy, mixed into the `'random'` hash when non-zero (default 0). */
  seed?: number;
  /** Probabilities closer than this to the row maximum count as tied (default 1e-5). */
  tolerance?: number;
}

/**
 * The `'random'` tie-break choice for row `i` among `nTied` classes: `sha1(String(i))` read as an integer,
 * modulo `nTied` — the same rule as Snorkel's `probs_to_preds`, so tie-broken scores are comparable with
 * published Snorkel numbers. A non-zero `seed` is mixed in (`sha1(\`${i}:${seed}\`)`).
 *
 * @example
 * ```ts
 * hashTieBreak(0, 2); // 0 or 1, the same on every call
 * ```
 */
export function hashTieBreak(i: number, nTied: number, seed = 0): number {
  const digest = createHash('sha1')
    .update(seed === 0 ? String(i) : `${i}:${seed}`)
    .digest('hex');
  return Number(BigInt(`0x${digest}`) % BigInt(nTied));
}

/**
 * Turns an `n × k` row-major probability matrix into hard labels, resolving ties by `tieBreakPolicy`.
 *
 * @example
 * ```ts
 * probsToPreds(Float64Array.from([0.9, 0.1, 0.5, 0.5]), 2); // Int32Array [0, -1]
 * probsToPreds(Float64Array.from([0.5, 0.5]), 2, { tieBreakPolicy: 'random' }); // Int32Array [0] or [1], same every call
 * ```
 */
export function probsToPreds(probs: Float64Array, k: number, opts: PredictOptions = {}): Int32Array {
  const policy = opts.tieBreakPolicy ?? 'abstain';
  assert(
    policy === 'abstain' || policy === 'random' || policy === 'true-random',
    'E_ARG',
    () =>
      `Argument 'tieBreakPolicy' passed to 'predict' must be abstain, random or true-random, got ${policy}`,
  );
  const tol = opts.tolerance ?? 1e-5;
  const n = probs.length / k;
  const preds = new Int32Array(n);
  const rng = policy === 'true-random' ? new Rng(opts.seed ?? 0) : undefined;
  const tied: number[] = [];
  for (let i = 0; i < n; i++) {
    let max = -Infinity;
    for (let c = 0; c < k; c++) max = Math.max(max, probs[i * k + c]!);
    tied.length = 0;
    for (let c = 0; c < k; c++) if (max - probs[i * k + c]! < tol) tied.push(c);
    if (tied.length === 1) preds[i] = tied[0]!;
    else if (policy === 'abstain') preds[i] = ABSTAIN;
    else if (rng !== undefined) preds[i] = tied[rng.int(0, tied.length - 1)]!;
    else preds[i] = tied[hashTieBreak(i, tied.length, opts.seed ?? 0)]!;
  }
  return preds;
}
