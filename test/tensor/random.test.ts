// Seeded randomness (manualSeed, engine RNG state save/restore) and the thread setting.
import { describe, expect, it } from 'vitest';
import {
  bernoulli,
  cudaAvailable,
  dropout,
  engineVersion,
  full,
  getEngineRngState,
  getNumThreads,
  manualSeed,
  ones,
  rand,
  randint,
  randn,
  randperm,
  setEngineRngState,
  setNumThreads,
  tidy,
  zeros,
} from '../../src/tensor/index.js';

/** One draw from every random source. */
function draws(): number[][] {
  return tidy(() => [
    rand([5]).toArray(),
    randn([5], { dtype: 'float64' }).toArray(),
    randint(0, 1000, [5]).toArray(),
    randperm(8).toArray(),
    bernoulli(full([8], 0.5)).toArray(),
    dropout(ones([8]), 0.5, true).toArray(),
    zeros([4]).uniform_(-1, 1).toArray(),
    zeros([4]).normal_(0, 1).toArray(),
  ]);
}

describe('seeding', () => {
  it('manualSeed makes every random source reproducible', () => {
    manualSeed(123);
    const a = draws();
    manualSeed(123);
    const b = draws();
    expect(b).toEqual(a);
    manualSeed(124);
    expect(draws()).not.toEqual(a);
  });

  it('matches PyTorch for the same seed (torch.manual_seed(0); torch.rand(3))', () => {
    tidy(() => {
      manualSeed(0);
      // torch 1.13: torch.manual_seed(0); torch.rand(3) → [0.4962566, 0.7682218, 0.08847743]
      const r = rand([3]).toArray();
      expect(r[0]).toBeCloseTo(0.4962566, 6);
      expect(r[1]).toBeCloseTo(0.7682218, 6);
      expect(r[2]).toBeCloseTo(0.08847743, 6);
    });
  });

  it('the engine RNG state saved and restored reproduces the following draws', () => {
    manualSeed(7);
    draws();
    const state = getEngineRngState();
    expect(state).toBeInstanceOf(Uint8Array);
    expect(state.byteLength).toBeGreaterThan(100);
    const next = draws();
    const later = draws();
    setEngineRngState(state);
    expect(draws()).toEqual(next);
    expect(draws()).toEqual(later);
  });

  it('a corrupt RNG state is an error, not a crash', () => {
    expect(() => setEngineRngState(new Uint8Array(3))).toThrow();
  });

  it('randint, randperm and bernoulli respect their ranges', () => {
    tidy(() => {
      manualSeed(1);
      const r = randint(-3, 3, [200]).toArray();
      expect(Math.min(...r)).toBe(-3);
      expect(Math.max(...r)).toBe(2);
      expect(randperm(10).sort().values.toArray()).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
      expect(bernoulli(full([5], 1)).toArray()).toEqual([1, 1, 1, 1, 1]);
      expect(bernoulli(full([5], 0)).toArray()).toEqual([0, 0, 0, 0, 0]);
      const d = dropout(ones([1000]), 0.25, true).toArray();
      expect(new Set(d)).toEqual(new Set([0, Math.fround(1 / 0.75)]));
    });
  });
});

describe('threads and build facts', () => {
  it('setNumThreads sets libtorch intra-op threads; invalid counts are E_ARG', () => {
    const before = getNumThreads();
    try {
      setNumThreads(1);
      expect(getNumThreads()).toBe(1);
      setNumThreads(2);
      expect(getNumThreads()).toBe(2);
      // results do not depend on the thread count
      const sum = (): number =>
        tidy(() => {
          manualSeed(3);
          return randn([64, 64], { dtype: 'float64' })
            .matmul(randn([64, 64], { dtype: 'float64' }))
            .sum()
            .item();
        });
      const two = sum();
      setNumThreads(1);
      expect(sum()).toBeCloseTo(two, 9);
      for (const bad of [0, -1, 1.5, Number.NaN]) {
        expect(() => setNumThreads(bad)).toThrow(expect.objectContaining({ code: 'E_ARG' }));
      }
    } finally {
      setNumThreads(before);
    }
  });

  it('reports the libtorch version and CUDA availability', () => {
    expect(engineVersion()).toMatch(/^\d+\.\d+\.\d+$/);
    expect(typeof cudaAvailable()).toBe('boolean');
  });
});
