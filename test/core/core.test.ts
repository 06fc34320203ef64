import { describe, expect, it } from 'vitest';
import {
  MmtlError,
  Registry,
  Rng,
  assert,
  fromMetalLabels,
  isMmtlError,
  toMetalLabels,
} from '../../src/core/index.js';

describe('MmtlError', () => {
  it('carries a code and a hint', () => {
    const e = new MmtlError('E_ARG', 'bad k', { hint: 'use k ≥ 2' });
    expect(e.code).toBe('E_ARG');
    expect(e.message).toBe('bad k (use k ≥ 2)');
    expect(isMmtlError(e, 'E_ARG')).toBe(true);
    expect(isMmtlError(e, 'E_IO')).toBe(false);
  });
  it('assert throws lazily', () => {
    expect(() => {
      assert(false, 'E_SHAPE', () => 'nope');
    }).toThrow(/nope/);
    expect(() => {
      assert(true, 'E_SHAPE', () => {
        throw new Error('message built for a passing assert');
      });
    }).not.toThrow();
  });
});

describe('Registry', () => {
  it('lists valid names on a miss', () => {
    const r = new Registry<number>('scheduler').register('constant', 1).register('linear', 2);
    expect(r.get('linear')).toBe(2);
    expect(() => r.get('x')).toThrow("unknown scheduler 'x'; expected one of constant, linear");
    expect(() => r.register('linear', 3)).toThrow(/already registered/);
  });
});

describe('Rng', () => {
  it('is reproducible and restorable', () => {
    const a = new Rng(7);
    const b = new Rng(7);
    expect([a.float(), a.int(0, 100), a.normal()]).toEqual([b.float(), b.int(0, 100), b.normal()]);
    const saved = a.getState();
    const next = [a.float(), a.float()];
    const c = Rng.fromState(JSON.parse(JSON.stringify(saved)) as typeof saved);
    expect([c.float(), c.float()]).toEqual(next);
  });
  it('permutes', () => {
    const p = [...new Rng(1).permutation(10)].sort((x, y) => x - y);
    expect(p).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });
});

describe('label conversions', () => {
  it('round-trips MeTaL labels', () => {
    expect([...fromMetalLabels([1, 2, 0])]).toEqual([0, 1, -1]);
    expect([...toMetalLabels([0, 1, -1])]).toEqual([1, 2, 0]);
  });
});

describe('pathExists', () => {
  it('tells whether a path exists', async () => {
    const { pathExists } = await import('../../src/core/index.js');
    expect(await pathExists('package.json')).toBe(true);
    expect(await pathExists('no/such/file')).toBe(false);
  });
});
