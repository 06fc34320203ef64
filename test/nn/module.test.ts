import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isMmtlError } from '../../src/core/index.js';
import {
  Activation,
  Dropout,
  Embedding,
  LayerNorm,
  Linear,
  loadModule,
  moduleFromConfig,
  type Module,
  Sequential,
} from '../../src/nn/index.js';
import { manualSeed, ones, saveSafetensors, tensor, tidy } from '../../src/tensor/index.js';

const dir = mkdtempSync(join(tmpdir(), 'mmtl-nn-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function asSequential(m: Module): Sequential {
  if (!(m instanceof Sequential)) throw new Error(`expected a Sequential, got ${m.toString()}`);
  return m;
}

function mlp(): Sequential {
  return new Sequential([
    new Linear(4, 8),
    new Activation('relu'),
    new LayerNorm(8),
    new Dropout(0.1),
    new Linear(8, 2),
  ]);
}

describe('Module', () => {
  it('names parameters with dotted paths in registration order', () => {
    const net = mlp();
    expect([...net.namedParameters().keys()]).toEqual([
      '0.weight',
      '0.bias',
      '2.weight',
      '2.bias',
      '4.weight',
      '4.bias',
    ]);
    expect(net.parameters()).toHaveLength(6);
    expect(net.numParameters()).toBe(4 * 8 + 8 + 8 + 8 + 8 * 2 + 2);
    net.dispose();
  });

  it('switches train/eval recursively and freezes', () => {
    const net = mlp();
    net.eval();
    expect([...net.namedModules().values()].every((m) => !m.training)).toBe(true);
    net.train();
    expect(net.at(3).training).toBe(true);
    net.freeze();
    expect(net.trainableParameters()).toHaveLength(0);
    net.unfreeze();
    expect(net.trainableParameters()).toHaveLength(6);
    net.dispose();
    expect(net.isDisposed).toBe(true);
  });

  it('keeps parameters alive outside tidy scopes', () => {
    const net = tidy(() => mlp());
    expect(net.parameters().every((p) => !p.isDisposed)).toBe(true);
    const y = tidy(() => net.eval().forward(ones([3, 4])));
    expect(y.shape).toEqual([3, 2]);
    y.dispose();
    net.dispose();
  });

  it('initializes like PyTorch from the seeded generator', () => {
    // torch.manual_seed(0); nn.Linear(3, 2).weight → first row [-0.0043, 0.3097, -0.4752]
    manualSeed(0);
    const fc = new Linear(3, 2);
    const w = fc.weight.toArray();
    expect(w[0]).toBeCloseTo(-0.0043, 4);
    expect(w[1]).toBeCloseTo(0.3097, 4);
    expect(w[2]).toBeCloseTo(-0.4752, 4);
    fc.dispose();
  });

  it('round-trips configs (nested) and state dicts', async () => {
    const net = mlp();
    const config = net.toConfig();
    expect(JSON.parse(JSON.stringify(config))).toEqual(config);
    const copy = asSequential(moduleFromConfig(config));
    expect(copy).toBeInstanceOf(Sequential);
    expect(copy.toConfig()).toEqual(config);
    expect(copy.loadStateDict(net.stateDict())).toEqual({ missing: [], unexpected: [] });
    const x = ones([2, 4]);
    net.eval();
    copy.eval();
    expect(copy.forward(x).toArray()).toEqual(net.forward(x).toArray());

    const path = join(dir, 'mlp.safetensors');
    await net.save(path);
    const again = asSequential(await loadModule(path));
    expect(again.eval().forward(x).toArray()).toEqual(net.forward(x).toArray());
    const fresh = mlp();
    await fresh.load(path);
    expect(fresh.eval().forward(x).toArray()).toEqual(net.forward(x).toArray());
    for (const m of [net, copy, again, fresh]) m.dispose();
  });

  it('reports missing/unexpected keys and shape mismatches', () => {
    const a = new Sequential([new Linear(4, 8), new Linear(8, 2)]);
    const b = new Sequential([new Linear(4, 8), new Linear(8, 3)]);
    try {
      b.loadStateDict(a.stateDict());
      expect.unreachable();
    } catch (e) {
      expect(isMmtlError(e, 'E_CHECKPOINT')).toBe(true);
      expect((e as Error).message).toMatch(/'1\.weight' of shape \[2, 8\] but the module's is \[3, 8\]/);
    }
    const partial = new Map([...a.stateDict()].filter(([k]) => k.startsWith('0.')));
    partial.set('head.weight', ones([1]));
    expect(() => b.loadStateDict(partial)).toThrow(
      /missing \[1\.weight, 1\.bias\], unexpected \[head\.weight\]/,
    );
    expect(b.loadStateDict(partial, { strict: false })).toEqual({
      missing: ['1.weight', '1.bias'],
      unexpected: ['head.weight'],
    });
    expect(
      b
        .at(0)
        .forward(ones([1, 4]))
        .toArray(),
    ).toEqual(
      a
        .at(0)
        .forward(ones([1, 4]))
        .toArray(),
    );
    a.dispose();
    b.dispose();
  });

  it('refuses to rebuild from a file without a module config', async () => {
    const path = join(dir, 'bare.safetensors');
    await saveSafetensors(path, new Map([['w', ones([2])]]));
    await expect(loadModule(path)).rejects.toThrow(/has no module config in its metadata/);
    await expect(loadModule(join(dir, 'missing.safetensors'))).rejects.toThrow(/could not read/);
  });

  it('converts parameters to float64 in place, keeping names', () => {
    const net = mlp();
    const names = [...net.namedParameters().keys()];
    net.toDtype('float64');
    expect([...net.namedParameters().keys()]).toEqual(names);
    expect(net.parameters().every((p) => p.dtype === 'float64' && p.requiresGrad)).toBe(true);
    expect(net.eval().forward(ones([1, 4], { dtype: 'float64' })).dtype).toBe('float64');
    const first = net.parameters()[0];
    net.toDevice('cpu'); // already there: nothing replaced
    expect(net.parameters()[0]).toBe(first);
    net.dispose();
  });

  it('rejects bad configs with E_CONFIG / E_UNKNOWN', () => {
    expect(() => moduleFromConfig({ kind: 'Linear', inFeatures: -1, outFeatures: 2 })).toThrow(/inFeatures/);
    expect(() => moduleFromConfig({ kind: 'Nope' })).toThrow(/unknown module 'Nope'; expected one of/);
  });

  it('builds embeddings from pretrained vectors', () => {
    const vectors = Float32Array.from([0, 0, 1, 2, 3, 4]);
    const emb = Embedding.fromPretrained(vectors, 3, 2, { paddingIdx: 0 });
    expect(emb.weight.requiresGrad).toBe(false);
    expect(emb.forward(tensor([[2, 1]], { dtype: 'int64' })).toArray()).toEqual([3, 4, 1, 2]);
    expect(emb.toConfig()).toEqual({
      kind: 'Embedding',
      numEmbeddings: 3,
      dim: 2,
      paddingIdx: 0,
      freeze: true,
    });
    expect(() => Embedding.fromPretrained(vectors, 2, 2)).toThrow(/rows × dims = 2 × 2/);
    const trainable = Embedding.fromPretrained(vectors, 3, 2, { freeze: false });
    expect(trainable.weight.requiresGrad).toBe(true);
    emb.dispose();
    trainable.dispose();
  });
});
