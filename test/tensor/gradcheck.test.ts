// Gradient checks of every engine op that has a gradient: autograd against central finite differences in
// float64. The op tables (UNARY_OPS, BINARY_OPS, SCALAR_OPS, REDUCE_OPS) are covered exhaustively: each entry
// is either checked or skipped with a reason, and a new table entry fails the type check until it is listed.
import { describe, it } from 'vitest';
import {
  addmm,
  bce,
  bceWithLogits,
  cat,
  crossEntropy,
  dropout,
  embedding,
  layerNorm,
  linear,
  lstm,
  manualSeed,
  mseLoss,
  nllLoss,
  stack,
  tensor,
  tidy,
  where,
  type BinaryOp,
  type ReduceOp,
  type ScalarOp,
  type Tensor,
  type UnaryOp,
  BINARY_OPS,
  REDUCE_OPS,
  SCALAR_OPS,
  UNARY_OPS,
} from '../../src/tensor/index.js';
import { awayFromZero, gradCheck } from './helpers.js';

type Skip = { skip: string };
/** Input magnitude range and sign for an elementwise op. */
type Domain = { lo?: number; hi?: number; positive?: boolean; shape?: number[] };

const UNARY: Record<UnaryOp, Domain | Skip> = {
  neg: {},
  abs: {},
  exp: {},
  log: { positive: true },
  log1p: { positive: true },
  sqrt: { positive: true },
  rsqrt: { positive: true },
  square: {},
  reciprocal: {},
  sign: { skip: 'piecewise constant: zero gradient almost everywhere' },
  floor: { skip: 'piecewise constant' },
  ceil: { skip: 'piecewise constant' },
  round: { skip: 'piecewise constant' },
  sin: {},
  cos: {},
  relu: {},
  gelu: { lo: 0, hi: 3 },
  geluTanh: { lo: 0, hi: 3 },
  tanh: {},
  sigmoid: { hi: 3 },
  logSigmoid: { hi: 3 },
  softplus: { hi: 3 },
  elu: {},
  silu: { hi: 3 },
  logicalNot: { skip: 'boolean output' },
  isnan: { skip: 'boolean output' },
  clone: {},
  contiguous: {},
  detach: { skip: 'cuts the graph by design' },
  t: { shape: [3, 4] },
};

describe('gradients of UNARY_OPS', () => {
  for (const op of Object.keys(UNARY_OPS) as UnaryOp[]) {
    const spec = UNARY[op];
    if ('skip' in spec) {
      it.skip(`${op} (${spec.skip})`, () => undefined);
      continue;
    }
    it(op, () => {
      tidy(() => {
        const x = awayFromZero(
          spec.shape ?? [2, 3, 4],
          op.length * 31 + 7,
          spec.lo ?? 0.2,
          spec.hi ?? 1.5,
          !spec.positive,
        );
        gradCheck(op, ([a]) => a![op](), [x]);
      });
    });
  }
});

type BinarySpec = { a?: number[]; b?: number[]; aPositive?: boolean; bAway?: boolean } | Skip;
const BINARY: Record<BinaryOp, BinarySpec> = {
  add: { a: [3, 4], b: [4] },
  sub: { a: [3, 1], b: [1, 4] },
  mul: { a: [2, 3, 4], b: [3, 1] },
  div: { a: [3, 4], b: [3, 4] },
  pow: { a: [3, 4], b: [4], aPositive: true },
  maximum: { a: [3, 4], b: [3, 4] },
  minimum: { a: [3, 4], b: [1, 4] },
  matmul: { a: [2, 3, 4], b: [4, 2] },
  bmm: { a: [2, 3, 4], b: [2, 4, 2] },
  eq: { skip: 'comparison' },
  ne: { skip: 'comparison' },
  lt: { skip: 'comparison' },
  le: { skip: 'comparison' },
  gt: { skip: 'comparison' },
  ge: { skip: 'comparison' },
  logicalAnd: { skip: 'logical' },
  logicalOr: { skip: 'logical' },
  atan2: { a: [3, 4], b: [3, 4] },
};

describe('gradients of BINARY_OPS (with broadcasting)', () => {
  for (const op of Object.keys(BINARY_OPS) as BinaryOp[]) {
    const spec = BINARY[op];
    if ('skip' in spec) {
      it.skip(`${op} (${spec.skip})`, () => undefined);
      continue;
    }
    it(op, () => {
      tidy(() => {
        const a = awayFromZero(spec.a ?? [3, 4], 11 + op.length, 0.2, 1.5, !spec.aPositive);
        const b = awayFromZero(spec.b ?? [3, 4], 97 + op.length, 0.3, 1.4);
        gradCheck(op, ([x, y]) => x![op](y!), [a, b]);
      });
    });
  }
});

const SCALAR: Record<ScalarOp, { s: number; positive?: boolean } | Skip> = {
  add: { s: 2.5 },
  sub: { s: -1.25 },
  rsub: { s: 3 },
  mul: { s: -1.5 },
  div: { s: 0.75 },
  rdiv: { s: 2 },
  pow: { s: 2.5, positive: true },
  rpow: { s: 1.7 },
  maximum: { s: 0.05 },
  minimum: { s: -0.05 },
  eq: { skip: 'comparison' },
  ne: { skip: 'comparison' },
  lt: { skip: 'comparison' },
  le: { skip: 'comparison' },
  gt: { skip: 'comparison' },
  ge: { skip: 'comparison' },
  leakyRelu: { s: 0.1 },
};

function scalarOp(op: ScalarOp, x: Tensor, s: number): Tensor {
  switch (op) {
    case 'rsub':
      return x.rsub(s);
    case 'rdiv':
      return x.rdiv(s);
    case 'rpow':
      return x.rpow(s);
    case 'leakyRelu':
      return x.leakyRelu(s);
    default:
      return x[op](s);
  }
}

describe('gradients of SCALAR_OPS', () => {
  for (const op of SCALAR_OPS) {
    const spec = SCALAR[op];
    if ('skip' in spec) {
      it.skip(`${op} (${spec.skip})`, () => undefined);
      continue;
    }
    it(op, () => {
      tidy(() => {
        const x = awayFromZero([3, 4], 5 + op.length, 0.2, 1.5, !spec.positive);
        gradCheck(op, ([a]) => scalarOp(op, a!, spec.s), [x]);
      });
    });
  }
});

const REDUCE: Record<ReduceOp, Skip | { note?: string }> = {
  sum: {},
  mean: {},
  prod: {},
  amax: { note: 'values are distinct, so the max is unique' },
  amin: {},
  logsumexp: {},
  var: {},
  std: {},
  norm: {},
  all: { skip: 'boolean' },
  any: { skip: 'boolean' },
};

describe('gradients of REDUCE_OPS', () => {
  const cases: { dims?: number | number[]; keepdim?: boolean }[] = [
    {},
    { dims: 1 },
    { dims: [0, 2], keepdim: true },
    { dims: -1, keepdim: false },
  ];
  for (const op of REDUCE_OPS) {
    const spec = REDUCE[op];
    if ('skip' in spec) {
      it.skip(`${op} (${spec.skip})`, () => undefined);
      continue;
    }
    it(op, () => {
      tidy(() => {
        const x = awayFromZero([2, 3, 4], 3 + op.length, 0.3, 1.2);
        for (const c of cases) {
          gradCheck(`${op}(${JSON.stringify(c)})`, ([a]) => a![op](c.dims, c.keepdim ?? false), [x]);
        }
      });
    });
  }
});

const int64 = (values: number[], shape?: number[]): Tensor =>
  tensor(Int32Array.from(values), { dtype: 'int64', shape: shape ?? [values.length] });
const bool = (values: number[], shape: number[]): Tensor =>
  tensor(Uint8Array.from(values), { dtype: 'bool', shape });
const r = (shape: number[], seed: number, lo = 0.2, hi = 1.5, signed = true): Tensor =>
  awayFromZero(shape, seed, lo, hi, signed);

describe('gradients of nn functions', () => {
  it('softmax and logSoftmax', () => {
    tidy(() => {
      const x = r([2, 3, 4], 1);
      for (const dim of [0, 1, -1]) {
        gradCheck(`softmax(${dim})`, ([a]) => a!.softmax(dim), [x]);
        gradCheck(`logSoftmax(${dim})`, ([a]) => a!.logSoftmax(dim), [x]);
      }
    });
  });
  it('layerNorm (weight, bias, eps)', () => {
    tidy(() => {
      gradCheck('layerNorm', ([x, w, b]) => layerNorm(x!, [5], w, b, 1e-5), [
        r([2, 3, 5], 2),
        r([5], 3),
        r([5], 4),
      ]);
      gradCheck('layerNorm 2 dims, no affine', ([x]) => layerNorm(x!, [3, 5], null, null, 1e-12), [
        r([2, 3, 5], 5),
      ]);
    });
  });
  it('linear and addmm', () => {
    tidy(() => {
      gradCheck('linear', ([x, w, b]) => linear(x!, w!, b), [r([2, 3, 4], 6), r([5, 4], 7), r([5], 8)]);
      gradCheck('linear no bias', ([x, w]) => linear(x!, w!), [r([3, 4], 9), r([2, 4], 10)]);
      gradCheck('addmm', ([b, x, y]) => addmm(b!, x!, y!, 0.5, 2), [
        r([4], 11),
        r([3, 2], 12),
        r([2, 4], 13),
      ]);
    });
  });
  it('embedding (weight gradient; padding row gets none)', () => {
    tidy(() => {
      const idx = int64([0, 3, 3, 1, 4, 0], [2, 3]);
      gradCheck('embedding', ([w, i]) => embedding(w!, i!), [r([5, 3], 14), idx], { check: [0] });
      const w = r([5, 3], 15).requiresGrad_(true);
      embedding(w, idx, 3).sum().backward();
      const g = w.grad!.toArray();
      if (g.slice(9, 12).some((v) => v !== 0)) throw new Error('padding row received a gradient');
      if (g.slice(0, 3).some((v) => v !== 2)) throw new Error('row 0 (used twice) should have gradient 2');
    });
  });
  it('dropout (same mask on every evaluation)', () => {
    tidy(() => {
      gradCheck('dropout', ([x]) => dropout(x!, 0.3, true), [r([4, 5], 16)], { before: () => manualSeed(7) });
      gradCheck('dropout eval', ([x]) => dropout(x!, 0.3, false), [r([4, 5], 17)]);
    });
  });
  it('lstm (bidirectional, padded and packed with unsorted lengths, with and without hx)', () => {
    tidy(() => {
      const H = 2;
      const F = 2;
      const params: Tensor[] = [];
      for (let d = 0; d < 2; d++) {
        params.push(r([4 * H, F], 20 + d, 0.1, 0.8), r([4 * H, H], 30 + d, 0.1, 0.8));
        params.push(r([4 * H], 40 + d, 0.05, 0.5), r([4 * H], 50 + d, 0.05, 0.5));
      }
      const x = r([3, 4, F], 60, 0.1, 1);
      const all = (o: { output: Tensor; h: Tensor; c: Tensor }): Tensor =>
        cat([o.output.flatten(), o.h.flatten(), o.c.flatten()]);
      gradCheck('lstm', ([xx, ...ps]) => all(lstm(xx!, ps, { bidirectional: true })), [x, ...params]);
      const lengths = int64([2, 4, 1]);
      gradCheck('lstm packed', ([xx, ...ps]) => all(lstm(xx!, ps, { bidirectional: true, lengths })), [
        x,
        ...params,
      ]);
      gradCheck(
        'lstm packed with hx',
        ([xx, h0, c0, ...ps]) => all(lstm(xx!, ps, { bidirectional: true, lengths, hx: [h0!, c0!] })),
        [x, r([2, 3, H], 70), r([2, 3, H], 71), ...params],
      );
      const p2 = [
        r([4 * H, F], 80, 0.1, 0.8),
        r([4 * H, H], 81, 0.1, 0.8),
        r([4 * H, H], 82, 0.1, 0.8),
        r([4 * H, H], 83, 0.1, 0.8),
      ];
      gradCheck('lstm 2 layers no bias', ([xx, ...ps]) => all(lstm(xx!, ps, { numLayers: 2 })), [x, ...p2]);
    });
  });
});

describe('gradients of losses', () => {
  it('crossEntropy: hard targets, class weights, ignoreIndex, label smoothing, reductions', () => {
    tidy(() => {
      const z = r([5, 4], 90);
      const t = int64([0, 3, -1, 1, 2]);
      const w = r([4], 91, 0.5, 2, false);
      gradCheck('ce hard', ([a]) => crossEntropy(a!, int64([0, 3, 2, 1, 2])), [z]);
      gradCheck('ce weight+ignore', ([a]) => crossEntropy(a!, t, { weight: w, ignoreIndex: -1 }), [z]);
      gradCheck(
        'ce weight+ignore+smoothing sum',
        ([a]) => crossEntropy(a!, t, { weight: w, ignoreIndex: -1, labelSmoothing: 0.1, reduction: 'sum' }),
        [z],
      );
      gradCheck('ce none', ([a]) => crossEntropy(a!, t, { ignoreIndex: -1, reduction: 'none' }), [z]);
      gradCheck(
        'ce class weight (differentiable weight)',
        ([a, ww]) => crossEntropy(a!, t, { weight: ww!, ignoreIndex: -1 }),
        [z, w],
        { check: [0] },
      );
      gradCheck(
        'ce [N, C, d]',
        ([a]) => crossEntropy(a!, int64([0, 1, -1, 3, 2, 2], [2, 3]), { ignoreIndex: -1 }),
        [r([2, 4, 3], 92)],
      );
    });
  });
  it('crossEntropy: soft targets (gradient to logits and to the targets)', () => {
    tidy(() => {
      const z = r([5, 4], 93);
      const p = r([5, 4], 94).softmax(1);
      const w = r([4], 95, 0.5, 2, false);
      gradCheck('ce soft', ([a, b]) => crossEntropy(a!, b!), [z, p]);
      gradCheck(
        'ce soft weight smoothing',
        ([a, b]) => crossEntropy(a!, b!, { weight: w, labelSmoothing: 0.2 }),
        [z, p],
      );
    });
  });
  it('nllLoss', () => {
    tidy(() => {
      const t = int64([0, 3, -1, 1, 2]);
      gradCheck(
        'nll',
        ([a]) => nllLoss(a!.logSoftmax(1), t, { weight: r([4], 96, 0.5, 2, false), ignoreIndex: -1 }),
        [r([5, 4], 97)],
      );
    });
  });
  it('bce, bceWithLogits (weight, posWeight), mseLoss', () => {
    tidy(() => {
      const target = r([4, 3], 98, 0, 1, false);
      const probs = r([4, 3], 99, 0.1, 0.9, false);
      const weight = r([4, 3], 100, 0.5, 1.5, false);
      gradCheck('bce', ([p]) => bce(p!, target, { weight }), [probs]);
      gradCheck('bce none', ([p]) => bce(p!, target, { reduction: 'none' }), [probs]);
      const z = r([4, 3], 101);
      const posWeight = r([3], 102, 0.5, 3, false);
      gradCheck('bceWithLogits', ([a, t]) => bceWithLogits(a!, t!), [z, target]);
      gradCheck('bceWithLogits weight posWeight', ([a]) => bceWithLogits(a!, target, { weight, posWeight }), [
        z,
      ]);
      gradCheck('mse', ([a, b]) => mseLoss(a!, b!), [z, r([4, 3], 103)]);
      gradCheck('mse sum', ([a, b]) => mseLoss(a!, b!, 'sum'), [z, r([4, 3], 104)]);
    });
  });
});

describe('gradients of shape and indexing ops', () => {
  it('permute, transpose, reshape, view, flatten, squeeze, unsqueeze, expand, repeat', () => {
    tidy(() => {
      const x = r([2, 3, 4], 110);
      gradCheck('permute', ([a]) => a!.permute([2, 0, 1]), [x]);
      gradCheck('transpose', ([a]) => a!.transpose(0, 2), [x]);
      gradCheck('reshape of a transpose', ([a]) => a!.transpose(1, 2).reshape([6, 4]), [x]);
      gradCheck('view', ([a]) => a!.view([4, 6]), [x]);
      gradCheck('flatten', ([a]) => a!.flatten(1), [x]);
      gradCheck('squeeze/unsqueeze', ([a]) => a!.unsqueeze(1).squeeze(1).unsqueeze(-1).squeeze(), [x]);
      gradCheck('expand', ([a]) => a!.expand([3, 2, 4]), [r([2, 1], 111)]);
      gradCheck('repeat', ([a]) => a!.repeat([2, 1, 3]), [r([2, 3], 112)]);
    });
  });
  it('slice, narrow, select, split, cat, stack', () => {
    tidy(() => {
      const x = r([4, 5], 113);
      gradCheck('slice step 2', ([a]) => a!.slice(1, 1, 5, 2), [x]);
      gradCheck('slice negative', ([a]) => a!.slice(0, -3, -1), [x]);
      gradCheck('narrow', ([a]) => a!.narrow(1, 2, 2), [x]);
      gradCheck('select', ([a]) => a!.select(1, 3), [x]);
      gradCheck(
        'split',
        ([a]) => {
          const [p, q, s] = a!.split([1, 3, 1], 1);
          return cat([p!.mul(2), q!.mul(-1), s!.exp()], 1);
        },
        [x],
      );
      gradCheck('cat', ([a, b]) => cat([a!, b!], 1), [x, r([4, 2], 114)]);
      gradCheck('stack', ([a, b]) => stack([a!, b!], 1), [x, r([4, 5], 115)]);
    });
  });
  it('gather, indexSelect, index (int and bool), scatterAdd', () => {
    tidy(() => {
      const x = r([3, 4], 116);
      gradCheck('gather', ([a]) => a!.gather(1, int64([0, 3, 3, 1, 2, 0], [3, 2])), [x]);
      gradCheck('indexSelect', ([a]) => a!.indexSelect(1, int64([3, 0, 3])), [x]);
      gradCheck('index int rows', ([a]) => a!.index(int64([2, 0, 2])), [x]);
      gradCheck('index bool rows', ([a]) => a!.index(bool([1, 0, 1], [3])), [x]);
      gradCheck('scatterAdd', ([a, s]) => a!.scatterAdd(1, int64([0, 0, 3, 1, 2, 2], [3, 2]), s!), [
        x,
        r([3, 2], 117),
      ]);
    });
  });
  it('maskedFill, maskedSelect, where', () => {
    tidy(() => {
      const x = r([3, 4], 118);
      const m = bool([1, 0, 0, 1, 0, 1, 1, 0, 0, 0, 1, 0], [3, 4]);
      gradCheck('maskedFill', ([a]) => a!.maskedFill(m, -3), [x]);
      gradCheck('maskedFill broadcast', ([a]) => a!.maskedFill(bool([0, 1, 0, 1], [4]), 0.5), [x]);
      gradCheck('maskedSelect', ([a]) => a!.maskedSelect(m), [x]);
      gradCheck('where', ([a, b]) => where(m, a!, b!), [x, r([4], 119)]);
    });
  });
  it('cumsum, clamp, pad, tril, triu, maxDim, minDim, sort', () => {
    tidy(() => {
      const x = r([3, 4], 120);
      gradCheck('cumsum', ([a]) => a!.cumsum(1), [x]);
      gradCheck('clamp', ([a]) => a!.clamp(-0.9, 1.1), [r([3, 4], 121, 0.2, 0.8)]);
      gradCheck('clamp outside', ([a]) => a!.clamp(-0.1, 0.1), [r([3, 4], 122, 0.2, 0.8)]);
      gradCheck('pad', ([a]) => a!.pad([1, 2, 0, 1], 0.5), [x]);
      gradCheck('tril', ([a]) => a!.tril(), [x]);
      gradCheck('triu', ([a]) => a!.triu(1), [x]);
      gradCheck('maxDim', ([a]) => a!.maxDim(1).values, [x]);
      gradCheck('minDim keepdim', ([a]) => a!.minDim(0, true).values, [x]);
      gradCheck('sort values', ([a]) => a!.sort(1, true).values, [x]);
    });
  });
});

describe('gradCheck itself', () => {
  it('fails on a wrong gradient (x.detach() · x has numeric gradient 2x, autograd x)', () => {
    tidy(() => {
      let failed = false;
      try {
        gradCheck('wrong', ([a]) => a!.detach().mul(a!), [r([3], 130)]);
      } catch {
        failed = true;
      }
      if (!failed) throw new Error('gradCheck accepted a wrong gradient');
    });
  });
});
