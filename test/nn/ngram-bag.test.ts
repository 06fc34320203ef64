// NgramBag against torch.nn.functional.embedding_bag (fixture from scripts/fixtures/make_ngram_fixtures.py),
// its sqrtn mode and bias by hand, padding, configs and argument errors; Concat.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MmtlError } from '../../src/core/index.js';
import { Concat, moduleFromConfig, NgramBag, type Module, type ModuleConfig } from '../../src/nn/index.js';
import { manualSeed, ones, tensor, tidy } from '../../src/tensor/index.js';

const fx = JSON.parse(readFileSync('test/fixtures/ngram/embedding_bag.json', 'utf8')) as {
  weight: number[];
  weightShape: [number, number];
  ids: number[];
  idsShape: [number, number];
  cases: { mode: 'sum' | 'mean'; y: number[]; cotangent: number[]; gradWeight: number[] }[];
};

function close(a: readonly number[], b: readonly number[], tol = 1e-12): void {
  expect(a.length).toBe(b.length);
  a.forEach((v, i) => expect(Math.abs(v - b[i]!), `at ${i}: ${v} vs ${b[i]}`).toBeLessThan(tol));
}

function bagWith(
  weight: number[],
  shape: [number, number],
  options: ConstructorParameters<typeof NgramBag>[2],
) {
  const bag = new NgramBag(shape[0], shape[1], { ...options, dtype: 'float64' });
  bag.loadStateDict(new Map([['weight', tensor(weight, { shape, dtype: 'float64' })]]), { strict: false });
  return bag;
}

describe('NgramBag', () => {
  for (const c of fx.cases) {
    it(`matches torch embedding_bag (mode=${c.mode}, padding_idx=0): output and weight gradient`, () => {
      // nn.EmbeddingBag zeroes its padding row and never updates it; embedding_bag skips padding ids whatever
      // the row holds, NgramBag sums the (zero) row: the same once the padding row is zero.
      const weight = fx.weight.map((v, i) => (i < fx.weightShape[1] ? 0 : v));
      const bag = bagWith(weight, fx.weightShape, { mode: c.mode, bias: false });
      tidy(() => {
        const ids = tensor(fx.ids, { shape: fx.idsShape, dtype: 'int64' });
        const y = bag.forward(ids); // [4, 3]
        close(y.toArray(), c.y);
        y.mul(tensor(c.cotangent, { shape: y.shape, dtype: 'float64' }))
          .sum()
          .backward();
        close(bag.weight.grad!.toArray(), c.gradWeight);
      });
      bag.dispose();
    });
  }

  it('sqrtn divides by √n, adds the bias, and reads lengths when given', () => {
    // weight rows: 0 (padding) = 0, 1 = [1, 2], 2 = [3, 4]; bias [0.5, -0.5]
    const bag = new NgramBag(3, 2, { mode: 'sqrtn' });
    bag.loadStateDict(
      new Map([
        [
          'weight',
          tensor([
            [0, 0],
            [1, 2],
            [3, 4],
          ]),
        ],
        ['bias', tensor([0.5, -0.5])],
      ]),
    );
    tidy(() => {
      const ids = tensor(
        [
          [1, 2, 2, 0],
          [0, 0, 0, 0],
        ],
        { dtype: 'int64' },
      );
      const s = Math.sqrt(3);
      close(bag.forward(ids).toArray(), [7 / s + 0.5, 10 / s - 0.5, 0.5, -0.5], 1e-6); // empty bag → bias
      const lengths = tensor([3, 0], { dtype: 'int64' });
      close(bag.forward(ids, lengths).toArray(), bag.forward(ids).toArray(), 1e-7);
    });
    bag.dispose();
  });

  it('is a Linear over count vectors in sum mode, and keeps the padding row at zero', () => {
    manualSeed(3);
    const bag = new NgramBag(5, 2);
    expect(bag.weight.select(0, 0).toArray()).toEqual([0, 0]);
    tidy(() => {
      const ids = tensor([[4, 1, 4, 0]], { dtype: 'int64' });
      const counts = tensor([[0, 1, 0, 0, 2]]); // the same bag as a count vector [1, 5]
      close(bag.forward(ids).toArray(), counts.matmul(bag.weight).add(bag.bias!).toArray(), 1e-6);
      bag.forward(ids).sum().backward();
      expect(bag.weight.grad!.select(0, 0).toArray()).toEqual([0, 0]);
    });
    bag.dispose();
  });

  it('round-trips its config through JSON and rejects bad arguments with coded errors', () => {
    const bag = new NgramBag(10, 4, { mode: 'mean', bias: false, paddingIdx: 9 });
    const config = JSON.parse(JSON.stringify(bag.toConfig())) as ReturnType<NgramBag['toConfig']>;
    expect(config).toEqual({
      kind: 'NgramBag',
      numFeatures: 10,
      dim: 4,
      mode: 'mean',
      bias: false,
      paddingIdx: 9,
    });
    const again = moduleFromConfig(config);
    expect(again).toBeInstanceOf(NgramBag);
    expect(again.toConfig()).toEqual(config);
    expect([...again.namedParameters().keys()]).toEqual(['weight']);
    const err = (fn: () => unknown): MmtlError => {
      try {
        fn();
      } catch (e) {
        return e as MmtlError;
      }
      throw new Error('did not throw');
    };
    const noFeatures = err(() => new NgramBag(0, 2));
    expect(noFeatures.code).toBe('E_ARG');
    expect(noFeatures.message).toMatch(/'numFeatures' passed to 'NgramBag'/);
    expect(err(() => new NgramBag(4, 2, { paddingIdx: 4 })).code).toBe('E_ARG');
    expect(err(() => moduleFromConfig({ kind: 'NgramBag', numFeatures: 4, dim: 2, mode: 'max' })).code).toBe(
      'E_CONFIG',
    );
    const flat = err(() => tidy(() => bag.forward(tensor([1, 2], { dtype: 'int64' }))));
    expect(flat.code).toBe('E_SHAPE');
    expect(flat.message).toMatch(/'ids' passed to 'NgramBag.forward' must be \[B, T\]/);
    for (const m of [bag, again] as Module[]) m.dispose();
  });
});

describe('Concat', () => {
  it('joins inputs along the last dim and round-trips its config', () => {
    const c = new Concat();
    tidy(() => {
      const y = c.forward(tensor([[1, 2]]), tensor([[3]]), ones([1, 2]));
      expect(y.shape).toEqual([1, 5]);
      expect(y.toArray()).toEqual([1, 2, 3, 1, 1]);
    });
    expect(moduleFromConfig(JSON.parse(JSON.stringify(c.toConfig())) as ModuleConfig)).toBeInstanceOf(Concat);
    expect(() => c.forward()).toThrow(MmtlError);
  });
});
