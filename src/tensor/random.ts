import { native } from './native.js';

/**
 * Seeds libtorch's global generator (rand, randn, dropout, init): same seed, same numbers.
 *
 * @example
 * ```ts
 * manualSeed(0); const a = randn([2]).toArray();
 * manualSeed(0); randn([2]).toArray(); // equals a
 * ```
 */
export function manualSeed(seed: number): void {
  native().manualSeed(seed);
}

/** The generator's state as bytes (for checkpoints). @example `const s = getEngineRngState(); setEngineRngState(s);` */
export function getEngineRngState(): Uint8Array {
  return new Uint8Array(native().getRngState());
}

/** Restores a state from {@link getEngineRngState}. */
export function setEngineRngState(state: Uint8Array): void {
  native().setRngState(state);
}
