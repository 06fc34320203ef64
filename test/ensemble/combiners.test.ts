import { describe, expect, it } from 'vitest';
import {
  COMBINERS,
  Ensemble,
  WEIGHT_FITTERS,
  softmaxWeights,
  type MemberOutputs,
} from '../../src/ensemble/index.js';

const cls = (rowIds: string[], probs: number[], k = 2): MemberOutputs => ({
  rowIds,
  probs: Float32Array.from(probs),
  k,
  type: 'classification',
});
const reg = (rowIds: string[], values: number[]): MemberOutputs => ({
  rowIds,
  probs: Float32Array.from(values),
  k: 1,
  type: 'regression',
});

const ids = ['r0', 'r1', 'r2'];
// three members, three rows, two classes
const a = cls(ids, [0.9, 0.1, 0.4, 0.6, 0.3, 0.7]);
const b = cls(ids, [0.6, 0.4, 0.7, 0.3, 0.2, 0.8]);
const c = cls(ids, [0.3, 0.7, 0.4, 0.6, 0.5, 0.5]);

describe('combiners', () => {
  it('mean averages probabilities, then takes the argmax', () => {
    const p = new Ensemble([a, b, c], { task: 't', combiner: 'mean' }).predict();
    expect(Array.from(p.probs)).toEqual(
      [0.6, 0.4, 0.5, 0.5, 1 / 3, 2 / 3].map((v) => expect.closeTo(v, 6) as unknown as number),
    );
    expect(Array.from(p.preds)).toEqual([0, 0, 1]); // row 1 is a tie → 'first'
    expect(p.rowIds).toEqual(ids);
  });

  it('mean ties follow the tie policy', () => {
    const p = new Ensemble([a, b, c], { task: 't', tiePolicy: 'abstain' }).predict();
    expect(Array.from(p.preds)).toEqual([0, -1, 1]);
  });

  it('weighted uses the given weights (normalized) and fails without them', () => {
    const e = new Ensemble([a, b, c], { task: 't', combiner: 'weighted', weights: [2, 0, 0] });
    expect(Array.from(e.weights!)).toEqual([1, 0, 0]);
    expect(Array.from(e.predict().probs)).toEqual(Array.from(a.probs));
    expect(() => new Ensemble([a, b], { task: 't', combiner: 'weighted' }).predict()).toThrow(/no weights/);
    expect(() => new Ensemble([a, b], { task: 't', weights: [1] })).toThrow(/2 non-negative numbers/);
  });

  it('vote counts argmax predictions; vote shares are the probs; ties by the tie policy', () => {
    const p = new Ensemble([a, b, c], { task: 't', combiner: 'vote' }).predict();
    // member argmaxes: a [0,1,1], b [0,0,1], c [1,1,0] (c's row-2 tie → class 0)
    expect(Array.from(p.preds)).toEqual([0, 1, 1]);
    expect(Array.from(p.probs)).toEqual(
      [2 / 3, 1 / 3, 1 / 3, 2 / 3, 1 / 3, 2 / 3].map((v) => expect.closeTo(v, 6) as unknown as number),
    );
    const two = new Ensemble([a, c], { task: 't', combiner: 'vote', tiePolicy: 'abstain' }).predict();
    expect(Array.from(two.preds)).toEqual([-1, 1, -1]);
    const first = new Ensemble([a, c], { task: 't', combiner: 'vote' }).predict();
    expect(Array.from(first.preds)).toEqual([0, 1, 0]);
  });

  it('vote works for k > 2', () => {
    const x = cls(['u'], [0.5, 0.3, 0.2], 3);
    const y = cls(['u'], [0.1, 0.3, 0.6], 3);
    const z = cls(['u'], [0.2, 0.1, 0.7], 3);
    expect(Array.from(new Ensemble([x, y, z], { task: 't', combiner: 'vote' }).predict().preds)).toEqual([2]);
  });

  it('regression: mean, weighted mean, and vote = mean (MeTaL on STS-B)', () => {
    const r1 = reg(['a', 'b'], [1, 4]);
    const r2 = reg(['a', 'b'], [3, 2]);
    expect(Array.from(new Ensemble([r1, r2], { task: 't' }).predict().preds)).toEqual([2, 3]);
    expect(Array.from(new Ensemble([r1, r2], { task: 't', combiner: 'vote' }).predict().preds)).toEqual([
      2, 3,
    ]);
    const w = new Ensemble([r1, r2], { task: 't', combiner: 'weighted', weights: [3, 1] }).predict();
    expect(Array.from(w.preds)).toEqual([1.5, 3.5]);
    const s = w.score(Float32Array.of(1, 4), ['pearson']);
    expect(s.pearson).toBeCloseTo(1, 6);
  });

  it('scores the ensemble and each member', () => {
    const p = new Ensemble([a, b, c], { task: 't' }).predict();
    const golds = [0, 1, 1];
    expect(p.score(golds, ['accuracy'])).toEqual({ accuracy: 2 / 3 });
    expect(p.scoreMembers(golds, ['accuracy']).map((s) => s.accuracy)).toEqual([1, 2 / 3, 1 / 3]);
    expect(() => p.score([0, 1])).toThrow(/2 rows, expected 3/);
  });

  it('lists the combiners when the name is unknown', () => {
    expect(COMBINERS.names()).toEqual(['mean', 'weighted', 'vote']);
    expect(() => new Ensemble([a], { task: 't', combiner: 'median' })).toThrow(
      /expected one of mean, weighted, vote/,
    );
  });
});

describe('weights', () => {
  it('softmaxWeights is MeTaL wavg at temperature 1 and sharper below', () => {
    expect(Array.from(softmaxWeights([0.8, 0.8]))).toEqual([0.5, 0.5]);
    const w = softmaxWeights([0.9, 0.8], 0.1);
    expect(w[0]).toBeCloseTo(Math.E / (Math.E + 1), 10);
    expect(() => softmaxWeights([])).toThrow(/softmaxWeights/);
    expect(() => softmaxWeights([1], 0)).toThrow(/temperature/);
  });

  it('logloss fitting puts the weight on the informative member', () => {
    const good = Float32Array.of(0.9, 0.1, 0.2, 0.8, 0.8, 0.2);
    const noise = Float32Array.of(0.5, 0.5, 0.5, 0.5, 0.5, 0.5);
    const w = WEIGHT_FITTERS.get('logloss')({
      members: [good, noise],
      golds: [0, 1, 0],
      k: 2,
      type: 'classification',
    });
    expect(w[0]).toBeGreaterThan(0.99);
    expect(w[0]! + w[1]!).toBeCloseTo(1, 10);
  });

  it('regression logloss fitting minimizes squared error on the simplex', () => {
    const right = Float32Array.of(1, 2, 3);
    const wrong = Float32Array.of(3, 2, 1);
    const w = WEIGHT_FITTERS.get('logloss')({
      members: [right, wrong],
      golds: Float32Array.of(1, 2, NaN),
      k: 1,
      type: 'regression',
    });
    expect(w[0]).toBeGreaterThan(0.95);
  });

  it('Ensemble.fitWeights fits on validation outputs and the weighted combiner applies them', () => {
    const e = new Ensemble([a, b, c], { task: 't', combiner: 'weighted' });
    const wm = e.fitWeights([a, b, c], [0, 1, 1], { method: 'metric', temperature: 0.05 });
    // accuracies 1, 2/3, 1/3 → softmax(acc / 0.05)
    expect(Array.from(wm)).toEqual(
      Array.from(softmaxWeights([1, 2 / 3, 1 / 3], 0.05)).map(
        (v) => expect.closeTo(v, 10) as unknown as number,
      ),
    );
    expect(wm[0]).toBeGreaterThan(wm[1]!);
    const wl = e.fitWeights([a, b, c], [0, 1, 1]);
    expect(wl.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 10);
    expect(e.predict().probs.length).toBe(6);
  });
});
