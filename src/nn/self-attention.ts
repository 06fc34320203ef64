/** Multi-head self-attention with an additive mask (BERT's `attention.self`: query, key, value). */
import { z } from 'zod';
import { MmtlError } from '../core/index.js';
import { dropout, type Tensor } from '../tensor/index.js';
import { Linear } from './linear.js';
import { MODULES, parseConfig, type ModuleConfig } from './module-config.js';
import { Module } from './module.js';
import {
  resolveTransformerOptions,
  TransformerOptionsSchema,
  type TransformerOptions,
} from './transformer-options.js';

const Config = TransformerOptionsSchema.extend({ kind: z.literal('MultiHeadSelfAttention') });

/**
 * Scaled dot-product self-attention over `numHeads` heads: `softmax(QKᵀ/√d + mask)·V`, with the HF BERT
 * parameter names `query`, `key`, `value`. The mask is additive [B, 1, 1, T] (see `extendedAttentionMask`).
 *
 * @example
 * ```ts
 * const att = new MultiHeadSelfAttention({ hiddenSize: 32, numHeads: 4, intermediateSize: 64 });
 * att.forward(randn([2, 5, 32]), extendedAttentionMask(ones([2, 5]))).shape; // [2, 5, 32]
 * ```
 */
export class MultiHeadSelfAttention extends Module {
  static readonly kind = 'MultiHeadSelfAttention';
  readonly options: ReturnType<typeof resolveTransformerOptions>;
  readonly query: Linear;
  readonly key: Linear;
  readonly value: Linear;

  constructor(options: TransformerOptions) {
    super();
    this.options = resolveTransformerOptions(options, 'MultiHeadSelfAttention');
    const { hiddenSize: H, dtype } = this.options;
    this.query = this.registerModule('query', new Linear(H, H, { dtype }));
    this.key = this.registerModule('key', new Linear(H, H, { dtype }));
    this.value = this.registerModule('value', new Linear(H, H, { dtype }));
  }

  /** x [B, T, H], additive mask [B, 1, 1, T] or null → context [B, T, H]. */
  forward(x: Tensor, mask: Tensor | null = null): Tensor {
    if (x.rank !== 3 || x.shape[2] !== this.options.hiddenSize) {
      throw new MmtlError(
        'E_SHAPE',
        `Argument 'x' passed to 'MultiHeadSelfAttention.forward' must be [B, T, ${this.options.hiddenSize}], got [${x.shape.join(', ')}]`,
      );
    }
    const [B, T, H] = x.shape as [number, number, number];
    const nh = this.options.numHeads;
    const hd = H / nh;
    const heads = (t: Tensor): Tensor => t.view([B, T, nh, hd]).permute([0, 2, 1, 3]); // [B, nh, T, hd]
    const q = heads(this.query.forward(x)); // [B, nh, T, hd]
    const k = heads(this.key.forward(x)); // [B, nh, T, hd]
    const v = heads(this.value.forward(x)); // [B, nh, T, hd]
    let scores = q.matmul(k.transpose(-1, -2)).div(Math.sqrt(hd)); // [B, nh, T, T]
    if (mask) scores = scores.add(mask); // [B, nh, T, T]
    let probs = scores.softmax(-1); // [B, nh, T, T]
    if (this.training && this.options.attentionDropout > 0)
      probs = dropout(probs, this.options.attentionDropout, true);
    const ctx = probs.matmul(v); // [B, nh, T, hd]
    return ctx.permute([0, 2, 1, 3]).reshape([B, T, H]); // [B, T, H]
  }

  toConfig(): ModuleConfig {
    const { dtype: _, ...o } = this.options;
    return { kind: MultiHeadSelfAttention.kind, ...o };
  }

  /** Rebuilds from {@link toConfig} output. */
  static fromConfig(config: ModuleConfig): MultiHeadSelfAttention {
    return new MultiHeadSelfAttention(parseConfig(Config, config, 'MultiHeadSelfAttention.fromConfig'));
  }
}
MODULES.register(MultiHeadSelfAttention.kind, (c) => MultiHeadSelfAttention.fromConfig(c));
