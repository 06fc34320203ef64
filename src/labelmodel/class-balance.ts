import { hungarian } from './hungarian.js';
import type { WeightedRows } from './rows.js';

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
 * E: posterior per distinct row; M: θ and p from posterior-weighted counts. Each iteration costs O(votes·k)
 * (abstains enter through a per-class constant). The second-order objective alone cannot identify p (any p
 * fits the overlaps after a rotation of μ); the row likelihood can, when the model is right. Returns p, θ
 * and the fit's residual on the pairwise overlaps.
 *
 * @example
 * ```ts
 * const p = estimateClassBalanceEM(weightedRowsOf(L, 2), mu, uniform).p; // e.g. [0.70, 0.30]
 * ```
 */
export function estimateClassBalanceEM(
  rows: WeightedRows,
  mu: Float64Array,
  p0: Float64Array,
  opts: BalanceEMOptions = {},
): BalanceEMResult {
  const { m, k, ptr, cols, weight } = rows;
  const maxIter = opts.maxIter ?? 100;
  const tol = opts.tol ?? 1e-6;
  const kk = k + 1; // output values: 0 = abstain, v + 1 = vote v
  const d = m * k;
  const eps = 1e-6;
  // theta[(j·kk + o)·k + y]
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
  const base = new Float64Array(k);
  const delta = new Float64Array(d * k);
  const colW = new Float64Array(d * k);
  const classW = new Float64Array(k);
  // only the vote columns that occur need their log-ratio
  const seen = new Uint8Array(d);
  for (let e = 0; e < cols.length; e++) seen[cols[e]!] = 1;
  const active = Int32Array.from({ length: d }, (_, a) => a).filter((a) => seen[a] === 1);
  const logAbstain = new Float64Array(m * k);
  for (let iter = 0; iter < maxIter; iter++) {
    // log-likelihood of a row = Σ_j log θ(abstain) + Σ_votes [log θ(vote) − log θ(abstain)]
    base.fill(0);
    for (let j = 0; j < m; j++) {
      for (let y = 0; y < k; y++) {
        const la = Math.log(theta[j * kk * k + y]!);
        logAbstain[j * k + y] = la;
        base[y]! += la;
      }
    }
    for (const a of active) {
      const j = (a - (a % k)) / k;
      const v = a % k;
      for (let y = 0; y < k; y++)
        delta[a * k + y] = Math.log(theta[(j * kk + v + 1) * k + y]!) - logAbstain[j * k + y]!;
    }
    for (let y = 0; y < k; y++) base[y]! += Math.log(p[y]!);
    colW.fill(0);
    classW.fill(0);
    for (let r = 0; r < rows.rows; r++) {
      for (let y = 0; y < k; y++) post[y] = base[y]!;
      for (let e = ptr[r]!; e < ptr[r + 1]!; e++) {
        const o = cols[e]! * k;
        for (let y = 0; y < k; y++) post[y]! += delta[o + y]!;
      }
      normalizeLog(post, k);
      const w = weight[r]!;
      for (let y = 0; y < k; y++) classW[y]! += w * post[y]!;
      for (let e = ptr[r]!; e < ptr[r + 1]!; e++) {
        const o = cols[e]! * k;
        for (let y = 0; y < k; y++) colW[o + y]! += w * post[y]!;
      }
    }
    // M-step: θ over outputs for each (j, y); p over classes
    for (let j = 0; j < m; j++) {
      for (let y = 0; y < k; y++) {
        let voted = 0;
        for (let v = 0; v < k; v++) voted += colW[(j * k + v) * k + y]!;
        const total = classW[y]! + (k + 1) * eps;
        theta[j * kk * k + y] = (Math.max(0, classW[y]! - voted) + eps) / total;
        for (let v = 0; v < k; v++)
          theta[(j * kk + v + 1) * k + y] = (colW[(j * k + v) * k + y]! + eps) / total;
      }
    }
    let moved = 0;
    const pNew = new Float64Array(k);
    for (let y = 0; y < k; y++) {
      const v = Math.max(classW[y]! / rows.n, 1e-4);
      moved = Math.max(moved, Math.abs(v - p[y]!));
      pNew[y] = v;
    }
    const total = pNew.reduce((a, b) => a + b, 0);
    p = pNew.map((v) => v / total);
    if (moved < tol) break;
  }
  alignClasses(theta, p, m, k);
  return { p, theta, residual: offBlockResidual(rows, theta, p) };
}

/**
 * EM may converge to a labelling of the latent classes that differs from the vote classes (a class with few
 * LFs trades places with another). Reorders the latent classes of θ and p in place so that latent class y is
 * the one the LFs' votes for y come from most (Hungarian method on Σ_j p_y θ(j votes v | y)).
 */
function alignClasses(theta: Float64Array, p: Float64Array, m: number, k: number): void {
  const kk = k + 1;
  // cost[v][y]: − expected votes for v from latent class y
  const cost = Array.from({ length: k }, (_, v) =>
    Array.from({ length: k }, (_, y) => {
      let s = 0;
      for (let j = 0; j < m; j++) s += theta[(j * kk + v + 1) * k + y]!;
      return -s * p[y]!;
    }),
  );
  const assign = hungarian(cost); // vote class v takes latent class assign[v]
  if (assign.every((y, v) => y === v)) return;
  const oldTheta = theta.slice();
  const oldP = p.slice();
  for (let v = 0; v < k; v++) {
    const y = assign[v]!;
    p[v] = oldP[y]!;
    for (let j = 0; j < m; j++)
      for (let o = 0; o < kk; o++) theta[(j * kk + o) * k + v] = oldTheta[(j * kk + o) * k + y]!;
  }
}

/**
 * The share of the rows with votes (by weight) that carry 3 or more votes: the rows from which a
 * likelihood can identify the class balance.
 *
 * @example
 * ```ts
 * tripletEvidence(weightedRowsOf(L, 2)); // e.g. 0.42
 * ```
 */
export function tripletEvidence(rows: WeightedRows): number {
  let covered = 0;
  let dense = 0;
  for (let r = 0; r < rows.rows; r++) {
    const c = rows.ptr[r + 1]! - rows.ptr[r]!;
    if (c > 0) covered += rows.weight[r]!;
    if (c >= 3) dense += rows.weight[r]!;
  }
  return covered > 0 ? dense / covered : 0;
}

function normalizeLog(post: Float64Array, k: number): void {
  let max = -Infinity;
  for (let y = 0; y < k; y++) max = Math.max(max, post[y]!);
  let sum = 0;
  for (let y = 0; y < k; y++) sum += post[y] = Math.exp(post[y]! - max);
  for (let y = 0; y < k; y++) post[y]! /= sum;
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

function offBlockResidual(rows: WeightedRows, theta: Float64Array, p: Float64Array): number {
  const { m, k, ptr, cols, weight } = rows;
  const kk = k + 1;
  const d = m * k;
  // ‖O_off − Ô_off‖² = Σ O_off² − 2 Σ O_off·Ô + Σ Ô_off², with Ô[a, b] = Σ_y p_y t[a, y] t[b, y]; the last
  // sum through Gram matrices (all pairs minus each LF's own block), the first two over the observed pairs
  // observed pair counts: a dense d × d array when small enough, else a map of the pairs seen
  const dense = d * d <= 4_000_000 ? new Float64Array(d * d) : undefined;
  const pairs = new Map<number, number>();
  for (let r = 0; r < rows.rows; r++) {
    for (let a = ptr[r]!; a < ptr[r + 1]!; a++) {
      const ca = cols[a]!;
      for (let b = ptr[r]!; b < ptr[r + 1]!; b++) {
        const cb = cols[b]!;
        if ((ca - (ca % k)) / k === (cb - (cb % k)) / k) continue;
        const key = ca * d + cb;
        if (dense !== undefined) dense[key]! += weight[r]!;
        else pairs.set(key, (pairs.get(key) ?? 0) + weight[r]!);
      }
    }
  }
  if (dense !== undefined)
    for (let key = 0; key < dense.length; key++) if (dense[key]! !== 0) pairs.set(key, dense[key]!);
  // t[a·k + y] = θ(LF j votes v | y) for column a = j·k + v
  const t = new Float64Array(d * k);
  for (let j = 0; j < m; j++)
    for (let v = 0; v < k; v++)
      for (let y = 0; y < k; y++) t[(j * k + v) * k + y] = theta[(j * kk + v + 1) * k + y]!;
  let oo = 0;
  let oe = 0;
  for (const [key, c] of pairs) {
    const o = c / rows.n;
    const a = Math.floor(key / d);
    const b = key - a * d;
    let e = 0;
    for (let y = 0; y < k; y++) e += p[y]! * t[a * k + y]! * t[b * k + y]!;
    oo += o * o;
    oe += o * e;
  }
  const G = new Float64Array(k * k);
  const Gj = new Float64Array(k * k);
  let own = 0;
  for (let j = 0; j < m; j++) {
    Gj.fill(0);
    for (let v = 0; v < k; v++) {
      const a = (j * k + v) * k;
      for (let y = 0; y < k; y++) for (let z = 0; z < k; z++) Gj[y * k + z]! += t[a + y]! * t[a + z]!;
    }
    for (let i = 0; i < k * k; i++) {
      G[i]! += Gj[i]!;
      own += p[Math.floor(i / k)]! * p[i % k]! * Gj[i]! * Gj[i]!;
    }
  }
  let ee = -own;
  for (let i = 0; i < k * k; i++) ee += p[Math.floor(i / k)]! * p[i % k]! * G[i]! * G[i]!;
  return oo > 0 ? Math.sqrt(Math.max(0, oo - 2 * oe + ee) / oo) : 0;
}
