import { Matrix, inverse, pseudoInverse } from 'ml-matrix';
import { MmtlError, Rng } from '../core/index.js';
import { type ColumnLayout, type RowSource, buildMask } from './layout.js';
import { type MatrixCompletionProblem, isSymmetric, sgdMomentum, sgdMomentumWith } from './objective.js';
import {
  blockMaskedLoss,
  blockMaskedProblem,
  blockMaskedScratch,
  maskPartition,
} from './sparse-objective.js';

/** A step moving no entry of μ more than this ends a 'mmtl' fit early (the optimum is reached). */
const MU_TOL = 1e-9;

/** What {@link trainMu} needs besides the data. */
export interface TrainSettings {
  mode: 'mmtl' | 'snorkel';
  nEpochs: number;
  lr: number;
  momentum: number;
  l2: number;
  /** Scalar applied to μ₀ for the starting point. */
  initScale: number;
  /** Use MeTaL's inverse form (for dependent LFs). */
  inverseForm: boolean;
  seed: number;
}

/**
 * μ₀ from the initial precisions: `μ₀[a, y] = clamp(diag(O)[a] · prec[a] / p[y], 0, 1)` where row `a` is
 * associated with class `y` (`assoc[a] = y`), 0 elsewhere (Snorkel's rule, per indicator column). With
 * `spread`, the other classes of an associated row get `diag(O)[a]·(1 − prec[a]) / (1 − p[y])` (Bayes' rule
 * with the remaining mass shared in proportion to the prior).
 *
 * @example
 * ```ts
 * const mu0 = initialMu(O, d, k, p, prec, assoc); // d×k
 * ```
 */
export function initialMu(
  O: Float64Array,
  d: number,
  K: number,
  p: Float64Array,
  prec: Float64Array,
  assoc: (row: number, y: number) => boolean,
  spread = false,
): Float64Array {
  const mu0 = new Float64Array(d * K);
  for (let a = 0; a < d; a++) {
    let own = -1;
    let owners = 0;
    for (let y = 0; y < K; y++) {
      if (!assoc(a, y)) continue;
      own = y;
      owners++;
      mu0[a * K + y] = Math.min(1, Math.max(0, (O[a * d + a]! * prec[a]!) / p[y]!));
    }
    if (!spread || owners !== 1) continue;
    // Bayes' rule: P(Y = own | vote) = prec, the rest shared by the other classes in proportion to their
    // prior, so P(vote | y) = (1 − prec)·diag O / (1 − p_own) for y ≠ own, and μ₀p = diag O
    for (let y = 0; y < K; y++) {
      if (y !== own)
        mu0[a * K + y] = Math.min(1, Math.max(0, (O[a * d + a]! * (1 - prec[a]!)) / (1 - p[own]!)));
    }
  }
  return mu0;
}

/**
 * Fits μ (`d × K`) to the overlaps `O` (`d × d`) under prior `p`, starting from `initScale · μ₀`.
 * Direct form: ‖M ⊙ (O − μPμᵀ)‖² + ‖μp − diag O‖² (+ L2). Inverse form (MeTaL, for dependencies):
 * first Z (`d × K`) with ‖M ⊙ (O⁻¹ + ZZᵀ)‖², then Q = O Z (I + ZᵀOZ)⁻¹ ZᵀO, then ‖Q − μPμᵀ‖² + ‖μp − diag O‖².
 * In 'snorkel' mode L2 enters twice (l2²‖μ − μ₀‖² and weight decay l2), in 'mmtl' mode once (l2‖μ − μ₀‖²).
 *
 * @example
 * ```ts
 * const { mu, loss } = trainMu(O, layout, K, p, mu0, settings);
 * ```
 */
export function trainMu(
  O: Float64Array,
  layout: ColumnLayout,
  K: number,
  p: Float64Array,
  mu0: Float64Array,
  s: TrainSettings,
): { mu: Float64Array; loss: number } {
  const d = layout.d;
  const snorkel = s.mode === 'snorkel';
  const part = s.inverseForm ? undefined : maskPartition(layout);
  if (part !== undefined) {
    // The usual case: sparse O and a block mask, O(nnz·K + d·K²) per step. Columns that never occur
    // (diag O = 0: a one-class LF's other values) start at μ = 0 and get no gradient, so they stay 0 and are
    // left out of the problem (a 164-LF, 9-class set keeps 164 of 1476 rows of μ).
    const keep: number[] = [];
    for (let a = 0; a < d; a++)
      if (O[a * d + a]! > 0 || mu0.subarray(a * K, (a + 1) * K).some((v) => v !== 0)) keep.push(a);
    const r = keep.length;
    const Or = new Float64Array(r * r);
    for (let i = 0; i < r; i++) for (let j = 0; j < r; j++) Or[i * r + j] = O[keep[i]! * d + keep[j]!]!;
    const mu0r = new Float64Array(r * K);
    keep.forEach((a, i) => mu0r.set(mu0.subarray(a * K, (a + 1) * K), i * K));
    const partR = { blockOf: Int32Array.from(keep, (a) => part.blockOf[a]!), blocks: part.blocks };
    const problem = blockMaskedProblem(Or, r, K, partR, p, mu0r, snorkel ? s.l2 * s.l2 : s.l2);
    const scratch = blockMaskedScratch(problem);
    const mur = mu0r.map((v) => v * s.initScale);
    const loss = sgdMomentumWith((m, g) => blockMaskedLoss(problem, m, g, scratch), mur, {
      steps: s.nEpochs,
      lr: s.lr,
      momentum: s.momentum,
      weightDecay: snorkel ? s.l2 : 0,
      // 'mmtl' stops once μ has settled (moves < 1e-9 per step); 'snorkel' runs every step, as Snorkel does
      tol: snorkel ? 0 : MU_TOL,
    });
    const mu = new Float64Array(d * K);
    keep.forEach((a, i) => mu.set(mur.subarray(i * K, (i + 1) * K), a * K));
    return checkFinite(mu, loss);
  }
  const mask = buildMask(layout);
  let problem: MatrixCompletionProblem = {
    d,
    K,
    T: O,
    mask,
    p,
    diagTerm: true,
    mu0,
    l2: snorkel ? s.l2 * s.l2 : s.l2,
  };
  problem.symmetric = isSymmetric(O, mask, d);
  if (s.inverseForm) {
    const diagO = new Float64Array(d);
    for (let a = 0; a < d; a++) diagO[a] = O[a * d + a]!;
    const Q = inverseFormQ(O, mask, d, K, s);
    const full = new Uint8Array(d * d).fill(1);
    problem = {
      ...problem,
      T: Q,
      symmetric: isSymmetric(Q, full, d),
      mask: full,
      diagTarget: diagO,
    };
  }
  const mu = mu0.map((v) => v * s.initScale);
  const loss = sgdMomentum(problem, mu, {
    steps: s.nEpochs,
    lr: s.lr,
    momentum: s.momentum,
    weightDecay: snorkel ? s.l2 : 0,
  });
  return checkFinite(mu, loss);
}

function checkFinite(mu: Float64Array, loss: number): { mu: Float64Array; loss: number } {
  if (!Number.isFinite(loss) || mu.some((v) => !Number.isFinite(v))) {
    throw new MmtlError('E_NUMERIC', "'LabelModel.fit' diverged (loss is NaN or infinite)", {
      hint: 'reduce lr',
    });
  }
  return { mu, loss };
}

/** MeTaL's Q from the inverse form: fit Z on the masked O⁻¹, then Q = O Z (I + ZᵀOZ)⁻¹ ZᵀO (`d × d`). */
function inverseFormQ(
  O: Float64Array,
  mask: Uint8Array,
  d: number,
  K: number,
  s: TrainSettings,
): Float64Array {
  const Om = new Matrix(d, d);
  for (let a = 0; a < d; a++) for (let b = 0; b < d; b++) Om.set(a, b, O[a * d + b]!);
  let Oinv: Matrix;
  try {
    Oinv = inverse(Om);
  } catch {
    Oinv = pseudoInverse(Om);
  }
  // ‖M ⊙ (O⁻¹ + ZZᵀ)‖² = ‖M ⊙ (T − Z I Zᵀ)‖² with T = −O⁻¹.
  const T = new Float64Array(d * d);
  let scale = 0;
  for (let a = 0; a < d; a++) {
    for (let b = 0; b < d; b++) {
      T[a * d + b] = -Oinv.get(a, b);
      if (mask[a * d + b] === 1) scale = Math.max(scale, Math.abs(Oinv.get(a, b)));
    }
  }
  const rng = new Rng(s.seed);
  const Z = new Float64Array(d * K);
  for (let i = 0; i < Z.length; i++) Z[i] = rng.normal() * Math.sqrt(Math.max(scale, 1e-12) / K);
  const problem: MatrixCompletionProblem = {
    d,
    K,
    T,
    mask,
    p: new Float64Array(K).fill(1),
    diagTerm: false,
    mu0: Z,
    l2: 0,
  };
  // Entries of O⁻¹ are O(1/coverage): normalise the step so it is stable for any scale.
  sgdMomentum(problem, Z, {
    steps: Math.max(s.nEpochs, 1000),
    lr: 0.05 / Math.max(scale, 1e-12) / d,
    momentum: 0.9,
    weightDecay: 0,
  });
  const Zm = new Matrix(d, K);
  for (let a = 0; a < d; a++) for (let y = 0; y < K; y++) Zm.set(a, y, Z[a * K + y]!);
  const OZ = Om.mmul(Zm); // d×K
  const inner = Matrix.eye(K).add(Zm.transpose().mmul(OZ)); // K×K
  const Q = OZ.mmul(inverse(inner)).mmul(OZ.transpose()); // d×d
  const out = new Float64Array(d * d);
  for (let a = 0; a < d; a++) for (let b = 0; b < d; b++) out[a * d + b] = Q.get(a, b);
  return out;
}

/**
 * Log-posterior of the classes for one row, normalised: `out[y] = log P(Y = y | votes)`, from
 * `log p_y + Σ_cols weight · log μ[col, y]`. Returns false when the scores are not finite.
 *
 * @example
 * ```ts
 * posteriorInto(layout, logMu, logP, K, votes, out, cols, weights); // out: probabilities summing to 1
 * ```
 */
export function posteriorInto(
  layout: ColumnLayout,
  logMu: Float64Array,
  logP: Float64Array,
  K: number,
  votes: ArrayLike<number>,
  out: Float64Array,
  cols: Int32Array,
  weights: Float64Array,
): boolean {
  const c = layout.encode(votes, cols, weights);
  for (let y = 0; y < K; y++) out[y] = logP[y]!;
  for (let a = 0; a < c; a++) {
    const row = cols[a]! * K;
    const w = weights[a]!;
    if (w === 0) continue;
    for (let y = 0; y < K; y++) out[y]! += w * logMu[row + y]!;
  }
  let max = -Infinity;
  for (let y = 0; y < K; y++) max = Math.max(max, out[y]!);
  if (!Number.isFinite(max)) return false;
  let sum = 0;
  for (let y = 0; y < K; y++) sum += out[y] = Math.exp(out[y]! - max);
  for (let y = 0; y < K; y++) out[y]! /= sum;
  return Number.isFinite(sum) && sum > 0;
}

/**
 * Mean posterior over `rows` (the EM step for the class balance).
 *
 * @example
 * ```ts
 * const pNew = meanPosterior(layout, mu, p, K, rowsOfMatrix(L));
 * ```
 */
export function meanPosterior(
  layout: ColumnLayout,
  mu: Float64Array,
  p: Float64Array,
  K: number,
  rows: RowSource,
): Float64Array {
  const logMu = mu.map(Math.log);
  const logP = p.map(Math.log);
  const out = new Float64Array(K);
  const acc = new Float64Array(K);
  const cols = new Int32Array(layout.maxActive);
  const w = new Float64Array(layout.maxActive);
  rows.forEach((votes, weight) => {
    if (posteriorInto(layout, logMu, logP, K, votes, out, cols, w))
      for (let y = 0; y < K; y++) acc[y]! += weight * out[y]!;
    else for (let y = 0; y < K; y++) acc[y]! += weight * p[y]!;
  });
  return acc.map((v) => v / rows.n);
}

/**
 * Default μ clamp: `min(0.01, 10^−ceil(log10 n))` (Snorkel).
 *
 * @example
 * ```ts
 * defaultMuEps(10_000); // 0.0001
 * defaultMuEps(50);     // 0.01
 * ```
 */
export function defaultMuEps(n: number): number {
  return Math.min(0.01, 1 / 10 ** Math.ceil(Math.log10(n)));
}
