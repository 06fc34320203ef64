// PyTorch parity: the engine against fixtures that PyTorch 1.13 wrote (scripts/fixtures/make_op_fixtures.py),
// for ops whose semantics could differ (exact GELU, layer-norm eps, cross-entropy options, pos_weight, packed
// bidirectional LSTM, unbiased var/std, logsumexp) and 5-step optimizer trajectories.
import { describe, expect, it } from 'vitest';
import {
  Optimizer,
  bceWithLogits,
  clipGradNorm,
  crossEntropy,
  layerNorm,
  linear,
  lstm,
  mseLoss,
  tidy,
  type OptimizerOptions,
  type Reduction,
  type Tensor,
} from '../../src/tensor/index.js';
import { expectClose, fx, loadFixture, type FixtureTensor } from './helpers.js';

const TOL = { atol: 1e-10, rtol: 1e-8 };

/** y = f(x) and the gradient of (y · cotangent).sum() with respect to x. */
function withGrad(x: Tensor, cot: Tensor, f: (x: Tensor) => Tensor): { y: Tensor; gx: Tensor } {
  const leaf = x.detach().clone().requiresGrad_(true);
  const y = f(leaf);
  y.mul(cot).sum().backward();
  return { y, gx: leaf.grad! };
}

describe('parity: elementwise activations', () => {
  interface Case {
    op: 'gelu' | 'geluTanh' | 'silu' | 'elu' | 'softplus' | 'logSigmoid' | 'leakyRelu';
    slope?: number;
    x: FixtureTensor;
    y: FixtureTensor;
    cotangent: FixtureTensor;
    gx: FixtureTensor;
  }
  const { cases } = loadFixture<{ cases: Case[] }>('elementwise');
  for (const c of cases) {
    it(`${c.op} matches torch (values and gradient)`, () => {
      tidy(() => {
        const { y, gx } = withGrad(fx(c.x), fx(c.cotangent), (x) =>
          c.op === 'leakyRelu' ? x.leakyRelu(c.slope) : x[c.op](),
        );
        expectClose(y, c.y, TOL, 'y');
        expectClose(gx, c.gx, TOL, 'gx');
      });
    });
  }
});

describe('parity: layerNorm', () => {
  interface Case {
    eps: number;
    shape?: number[];
    x: FixtureTensor;
    w?: FixtureTensor;
    b?: FixtureTensor;
    y: FixtureTensor;
    cotangent?: FixtureTensor;
    gx?: FixtureTensor;
    gw?: FixtureTensor;
    gb?: FixtureTensor;
  }
  const { cases } = loadFixture<{ cases: Case[] }>('layer_norm');
  for (const c of cases) {
    it(`eps ${c.eps}${c.w ? '' : ', no affine, 2 dims'}`, () => {
      tidy(() => {
        if (!c.w || !c.b || !c.cotangent) {
          expectClose(layerNorm(fx(c.x), c.shape!, null, null, c.eps), c.y, TOL);
          return;
        }
        const w = fx(c.w).requiresGrad_(true);
        const b = fx(c.b).requiresGrad_(true);
        const { y, gx } = withGrad(fx(c.x), fx(c.cotangent), (x) =>
          layerNorm(x, [c.x.shape.at(-1)!], w, b, c.eps),
        );
        expectClose(y, c.y, TOL, 'y');
        expectClose(gx, c.gx!, { atol: 1e-9, rtol: 1e-7 }, 'gx');
        expectClose(w.grad!, c.gw!, TOL, 'gw');
        expectClose(b.grad!, c.gb!, TOL, 'gb');
      });
    });
  }
});

describe('parity: reductions (unbiased var/std, logsumexp, norm)', () => {
  interface Case {
    dims: number[] | null;
    keepdim: boolean;
    var: FixtureTensor;
    std: FixtureTensor;
    logsumexp: FixtureTensor;
    norm: FixtureTensor;
  }
  const f = loadFixture<{ x: FixtureTensor; cases: Case[] }>('reductions');
  for (const c of f.cases) {
    it(`dims ${JSON.stringify(c.dims)} keepdim ${c.keepdim}`, () => {
      tidy(() => {
        const x = fx(f.x);
        const d = c.dims ?? undefined;
        expectClose(x.var(d, c.keepdim), c.var, TOL, 'var');
        expectClose(x.std(d, c.keepdim), c.std, TOL, 'std');
        expectClose(x.logsumexp(d, c.keepdim), c.logsumexp, TOL, 'logsumexp');
        expectClose(x.norm(d, c.keepdim), c.norm, TOL, 'norm');
      });
    });
  }
});

describe('parity: losses', () => {
  interface CeCase {
    name: string;
    logits?: FixtureTensor;
    target: FixtureTensor;
    options: {
      weight?: FixtureTensor;
      ignore_index?: number;
      label_smoothing?: number;
      reduction?: Reduction;
    };
    y: FixtureTensor;
    cotangent: FixtureTensor;
    gx: FixtureTensor;
  }
  interface BceCase {
    name: string;
    options: { weight?: FixtureTensor; pos_weight?: FixtureTensor; reduction?: Reduction };
    y: FixtureTensor;
    cotangent: FixtureTensor;
    gx: FixtureTensor;
  }
  const f = loadFixture<{
    logits: FixtureTensor;
    crossEntropy: CeCase[];
    bceLogits: FixtureTensor;
    bceTarget: FixtureTensor;
    bceWithLogits: BceCase[];
  }>('losses');
  for (const c of f.crossEntropy) {
    it(`crossEntropy ${c.name}`, () => {
      tidy(() => {
        const o = c.options;
        const { y, gx } = withGrad(fx(c.logits ?? f.logits), fx(c.cotangent), (z) =>
          crossEntropy(z, fx(c.target), {
            weight: o.weight && fx(o.weight),
            ignoreIndex: o.ignore_index,
            labelSmoothing: o.label_smoothing,
            reduction: o.reduction,
          }),
        );
        expectClose(y, c.y, TOL, 'loss');
        expectClose(gx, c.gx, TOL, 'gradient');
      });
    });
  }
  for (const c of f.bceWithLogits) {
    it(`bceWithLogits ${c.name}`, () => {
      tidy(() => {
        const o = c.options;
        const { y, gx } = withGrad(fx(f.bceLogits), fx(c.cotangent), (z) =>
          bceWithLogits(z, fx(f.bceTarget), {
            weight: o.weight && fx(o.weight),
            posWeight: o.pos_weight && fx(o.pos_weight),
            reduction: o.reduction,
          }),
        );
        expectClose(y, c.y, TOL, 'loss');
        expectClose(gx, c.gx, TOL, 'gradient');
      });
    });
  }
});

describe('parity: LSTM (2 layers, bidirectional, packed with unsorted lengths)', () => {
  interface LstmCase {
    hx: [FixtureTensor, FixtureTensor] | null;
    output: FixtureTensor;
    h: FixtureTensor;
    c: FixtureTensor;
    gOutput: FixtureTensor;
    gx: FixtureTensor;
    gParams: FixtureTensor[];
  }
  const f = loadFixture<{
    layers: number;
    x: FixtureTensor;
    lengths: FixtureTensor;
    params: FixtureTensor[];
    cases: LstmCase[];
    padded: { output: FixtureTensor; h: FixtureTensor; c: FixtureTensor };
  }>('lstm');
  for (const c of f.cases) {
    it(`packed ${c.hx ? 'with' : 'without'} initial state: output, h_n, c_n and gradients`, () => {
      tidy(() => {
        const x = fx(f.x).requiresGrad_(true);
        const params = f.params.map((p) => fx(p).requiresGrad_(true));
        const out = lstm(x, params, {
          numLayers: f.layers,
          bidirectional: true,
          lengths: fx(f.lengths),
          hx: c.hx ? [fx(c.hx[0]), fx(c.hx[1])] : undefined,
        });
        expectClose(out.output, c.output, TOL, 'output');
        expectClose(out.h, c.h, TOL, 'h_n');
        expectClose(out.c, c.c, TOL, 'c_n');
        out.output.mul(fx(c.gOutput)).sum().add(out.h.mul(0.5).sum()).add(out.c.mul(0.25).sum()).backward();
        expectClose(x.grad!, c.gx, TOL, 'd/dx');
        params.forEach((p, i) => {
          expectClose(p.grad!, c.gParams[i]!, TOL, `d/dparam ${i}`);
        });
      });
    });
  }
  it('padded (no lengths) matches torch', () => {
    tidy(() => {
      const out = lstm(fx(f.x), f.params.map(fx), { numLayers: f.layers, bidirectional: true });
      expectClose(out.output, f.padded.output, TOL, 'output');
      expectClose(out.h, f.padded.h, TOL, 'h_n');
      expectClose(out.c, f.padded.c, TOL, 'c_n');
    });
  });
});

interface OptimFixture {
  x: FixtureTensor;
  y: FixtureTensor;
  init: FixtureTensor[];
  runs: { kind: string; options: OptimizerOptions; trajectory: FixtureTensor[][] }[];
  paramGroups: {
    groups: { params: number[]; options: OptimizerOptions }[];
    options: OptimizerOptions;
    trajectory: FixtureTensor[][];
  };
  clipGradNorm: {
    maxNorm: number;
    normType: number | 'inf';
    total: number;
    before: FixtureTensor[];
    after: FixtureTensor[];
  }[];
}

describe('parity: optimizers (5 steps on a small MLP, float64)', () => {
  const f = loadFixture<OptimFixture>('optimizers');
  const OPT_TOL = { atol: 1e-9, rtol: 1e-7 };

  function mlpLoss(ps: readonly Tensor[]): Tensor {
    const [w1, b1, w2, b2] = ps as [Tensor, Tensor, Tensor, Tensor];
    return mseLoss(linear(linear(fx(f.x), w1, b1).tanh(), w2, b2), fx(f.y));
  }
  function step(opt: Optimizer, ps: readonly Tensor[]): void {
    tidy(() => {
      opt.zeroGrad();
      mlpLoss(ps).backward();
      opt.step();
    });
  }
  function params(): Tensor[] {
    return f.init.map((p) => fx(p).requiresGrad_(true));
  }

  for (const run of f.runs) {
    it(`${run.kind} ${JSON.stringify(run.options)}`, () => {
      tidy(() => {
        const ps = params();
        const opt = new Optimizer(run.kind, ps, run.options);
        try {
          run.trajectory.forEach((expected, s) => {
            step(opt, ps);
            ps.forEach((p, i) => {
              expectClose(p, expected[i]!, OPT_TOL, `step ${s + 1} param ${i}`);
            });
          });
        } finally {
          opt.dispose();
        }
      });
    });
  }

  it('adamw with two parameter groups (own lr and weight decay)', () => {
    tidy(() => {
      const ps = params();
      const g = f.paramGroups;
      const opt = new Optimizer(
        'adamw',
        g.groups.map((grp) => ({ params: grp.params.map((i) => ps[i]!), options: grp.options })),
        g.options,
      );
      expect(opt.getLr()).toEqual([0.05, 0.01]);
      g.trajectory.forEach((expected, s) => {
        step(opt, ps);
        ps.forEach((p, i) => {
          expectClose(p, expected[i]!, OPT_TOL, `step ${s + 1} param ${i}`);
        });
      });
      opt.dispose();
    });
  });

  for (const run of f.runs) {
    it(`${run.kind} ${JSON.stringify(run.options)}: saveState → new Optimizer → loadState continues exactly`, () => {
      tidy(() => {
        const a = params();
        const optA = new Optimizer(run.kind, a, run.options);
        for (let s = 0; s < 2; s++) step(optA, a);
        const state = optA.saveState();
        const saved = a.map((p) => p.detach().clone());
        // the uninterrupted run
        for (let s = 2; s < 5; s++) step(optA, a);
        // resume: fresh tensors with the saved values, a fresh optimizer, the saved state
        const b = saved.map((p) => p.clone().requiresGrad_(true));
        const optB = new Optimizer(run.kind, b, run.options);
        optB.loadState(state);
        for (let s = 2; s < 5; s++) step(optB, b);
        b.forEach((p, i) => {
          expectClose(p, a[i]!, { atol: 0, rtol: 0 }, `param ${i}`);
          expectClose(p, run.trajectory[4]![i]!, OPT_TOL, `param ${i} vs torch`);
        });
        optA.dispose();
        optB.dispose();
      });
    });
  }

  it('the optimizer state matters: resuming Adam without loadState diverges from the uninterrupted run', () => {
    tidy(() => {
      const adam = f.runs.find((r) => r.kind === 'adam')!;
      const a = params();
      const optA = new Optimizer('adam', a, adam.options);
      for (let s = 0; s < 2; s++) step(optA, a);
      const b = a.map((p) => p.detach().clone().requiresGrad_(true));
      const optB = new Optimizer('adam', b, adam.options);
      for (let s = 2; s < 5; s++) {
        step(optA, a);
        step(optB, b);
      }
      expect(Math.abs(b[0]!.sub(a[0]!).abs().amax().item())).toBeGreaterThan(1e-4);
      optA.dispose();
      optB.dispose();
    });
  });

  it('clipGradNorm matches torch.nn.utils.clip_grad_norm_ (2-norm, 1-norm, inf-norm)', () => {
    for (const c of f.clipGradNorm) {
      tidy(() => {
        const ps = params();
        mlpLoss(ps).backward();
        ps.forEach((p, i) => {
          expectClose(p.grad!, c.before[i]!, TOL, 'gradient before clipping');
        });
        const total = clipGradNorm(ps, c.maxNorm, c.normType === 'inf' ? Infinity : c.normType);
        expect(total).toBeCloseTo(c.total, 10);
        ps.forEach((p, i) => {
          expectClose(
            p.grad!,
            c.after[i]!,
            TOL,
            `clipped gradient ${i} (max ${c.maxNorm}, type ${c.normType})`,
          );
        });
      });
    }
  });
});
