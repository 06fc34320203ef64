// Every module's parameter gradients against central finite differences, in float64 on tiny shapes.
import { describe, expect, it } from 'vitest';
import {
  AttentionPooling,
  BertModel,
  Embedding,
  LayerNorm,
  Linear,
  LSTM,
  MLP,
  type Module,
  MultiHeadSelfAttention,
  Pooler,
  SoftAttention,
  TransformerLayer,
  extendedAttentionMask,
} from '../../src/nn/index.js';
import { manualSeed, noGrad, randint, randn, tensor, tidy, type Tensor } from '../../src/tensor/index.js';

const EPS = 1e-6;

/**
 * Compares d(loss)/d(param) from backward with (loss(p + ε) − loss(p − ε)) / 2ε for up to `samples`
 * elements of every parameter. Returns the worst |analytic − numeric| / (1 + |numeric|).
 */
function gradcheck(module: Module, loss: () => Tensor, samples = 6): number {
  module.toDtype('float64').eval();
  const analytic = new Map<string, Float64Array>();
  tidy(() => {
    loss().backward();
    for (const [name, p] of module.namedParameters()) {
      const g = p.grad;
      analytic.set(name, g ? g.data<'float64'>() : new Float64Array(p.size));
    }
  });
  let worst = 0;
  for (const [name, p] of module.namedParameters()) {
    const flat = p.data<'float64'>();
    const step = Math.max(1, Math.floor(flat.length / samples));
    for (let i = 0; i < flat.length; i += step) {
      const at = (v: number): number =>
        tidy(() => {
          noGrad(() =>
            p
              .reshape([-1])
              .slice(0, i, i + 1)
              .fill_(v),
          );
          return noGrad(() => loss().item());
        });
      const numeric = (at(flat[i]! + EPS) - at(flat[i]! - EPS)) / (2 * EPS);
      at(flat[i]!); // restore
      const err = Math.abs(analytic.get(name)![i]! - numeric) / (1 + Math.abs(numeric));
      if (err > worst) worst = err;
      if (err > 1e-5)
        throw new Error(`${name}[${i}]: analytic ${analytic.get(name)![i]} vs numeric ${numeric}`);
    }
  }
  module.dispose();
  return worst;
}

/** A fixed random projection of the output to a scalar (so every output element matters). */
function project(y: Tensor, r: Tensor): Tensor {
  return y.mul(r).sum();
}

const f64 = { dtype: 'float64' as const };

describe('gradient checks (float64, finite differences)', () => {
  manualSeed(7);
  it('Linear', () => {
    const m = new Linear(3, 2);
    const x = randn([4, 3], f64);
    const r = randn([4, 2], f64);
    expect(gradcheck(m, () => project(m.forward(x), r))).toBeLessThan(1e-5);
  });
  it('LayerNorm', () => {
    const m = new LayerNorm(5);
    const x = randn([3, 5], f64);
    const r = randn([3, 5], f64);
    expect(gradcheck(m, () => project(m.forward(x), r))).toBeLessThan(1e-5);
  });
  it('Embedding', () => {
    const m = new Embedding(6, 3);
    const ids = tensor(
      [
        [1, 2, 0],
        [5, 1, 0],
      ],
      { dtype: 'int64' },
    );
    const r = randn([2, 3, 3], f64);
    expect(gradcheck(m, () => project(m.forward(ids), r), 18)).toBeLessThan(1e-5);
  });
  it('SoftAttention', () => {
    const m = new SoftAttention(4);
    const x = randn([3, 4], f64);
    const r = randn([3, 4], f64);
    expect(gradcheck(m, () => project(m.forward(x), r))).toBeLessThan(1e-5);
  });
  it('AttentionPooling with a mask', () => {
    const m = new AttentionPooling(4);
    const x = randn([2, 3, 4], f64);
    const mask = tensor([
      [1, 1, 0],
      [1, 1, 1],
    ]);
    const r = randn([2, 4], f64);
    expect(gradcheck(m, () => project(m.forward(x, mask), r))).toBeLessThan(1e-5);
  });
  it('MLP', () => {
    const m = new MLP([3, 5, 2], { activation: 'tanh' });
    const x = randn([4, 3], f64);
    const r = randn([4, 2], f64);
    expect(gradcheck(m, () => project(m.forward(x), r))).toBeLessThan(1e-5);
  });
  for (const pooling of ['last', 'max', 'mean'] as const) {
    it(`BiLSTM, packed, ${pooling} pooling`, () => {
      const m = new LSTM(3, 2, { bidirectional: true, numLayers: 2, pooling });
      const x = randn([3, 4, 3], f64);
      const r = randn([3, 4, 4], f64);
      const rp = randn([3, 4], f64);
      const lengths = [4, 2, 3];
      expect(
        gradcheck(
          m,
          () => {
            const { output, pooled } = m.forward(x, lengths);
            return project(output, r).add(project(pooled, rp));
          },
          4,
        ),
      ).toBeLessThan(1e-5);
    });
  }
  const opts = { hiddenSize: 8, numHeads: 2, intermediateSize: 12 };
  it('MultiHeadSelfAttention with an additive mask', () => {
    const m = new MultiHeadSelfAttention(opts);
    const x = randn([2, 3, 8], f64);
    const mask = extendedAttentionMask(
      tensor([
        [1, 1, 0],
        [1, 1, 1],
      ]),
      'float64',
    );
    const r = randn([2, 3, 8], f64);
    expect(gradcheck(m, () => project(m.forward(x, mask), r), 4)).toBeLessThan(1e-5);
  });
  it('TransformerLayer', () => {
    const m = new TransformerLayer(opts);
    const x = randn([2, 3, 8], f64);
    const mask = extendedAttentionMask(
      tensor([
        [1, 1, 0],
        [1, 1, 1],
      ]),
      'float64',
    );
    const r = randn([2, 3, 8], f64);
    expect(gradcheck(m, () => project(m.forward(x, mask), r), 3)).toBeLessThan(1e-5);
  });
  it('Pooler', () => {
    const m = new Pooler(4);
    const x = randn([2, 3, 4], f64);
    const r = randn([2, 4], f64);
    expect(gradcheck(m, () => project(m.forward(x), r))).toBeLessThan(1e-5);
  });
  it('BertModel', () => {
    const config = {
      vocabSize: 11,
      hiddenSize: 8,
      numLayers: 1,
      numHeads: 2,
      intermediateSize: 12,
      activation: 'gelu' as const,
      hiddenDropout: 0.1,
      attentionDropout: 0.1,
      maxPositions: 6,
      typeVocabSize: 2,
      layerNormEps: 1e-12,
      initializerRange: 0.5,
      padTokenId: 0,
    };
    const m = new BertModel(config);
    const inputIds = randint(1, 11, [2, 4]);
    const attentionMask = tensor([
      [1, 1, 1, 0],
      [1, 1, 1, 1],
    ]);
    const tokenTypeIds = tensor(
      [
        [0, 0, 1, 1],
        [0, 1, 1, 1],
      ],
      { dtype: 'int64' },
    );
    const r = randn([2, 4, 8], f64);
    const rp = randn([2, 8], f64);
    expect(
      gradcheck(
        m,
        () => {
          const out = m.forward({ inputIds, attentionMask, tokenTypeIds });
          return project(out.sequenceOutput, r).add(project(out.pooledOutput!, rp));
        },
        2,
      ),
    ).toBeLessThan(1e-5);
  });
});
