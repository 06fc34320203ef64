import { describe, expect, it } from 'vitest';
import { syntheticLabelData } from '../../src/labelmodel/index.js';

describe('syntheticLabelData', () => {
  it('is seeded and follows its parameters', () => {
    const a = syntheticLabelData({ n: 20000, m: 4, k: 3, classBalance: [0.6, 0.3, 0.1], seed: 9 });
    const b = syntheticLabelData({ n: 20000, m: 4, k: 3, classBalance: [0.6, 0.3, 0.1], seed: 9 });
    expect([...a.L.data]).toEqual([...b.L.data]);
    const share0 = a.Y.filter((y) => y === 0).length / 20000;
    expect(share0).toBeCloseTo(0.6, 1);
    for (let j = 0; j < 4; j++) {
      let votes = 0;
      let right = 0;
      for (let i = 0; i < 20000; i++) {
        const v = a.L.data[i * 4 + j]!;
        if (v < 0) continue;
        votes++;
        if (v === a.Y[i]) right++;
      }
      expect(votes / 20000).toBeCloseTo(a.params.coverage[j]!, 1);
      expect(right / votes).toBeCloseTo(a.params.accuracy[j]!, 1);
    }
  });
  it('makes correlated pairs agree more often', () => {
    const { L } = syntheticLabelData({
      n: 5000,
      m: 4,
      k: 2,
      correlated: [{ i: 0, j: 1, rho: 0.9 }],
      seed: 1,
    });
    let same = 0;
    for (let r = 0; r < 5000; r++) if (L.data[r * 4] === L.data[r * 4 + 1]) same++;
    expect(same / 5000).toBeGreaterThan(0.9);
  });
});
