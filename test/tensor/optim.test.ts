// The fused optimizer step (clipping + update in one native call) against torch.optim in float32, its
// op-by-op fallback, and the optimizer state: deterministic bytes, exact continuation after a reload, coded
// errors for state that does not fit, and the libtorch archives earlier versions wrote.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { MmtlError } from '../../src/core/index.js';
import {
  OPTIMIZER_DEFAULTS,
  OPTIMIZERS,
  Optimizer,
  clipGradNorm,
  tensor,
  tidy,
  type OptimizerOptions,
  type Tensor,
} from '../../src/tensor/index.js';
import { expectClose } from './helpers.js';

const dir = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'optim');
const read = (name: string): unknown => JSON.parse(readFileSync(join(dir, name), 'utf8'));

/** Asserts that `fn` throws an MmtlError with `code` whose message contains `text`. */
function expectCode(fn: () => void, code: string, text = ''): void {
  let err: unknown;
  try {
    fn();
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(MmtlError);
  expect((err as MmtlError).code).toBe(code);
  expect((err as MmtlError).message).toContain(text);
}

/** scripts/fixtures/make_optim_fused_fixture.py */
interface FusedFixture {
  shapes: number[][];
  active: boolean[][];
  init: number[][];
  grads: number[][][];
  clip: number;
  runs: { kind: string; options: OptimizerOptions; trajectory: number[][][]; norms: number[] }[];
}
/** scripts/fixtures/make_legacy_optimizer_fixture.mjs */
interface LegacyFixture {
  shapes: number[][];
  runs: {
    kind: string;
    options: OptimizerOptions;
    before: number[][];
    state: string;
    grad: number[][];
    after: number[][];
  }[];
}

const f = read('fused-float32.json') as FusedFixture;
const F32 = { atol: 2e-6, rtol: 2e-5 };

/** float32 parameters; `transposed` stores each 2-D one as the transpose of a contiguous tensor. */
function params(values: number[][], shapes: number[][], transposed = false): Tensor[] {
  return values.map((v, i) => {
    const shape = shapes[i]!;
    if (transposed && shape.length === 2) {
      const [r, c] = shape as [number, number];
      const t = new Float32Array(r * c);
      for (let a = 0; a < r; a++) for (let b = 0; b < c; b++) t[b * r + a] = v[a * c + b]!;
      return tensor(t, { shape: [c, r] })
        .t()
        .requiresGrad_(true); // [r, c], not contiguous
    }
    return tensor(Float32Array.from(v), { shape }).requiresGrad_(true);
  });
}

/** Gives the parameters the gradients `grads` (those with `active` false get none). */
function setGrads(ps: readonly Tensor[], grads: number[][], shapes: number[][], active?: boolean[]): void {
  ps.forEach((p, i) => {
    if (active && !active[i]) return;
    p.mul(tensor(Float32Array.from(grads[i]!), { shape: shapes[i]! }))
      .sum()
      .backward();
  });
}

function trainFused(kind: string, options: OptimizerOptions, transposed: boolean): number[][][] {
  return tidy(() => {
    const ps = params(f.init, f.shapes, transposed);
    const opt = new Optimizer(kind, ps, options);
    const out: number[][][] = [];
    for (let s = 0; s < f.grads.length; s++) {
      opt.zeroGrad();
      setGrads(ps, f.grads[s]!, f.shapes, f.active[s]);
      opt.step({ clipNorm: f.clip });
      out.push(ps.map((p) => p.toArray()));
    }
    opt.dispose();
    return out;
  });
}

describe('fused optimizer step (float32, against torch.optim + clip_grad_norm_)', () => {
  for (const run of f.runs) {
    it(`${run.kind} ${JSON.stringify(run.options)}: clip + update in one call, idle parameters skipped`, () => {
      const got = trainFused(run.kind, run.options, false);
      run.trajectory.forEach((expected, s) => {
        expected.forEach((p, i) => {
          expectClose(got[s]![i]!, p, F32, `step ${s + 1} param ${i}`);
        });
      });
    });
  }

  it('the op-by-op path (non-contiguous parameters) agrees with torch too', () => {
    for (const run of f.runs) {
      const got = trainFused(run.kind, run.options, true);
      run.trajectory.forEach((expected, s) => {
        expected.forEach((p, i) => {
          expectClose(got[s]![i]!, p, F32, `${run.kind} step ${s + 1} param ${i}`);
        });
      });
    }
  });

  it('clipGradNorm + step() equals step({ clipNorm }) and returns torch’s total norm', () => {
    const run = f.runs[0]!;
    tidy(() => {
      const ps = params(f.init, f.shapes);
      const opt = new Optimizer(run.kind, ps, run.options);
      for (let s = 0; s < f.grads.length; s++) {
        opt.zeroGrad();
        setGrads(ps, f.grads[s]!, f.shapes, f.active[s]);
        const total = clipGradNorm(ps, f.clip);
        expect(total).toBeCloseTo(run.norms[s]!, 4);
        opt.step();
        ps.forEach((p, i) => {
          expectClose(p, run.trajectory[s]![i]!, F32, `step ${s + 1} param ${i}`);
        });
      }
      opt.dispose();
    });
  });

  it('defaults come from one table and reach the binding explicitly (no weight decay unless asked)', () => {
    expect(OPTIMIZERS.get('adamw').defaults.weightDecay).toBe(0);
    expect(OPTIMIZERS.get('sgd').defaults.lr).toBe(0.01);
    const decayed = (options: OptimizerOptions): number[] =>
      tidy(() => {
        const [w] = params([[1, -2]], [[2]]);
        const opt = new Optimizer('adamw', [w!], options);
        expect(opt.resolved[0]).toMatchObject({ beta1: 0.9, beta2: 0.999, eps: 1e-8, amsgrad: false });
        setGrads([w!], [[0, 0]], [[2]]); // zero gradient: only the decay moves the weight
        opt.step();
        opt.dispose();
        return w!.toArray();
      });
    expect(decayed({ lr: 0.1, weightDecay: undefined })).toEqual([1, -2]);
    tidy(() => {
      const opt = new Optimizer('adam', params(f.init, f.shapes), { kind: 'adam', lr: 0.2 } as never);
      expect(opt.resolved[0]).toEqual({ ...OPTIMIZER_DEFAULTS, lr: 0.2 }); // a trainer config's `kind` stays out
      opt.dispose();
    });
    expectClose(decayed({ lr: 0.1, weightDecay: 0.5 }), [0.95, -1.9], { atol: 1e-7 });
  });

  it('rejects a clip norm that is not positive', () => {
    tidy(() => {
      const opt = new Optimizer('adam', params(f.init, f.shapes));
      expectCode(
        () => {
          opt.step({ clipNorm: 0 });
        },
        'E_ARG',
        'clipNorm',
      );
      opt.dispose();
    });
  });
});

describe('optimizer state', () => {
  /** Trains `steps` steps of the fixture's adam run (amsgrad, idle head) and returns the optimizer. */
  function trained(ps: Tensor[], steps: number, kind = 'adam', options = f.runs[1]!.options): Optimizer {
    const opt = new Optimizer(kind, ps, options);
    for (let s = 0; s < steps; s++) {
      opt.zeroGrad();
      setGrads(ps, f.grads[s]!, f.shapes, f.active[s]);
      opt.step({ clipNorm: f.clip });
    }
    return opt;
  }

  it('identical runs save identical bytes (no heap addresses), for every kind', () => {
    for (const run of f.runs) {
      const once = (): Buffer =>
        tidy(() => {
          const opt = trained(params(f.init, f.shapes), 3, run.kind, run.options);
          const bytes = opt.saveState();
          opt.dispose();
          return Buffer.from(bytes);
        });
      const a = once();
      expect(a.equals(once()), run.kind).toBe(true);
      expect(a.length).toBeGreaterThan(100);
    }
  });

  it('a reloaded optimizer continues exactly as the uninterrupted one', () => {
    tidy(() => {
      const full = params(f.init, f.shapes);
      const optFull = trained(full, 6);
      const half = params(f.init, f.shapes);
      const optHalf = trained(half, 3);
      const state = optHalf.saveState();
      optHalf.dispose();
      const resumed = new Optimizer('adam', half, f.runs[1]!.options);
      resumed.loadState(state);
      expect(Buffer.from(resumed.saveState()).equals(Buffer.from(state))).toBe(true);
      for (let s = 3; s < 6; s++) {
        resumed.zeroGrad();
        setGrads(half, f.grads[s]!, f.shapes, f.active[s]);
        resumed.step({ clipNorm: f.clip });
      }
      half.forEach((p, i) => {
        expect(p.toArray(), `param ${i}`).toEqual(full[i]!.toArray());
      });
      optFull.dispose();
      resumed.dispose();
    });
  });

  it('state that does not fit throws E_CHECKPOINT and changes nothing', () => {
    tidy(() => {
      const ps = params(f.init, f.shapes);
      const opt = trained(ps, 2);
      const state = opt.saveState();
      const before = Buffer.from(state);
      const sgd = new Optimizer('sgd', params(f.init, f.shapes), { momentum: 0.9 });
      expectCode(
        () => {
          sgd.loadState(state);
        },
        'E_CHECKPOINT',
        "'adam'",
      );
      const fewer = new Optimizer('adam', params(f.init, f.shapes).slice(0, 2));
      expectCode(
        () => {
          fewer.loadState(state);
        },
        'E_CHECKPOINT',
        '4 parameters',
      );
      const reshaped = new Optimizer(
        'adam',
        params([f.init[1]!, f.init[0]!, f.init[2]!, f.init[3]!], [[4], [4, 5], [3, 4], [3]]),
      );
      expectCode(
        () => {
          reshaped.loadState(state);
        },
        'E_CHECKPOINT',
        'shape',
      );
      const fresh = new Optimizer('adam', params(f.init, f.shapes));
      const empty = fresh.saveState();
      expect(Buffer.from(reshaped.saveState()).equals(Buffer.from(empty))).toBe(true); // untouched
      expectCode(() => {
        fresh.loadState(new TextEncoder().encode('not a state'));
      }, 'E_CHECKPOINT');
      expect(Buffer.from(opt.saveState()).equals(before)).toBe(true);
      for (const o of [opt, sgd, fewer, reshaped, fresh]) o.dispose();
    });
  });

  it('loads the libtorch archives earlier versions wrote and continues as they would have', () => {
    const legacy = read('legacy-state.json') as LegacyFixture;
    for (const run of legacy.runs) {
      tidy(() => {
        const ps = params(run.before, legacy.shapes);
        const opt = new Optimizer(run.kind, ps, run.options);
        opt.loadState(Buffer.from(run.state, 'base64'));
        setGrads(ps, run.grad, legacy.shapes);
        opt.step();
        ps.forEach((p, i) => {
          expectClose(p, run.after[i]!, { atol: 1e-7, rtol: 1e-6 }, `${run.kind} param ${i}`);
        });
        opt.dispose();
      });
    }
  });
});
