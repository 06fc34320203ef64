import { z } from 'zod';
import { MmtlError } from '../core/index.js';

/**
 * Options of `LabelModel.fit` / `fitFromStats`. The schema owns the defaults; unknown keys are errors.
 *
 * @example
 * ```ts
 * const opts = parseFitOptions({ mode: 'snorkel', nEpochs: 500, seed: 123, initScale: 0.696469 });
 * opts.lr; // 0.01
 * ```
 */
export const labelModelFitSchema = z
  .object({
    /**
     * `'mmtl'` (default): learns the class balance when none is given, applies L2 once (centred on the
     * initial μ), warns about LFs estimated worse than random, falls back to majority vote for m < 3 LFs.
     * `'snorkel'`: Snorkel 0.10's LabelModel step for step (uniform prior unless given, L2 both as a centred
     * term `l2²‖μ−μ₀‖²` and as optimizer weight decay, 100 epochs by default).
     */
    mode: z.enum(['mmtl', 'snorkel']).default('mmtl'),
    /** Full-batch SGD steps; default 100 in 'snorkel' mode and 500 in 'mmtl' mode. */
    nEpochs: z.int().positive().optional(),
    /** Learning rate of SGD. */
    lr: z.number().positive().default(0.01),
    /** SGD momentum (torch semantics, dampening 0). */
    momentum: z.number().min(0).max(1).default(0.9),
    /**
     * L2 strength toward the initial μ (see `mode` for how each mode applies it). Default 0 in 'snorkel'
     * mode, 0.1 in 'mmtl' mode: with keyword-style LFs (one class each, few votes per row) most of μ is barely
     * constrained by the overlaps and 500 plain steps drift (trec 0.47 vs 0.59 with it; synthetic sets with
     * copied LFs 0.40 → 0.68), while conditionally independent sets lose nothing.
     */
    l2: z.number().min(0).optional(),
    /** Initial precision P(Y = y | LF = y): one number or one per LF. */
    precInit: z.union([z.number().gt(0).max(1), z.array(z.number().gt(0).max(1))]).default(0.7),
    /** Seed of every random choice of the fit (init scale, tie breaks). */
    seed: z.int().default(0),
    /**
     * The single scalar that multiplies μ₀ to get the starting μ. Default: drawn from `Rng(seed)`, uniform in
     * [0, 1) in 'snorkel' mode and in [0.5, 1) in 'mmtl' mode. Snorkel with seed 123 draws 0.6964691855978616.
     */
    initScale: z.number().gt(0).max(1).optional(),
    /** μ is clamped to [muEps, 1 − muEps] after training; default min(0.01, 10^−ceil(log10 n)). */
    muEps: z.number().min(0).lt(0.5).optional(),
    /** Known class balance (k non-negative entries summing to 1); it is then kept fixed. */
    classBalance: z.array(z.number()).optional(),
    /** Gold labels of a dev set; their class frequencies become the class balance. */
    yDev: z.array(z.int()).optional(),
    /**
     * Prior when neither `classBalance` nor `yDev` is given: `'learned'` (default in 'mmtl' mode; see
     * `balanceRounds`) or `'uniform'` (default in 'snorkel' mode, Snorkel's behaviour).
     */
    balance: z.enum(['learned', 'uniform']).optional(),
    /** Rounds of (class balance by EM from the current μ, then refit μ) when the balance is learned. */
    balanceRounds: z.int().min(0).default(2),
    /**
     * ('mmtl') Largest relative residual of the EM model on the pairwise overlaps for which the learned
     * balance is trusted; above it the balance stays as it was (uniform) and a warning says so.
     */
    balanceMaxResidual: z.number().positive().default(0.15),
    /**
     * Smallest share of the rows with votes that have 3 or more votes for which a balance is learned. The
     * likelihood pins p down only through such rows (third-order co-votes): with one or two votes per row,
     * scaling p_y up and the LFs' rates given y down explains the data as well, and on sparse many-class
     * sets EM then hands a class with few LFs a large share (a 0.04-class learned as 0.38).
     */
    balanceMinDense: z.number().min(0).max(1).default(0.25),
    /** Stop balance rounds when no class moves more than this. */
    balanceTol: z.number().positive().default(1e-4),
    /**
     * Pairs of dependent LFs `[i, j]`; they must form a forest (chains and stars are fine, cycles are not).
     * Each pair gets k² joint-vote columns (junction tree over pairs only; no triples).
     */
    deps: z.array(z.tuple([z.int().min(0), z.int().min(0)])).default([]),
    /**
     * How `deps` are fitted. `'masked'` (default): the direct objective on the augmented O with every block
     * inside a dependency component left out (only conditionally independent blocks are fitted).
     * `'inverse'`: MeTaL's inverse form — Z from the junction-tree-masked O⁻¹ + ZZᵀ, then
     * Q = O Z (I + ZᵀOZ)⁻¹ ZᵀO, then μ from ‖Q − μPμᵀ‖². On synthetic sets with copied LFs (n = 20k) the masked
     * form recovers LF accuracies to ~0.005 MAE vs ~0.02–0.13 for the inverse form, whose O⁻¹ amplifies
     * sampling noise (test/labelmodel/deps.test.ts).
     */
    depsMethod: z.enum(['inverse', 'masked']).default('masked'),
    /** Optional sink for warnings (they are also returned by fit). */
    onWarning: z.custom<(message: string) => void>((v) => typeof v === 'function').optional(),
  })
  .strict();

/** Fit options as accepted (defaults optional). */
export type LabelModelFitOptions = z.input<typeof labelModelFitSchema>;
/** Fit options after validation, defaults filled in. */
export type LabelModelFitConfig = z.output<typeof labelModelFitSchema>;

/**
 * Validates fit options; throws `MmtlError('E_ARG')` naming the offending fields and the function.
 *
 * @example
 * ```ts
 * parseFitOptions({ lr: -1 }); // throws E_ARG: invalid options passed to 'LabelModel.fit' ✖ … → at lr
 * ```
 */
export function parseFitOptions(opts: unknown, fn = 'LabelModel.fit'): LabelModelFitConfig {
  const r = labelModelFitSchema.safeParse(opts ?? {});
  if (!r.success) {
    throw new MmtlError(
      'E_ARG',
      `Argument 'opts' passed to '${fn}' is invalid:\n${z.prettifyError(r.error)}`,
      {
        details: { issues: r.error.issues },
      },
    );
  }
  return r.data;
}
