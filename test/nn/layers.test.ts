// Behaviour of the individual modules: shapes, masking, pooling, dropout, configs and argument errors.
import { describe, expect, it } from 'vitest';
import {
  Activation,
  AttentionPooling,
  BiLSTM,
  Dropout,
  Embedding,
  LSTM,
  MLP,
  MODULES,
  moduleFromConfig,
  Pooler,
  SoftAttention,
  TransformerEncoder,
  type Module,
  type ModuleConfig,
  extendedAttentionMask,
  sequenceMask,
} from '../../src/nn/index.js';
import { manualSeed, ones, randn, tensor, tidy, type Tensor } from '../../src/tensor/index.js';

function close(a: readonly number[], b: readonly number[], tol = 1e-5): void {
  expect(a.length).toBe(b.length);
  a.forEach((v, i) => expect(Math.abs(v - b[i]!), `at ${i}: ${v} vs ${b[i]}`).toBeLessThan(tol));
}

describe('masks', () => {
  it('builds length masks and HF extended masks', () => {
    expect(sequenceMask(tensor([2, 1], { dtype: 'int64' }), 3).toArray()).toEqual([1, 1, 0, 1, 0, 0]);
    const ext = extendedAttentionMask(tensor([[1, 0]]));
    expect(ext.shape).toEqual([1, 1, 1, 2]);
    expect(Math.abs(ext.toArray()[0]!)).toBe(0); // −0, as HF
    expect(ext.toArray()[1]).toBeLessThan(-3e38);
    expect(() => extendedAttentionMask(ones([2]))).toThrow(/'extendedAttentionMask' must be \[B, T\]/);
  });
});

describe('LSTM', () => {
  manualSeed(11);
  const x = randn([3, 5, 4]);
  const lengths = [5, 2, 3];

  it('pools last state, max and mean over valid tokens only', () => {
    tidy(() => {
      const last = new LSTM(4, 3, { bidirectional: true });
      const { output, pooled, h } = last.forward(x, lengths);
      expect(output.shape).toEqual([3, 5, 6]);
      expect(pooled.shape).toEqual([3, 6]);
      expect(h.shape).toEqual([2, 3, 3]);
      // forward direction's last state = output at t = length − 1; backward's = output at t = 0
      const row1 = output.select(0, 1).toArray(); // [5, 6]
      close(pooled.select(0, 1).toArray(), [...row1.slice(6, 9), ...row1.slice(3, 6)]);
      expect(row1.slice(12)).toEqual(Array(18).fill(0)); // padding is zero

      const maxed = LSTM.fromConfig({ ...last.toConfig(), pooling: 'max' });
      maxed.loadStateDict(last.stateDict());
      const mx = maxed.forward(x, lengths);
      close(mx.pooled.select(0, 1).toArray(), mx.output.select(0, 1).narrow(0, 0, 2).amax(0).toArray());

      const meaned = LSTM.fromConfig({ ...last.toConfig(), pooling: 'mean' });
      meaned.loadStateDict(last.stateDict());
      const mn = meaned.forward(x, lengths);
      close(mn.pooled.select(0, 2).toArray(), mn.output.select(0, 2).narrow(0, 0, 3).mean(0).toArray());
      for (const m of [last, maxed, meaned]) m.dispose();
    });
  });

  it('padding values never change the valid outputs when packed', () => {
    tidy(() => {
      const rnn = new BiLSTM(4, 3);
      const noisy = x.clone();
      noisy.select(0, 1).narrow(0, 2, 3).fill_(100);
      const a = rnn.forward(x, lengths).output.select(0, 1).narrow(0, 0, 2).toArray();
      const b = rnn.forward(noisy, lengths).output.select(0, 1).narrow(0, 0, 2).toArray();
      close(a, b);
      const mask = tensor([
        [1, 1, 1, 1, 1],
        [1, 1, 0, 0, 0],
        [1, 1, 1, 0, 0],
      ]);
      close(rnn.forward(x, mask).pooled.toArray(), rnn.forward(x, lengths).pooled.toArray());
      expect(rnn.toConfig()).toMatchObject({ kind: 'BiLSTM', inputSize: 4, hiddenSize: 3 });
      rnn.dispose();
    });
  });

  it('checks shapes', () => {
    const rnn = new LSTM(4, 3);
    expect(() => rnn.forward(randn([2, 3, 5]))).toThrow(
      /'LSTM.forward' must be \[B, T, 4\], got \[2, 3, 5\]/,
    );
    expect(() => rnn.forward(randn([2, 3, 4]), [1, 2, 3])).toThrow(
      /'lengths' passed to 'LSTM.forward' must be \[2\]/,
    );
    rnn.dispose();
  });
});

describe('attention', () => {
  it('SoftAttention is x ⊙ tanh(w ⊙ x) with w = 1 at init', () => {
    const att = new SoftAttention(3);
    const x = tensor([[0.5, -1, 2]]);
    close(att.forward(x).toArray(), [0.5 * Math.tanh(0.5), -1 * Math.tanh(-1), 2 * Math.tanh(2)]);
    att.dispose();
  });

  it('AttentionPooling gives masked steps zero weight', () => {
    tidy(() => {
      const pool = new AttentionPooling(4);
      const x = randn([2, 3, 4]);
      const mask = tensor([
        [1, 1, 0],
        [1, 0, 0],
      ]);
      const w = pool.weights(x, mask).toArray();
      expect(w[2]).toBe(0);
      close([w[0]! + w[1]!, w[3]!], [1, 1]);
      close(pool.forward(x, mask).select(0, 1).toArray(), x.select(0, 1).select(0, 0).toArray());
      pool.dispose();
    });
  });

  it('TransformerEncoder ignores padded positions', () => {
    tidy(() => {
      manualSeed(5);
      const enc = new TransformerEncoder({
        numLayers: 2,
        hiddenSize: 8,
        numHeads: 2,
        intermediateSize: 16,
      }).eval();
      const x = randn([1, 4, 8]);
      const mask = tensor([[1, 1, 0, 0]]);
      const noisy = x.clone();
      noisy.select(1, 3).fill_(50);
      const a = enc.forward(x, mask).narrow(1, 0, 2).toArray();
      const b = enc.forward(noisy, mask).narrow(1, 0, 2).toArray();
      close(a, b);
      expect([...enc.namedParameters().keys()]).toContain('layer.1.output.LayerNorm.weight');
      expect(() => enc.forward(randn([1, 4, 6]))).toThrow(/must be \[B, T, 8\], got \[1, 4, 6\]/);
      enc.dispose();
    });
  });

  it('Pooler is tanh(dense(h[:, 0]))', () => {
    const p = new Pooler(4);
    const h = randn([2, 3, 4]);
    const y = p.forward(h);
    expect(y.shape).toEqual([2, 4]);
    expect(y.abs().amax().item()).toBeLessThanOrEqual(1);
    p.dispose();
  });
});

describe('MLP, Dropout, Embedding', () => {
  it('MLP chains layers with an activation', () => {
    const m = new MLP([4, 6, 2], { activation: 'gelu', dropout: 0.5 });
    expect([...m.namedParameters().keys()]).toEqual([
      'layers.0.weight',
      'layers.0.bias',
      'layers.1.weight',
      'layers.1.bias',
    ]);
    const x = randn([3, 4]);
    const expected = m.layers.at(1).forward(m.layers.at(0).forward(x).gelu());
    close(m.eval().forward(x).toArray(), expected.toArray());
    expect(() => new MLP([4])).toThrow(/'MLP' needs at least \[in, out\]/);
    expect(() => new MLP([4, 2], { activation: 'nope' as 'relu' })).toThrow(/must be one of relu, gelu/);
    m.dispose();
  });

  it('Dropout is active only in training', () => {
    manualSeed(1);
    const d = new Dropout(0.5);
    const y = d.forward(ones([1000])).toArray();
    expect(new Set(y)).toEqual(new Set([0, 2]));
    expect(
      d
        .eval()
        .forward(ones([3]))
        .toArray(),
    ).toEqual([1, 1, 1]);
    expect(() => new Dropout(1)).toThrow(/'p' passed to 'Dropout' must be in \[0, 1\)/);
  });

  it('Embedding padding row stays zero and gets no gradient', () => {
    const emb = new Embedding(5, 3, { paddingIdx: 0 });
    expect(emb.weight.select(0, 0).toArray()).toEqual([0, 0, 0]);
    tidy(() => {
      emb
        .forward(tensor([0, 1, 0], { dtype: 'int64' }))
        .sum()
        .backward();
      const g = emb.weight.grad!.toArray();
      expect(g.slice(0, 3)).toEqual([0, 0, 0]);
      expect(g.slice(3, 6)).toEqual([1, 1, 1]);
    });
    expect(() => new Embedding(5, 3, { paddingIdx: 5 })).toThrow(
      /'paddingIdx' passed to 'Embedding' must be in \[0, 5\)/,
    );
    emb.dispose();
  });
});

describe('config round-trip', () => {
  const examples: Module[] = [
    new Activation('tanh'),
    new AttentionPooling(4),
    new SoftAttention(4),
    new MLP([3, 4, 2], { activation: 'tanh', dropout: 0.2 }),
    new BiLSTM(3, 2, { pooling: 'mean', numLayers: 2 }),
    new TransformerEncoder({ numLayers: 1, hiddenSize: 4, numHeads: 2, intermediateSize: 8 }),
  ];
  it.each(examples.map((m) => [m.toString(), m] as const))('%s', (_, m) => {
    const config = JSON.parse(JSON.stringify(m.toConfig())) as ModuleConfig;
    expect(MODULES.has(config.kind)).toBe(true);
    const copy = moduleFromConfig(config);
    expect(copy.toConfig()).toEqual(m.toConfig());
    expect([...copy.namedParameters()].map(([k, p]) => [k, p.shape])).toEqual(
      [...m.namedParameters()].map(([k, p]: [string, Tensor]) => [k, p.shape]),
    );
    copy.dispose();
    m.dispose();
  });
});
