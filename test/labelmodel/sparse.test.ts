import { describe, expect, it } from 'vitest';
import {
  LabelStats,
  blockMaskedLoss,
  blockMaskedProblem,
  blockMaskedScratch,
  buildMask,
  maskPartition,
  matrixCompletionLoss,
  singleTaskLayout,
  syntheticLabelData,
  weightedRowsOf,
} from '../../src/labelmodel/index.js';
import { Rng } from '../../src/core/index.js';

describe('block-masked sparse objective', () => {
  for (const deps of [[], [[0, 1]]] as [number, number][][]) {
    it(`equals the dense objective, loss and gradient (deps ${JSON.stringify(deps)})`, () => {
      const { L } = syntheticLabelData({ n: 800, m: 5, k: 3, coverageRange: [0.1, 0.6], seed: 4 });
      const K = 3;
      const layout = singleTaskLayout(5, K, deps, 'component');
      const stats = LabelStats.fromMatrix(L, K);
      const rows = weightedRowsOf(L, K);
      // O over the layout's columns
      const d = layout.d;
      const O = new Float64Array(d * d);
      const cols = new Int32Array(layout.maxActive);
      const w = new Float64Array(layout.maxActive);
      rows.forEach((votes, weight) => {
        const c = layout.encode(votes, cols, w);
        for (let a = 0; a < c; a++) for (let b = 0; b < c; b++) O[cols[a]! * d + cols[b]!]! += weight;
      });
      for (let i = 0; i < O.length; i++) O[i]! /= stats.n;
      const rng = new Rng(1);
      const mu = Float64Array.from({ length: d * K }, () => rng.float());
      const mu0 = Float64Array.from({ length: d * K }, () => rng.float());
      const p = Float64Array.from([0.2, 0.5, 0.3]);
      const part = maskPartition(layout)!;
      const sparse = blockMaskedProblem(O, d, K, part, p, mu0, 0.3);
      const g1 = new Float64Array(d * K);
      const l1 = blockMaskedLoss(sparse, mu, g1, blockMaskedScratch(sparse));
      const g2 = new Float64Array(d * K);
      const l2 = matrixCompletionLoss(
        { d, K, T: O, mask: buildMask(layout), p, diagTerm: true, mu0, l2: 0.3 },
        mu,
        g2,
      );
      expect(l1).toBeCloseTo(l2, 10);
      for (let i = 0; i < g1.length; i++) expect(g1[i]).toBeCloseTo(g2[i]!, 10);
    });
  }

  it('has no partition for a clique mask with an LF in two pairs', () => {
    expect(
      maskPartition(
        singleTaskLayout(
          4,
          2,
          [
            [0, 1],
            [1, 2],
          ],
          'clique',
        ),
      ),
    ).toBeUndefined();
    expect(maskPartition(singleTaskLayout(3, 2))!.blockOf).toEqual(Int32Array.from([0, 0, 1, 1, 2, 2]));
  });
});

describe('weightedRowsOf', () => {
  it('merges equal rows and keeps their total weight', () => {
    const L = { n: 4, m: 3, data: Int8Array.from([0, -1, 1, 0, -1, 1, -1, -1, -1, 1, 1, 1]) };
    const rows = weightedRowsOf(L, 2);
    expect(rows.rows).toBe(3);
    expect([...rows.weight]).toEqual([2, 1, 1]);
    expect([...rows.cols.subarray(rows.ptr[0], rows.ptr[1])]).toEqual([0, 5]);
    const seen: number[][] = [];
    rows.forEach((votes) => seen.push(Array.from(votes)));
    expect(seen).toEqual([
      [0, -1, 1],
      [-1, -1, -1],
      [1, 1, 1],
    ]);
  });

  it('samples big matrices at a stride, weights scaled to n', () => {
    const { L } = syntheticLabelData({ n: 10_000, m: 6, k: 2, seed: 2 });
    const rows = weightedRowsOf(L, 2, { maxRows: 1000 });
    expect(rows.sampled).toBe(true);
    expect(rows.weight.reduce((a, b) => a + b, 0)).toBeCloseTo(10_000, 6);
  });
});
