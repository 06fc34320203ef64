import { describe, expect, it } from 'vitest';
import { moduleFromConfig } from '../../src/nn/index.js';
import { SLICE_CONFIDENCE, SliceCombiner } from '../../src/slicing/index.js';
import { tensor, tidy } from '../../src/tensor/index.js';

const close = (a: number[], b: number[]): void => a.forEach((v, i) => expect(v).toBeCloseTo(b[i]!, 5));
const softmax = (xs: number[]): number[] => {
  const e = xs.map(Math.exp);
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / s);
};

describe('SLICE_CONFIDENCE', () => {
  it('defines confidence for k > 2 symmetrically over classes', () =>
    tidy(() => {
      const logits = tensor([
        [3, 0, 0],
        [0, 0, 3],
        [0, 0, 0],
      ]);
      const p = softmax([3, 0, 0])[0]!;
      close(SLICE_CONFIDENCE.get('max-prob')(logits).toArray(), [p, p, 1 / 3]);
      const ent = SLICE_CONFIDENCE.get('one-minus-entropy')(logits).toArray();
      expect(ent[0]).toBeCloseTo(ent[1]!, 6);
      expect(ent[2]).toBeCloseTo(0, 6);
      close(SLICE_CONFIDENCE.get('none')(logits).toArray(), [1, 1, 1]);
      const margin = tensor([
        [3, 1, 0],
        [0, -1, 2.5],
        [1, 1, 0],
      ]);
      close(SLICE_CONFIDENCE.get('margin')(margin).toArray(), [2, 2.5, 0]);
      expect(() => SLICE_CONFIDENCE.get('positive')(logits)).toThrow(/use 'max-prob' for k > 2/);
      close(SLICE_CONFIDENCE.get('positive')(tensor([[0, 0]])).toArray(), [0.5]);
    }));
});

describe('SliceCombiner', () => {
  it('weights experts by softmax(P(in slice) · confidence / τ)', () =>
    tidy(() => {
      const combine = new SliceCombiner(2, { temperature: 0.5 });
      const ind = [tensor([[0, 2]]), tensor([[1, 0]])]; // P(in) = σ(2), σ(-1)
      const pred = [tensor([[0, 1, 0]]), tensor([[2, 0, 0]])];
      const experts = [tensor([[1, 0]]), tensor([[0, 1]])];
      const q = [1 / (1 + Math.exp(-2)), 1 / (1 + Math.exp(1))];
      const c = [Math.max(...softmax([0, 1, 0])), Math.max(...softmax([2, 0, 0]))];
      const a = softmax([(q[0]! * c[0]!) / 0.5, (q[1]! * c[1]!) / 0.5]);
      close(combine.attention(...ind, ...pred).toArray(), a);
      close(combine.forward(...ind, ...pred, ...experts).toArray(), a); // z = a0·e0 + a1·e1 = [a0, a1]
      expect(() => combine.forward(...ind, ...pred)).toThrow(/takes 3 × 2 tensors/);
    }));

  it('passes gradients to indicators, predictors and experts', () =>
    tidy(() => {
      const combine = new SliceCombiner(2);
      const xs = [[[0.1, 0.2]], [[0.3, -0.2]], [[0.5, 0.1, 0]], [[0, 0.4, 0.2]], [[1, 2]], [[3, 4]]].map(
        (v) => tensor(v).requiresGrad_(),
      );
      combine
        .forward(...xs)
        .sum()
        .backward();
      for (const x of xs) expect(x.grad).not.toBeNull();
    }));

  it('round-trips its config', () => {
    const c = new SliceCombiner(3, { confidence: 'one-minus-entropy', temperature: 0.2 });
    const back = moduleFromConfig(c.toConfig());
    expect(back).toBeInstanceOf(SliceCombiner);
    expect(back.toConfig()).toEqual(c.toConfig());
    expect(() => new SliceCombiner(2, { confidence: 'bogus' })).toThrow(/expected one of max-prob/);
    expect(() => new SliceCombiner(0)).toThrow(/'slices' passed to 'SliceCombiner'/);
  });
});
