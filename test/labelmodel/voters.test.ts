import { describe, expect, it } from 'vitest';
import {
  MajorityClassVoter,
  MajorityLabelVoter,
  RandomVoter,
  labelMatrixFromRows,
  probsToPreds,
  scorePredictions,
} from '../../src/labelmodel/index.js';
import { isMmtlError } from '../../src/core/index.js';

const L = labelMatrixFromRows([
  [0, 0, 1],
  [1, -1, 0],
  [-1, -1, -1],
  [1, 1, -1],
]);

describe('MajorityLabelVoter', () => {
  it('spreads probability over the top-voted classes', () => {
    const mv = new MajorityLabelVoter(2);
    expect([...mv.predictProba(L)]).toEqual([1, 0, 0.5, 0.5, 0.5, 0.5, 0, 1]);
    expect([...mv.predict(L)]).toEqual([0, -1, -1, 1]);
  });
  it("breaks ties deterministically with 'random' and reproducibly with 'true-random'", () => {
    const mv = new MajorityLabelVoter(2);
    const a = mv.predict(L, { tieBreakPolicy: 'random' });
    expect([...a]).toEqual([...mv.predict(L, { tieBreakPolicy: 'random' })]);
    expect(a[1]).toBeGreaterThanOrEqual(0);
    const b = mv.predict(L, { tieBreakPolicy: 'true-random', seed: 5 });
    expect([...b]).toEqual([...mv.predict(L, { tieBreakPolicy: 'true-random', seed: 5 })]);
    expect(b[0]).toBe(0);
    expect(b[3]).toBe(1);
  });
  it("'random' ties depend on the row, not on the call order", () => {
    const many = labelMatrixFromRows(Array.from({ length: 200 }, (_, i) => [i % 2, 1 - (i % 2)]));
    const preds = new MajorityLabelVoter(2).predict(many, { tieBreakPolicy: 'random' });
    const zeros = preds.filter((p) => p === 0).length;
    expect(zeros).toBeGreaterThan(60);
    expect(zeros).toBeLessThan(140);
  });
  it('scores against gold', () => {
    const s = new MajorityLabelVoter(2).score(L, [0, 1, 0, 1], ['accuracy', 'coverage', 'f1', 'macro_f1']);
    expect(s.accuracy).toBe(0.5);
    expect(s.coverage).toBe(0.5);
    expect(s.f1).toBeCloseTo(2 / 3, 12);
  });
  it('rejects votes outside -1..k-1 naming the argument and function', () => {
    const bad = labelMatrixFromRows([[0, 2]]);
    expect(() => new MajorityLabelVoter(2).predictProba(bad)).toThrow(
      /Argument 'L' passed to 'MajorityLabelVoter.predictProba' has value 2 at row 0, column 1/,
    );
    try {
      new MajorityLabelVoter(2).predictProba({ n: 2, m: 2, data: new Int8Array(3) });
    } catch (e) {
      expect(isMmtlError(e, 'E_ARG')).toBe(true);
    }
    expect(() => new MajorityLabelVoter(2).predictProba({ n: 0, m: 2, data: new Int8Array(0) })).toThrow(
      /empty/,
    );
  });
});

describe('MajorityClassVoter and RandomVoter', () => {
  it('predicts the majority class', () => {
    const v = new MajorityClassVoter(3).fit({ classBalance: [0.2, 0.5, 0.3] });
    expect([...v.predict(labelMatrixFromRows([[0], [2]]))]).toEqual([1, 1]);
    const fromY = new MajorityClassVoter(2).fit({ Y: [1, 1, 0] });
    expect([...fromY.predict(labelMatrixFromRows([[0]]))]).toEqual([1]);
    expect(() => new MajorityClassVoter(2).fit({ classBalance: [0.5, Number.NaN] })).toThrow(/classBalance/);
    expect(() => new MajorityClassVoter(2).fit({ classBalance: [0.7, 0.4] })).toThrow(/sums to/);
  });
  it('draws seeded random rows that sum to 1', () => {
    const a = new RandomVoter(3, 1).predictProba(L);
    expect([...a]).toEqual([...new RandomVoter(3, 1).predictProba(L)]);
    for (let i = 0; i < 4; i++) expect(a[3 * i]! + a[3 * i + 1]! + a[3 * i + 2]!).toBeCloseTo(1, 12);
  });
});

describe('probsToPreds and scorePredictions', () => {
  it('handles ties and multiclass macro F1', () => {
    expect([...probsToPreds(Float64Array.from([0.2, 0.4, 0.4, 0.1, 0.8, 0.1]), 3)]).toEqual([-1, 1]);
    const s = scorePredictions([0, 1, 2, 2], [0, 1, 1, 2], 3, ['accuracy', 'macro_f1']);
    expect(s.accuracy).toBe(0.75);
    expect(s.macro_f1).toBeCloseTo((1 + 2 / 3 + 2 / 3) / 3, 12);
    expect(() => scorePredictions([0], [0], 3, ['f1'])).toThrow(/k = 2/);
  });
});
