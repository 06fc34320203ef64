/** The attention combiner of slice-based learning (Chen et al. 2019), with a confidence defined for any k. */
import { z } from 'zod';
import { MmtlError, Registry } from '../core/index.js';
import { MODULES, Module, parseConfig, type ModuleConfig } from '../nn/index.js';
import { ones, stack, type Tensor } from '../tensor/index.js';

/** A predictor's confidence per row: head logits [B, k] → [B] in [0, 1]. */
export type ConfidenceFn = (logits: Tensor) => Tensor;

/**
 * How the combiner turns a slice predictor's logits into a confidence c_s, by name:
 * - `max-prob` (default for classification): max_c softmax(logits)_c — the probability of the class the
 *   predictor would output. Well defined for any k ≥ 2, and unlike Snorkel's positive-class probability it
 *   does not favour one class: a predictor sure of class 0 is as confident as one sure of class 1 (Snorkel's
 *   `softmax[:, 1]` treats a confident negative as unconfident, which is why its multiclass combiner was wrong).
 *   It is chosen over 1 − normalized entropy because it depends only on the predicted class, not on how the
 *   remaining mass spreads over the other k − 1 classes.
 * - `one-minus-entropy`: 1 − H(p)/log k, another class-symmetric choice.
 * - `margin`: top-1 minus top-2 logit, unbounded (for k = 2 it is |logit difference|, the magnitude of the
 *   binary prediction). Sharper attention than the bounded scores: a confident expert can win outright.
 * - `positive`: softmax(logits)[:, 1] — Snorkel's binary definition, kept for comparison (k = 2 only).
 * - `none` (default for regression): c_s = 1, so attention follows slice membership alone. A point regressor
 *   has no calibrated confidence, and a variance output would need a heteroscedastic (Gaussian NLL) loss
 *   that the regression task type does not have; q_s alone still routes each row to its slice's expert.
 */
export const SLICE_CONFIDENCE = new Registry<ConfidenceFn>('slice confidence')
  .register('max-prob', (logits) => logits.softmax(-1).amax(1)) // [B]
  .register('one-minus-entropy', (logits) => {
    const k = logits.shape[1]!;
    const logp = logits.logSoftmax(-1); // [B, k]
    const entropy = logp.exp().mul(logp).sum(1).neg(); // [B]
    return entropy.div(Math.log(k)).rsub(1); // [B]
  })
  .register('margin', (logits) => {
    const top = logits.sort(1, true).values; // [B, k] descending
    return top.select(1, 0).sub(top.select(1, 1)); // [B] ≥ 0
  })
  .register('positive', (logits) => {
    if (logits.shape[1] !== 2) {
      throw new MmtlError(
        'E_SHAPE',
        `slice confidence 'positive' needs binary logits [B, 2], got [${logits.shape.join(', ')}]; use 'max-prob' for k > 2`,
      );
    }
    return logits.softmax(-1).select(1, 1); // [B]
  })
  .register('none', (logits) => ones([logits.shape[0]!], { dtype: logits.dtype })); // [B]

const SliceCombinerConfig = z.object({
  kind: z.literal('SliceCombiner'),
  slices: z.int().positive(),
  confidence: z.string().default('max-prob'),
  temperature: z.number().positive().default(1),
});

/** Options of {@link SliceCombiner}. */
export interface SliceCombinerOptions {
  /** A name in {@link SLICE_CONFIDENCE} (default 'max-prob'). */
  confidence?: string | undefined;
  /** Softmax temperature τ of the attention (default 1, as Snorkel). */
  temperature?: number | undefined;
}

/**
 * Combines S slice experts into one representation: with q_s = P(in slice s) from indicator logits,
 * c_s = confidence of the shared predictor on expert s (see {@link SLICE_CONFIDENCE}),
 * a = softmax_s(q_s · c_s / τ) and z = Σ_s a_s r_s. No parameters. Its forward takes S indicator logits
 * [B, 2], then S predictor logits [B, k], then S expert representations [B, h], and returns z [B, h].
 *
 * @example
 * ```ts
 * const combine = new SliceCombiner(2);
 * const z = combine.forward(ind0, ind1, pred0, pred1, r0, r1); // r_s [8, 16] → z [8, 16]
 * combine.attention(ind0, ind1, pred0, pred1).shape;          // [8, 2]
 * ```
 */
export class SliceCombiner extends Module {
  static readonly kind = 'SliceCombiner';
  readonly confidence: string;
  readonly temperature: number;
  private readonly confidenceFn: ConfidenceFn;

  constructor(
    readonly slices: number,
    options: SliceCombinerOptions = {},
  ) {
    super();
    if (!Number.isInteger(slices) || slices < 1) {
      throw new MmtlError(
        'E_ARG',
        `Argument 'slices' passed to 'SliceCombiner' must be a positive integer, got ${slices}`,
      );
    }
    this.confidence = options.confidence ?? 'max-prob';
    this.confidenceFn = SLICE_CONFIDENCE.get(this.confidence);
    this.temperature = options.temperature ?? 1;
    if (!(this.temperature > 0)) {
      throw new MmtlError(
        'E_ARG',
        `Argument 'temperature' passed to 'SliceCombiner' must be > 0, got ${this.temperature}`,
      );
    }
  }

  private check(xs: readonly Tensor[], count: number): void {
    if (xs.length !== count * this.slices) {
      throw new MmtlError(
        'E_ARG',
        `'SliceCombiner.forward' takes ${count} × ${this.slices} tensors (indicators, predictors${count === 3 ? ', experts' : ''}), got ${xs.length}`,
      );
    }
  }

  /** Attention weights a [B, S] from S indicator logits [B, 2] and S predictor logits [B, k]. */
  attention(...xs: Tensor[]): Tensor {
    this.check(xs, 2);
    const S = this.slices;
    const q = stack(
      xs.slice(0, S).map((l) => l.softmax(-1).select(1, 1)),
      1,
    ); // [B, S] P(in slice)
    const c = stack(
      xs.slice(S, 2 * S).map((l) => this.confidenceFn(l)),
      1,
    ); // [B, S] confidence
    return q.mul(c).div(this.temperature).softmax(1); // [B, S]
  }

  /** z [B, h] = Σ_s a_s r_s from S indicator logits, S predictor logits and S expert outputs [B, h]. */
  forward(...xs: Tensor[]): Tensor {
    this.check(xs, 3);
    const S = this.slices;
    const a = this.attention(...xs.slice(0, 2 * S)); // [B, S]
    const r = stack(xs.slice(2 * S), 1); // [B, S, h]
    return a.unsqueeze(2).mul(r).sum(1); // [B, h]
  }

  toConfig(): ModuleConfig {
    return {
      kind: SliceCombiner.kind,
      slices: this.slices,
      confidence: this.confidence,
      temperature: this.temperature,
    };
  }

  /**
   * Rebuilds from {@link toConfig} output.
   *
   * @example
   * ```ts
   * SliceCombiner.fromConfig({ kind: 'SliceCombiner', slices: 3 }).confidence; // 'max-prob'
   * ```
   */
  static fromConfig(config: ModuleConfig): SliceCombiner {
    const c = parseConfig(SliceCombinerConfig, config, 'SliceCombiner.fromConfig');
    return new SliceCombiner(c.slices, { confidence: c.confidence, temperature: c.temperature });
  }
}
MODULES.register(SliceCombiner.kind, (c) => SliceCombiner.fromConfig(c));
