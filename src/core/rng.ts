import { xoroshiro128plus, xoroshiro128plusFromState } from 'pure-rand/generator/xoroshiro128plus';
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
    this.gen = xoroshiro128plus(seed | 0);
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

  /** A uniform float in [0, 1). */
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
