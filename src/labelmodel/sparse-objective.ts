/**
 * The label model's matrix-completion objective for the common case, in O(nnz(O)·K + d·K²) per step
 * instead of O(d²·K): the mask blanks whole blocks of a partition of the columns (each LF's own k columns,
 * or a dependency component's columns), and the target O = AᵀA/n is sparse (A the one-hot vote matrix).
 * With S = μPμᵀ, Ō = M ⊙ O, G = μᵀμ and G_b = μ_bᵀμ_b per block b:
 *
 *   ‖M ⊙ (O − S)‖² = ‖Ō‖² − 2⟨Ō, S⟩ + Σ_yz p_y p_z G_yz² − Σ_b Σ_yz p_y p_z (G_b)_yz²
 *   ∇ = −4 Ō μ P + 4 μ (PGP) − 4 μ_b (P G_b P)   (rows of block b)
 *
 * plus ‖μp − diag O‖² and c‖μ − μ₀‖², exactly as the dense {@link matrixCompletionLoss}.
 */
import type { ColumnLayout } from './layout.js';

/** One instance of the block-masked objective. */
export interface BlockMaskedProblem {
  d: number;
  K: number;
  /** Ō = M ⊙ O in compressed rows (both triangles). */
  ptr: Int32Array;
  idx: Int32Array;
  val: Float64Array;
  /** ‖Ō‖²_F. */
  normSq: number;
  /** Block of each column. */
  blockOf: Int32Array;
  /** Number of blocks. */
  blocks: number;
  /** Target of the row sums of μP (diag O). */
  diagTarget: Float64Array;
  p: Float64Array;
  mu0: Float64Array;
  /** Coefficient c of c‖μ − μ₀‖². */
  l2: number;
}

/**
 * The partition of the columns the layout's mask blanks, or undefined when the mask is not block-diagonal
 * over a partition (MeTaL's clique mask with an LF in two pairs).
 *
 * @example
 * ```ts
 * maskPartition(singleTaskLayout(3, 2)); // Int32Array [0, 0, 1, 1, 2, 2]
 * ```
 */
export function maskPartition(layout: ColumnLayout): { blockOf: Int32Array; blocks: number } | undefined {
  const ids = new Map<number, number>();
  const blockOf = new Int32Array(layout.d);
  for (const g of layout.groups) {
    if (g.maxCliques.length !== 1) return undefined;
    const c = g.maxCliques[0]!;
    if (!ids.has(c)) ids.set(c, ids.size);
    blockOf.fill(ids.get(c)!, g.start, g.start + g.size);
  }
  return { blockOf, blocks: ids.size };
}

/**
 * Builds the problem from a dense symmetric `O` (`d × d`) and a column partition.
 *
 * @example
 * ```ts
 * const part = maskPartition(layout)!;
 * const problem = blockMaskedProblem(O, d, K, part, p, mu0, 0);
 * ```
 */
export function blockMaskedProblem(
  O: Float64Array,
  d: number,
  K: number,
  part: { blockOf: Int32Array; blocks: number },
  p: Float64Array,
  mu0: Float64Array,
  l2: number,
  diagTarget?: Float64Array,
): BlockMaskedProblem {
  const { blockOf } = part;
  let nnz = 0;
  for (let a = 0; a < d; a++) {
    const ba = blockOf[a]!;
    for (let b = 0; b < d; b++) if (O[a * d + b] !== 0 && blockOf[b] !== ba) nnz++;
  }
  const ptr = new Int32Array(d + 1);
  const idx = new Int32Array(nnz);
  const val = new Float64Array(nnz);
  let e = 0;
  let normSq = 0;
  for (let a = 0; a < d; a++) {
    const ba = blockOf[a]!;
    for (let b = 0; b < d; b++) {
      const v = O[a * d + b]!;
      if (v === 0 || blockOf[b] === ba) continue;
      idx[e] = b;
      val[e++] = v;
      normSq += v * v;
    }
    ptr[a + 1] = e;
  }
  const diag = diagTarget ?? Float64Array.from({ length: d }, (_, a) => O[a * d + a]!);
  return { d, K, ptr, idx, val, normSq, blockOf, blocks: part.blocks, diagTarget: diag, p, mu0, l2 };
}

/** Scratch buffers of {@link blockMaskedLoss}, reused across steps. */
export interface BlockMaskedScratch {
  OMu: Float64Array;
  G: Float64Array;
  Gb: Float64Array;
}

/**
 * Allocates the scratch buffers for a problem.
 *
 * @example
 * ```ts
 * const scratch = blockMaskedScratch(problem);
 * ```
 */
export function blockMaskedScratch(problem: BlockMaskedProblem): BlockMaskedScratch {
  const { d, K, blocks } = problem;
  return {
    OMu: new Float64Array(d * K),
    G: new Float64Array(K * K),
    Gb: new Float64Array(blocks * K * K),
  };
}

/**
 * Evaluates the objective at `mu` (`d × K`) and writes its gradient into `grad`.
 *
 * @example
 * ```ts
 * const loss = blockMaskedLoss(problem, mu, grad, blockMaskedScratch(problem));
 * ```
 */
export function blockMaskedLoss(
  problem: BlockMaskedProblem,
  mu: Float64Array,
  grad: Float64Array,
  scratch: BlockMaskedScratch,
): number {
  const { d, K, ptr, idx, val, blockOf, blocks, p, diagTarget, mu0, l2 } = problem;
  const { OMu, G, Gb } = scratch;
  OMu.fill(0);
  G.fill(0);
  Gb.fill(0);
  // Ō μ (d × K), G = μᵀμ and G_b (K × K each)
  for (let a = 0; a < d; a++) {
    const oa = a * K;
    for (let e = ptr[a]!; e < ptr[a + 1]!; e++) {
      const v = val[e]!;
      const ob = idx[e]! * K;
      for (let y = 0; y < K; y++) OMu[oa + y]! += v * mu[ob + y]!;
    }
    const gb = blockOf[a]! * K * K;
    for (let y = 0; y < K; y++) {
      const my = mu[oa + y]!;
      if (my === 0) continue;
      for (let z = 0; z < K; z++) {
        const t = my * mu[oa + z]!;
        G[y * K + z]! += t;
        Gb[gb + y * K + z]! += t;
      }
    }
  }
  // loss of the masked residual
  let cross = 0;
  for (let a = 0; a < d; a++) for (let y = 0; y < K; y++) cross += mu[a * K + y]! * p[y]! * OMu[a * K + y]!;
  let sq = 0;
  for (let y = 0; y < K; y++) for (let z = 0; z < K; z++) sq += p[y]! * p[z]! * G[y * K + z]! ** 2;
  // D_b = P (G − G_b) P, overwriting Gb
  for (let b = 0; b < blocks; b++) {
    const gb = b * K * K;
    for (let y = 0; y < K; y++) {
      for (let z = 0; z < K; z++) {
        const g = Gb[gb + y * K + z]!;
        sq -= p[y]! * p[z]! * g * g;
        Gb[gb + y * K + z] = p[y]! * p[z]! * (G[y * K + z]! - g);
      }
    }
  }
  let loss = problem.normSq - 2 * cross + sq;
  // gradient: −4 Ō μ P + 4 μ D_b
  for (let a = 0; a < d; a++) {
    const oa = a * K;
    const gb = blockOf[a]! * K * K;
    for (let z = 0; z < K; z++) {
      let s = -OMu[oa + z]! * p[z]!;
      for (let y = 0; y < K; y++) s += mu[oa + y]! * Gb[gb + y * K + z]!;
      grad[oa + z] = 4 * s;
    }
  }
  // ‖μp − diag O‖²
  for (let a = 0; a < d; a++) {
    let s = -diagTarget[a]!;
    for (let y = 0; y < K; y++) s += mu[a * K + y]! * p[y]!;
    loss += s * s;
    for (let y = 0; y < K; y++) grad[a * K + y]! += 2 * s * p[y]!;
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
