import { xoroshiro128plusFromState } from 'pure-rand/generator/xoroshiro128plus';
import type { JumpableRandomGenerator } from 'pure-rand/types/JumpableRandomGenerator';
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { assert } from './errors.js';

/** The JSON form of an {@link Rng}'s state, for checkpoints. */
export interface RngState {
  /** Generator name; only 'xoroshiro128plus' exists today. */
  algorithm: 'xoroshiro128plus';
  /** The generator's internal words. */
  state: number[];
}

/**
 * The xoroshiro128+ state words for `seed`: four 32-bit words drawn from splitmix32 started at `seed`, so
 * nearby seeds give unrelated streams (pure-rand's own seeding puts a small seed straight into the state,
 * which makes the first draws of small seeds nearly equal: `float()` ≈ 1.0 for every seed below 2¹⁶).
 *
 * @example
 * ```ts
 * seedState(0); // four int32 words, never all zero
 * ```
 */
export function seedState(seed: number): number[] {
  let x = seed | 0;
  const words: number[] = [];
  for (let i = 0; i < 4; i++) {
    x = (x + 0x9e3779b9) | 0;
    let z = x;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    words.push((z ^ (z >>> 16)) | 0);
  }
  if (!words.some((w) => w !== 0)) words[0] = 1;
  return words;
}

/**
 * A seeded random number generator (xoroshiro128+) whose state can be saved and restored, so a run that is
 * resumed from a checkpoint draws the same numbers as one that never stopped.
 *
 * @example
 * ```ts
 * const rng = new Rng(42);
 * rng.float();          // a number in [0, 1)
 * rng.int(0, 9);        // an integer in 0..9
 * const saved = rng.getState();
 * const a = rng.float();
 * Rng.fromState(saved).float() === a; // true
 * ```
 */
export class Rng {
  private gen: JumpableRandomGenerator;

  constructor(seed: number) {
    assert(
      Number.isInteger(seed),
      'E_ARG',
      () => `Argument 'seed' passed to 'Rng' must be an integer, got ${seed}`,
    );
    this.gen = xoroshiro128plusFromState(seedState(seed));
  }

  /** Rebuilds a generator from {@link Rng.getState}. */
  static fromState(state: RngState): Rng {
    assert(
      state.algorithm === 'xoroshiro128plus',
      'E_ARG',
      () => `Argument 'state' passed to 'Rng.fromState' has unknown algorithm '${state.algorithm as string}'`,
    );
    const rng = new Rng(0);
    rng.gen = xoroshiro128plusFromState(state.state);
    return rng;
  }

  /** The generator state as plain JSON. */
  getState(): RngState {
    return { algorithm: 'xoroshiro128plus', state: [...this.gen.getState()] };
  }

  /** A uniform float in [0, 1) with 53 random bits. */
  float(): number {
    return uniformFloat64(this.gen);
  }

  /** A uniform integer in [from, to] (both included). */
  int(from: number, to: number): number {
    return uniformInt(this.gen, from, to);
  }

  /** A standard normal sample (Box–Muller). */
  normal(): number {
    let u = this.float();
    while (u === 0) u = this.float();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.float());
  }

  /** Shuffles `items` in place (Fisher–Yates) and returns it. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.int(0, i);
      const t = items[i]!;
      items[i] = items[j]!;
      items[j] = t;
    }
    return items;
  }

  /** A random permutation of 0..n-1. */
  permutation(n: number): Int32Array {
    const p = Int32Array.from({ length: n }, (_, i) => i);
    for (let i = n - 1; i > 0; i--) {
      const j = this.int(0, i);
      const t = p[i]!;
      p[i] = p[j]!;
      p[j] = t;
    }
    return p;
  }

  /** An independent generator derived from this one (this one advances). */
  fork(): Rng {
    return new Rng(this.int(-0x80000000, 0x7fffffff));
  }
}

/**
 * The first `np.random.random()` after `np.random.seed(seed)` (numpy's legacy MT19937 seeding:
 * `init_genrand(seed)`, then a 53-bit double from two 32-bit draws). Snorkel 0.10's LabelModel scales its
 * initial μ by exactly this number, so 'snorkel' mode reproduces Snorkel's start from the seed alone.
 *
 * @example
 * ```ts
 * numpyFirstRandom(123); // 0.6964691855978616
 * numpyFirstRandom(0);   // 0.5488135039273248
 * ```
 */
export function numpyFirstRandom(seed: number): number {
  assert(
    Number.isInteger(seed) && seed >= 0 && seed <= 0xffffffff,
    'E_ARG',
    () =>
      `Argument 'seed' passed to 'numpyFirstRandom' must be an integer in 0..2^32-1 (numpy's range), got ${seed}`,
  );
  const N = 624;
  const mt = new Uint32Array(N);
  mt[0] = seed >>> 0;
  for (let i = 1; i < N; i++) {
    const prev = mt[i - 1]! ^ (mt[i - 1]! >>> 30);
    // 1812433253 · prev + i, mod 2^32 (split to stay exact in doubles)
    mt[i] =
      (((((prev & 0xffff0000) >>> 16) * 1812433253) << 16) + (prev & 0x0000ffff) * 1812433253 + i) >>> 0;
  }
  // one twist generates the first 624 outputs; two are needed
  const UPPER = 0x80000000;
  const LOWER = 0x7fffffff;
  const MATRIX_A = 0x9908b0df;
  for (let i = 0; i < N; i++) {
    const y = (mt[i]! & UPPER) | (mt[(i + 1) % N]! & LOWER);
    mt[i] = mt[(i + 397) % N]! ^ (y >>> 1) ^ (y & 1 ? MATRIX_A : 0);
  }
  const temper = (v: number): number => {
    let y = v;
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  };
  const a = temper(mt[0]) >>> 5;
  const b = temper(mt[1]!) >>> 6;
  return (a * 67108864 + b) / 9007199254740992;
}
