import type { RowSource } from './layout.js';

/** Options of {@link estimateClassBalanceEM}. */
export interface BalanceEMOptions {
  /** Most EM iterations (default 100). */
  maxIter?: number;
  /** Stop when no class prior moves more than this (default 1e-6). */
  tol?: number;
}

/**
 * Estimates the class balance by maximum likelihood under the conditionally-independent model with
 * abstains (Dawid–Skene EM): parameters `θ[j][v][y] = P(LF j outputs v | Y = y)` with v ∈ {abstain, 0..k−1}
 * and p. Starts from the matrix-completion μ (which fixes the class order) and iterates
 * E: posterior per distinct row; M: θ and p from posterior-weighted counts. The second-order objective
 * alone cannot identify p (any p fits the overlaps after a rotation of μ); the row likelihood can.
 * Returns p, θ and the fit's residual on the pairwise overlaps.
 *
 * @example
 * ```ts
 * const p = estimateClassBalanceEM(rowsOfStats(stats)!, m, k, mu, uniform).p; // e.g. [0.70, 0.30]
 * ```
 */
export function estimateClassBalanceEM(
  rows: RowSource,
  m: number,
  k: number,
  mu: Float64Array,
  p0: Float64Array,
  opts: BalanceEMOptions = {},
): BalanceEMResult {
  const maxIter = opts.maxIter ?? 100;
  const tol = opts.tol ?? 1e-6;
  const kk = k + 1; // output values: 0 = abstain, v + 1 = vote v
  const eps = 1e-6;
  // logTheta[(j·kk + o)·k + y]
  const theta = new Float64Array(m * kk * k);
  for (let j = 0; j < m; j++) {
    for (let y = 0; y < k; y++) {
      let votes = 0;
      for (let v = 0; v < k; v++) {
        const t = Math.max(eps, mu[(j * k + v) * k + y]!);
        theta[(j * kk + v + 1) * k + y] = t;
        votes += t;
      }
      theta[j * kk * k + y] = Math.max(eps, 1 - votes);
    }
  }
  let p = Float64Array.from(p0);
  const post = new Float64Array(k);
  for (let iter = 0; iter < maxIter; iter++) {
    const logTheta = theta.map(Math.log);
    const logP = p.map(Math.log);
    const counts = new Float64Array(m * kk * k).fill(eps);
    const pNew = new Float64Array(k);
    rows.forEach((votes, weight) => {
      for (let y = 0; y < k; y++) post[y] = logP[y]!;
      for (let j = 0; j < m; j++) {
        const base = (j * kk + votes[j]! + 1) * k;
        for (let y = 0; y < k; y++) post[y]! += logTheta[base + y]!;
      }
      let max = -Infinity;
      for (let y = 0; y < k; y++) max = Math.max(max, post[y]!);
      let sum = 0;
      for (let y = 0; y < k; y++) sum += post[y] = Math.exp(post[y]! - max);
      for (let y = 0; y < k; y++) {
        const w = (weight * post[y]!) / sum;
        pNew[y]! += w;
        for (let j = 0; j < m; j++) counts[(j * kk + votes[j]! + 1) * k + y]! += w;
      }
    });
    // M-step: normalise θ over outputs o for each (j, y); p over classes
    for (let j = 0; j < m; j++) {
      for (let y = 0; y < k; y++) {
        let s = 0;
        for (let o = 0; o < kk; o++) s += counts[(j * kk + o) * k + y]!;
        for (let o = 0; o < kk; o++) theta[(j * kk + o) * k + y] = counts[(j * kk + o) * k + y]! / s;
      }
    }
    let moved = 0;
    for (let y = 0; y < k; y++) {
      const v = Math.max(pNew[y]! / rows.n, 1e-4);
      moved = Math.max(moved, Math.abs(v - p[y]!));
      pNew[y] = v;
    }
    const total = pNew.reduce((a, b) => a + b, 0);
    p = pNew.map((v) => v / total);
    if (moved < tol) break;
  }
  return { p, theta, residual: offBlockResidual(rows, m, k, theta, p) };
}

/** What {@link estimateClassBalanceEM} returns. */
export interface BalanceEMResult {
  /** Estimated class balance. */
  p: Float64Array;
  /** `θ[(j·(k+1) + o)·k + y]` = P(LF j outputs o | Y = y), o = 0 abstain, v + 1 = vote v. */
  theta: Float64Array;
  /**
   * How well the fitted conditionally-independent model explains the pairwise vote overlaps of different
   * LFs: ‖O_off − Ô_off‖_F / ‖O_off‖_F. Near 0 when the LFs are conditionally independent; large values
   * mean the likelihood (and so the balance) rests on a wrong model.
   */
  residual: number;
}

function offBlockResidual(
  rows: RowSource,
  m: number,
  k: number,
  theta: Float64Array,
  p: Float64Array,
): number {
  const d = m * k;
  const kk = k + 1;
  const O = new Float64Array(d * d);
  const cols = new Int32Array(m);
  rows.forEach((votes, weight) => {
    let c = 0;
    for (let j = 0; j < m; j++) if (votes[j]! >= 0) cols[c++] = j * k + votes[j]!;
    for (let a = 0; a < c; a++) for (let b = 0; b < c; b++) O[cols[a]! * d + cols[b]!]! += weight;
  });
  let num = 0;
  let den = 0;
  for (let a = 0; a < d; a++) {
    const i = Math.floor(a / k);
    const va = a % k;
    for (let b = 0; b < d; b++) {
      const j = Math.floor(b / k);
      if (i === j) continue;
      const vb = b % k;
      let e = 0;
      for (let y = 0; y < k; y++)
        e += p[y]! * theta[(i * kk + va + 1) * k + y]! * theta[(j * kk + vb + 1) * k + y]!;
      const o = O[a * d + b]! / rows.n;
      num += (o - e) ** 2;
      den += o * o;
    }
  }
  return den > 0 ? Math.sqrt(num / den) : 0;
}
