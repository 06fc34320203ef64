// The whole-matrix passes (overlap counts, posteriors) split over worker threads must give exactly what one
// thread gives, bad votes included.
import { afterEach, describe, expect, it } from 'vitest';
import { LabelModel, LabelStats, syntheticLabelData } from '../../../src/labelmodel/index.js';
import { isMmtlError } from '../../../src/core/index.js';

afterEach(() => {
  delete process.env.MMTL_LM_THREADS;
});

describe('label-model passes on worker threads', () => {
  const { L } = syntheticLabelData({ n: 90_000, m: 100, k: 3, coverageRange: [0.02, 0.2], seed: 5 });

  it('count and predict as on one thread', () => {
    process.env.MMTL_LM_THREADS = '1';
    const one = LabelStats.fromMatrix(L, 3, { maxPatterns: 0 });
    const lm = new LabelModel(3);
    lm.fit(L, { seed: 1 });
    const probsOne = lm.predictProba(L);
    process.env.MMTL_LM_THREADS = '3';
    const three = LabelStats.fromMatrix(L, 3, { maxPatterns: 0 });
    expect(three.counts).toEqual(one.counts);
    expect(three.lfVotes).toEqual(one.lfVotes);
    expect(lm.predictProba(L)).toEqual(probsOne);
  });

  it('reports a bad vote in a helper thread’s share with its row and column', () => {
    process.env.MMTL_LM_THREADS = '2';
    const data = Int8Array.from(L.data);
    data[80_000 * 100 + 7] = 5;
    let err: unknown;
    try {
      new LabelModel(3).fit({ n: L.n, m: 100, data });
    } catch (e) {
      err = e;
    }
    expect(isMmtlError(err, 'E_DATA')).toBe(true);
    expect((err as Error).message).toMatch(/'LabelModel\.fit' has value 5 at row 80000, column 7/);
  });
});
