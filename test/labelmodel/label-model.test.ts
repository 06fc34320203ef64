import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  LabelModel,
  syntheticKeywordLabelData,
  MajorityLabelVoter,
  labelMatrixFromRows,
  syntheticLabelData,
} from '../../src/labelmodel/index.js';
import { isMmtlError } from '../../src/core/index.js';
import { maxAbsDiff } from './helpers.js';

const tmp = mkdtempSync(join(tmpdir(), 'mmtl-lm-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function accuracy(
  lm: LabelModel | MajorityLabelVoter,
  L: Parameters<LabelModel['score']>[0],
  Y: Int8Array,
): number {
  return lm.score(L, Y, ['accuracy'], { tieBreakPolicy: 'random' }).accuracy!;
}

describe('LabelModel (mmtl mode)', () => {
  it('learns a 70/30 class balance and gets close to the accuracy of knowing it', () => {
    const { L, Y } = syntheticLabelData({
      n: 5000,
      m: 8,
      k: 2,
      classBalance: [0.7, 0.3],
      accuracyRange: [0.55, 0.85],
      coverageRange: [0.1, 0.5],
      seed: 2,
    });
    const uniform = new LabelModel(2);
    uniform.fit(L, { seed: 2, balance: 'uniform' });
    const known = new LabelModel(2);
    known.fit(L, { seed: 2, classBalance: [0.7, 0.3] });
    const ours = new LabelModel(2);
    const res = ours.fit(L, { seed: 2 });
    expect(res.warnings).toEqual([]);
    expect(res.classBalance[0]).toBeCloseTo(0.7, 1);
    const [aU, aK, aO] = [accuracy(uniform, L, Y), accuracy(known, L, Y), accuracy(ours, L, Y)];
    expect(aO).toBeGreaterThan(aU); // 0.759 vs 0.750 (with l2 = 0: 0.795 vs 0.756)
    expect(aO).toBeGreaterThan(aK - 0.01);
  });

  it('keeps the uniform prior, and says why, where few rows carry 3 or more votes', () => {
    const { L } = syntheticKeywordLabelData({ n: 3000, m: 40, k: 5, seed: 1 });
    const res = new LabelModel(5).fit(L, { seed: 1 });
    expect(res.classBalance).toEqual([0.2, 0.2, 0.2, 0.2, 0.2]);
    expect(res.warnings.join('\n')).toMatch(
      /class balance not learned: only .*% of the rows with votes have 3 or more .*kept the uniform prior/,
    );
  });

  it('is reproducible from the seed and round-trips through save/load', async () => {
    const { L } = syntheticLabelData({ n: 1500, m: 5, k: 3, seed: 3 });
    const a = new LabelModel(3);
    a.fit(L, { seed: 11 });
    const b = new LabelModel(3);
    b.fit(L, { seed: 11 });
    expect([...a.getMu()]).toEqual([...b.getMu()]);
    const path = join(tmp, 'sub', 'lm.json');
    await a.save(path);
    const c = await LabelModel.load(path);
    expect(maxAbsDiff(c.predictProba(L), a.predictProba(L))).toBe(0);
    expect(c.getClassBalance()).toEqual(a.getClassBalance());
    expect(LabelModel.fromJSON(a.toJSON()).getWeights()).toEqual(a.getWeights());
    await expect(LabelModel.load(join(tmp, 'missing.json'))).rejects.toThrow(/could not read/);
  });

  it('exposes weights, conditional probabilities and the class balance', () => {
    const { L, params } = syntheticLabelData({ n: 20000, m: 6, k: 2, accuracyRange: [0.7, 0.9], seed: 5 });
    const lm = new LabelModel(2);
    lm.fit(L, { seed: 0 });
    const w = lm.getWeights();
    for (let j = 0; j < 6; j++) expect(Math.abs(w[j]! - params.accuracy[j]!)).toBeLessThan(0.05);
    const cp = lm.getConditionalProbs();
    expect(cp).toHaveLength(6);
    for (let y = 0; y < 2; y++) expect(cp[0]![0]![y]! + cp[0]![1]![y]! + cp[0]![2]![y]!).toBeCloseTo(1, 12);
    expect(lm.getClassBalance().reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
  });

  it('takes the class balance from yDev when given', () => {
    const { L } = syntheticLabelData({ n: 1000, m: 4, k: 3, seed: 12 });
    const lm = new LabelModel(3);
    const res = lm.fit(L, { yDev: [0, 0, 1, 2, -1, 0, 1, 0] });
    expect(res.classBalance.map((v) => v * 7)).toEqual([4, 2, 1].map((v) => expect.closeTo(v, 12) as number));
    expect(() => lm.fit(L, { yDev: [0, 1, 1] })).toThrow(/lacks some of the classes/);
  });

  it('warns about an LF estimated worse than random', () => {
    const { L, Y } = syntheticLabelData({ n: 5000, m: 6, k: 2, accuracyRange: [0.75, 0.9], seed: 6 });
    for (let i = 0; i < L.n; i++)
      if (L.data[i * 6 + 5]! >= 0) L.data[i * 6 + 5] = Math.random() < 0.8 ? 1 - Y[i]! : Y[i]!;
    const seen: string[] = [];
    const res = new LabelModel(2).fit(L, { seed: 1, onWarning: (m) => seen.push(m) });
    expect(res.warnings.some((w) => /LF 5 is estimated worse than random/.test(w))).toBe(true);
    expect(seen).toEqual(res.warnings);
  });

  it('falls back to majority vote with fewer than 3 LFs', () => {
    const L = labelMatrixFromRows([
      [0, 0],
      [1, -1],
      [1, 1],
    ]);
    const lm = new LabelModel(2);
    const res = lm.fit(L);
    expect(res.warnings[0]).toMatch(/at least 3/);
    expect([...lm.predict(L)]).toEqual([0, 1, 1]);
  });

  it('never returns a uniform row for a row with votes', () => {
    const { L } = syntheticLabelData({ n: 2000, m: 4, k: 2, seed: 8 });
    const lm = new LabelModel(2);
    lm.fit(L, { seed: 0 });
    const json = lm.toJSON();
    json.mu = json.mu.map(() => 0.3); // degenerate μ: every vote is uninformative
    json.classBalance = [0.5, 0.5];
    const broken = LabelModel.fromJSON(json);
    const warnings: string[] = [];
    const probs = broken.predictProba(L, { onWarning: (w) => warnings.push(w) });
    const mv = new MajorityLabelVoter(2).predictProba(L);
    for (let i = 0; i < L.n; i++) {
      const hasVotes = L.data.subarray(i * 4, i * 4 + 4).some((v) => v >= 0);
      if (hasVotes && mv[2 * i] !== 0.5) expect(probs[2 * i]).not.toBe(0.5);
    }
    expect(warnings[0]).toMatch(/collapsed/);
  });
});

describe('LabelModel validation', () => {
  const L = labelMatrixFromRows([
    [0, 1, -1],
    [1, 1, 0],
  ]);
  const cases: [string, () => unknown, string, RegExp][] = [
    ['k < 2', () => new LabelModel(1), 'E_ARG', /'k' passed to 'LabelModel'/],
    [
      'vote ≥ k',
      () => new LabelModel(2).fit(labelMatrixFromRows([[0, 2, 1]])),
      'E_DATA',
      /value 2 at row 0, column 1/,
    ],
    ['vote < -1', () => new LabelModel(2).fit(labelMatrixFromRows([[0, -2, 1]])), 'E_DATA', /value -2/],
    [
      'shape',
      () => new LabelModel(2).fit({ n: 3, m: 3, data: new Int8Array(6) }),
      'E_ARG',
      /shape 3×3 needs 9/,
    ],
    ['empty', () => new LabelModel(2).fit({ n: 0, m: 3, data: new Int8Array(0) }), 'E_DATA', /empty/],
    [
      'NaN balance',
      () => new LabelModel(2).fit(L, { classBalance: [Number.NaN, 1] }),
      'E_ARG',
      /classBalance/,
    ],
    [
      'negative balance',
      () => new LabelModel(2).fit(L, { classBalance: [-0.5, 1.5] }),
      'E_ARG',
      /classBalance/,
    ],
    [
      'unnormalized balance',
      () => new LabelModel(2).fit(L, { classBalance: [0.6, 0.6] }),
      'E_ARG',
      /sums to 1.2/,
    ],
    ['unknown option', () => new LabelModel(2).fit(L, { epochs: 3 } as never), 'E_ARG', /LabelModel.fit/],
    ['predict before fit', () => new LabelModel(2).predictProba(L), 'E_STATE', /before 'fit'/],
    [
      'cyclic deps',
      () =>
        new LabelModel(2).fit(L, {
          deps: [
            [0, 1],
            [1, 2],
            [2, 0],
          ],
        }),
      'E_ARG',
      /cycle/,
    ],
  ];
  for (const [name, fn, code, msg] of cases) {
    it(`rejects ${name}`, () => {
      let err: unknown;
      try {
        fn();
      } catch (e) {
        err = e;
      }
      expect(isMmtlError(err, code as never)).toBe(true);
      expect((err as Error).message).toMatch(msg);
    });
  }
  it('rejects a matrix with a different number of LFs at predict time', () => {
    const { L: big } = syntheticLabelData({ n: 500, m: 4, k: 2, seed: 1 });
    const lm = new LabelModel(2);
    lm.fit(big);
    expect(() => lm.predictProba(L)).toThrow(/fitted on 4/);
  });
});
