// Shared helpers of the engine tests: closeness checks, fixture decoding and a finite-difference gradient check.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { Tensor, noGrad, tensor, tidy } from '../../src/tensor/index.js';

/** A tensor as the fixture script writes it. */
export interface FixtureTensor {
  shape: number[];
  dtype: 'float64' | 'int64';
  data: number[];
}

const fixtureDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'ops');

/** Reads test/fixtures/ops/<name>.json (written by scripts/fixtures/make_op_fixtures.py). */
// eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters
export function loadFixture<T>(name: string): T {
  return JSON.parse(readFileSync(join(fixtureDir, `${name}.json`), 'utf8')) as T;
}

/** A fixture tensor as an engine tensor (float64 or int64). */
export function fx(t: FixtureTensor): Tensor {
  return t.dtype === 'int64'
    ? tensor(Int32Array.from(t.data), { shape: t.shape, dtype: 'int64' })
    : tensor(Float64Array.from(t.data), { shape: t.shape });
}

/** Asserts two lists of numbers agree elementwise within `atol + rtol·|expected|`. */
export function expectClose(
  actual: Tensor | readonly number[],
  expected: Tensor | FixtureTensor | readonly number[],
  tol: { atol?: number; rtol?: number } = {},
  what = 'values',
): void {
  const atol = tol.atol ?? 1e-9;
  const rtol = tol.rtol ?? 1e-7;
  const a = Array.isArray(actual) ? (actual as readonly number[]) : (actual as Tensor).toArray();
  let e: readonly number[];
  if (Array.isArray(expected)) e = expected as readonly number[];
  else if (expected instanceof Tensor) e = expected.toArray();
  else {
    const fixture = expected as FixtureTensor;
    e = fixture.data;
    if (actual instanceof Tensor) expect([...actual.shape], `${what} shape`).toEqual(fixture.shape);
  }
  expect(a.length, `${what} length`).toBe(e.length);
  let worst = 0;
  let at = -1;
  for (let i = 0; i < a.length; i++) {
    const diff = Math.abs(a[i]! - e[i]!);
    const excess = diff - (atol + rtol * Math.abs(e[i]!));
    if (!(excess <= worst) || Number.isNaN(diff)) {
      worst = Number.isNaN(diff) ? Infinity : excess;
      at = i;
    }
  }
  if (at >= 0) {
    expect.fail(`${what}[${at}]: got ${a[at]}, expected ${e[at]} (atol ${atol}, rtol ${rtol})`);
  }
}

/** Options of {@link gradCheck}. */
export interface GradCheckOptions {
  /** Step of the central differences (default 1e-6). */
  eps?: number;
  /** Absolute tolerance (default 1e-7). */
  atol?: number;
  /** Relative tolerance (default 1e-6). */
  rtol?: number;
  /** Indices of the inputs to check (default: all float64 inputs). */
  check?: readonly number[];
  /** Called before every evaluation (e.g. to reseed dropout). */
  before?: () => void;
}

/**
 * Compares autograd's gradients of `f` with central finite differences in float64. `f` maps the inputs to a
 * tensor; the scalar differentiated is `(f(inputs) · cotangent).sum()` with a fixed, uneven cotangent so every
 * output element matters. Inputs are float64 (int64 inputs such as indices are passed through unchecked).
 */
export function gradCheck(
  name: string,
  f: (xs: Tensor[]) => Tensor,
  inputs: readonly Tensor[],
  options: GradCheckOptions = {},
): void {
  const eps = options.eps ?? 1e-6;
  const atol = options.atol ?? 1e-7;
  const rtol = options.rtol ?? 1e-6;
  const checked =
    options.check ?? inputs.map((t, i) => (t.dtype === 'float64' ? i : -1)).filter((i) => i >= 0);
  tidy(() => {
    const values = inputs.map((t) => t.toArray());
    const leaves = inputs.map((t, i) =>
      checked.includes(i) ? t.detach().clone().requiresGrad_(true) : t.detach(),
    );
    options.before?.();
    const y = f(leaves);
    expect(y.dtype, `${name}: output dtype`).toBe('float64');
    const n = y.size;
    const cot = tensor(
      Float64Array.from({ length: n }, (_, i) => 0.3 + (((i * 7919) % 13) - 6) / 7),
      { shape: [...y.shape] },
    );
    y.mul(cot).sum().backward();
    const analytic = checked.map((i) => {
      const g = leaves[i]!.grad;
      return g === null ? new Array<number>(values[i]!.length).fill(0) : g.toArray();
    });
    const evaluate = (xs: Tensor[]): number =>
      tidy(() => {
        options.before?.();
        return f(xs).mul(cot).sum().item();
      });
    noGrad(() => {
      checked.forEach((inputIndex, k) => {
        const base = values[inputIndex]!;
        const shape = [...inputs[inputIndex]!.shape];
        const numeric = base.map((_, j) =>
          tidy(() => {
            const at = (delta: number): number => {
              const v = Float64Array.from(base);
              v[j] = v[j]! + delta;
              const xs = leaves.map((l, i) => (i === inputIndex ? tensor(v, { shape }) : l));
              return evaluate(xs);
            };
            return (at(eps) - at(-eps)) / (2 * eps);
          }),
        );
        expectClose(analytic[k]!, numeric, { atol, rtol }, `${name}: d/d input ${inputIndex}`);
      });
    });
  });
}

/** A float64 tensor of the given shape with values of magnitude in [lo, hi] and random signs (seeded). */
export function awayFromZero(
  shape: readonly number[],
  seed: number,
  lo = 0.2,
  hi = 1.5,
  signed = true,
): Tensor {
  let s = seed >>> 0 || 1;
  const next = (): number => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 2 ** 32;
  };
  const n = shape.reduce((a, b) => a * b, 1);
  const v = Float64Array.from({ length: n }, () => {
    const m = lo + (hi - lo) * next();
    return signed && next() < 0.5 ? -m : m;
  });
  return tensor(v, { shape });
}
