// Classification metrics against values computed by formula (numpy) and known scikit-learn behaviour.
import { describe, expect, it } from 'vitest';
import { isMmtlError } from '../../src/core/index.js';
import {
  accF1,
  accuracy,
  coverage,
  f1,
  fbeta,
  matthewsCorrcoef,
  precision,
  recall,
  rocAuc,
} from '../../src/metrics/index.js';

// Binary: tp 3, fp 2, fn 3, tn 2 → P = 0.6, R = 0.5, F1 = 6/11, accuracy 0.5.
const gb = Int32Array.of(1, 0, 1, 1, 0, 1, 0, 0, 1, 1);
const pb = Int32Array.of(1, 0, 0, 1, 1, 1, 0, 1, 0, 0);
// Multiclass: per class (tp, fp, fn) = 0: (3, 2, 2), 1: (1, 1, 1), 2: (2, 1, 1); accuracy 0.6.
const gm = [0, 0, 0, 0, 0, 1, 1, 2, 2, 2];
const pm = [0, 0, 0, 1, 2, 1, 0, 2, 2, 0];

function codeOf(f: () => unknown): string | undefined {
  try {
    f();
  } catch (e) {
    return isMmtlError(e) ? e.code : 'not an MmtlError';
  }
  return undefined;
}

describe('accuracy and coverage', () => {
  it('counts matches; abstaining predictions are wrong', () => {
    expect(accuracy(gb, pb)).toBe(0.5);
    expect(accuracy([0, 1, 1, 2], [0, 1, -1, 2])).toBe(0.75);
    expect(coverage([0, 1, 1, 0], [0, -1, 1, -1])).toBe(0.5);
  });
  it('rejects empty and mismatched input with coded errors', () => {
    expect(codeOf(() => accuracy([], []))).toBe('E_ARG');
    expect(() => accuracy([], [])).toThrow(/'golds' passed to 'accuracy' must not be empty/);
    expect(codeOf(() => accuracy([1, 0], [1]))).toBe('E_SHAPE');
    expect(codeOf(() => f1([], []))).toBe('E_ARG');
    expect(codeOf(() => matthewsCorrcoef([], []))).toBe('E_ARG');
  });
});

describe('precision / recall / F', () => {
  it('binary, positive class 1 by default', () => {
    expect(precision(gb, pb)).toBeCloseTo(0.6, 12);
    expect(recall(gb, pb)).toBeCloseTo(0.5, 12);
    expect(f1(gb, pb)).toBeCloseTo(6 / 11, 12); // 0.5454545454545454
    // posLabel 0: tp 2, fp 3, fn 2 → P 0.4, R 0.5
    expect(precision(gb, pb, { posLabel: 0 })).toBeCloseTo(0.4, 12);
    expect(recall(gb, pb, { posLabel: 0 })).toBeCloseTo(0.5, 12);
  });
  it('F-beta weighs recall by beta', () => {
    expect(fbeta(gb, pb, { beta: 2 })).toBeCloseTo(0.5172413793103449, 12);
    expect(fbeta(gb, pb, { beta: 0.5 })).toBeCloseTo(0.5769230769230769, 12);
    expect(fbeta(gb, pb)).toBeCloseTo(f1(gb, pb), 12);
    expect(codeOf(() => fbeta(gb, pb, { beta: 0 }))).toBe('E_ARG');
  });
  it('macro and micro averages (sklearn f1_score average=macro / micro)', () => {
    // macro P = mean(3/5, 1/2, 2/3) = 0.5888…; R = mean(3/5, 1/2, 2/3); micro = accuracy = 0.6
    expect(precision(gm, pm, { average: 'macro' })).toBeCloseTo(0.5888888888888889, 12);
    expect(recall(gm, pm, { average: 'macro' })).toBeCloseTo(0.5888888888888889, 12);
    expect(f1(gm, pm, { average: 'macro' })).toBeCloseTo(0.5888888888888889, 12);
    expect(f1(gm, pm, { average: 'micro' })).toBeCloseTo(0.6, 12);
    expect(f1([0, 1, 2, 2], [0, 2, 2, 2], { average: 'macro' })).toBeCloseTo(0.6, 12);
    expect(precision([0, 1, 2, 2], [0, 2, 2, 2], { average: 'macro' })).toBeCloseTo(5 / 9, 12);
  });
  it('abstaining predictions are misses, not a class', () => {
    const pa = [0, 0, -1, 1, 2, 1, 0, 2, -1, 0];
    // per class (tp, fp, fn): 0 (2, 2, 3), 1 (1, 1, 1), 2 (1, 1, 2)
    expect(precision(gm, pa, { average: 'macro' })).toBeCloseTo(0.5, 12);
    expect(recall(gm, pa, { average: 'macro' })).toBeCloseTo(0.41111111111111115, 12);
    expect(f1(gm, pa, { average: 'macro' })).toBeCloseTo(0.4481481481481482, 12);
    expect(precision(gm, pa, { average: 'micro' })).toBeCloseTo(0.5, 12);
    expect(recall(gm, pa, { average: 'micro' })).toBeCloseTo(0.4, 12);
    expect(f1(gm, pa, { average: 'micro' })).toBeCloseTo(0.4444444444444445, 12);
  });
  it('zero division gives 0 (sklearn zero_division=0)', () => {
    expect(precision([1, 0], [0, 0])).toBe(0);
    expect(recall([0, 0], [1, 0])).toBe(0);
    expect(f1([0, 0], [0, 0])).toBe(0);
  });
  it('rejects an unknown average', () => {
    // @ts-expect-error: testing a bad value from untyped callers
    expect(codeOf(() => f1(gb, pb, { average: 'weighted' }))).toBe('E_ARG');
  });
  it('acc_f1 is the mean of accuracy and F1', () => {
    expect(accF1(gb, pb)).toBeCloseTo(0.5227272727272727, 12);
  });
});

describe('matthewsCorrcoef', () => {
  it('binary matches (tp·tn − fp·fn) / √(…)', () => {
    // tp 4, fp 2, fn 2, tn 2 → (8 − 4) / √(6·6·4·4) = 1/6
    const g = [1, 0, 1, 1, 0, 1, 0, 0, 1, 1];
    const p = [1, 0, 0, 1, 1, 1, 0, 1, 1, 0];
    expect(matthewsCorrcoef(g, p)).toBeCloseTo(1 / 6, 12);
    expect(matthewsCorrcoef(gb, pb)).toBeCloseTo(0, 12); // tp·tn = fp·fn = 6
    expect(matthewsCorrcoef([0, 1, 0, 1], [0, 1, 0, 1])).toBe(1);
    expect(matthewsCorrcoef([0, 1, 0, 1], [1, 0, 1, 0])).toBe(-1);
  });
  it('multiclass (Gorodkin)', () => {
    expect(matthewsCorrcoef(gm, pm)).toBeCloseTo(0.3548387096774194, 12);
  });
  it('is 0 with one class in golds or preds', () => {
    expect(matthewsCorrcoef([1, 1, 1, 1], [1, 0, 1, 1])).toBe(0);
    expect(matthewsCorrcoef([1, 0, 1, 0], [1, 1, 1, 1])).toBe(0);
  });
});

describe('rocAuc', () => {
  it('matches the Mann–Whitney U statistic, ties counting one half', () => {
    const y = [0, 0, 1, 1, 0, 1, 1, 0, 1, 0];
    const s = [0.1, 0.4, 0.35, 0.8, 0.4, 0.4, 0.9, 0.2, 0.1, 0.65];
    // scipy.stats.mannwhitneyu(pos, neg).statistic / (5·5) = 15.5 / 25
    expect(rocAuc(y, s)).toBeCloseTo(0.62, 12);
    expect(rocAuc([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])).toBeCloseTo(0.75, 12);
    expect(rocAuc([0, 1, 0, 1], [0.5, 0.5, 0.5, 0.5])).toBe(0.5);
  });
  it('reads column posLabel of an n×k probability matrix', () => {
    expect(rocAuc([0, 1], Float32Array.of(0.9, 0.1, 0.2, 0.8))).toBe(1);
    expect(rocAuc([0, 1], Float32Array.of(0.9, 0.1, 0.2, 0.8), { posLabel: 0 })).toBe(1);
    expect(codeOf(() => rocAuc([0, 1, 1], [0.1, 0.2]))).toBe('E_SHAPE');
  });
  it('is NaN with one gold class', () => {
    expect(rocAuc([1, 1], [0.3, 0.6])).toBeNaN();
  });
});
