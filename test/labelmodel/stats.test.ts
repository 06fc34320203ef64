import { describe, expect, it } from 'vitest';
import { LabelModel, LabelStats, syntheticLabelData } from '../../src/labelmodel/index.js';
import { maxAbsDiff } from './helpers.js';

describe('LabelStats', () => {
  const { L } = syntheticLabelData({ n: 3000, m: 6, k: 3, classBalance: [0.5, 0.3, 0.2], seed: 4 });
  const shards = [0, 1000, 2200, 3000].slice(0, -1).map((start, s, arr) => {
    const end = s + 1 < arr.length ? arr[s + 1]! : 3000;
    return { n: end - start, m: 6, data: L.data.subarray(start * 6, end * 6) };
  });

  it('counts the one-hot overlaps in one pass', () => {
    const stats = LabelStats.fromMatrix(L, 3);
    expect(stats.n).toBe(3000);
    // diagonal block of LF 0 = its vote counts per class; off-diagonal within the block = 0
    let votes0 = 0;
    for (let i = 0; i < 3000; i++) if (L.data[i * 6]! >= 0) votes0++;
    expect(stats.lfVotes[0]).toBe(votes0);
    expect(stats.counts[0 * 18 + 0]! + stats.counts[1 * 18 + 1]! + stats.counts[2 * 18 + 2]!).toBe(votes0);
    expect(stats.counts[0 * 18 + 1]).toBe(0);
  });

  it('merges shards into the statistics of the whole matrix', () => {
    const merged = shards.map((s) => LabelStats.fromMatrix(s, 3)).reduce((a, b) => a.merge(b));
    const whole = LabelStats.fromMatrix(L, 3);
    expect([...merged.counts]).toEqual([...whole.counts]);
    expect([...merged.lfVotes]).toEqual([...whole.lfVotes]);
    expect(merged.patterns!.size).toBe(whole.patterns!.size);
    const roundTrip = LabelStats.fromJSON(
      JSON.parse(JSON.stringify(merged.toJSON())) as ReturnType<LabelStats['toJSON']>,
    );
    expect([...roundTrip.counts]).toEqual([...whole.counts]);
  });

  for (const mode of ['snorkel', 'mmtl'] as const) {
    it(`fitFromStats on merged shards gives the same μ as fit on the matrix (${mode})`, () => {
      const stats = new LabelStats(6, 3);
      for (const s of shards) stats.add(s);
      const a = new LabelModel(3);
      const ra = a.fitFromStats(stats, { mode, seed: 7 });
      const b = new LabelModel(3);
      const rb = b.fit(L, { mode, seed: 7 });
      expect(maxAbsDiff(a.getMu(), b.getMu())).toBeLessThan(1e-9);
      expect(maxAbsDiff(ra.classBalance, rb.classBalance)).toBeLessThan(1e-9);
    });
  }

  it('drops the pattern histogram past maxPatterns and then keeps the balance uniform with a warning', () => {
    const stats = LabelStats.fromMatrix(L, 3, { maxPatterns: 10 });
    expect(stats.patterns).toBeNull();
    const res = new LabelModel(3).fitFromStats(stats);
    expect(res.classBalance).toEqual([1 / 3, 1 / 3, 1 / 3]);
    expect(res.warnings.join('\n')).toMatch(/no pattern histogram/);
  });
});
