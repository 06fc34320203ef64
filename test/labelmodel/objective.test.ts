import { describe, expect, it } from 'vitest';
import {
  type MatrixCompletionProblem,
  breakColumnSymmetry,
  buildMask,
  hungarian,
  isSymmetric,
  matrixCompletionLoss,
  sgdMomentum,
  singleTaskLayout,
} from '../../src/labelmodel/index.js';
import { Rng } from '../../src/core/index.js';

function randomProblem(
  d: number,
  K: number,
  l2: number,
  seed: number,
): { problem: MatrixCompletionProblem; mu: Float64Array } {
  const rng = new Rng(seed);
  const A = Float64Array.from({ length: d * d }, () => rng.float());
  const T = new Float64Array(d * d);
  for (let a = 0; a < d; a++) for (let b = 0; b < d; b++) T[a * d + b] = (A[a * d + b]! + A[b * d + a]!) / 2;
  const mask = buildMask(singleTaskLayout(d / K, K));
  const p = Float64Array.from({ length: K }, () => 0.5 + rng.float());
  const mu0 = Float64Array.from({ length: d * K }, () => rng.float());
  const mu = Float64Array.from({ length: d * K }, () => rng.float());
  return { problem: { d, K, T, mask, p, diagTerm: true, mu0, l2 }, mu };
}

describe('matrixCompletionLoss', () => {
  it('has a gradient that matches central finite differences', () => {
    for (const [K, l2] of [
      [2, 0],
      [3, 0.3],
    ] as const) {
      const { problem, mu } = randomProblem(4 * K, K, l2, K);
      const grad = new Float64Array(mu.length);
      matrixCompletionLoss(problem, mu, grad);
      const scratch = new Float64Array(mu.length);
      const h = 1e-6;
      for (let i = 0; i < mu.length; i++) {
        const plus = mu.slice();
        plus[i]! += h;
        const minus = mu.slice();
        minus[i]! -= h;
        const fd =
          (matrixCompletionLoss(problem, plus, scratch) - matrixCompletionLoss(problem, minus, scratch)) /
          (2 * h);
        expect(Math.abs(fd - grad[i]!)).toBeLessThan(1e-5 * Math.max(1, Math.abs(fd)));
      }
    }
  });

  it('gives the same loss and gradient on the symmetric fast path', () => {
    const { problem, mu } = randomProblem(8, 2, 0.1, 4);
    const g1 = new Float64Array(mu.length);
    const g2 = new Float64Array(mu.length);
    const l1 = matrixCompletionLoss(problem, mu, g1);
    const l2 = matrixCompletionLoss(
      { ...problem, symmetric: isSymmetric(problem.T, problem.mask, 8) },
      mu,
      g2,
    );
    expect(isSymmetric(problem.T, problem.mask, 8)).toBe(true);
    expect(l2).toBeCloseTo(l1, 12);
    for (let i = 0; i < mu.length; i++) expect(g2[i]).toBeCloseTo(g1[i]!, 12);
  });

  it('also differentiates the diagTarget variant', () => {
    const { problem, mu } = randomProblem(6, 2, 0, 9);
    const p2 = { ...problem, diagTarget: Float64Array.from([0.1, 0.2, 0.3, 0.4, 0.5, 0.6]) };
    const grad = new Float64Array(mu.length);
    matrixCompletionLoss(p2, mu, grad);
    const h = 1e-6;
    const scratch = new Float64Array(mu.length);
    const plus = mu.slice();
    plus[3]! += h;
    const minus = mu.slice();
    minus[3]! -= h;
    const fd = (matrixCompletionLoss(p2, plus, scratch) - matrixCompletionLoss(p2, minus, scratch)) / (2 * h);
    expect(fd).toBeCloseTo(grad[3]!, 5);
  });
});

describe('sgdMomentum', () => {
  it('follows torch.optim.SGD: buf = μ·buf + g; θ -= lr·buf (with weight decay in g)', () => {
    // f(θ) = c‖θ − θ₀‖² with θ₀ = 0, d = K = 1 and an empty mask: g = 2cθ
    const problem: MatrixCompletionProblem = {
      d: 1,
      K: 1,
      T: new Float64Array(1),
      mask: new Uint8Array(1),
      p: Float64Array.from([1]),
      diagTerm: false,
      mu0: new Float64Array(1),
      l2: 0.5,
    };
    const theta = Float64Array.from([1]);
    sgdMomentum(problem, theta, { steps: 2, lr: 0.1, momentum: 0.9, weightDecay: 0.2 });
    // step 1: g = 1·1 + 0.2·1 = 1.2, buf = 1.2, θ = 0.88; step 2: g = 0.88 + 0.176 = 1.056, buf = 2.136, θ = 0.6664
    expect(theta[0]).toBeCloseTo(0.6664, 12);
  });
});

describe('hungarian', () => {
  it('finds the minimum-cost assignment', () => {
    expect([
      ...hungarian([
        [4, 1],
        [2, 3],
      ]),
    ]).toEqual([1, 0]);
    const cost = [
      [9, 2, 7, 8],
      [6, 4, 3, 7],
      [5, 8, 1, 8],
      [7, 6, 9, 4],
    ];
    expect([...hungarian(cost)]).toEqual([1, 0, 2, 3]); // 2 + 6 + 1 + 4 = 13
  });
  it('agrees with brute force on random 5×5 matrices', () => {
    const rng = new Rng(3);
    const perms = (n: number): number[][] =>
      n === 0
        ? [[]]
        : perms(n - 1).flatMap((p) =>
            Array.from({ length: n }, (_, i) => [...p.slice(0, i), n - 1, ...p.slice(i)]),
          );
    for (let t = 0; t < 20; t++) {
      const cost = Array.from({ length: 5 }, () => Array.from({ length: 5 }, () => rng.float()));
      const best = Math.min(...perms(5).map((p) => p.reduce((s, c, r) => s + cost[r]![c]!, 0)));
      const a = hungarian(cost);
      expect([...a].reduce((s, c, r) => s + cost[r]![c]!, 0)).toBeCloseTo(best, 12);
    }
  });
});

describe('breakColumnSymmetry', () => {
  it('undoes a column permutation within a group of equal priors', () => {
    // 3 LFs, k = 3, every LF mostly right: μ_j = diag(0.6) + 0.1 off-diagonal, then columns cycled
    const k = 3;
    const good = new Float64Array(3 * k * k);
    for (let j = 0; j < 3; j++)
      for (let v = 0; v < k; v++) for (let y = 0; y < k; y++) good[(j * k + v) * k + y] = v === y ? 0.6 : 0.1;
    const cycled = new Float64Array(good.length);
    for (let a = 0; a < 3 * k; a++)
      for (let c = 0; c < k; c++) cycled[a * k + c] = good[a * k + ((c + 1) % k)]!;
    const p = new Float64Array(k).fill(1 / k);
    const fixed = cycled.slice();
    breakColumnSymmetry(fixed, p, 3, k, false);
    expect([...fixed]).toEqual([...good]);
    // Snorkel's orientation picks the inverse permutation on a 3-cycle
    const snorkel = cycled.slice();
    breakColumnSymmetry(snorkel, p, 3, k, true);
    expect([...snorkel]).not.toEqual([...good]);
  });
});
