/**
 * The matrix-completion objective of the label model and its closed-form gradient (no autograd):
 *
 *   f(μ) = ‖M ⊙ (T − μ P μᵀ)‖²_F  +  [diagTerm] ‖μ p − t‖²  +  c ‖μ − μ₀‖²_F    (t = diag(T) by default)
 *
 * with T `d×d` (the overlap matrix O, or MeTaL's Q), M the `d×d` 0/1 mask, μ `d×K`, P = diag(p) `K×K`.
 * Gradient, with R = M ⊙ (T − μPμᵀ) and s = μp − t:
 *
 *   ∇f = −2 (R + Rᵀ) μ P  +  2 s pᵀ  +  2c (μ − μ₀)
 */

/** One instance of the objective. */
export interface MatrixCompletionProblem {
  /** Rows of μ (one-hot columns of the label matrix). */
  d: number;
  /** Columns of μ (latent classes). */
  K: number;
  /** Target `d × d` (row-major). */
  T: Float64Array;
  /** `d × d` mask: 1 = entry is fitted. */
  mask: Uint8Array;
  /** Class prior `K`. */
  p: Float64Array;
  /** Whether to include ‖μp − diagTarget‖² (true for the label model). */
  diagTerm: boolean;
  /** Target of the row sums of μP (`d`); defaults to diag(T). */
  diagTarget?: Float64Array;
  /** Centre of the L2 term, `d × K` (ignored when `l2 = 0`). */
  mu0: Float64Array;
  /** Coefficient c of c‖μ − μ₀‖². */
  l2: number;
  /** T and mask are exactly symmetric (lets the loss skip half of the residual). */
  symmetric?: boolean;
}

/**
 * Whether a `d × d` matrix and mask are exactly symmetric.
 *
 * @example
 * ```ts
 * isSymmetric(O, mask, d); // true for overlap matrices
 * ```
 */
export function isSymmetric(T: Float64Array, mask: Uint8Array, d: number): boolean {
  for (let a = 0; a < d; a++) {
    for (let b = a + 1; b < d; b++) {
      if (T[a * d + b] !== T[b * d + a] || mask[a * d + b] !== mask[b * d + a]) return false;
    }
  }
  return true;
}

/**
 * Evaluates the objective at `mu` (`d × K`) and writes its gradient into `grad` (`d × K`).
 *
 * @example
 * ```ts
 * const grad = new Float64Array(d * K);
 * const loss = matrixCompletionLoss(problem, mu, grad); // grad now holds ∂loss/∂μ
 * ```
 */
export function matrixCompletionLoss(
  problem: MatrixCompletionProblem,
  mu: Float64Array,
  grad: Float64Array,
): number {
  const { d, K, T, mask, p, diagTerm, mu0, l2 } = problem;
  // muP: d×K = μ P
  const muP = new Float64Array(d * K);
  for (let a = 0; a < d; a++) for (let y = 0; y < K; y++) muP[a * K + y] = mu[a * K + y]! * p[y]!;
  // R: d×d masked residual; accumulate loss1. With symmetric T and mask only b ≥ a is computed.
  const sym = problem.symmetric === true;
  const R = new Float64Array(d * d);
  let loss = 0;
  for (let a = 0; a < d; a++) {
    for (let b = sym ? a : 0; b < d; b++) {
      const idx = a * d + b;
      if (mask[idx] === 0) continue;
      let s = 0;
      for (let y = 0; y < K; y++) s += muP[a * K + y]! * mu[b * K + y]!;
      const r = T[idx]! - s;
      R[idx] = r;
      if (sym && b !== a) {
        R[b * d + a] = r;
        loss += 2 * r * r;
      } else loss += r * r;
    }
  }
  grad.fill(0);
  // −2 (R + Rᵀ) μP  (= −4 R μP when R is symmetric)
  for (let a = 0; a < d; a++) {
    for (let b = 0; b < d; b++) {
      const w = sym ? 2 * R[a * d + b]! : R[a * d + b]! + R[b * d + a]!;
      if (w === 0) continue;
      for (let y = 0; y < K; y++) grad[a * K + y]! -= 2 * w * muP[b * K + y]!;
    }
  }
  if (diagTerm) {
    for (let a = 0; a < d; a++) {
      let s = -(problem.diagTarget === undefined ? T[a * d + a]! : problem.diagTarget[a]!);
      for (let y = 0; y < K; y++) s += muP[a * K + y]!;
      loss += s * s;
      for (let y = 0; y < K; y++) grad[a * K + y]! += 2 * s * p[y]!;
    }
  }
  if (l2 !== 0) {
    for (let i = 0; i < d * K; i++) {
      const diff = mu[i]! - mu0[i]!;
      loss += l2 * diff * diff;
      grad[i]! += 2 * l2 * diff;
    }
  }
  return loss;
}

/** Options of {@link sgdMomentum}. */
export interface SgdOptions {
  /** Full-batch steps. */
  steps: number;
  lr: number;
  momentum: number;
  /** torch-style weight decay added to the gradient (`g + wd·θ`) before momentum. */
  weightDecay: number;
  /** Stop early once no entry moves more than this in a step (default 0: run every step). */
  tol?: number;
}

/**
 * Minimizes the objective from `mu` (updated in place) with SGD + momentum exactly as `torch.optim.SGD`
 * (dampening 0, no Nesterov): `g ← ∇f + wd·μ; buf ← momentum·buf + g; μ ← μ − lr·buf`. Returns the loss of
 * the last step (evaluated before it) and throws E_NUMERIC if the loss becomes NaN.
 *
 * @example
 * ```ts
 * const lastLoss = sgdMomentum(problem, mu, { steps: 100, lr: 0.01, momentum: 0.9, weightDecay: 0 });
 * ```
 */
export function sgdMomentum(problem: MatrixCompletionProblem, mu: Float64Array, opts: SgdOptions): number {
  return sgdMomentumWith((m, g) => matrixCompletionLoss(problem, m, g), mu, opts);
}

/**
 * {@link sgdMomentum} for any objective: `lossAndGrad(mu, grad)` returns the loss and writes the gradient.
 *
 * @example
 * ```ts
 * sgdMomentumWith((mu, g) => { g[0] = 2 * mu[0]!; return mu[0]! ** 2; }, Float64Array.of(1), { steps: 50, lr: 0.1, momentum: 0.9, weightDecay: 0 });
 * ```
 */
export function sgdMomentumWith(
  lossAndGrad: (mu: Float64Array, grad: Float64Array) => number,
  mu: Float64Array,
  opts: SgdOptions,
): number {
  const grad = new Float64Array(mu.length);
  const buf = new Float64Array(mu.length);
  const { momentum, lr, weightDecay } = opts;
  const tol = opts.tol ?? 0;
  let loss = Number.NaN;
  for (let step = 0; step < opts.steps; step++) {
    loss = lossAndGrad(mu, grad);
    if (Number.isNaN(loss)) return loss;
    let moved = 0;
    for (let i = 0; i < mu.length; i++) {
      const g = grad[i]! + weightDecay * mu[i]!;
      buf[i] = momentum * buf[i]! + g;
      const delta = lr * buf[i]!;
      mu[i]! -= delta;
      if (Math.abs(delta) > moved) moved = Math.abs(delta);
    }
    if (moved < tol) break;
  }
  return loss;
}
