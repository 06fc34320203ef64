// Linear, LayerNorm and a packed 2-layer BiLSTM against PyTorch (scripts/fixtures/make_bert_fixture.py).
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { LayerNorm, Linear, LSTM } from '../../src/nn/index.js';
import { noGrad, tidy, type Tensor } from '../../src/tensor/index.js';
import { FIXTURES, loadReference, maxAbsDiff } from './parity-helpers.js';

const TOL = 1e-4;
let ref: Awaited<ReturnType<typeof loadReference>>;
beforeAll(async () => {
  ref = await loadReference(join(FIXTURES, 'nn-parity', 'reference.safetensors'));
});

/** A leaf copy of a reference input that records gradients. */
function leaf(t: Tensor): Tensor {
  return noGrad(() => t.clone()).requiresGrad_(true);
}

function gradDiff(p: Tensor, expected: Tensor): number {
  const g = p.grad!;
  const d = maxAbsDiff(g, expected);
  g.dispose();
  return d;
}

describe('PyTorch parity', () => {
  it('Linear: output and gradients', () => {
    const fc = new Linear(5, 3);
    fc.loadStateDict(
      new Map([
        ['weight', ref.get('linear.weight')],
        ['bias', ref.get('linear.bias')],
      ]),
    );
    tidy(() => {
      const x = leaf(ref.get('linear.x'));
      const y = fc.forward(x);
      expect(maxAbsDiff(y, ref.get('linear.y'))).toBeLessThan(TOL);
      y.mul(ref.get('linear.r')).sum().backward();
      expect(gradDiff(x, ref.get('linear.grad.x'))).toBeLessThan(TOL);
      expect(gradDiff(fc.weight, ref.get('linear.grad.weight'))).toBeLessThan(TOL);
      expect(gradDiff(fc.bias!, ref.get('linear.grad.bias'))).toBeLessThan(TOL);
    });
    fc.dispose();
  });

  it('LayerNorm: output and gradients', () => {
    const ln = new LayerNorm(6, { eps: 1e-5 });
    ln.loadStateDict(
      new Map([
        ['weight', ref.get('layernorm.weight')],
        ['bias', ref.get('layernorm.bias')],
      ]),
    );
    tidy(() => {
      const x = leaf(ref.get('layernorm.x'));
      const y = ln.forward(x);
      expect(maxAbsDiff(y, ref.get('layernorm.y'))).toBeLessThan(TOL);
      y.mul(ref.get('layernorm.r')).sum().backward();
      expect(gradDiff(x, ref.get('layernorm.grad.x'))).toBeLessThan(TOL);
      expect(gradDiff(ln.weight!, ref.get('layernorm.grad.weight'))).toBeLessThan(TOL);
      expect(gradDiff(ln.bias!, ref.get('layernorm.grad.bias'))).toBeLessThan(TOL);
    });
    ln.dispose();
  });

  it('bidirectional 2-layer LSTM packed by unsorted lengths: outputs, states and gradients', () => {
    const rnn = new LSTM(5, 4, { numLayers: 2, bidirectional: true }).eval();
    const prefix = 'lstm.param.';
    const state = new Map(
      ref.names.filter((n) => n.startsWith(prefix)).map((n) => [n.slice(prefix.length), ref.get(n)]),
    );
    expect(rnn.loadStateDict(state)).toEqual({ missing: [], unexpected: [] });
    tidy(() => {
      const x = leaf(ref.get('lstm.x'));
      const { output, h, c } = rnn.forward(x, ref.get('lstm.lengths'));
      expect(maxAbsDiff(output, ref.get('lstm.out'))).toBeLessThan(TOL);
      expect(maxAbsDiff(h, ref.get('lstm.h'))).toBeLessThan(TOL);
      expect(maxAbsDiff(c, ref.get('lstm.c'))).toBeLessThan(TOL);
      output
        .mul(ref.get('lstm.r'))
        .sum()
        .add(h.mul(ref.get('lstm.rh')).sum())
        .backward();
      expect(gradDiff(x, ref.get('lstm.grad.x'))).toBeLessThan(TOL);
      for (const [name, p] of rnn.namedParameters()) {
        expect(gradDiff(p, ref.get(`lstm.grad.${name}`)), name).toBeLessThan(TOL);
      }
    });
    rnn.dispose();
  });
});
