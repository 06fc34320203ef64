/** One post-LN transformer encoder layer laid out as HF's BertLayer (attention, intermediate, output). */
import { z } from 'zod';
import type { Tensor } from '../tensor/index.js';
import { activationByName } from './activation.js';
import { AddNorm } from './add-norm.js';
import { Linear } from './linear.js';
import { MODULES, parseConfig, type ModuleConfig } from './module-config.js';
import { Module } from './module.js';
import { MultiHeadSelfAttention } from './self-attention.js';
import {
  resolveTransformerOptions,
  TransformerOptionsSchema,
  type ResolvedTransformerOptions,
  type TransformerOptions,
} from './transformer-options.js';

function configOf(kind: string, options: ResolvedTransformerOptions): ModuleConfig {
  const { dtype: _, ...o } = options;
  return { kind, ...o };
}

/**
 * Self-attention followed by its residual output block: HF's `attention.self` and `attention.output`.
 *
 * @example
 * ```ts
 * new AttentionBlock({ hiddenSize: 32, numHeads: 4, intermediateSize: 64 }).forward(randn([1, 3, 32]), null).shape; // [1, 3, 32]
 * ```
 */
export class AttentionBlock extends Module {
  static readonly kind = 'AttentionBlock';
  readonly options: ResolvedTransformerOptions;
  readonly self: MultiHeadSelfAttention;
  readonly output: AddNorm;

  constructor(options: TransformerOptions) {
    super();
    const o = (this.options = resolveTransformerOptions(options, 'AttentionBlock'));
    this.self = this.registerModule('self', new MultiHeadSelfAttention(o));
    this.output = this.registerModule(
      'output',
      new AddNorm(o.hiddenSize, o.hiddenSize, {
        dropout: o.hiddenDropout,
        layerNormEps: o.layerNormEps,
        dtype: o.dtype,
      }),
    );
  }

  /** x [B, T, H], additive mask [B, 1, 1, T] or null → [B, T, H]. */
  forward(x: Tensor, mask: Tensor | null): Tensor {
    return this.output.forward(this.self.forward(x, mask), x); // [B, T, H]
  }

  toConfig(): ModuleConfig {
    return configOf(AttentionBlock.kind, this.options);
  }

  /** Rebuilds from {@link toConfig} output. */
  static fromConfig(config: ModuleConfig): AttentionBlock {
    return new AttentionBlock(
      parseConfig(TransformerOptionsSchema.extend({ kind: z.string() }), config, 'AttentionBlock.fromConfig'),
    );
  }
}
MODULES.register(AttentionBlock.kind, (c) => AttentionBlock.fromConfig(c));

/**
 * The feed-forward expansion `act(dense(x))`: HF's `intermediate` (dense H → intermediateSize).
 *
 * @example
 * ```ts
 * new Intermediate({ hiddenSize: 32, numHeads: 4, intermediateSize: 64 }).forward(randn([1, 3, 32])).shape; // [1, 3, 64]
 * ```
 */
export class Intermediate extends Module {
  static readonly kind = 'Intermediate';
  readonly options: ResolvedTransformerOptions;
  readonly dense: Linear;
  private readonly act: (x: Tensor) => Tensor;

  constructor(options: TransformerOptions) {
    super();
    const o = (this.options = resolveTransformerOptions(options, 'Intermediate'));
    this.dense = this.registerModule(
      'dense',
      new Linear(o.hiddenSize, o.intermediateSize, { dtype: o.dtype }),
    );
    this.act = activationByName(o.activation, 'Intermediate');
  }

  /** x [B, T, H] → [B, T, I]. */
  forward(x: Tensor): Tensor {
    return this.act(this.dense.forward(x)); // [B, T, I]
  }

  toConfig(): ModuleConfig {
    return configOf(Intermediate.kind, this.options);
  }

  /** Rebuilds from {@link toConfig} output. */
  static fromConfig(config: ModuleConfig): Intermediate {
    return new Intermediate(
      parseConfig(TransformerOptionsSchema.extend({ kind: z.string() }), config, 'Intermediate.fromConfig'),
    );
  }
}
MODULES.register(Intermediate.kind, (c) => Intermediate.fromConfig(c));

/**
 * A BERT encoder layer: `h = AttentionBlock(x)`, `y = LayerNorm(dropout(dense(act(dense(h)))) + h)`, with HF
 * names (`attention.self.query`, `attention.output.dense`, `intermediate.dense`, `output.LayerNorm`, …).
 *
 * @example
 * ```ts
 * const layer = new TransformerLayer({ hiddenSize: 32, numHeads: 4, intermediateSize: 64 });
 * layer.forward(randn([2, 5, 32]), extendedAttentionMask(ones([2, 5]))).shape; // [2, 5, 32]
 * ```
 */
export class TransformerLayer extends Module {
  static readonly kind = 'TransformerLayer';
  readonly options: ResolvedTransformerOptions;
  readonly attention: AttentionBlock;
  readonly intermediate: Intermediate;
  readonly output: AddNorm;

  constructor(options: TransformerOptions) {
    super();
    const o = (this.options = resolveTransformerOptions(options, 'TransformerLayer'));
    this.attention = this.registerModule('attention', new AttentionBlock(o));
    this.intermediate = this.registerModule('intermediate', new Intermediate(o));
    this.output = this.registerModule(
      'output',
      new AddNorm(o.intermediateSize, o.hiddenSize, {
        dropout: o.hiddenDropout,
        layerNormEps: o.layerNormEps,
        dtype: o.dtype,
      }),
    );
  }

  /** x [B, T, H], additive mask [B, 1, 1, T] or null → [B, T, H]. */
  forward(x: Tensor, mask: Tensor | null = null): Tensor {
    const h = this.attention.forward(x, mask); // [B, T, H]
    return this.output.forward(this.intermediate.forward(h), h); // [B, T, H]
  }

  toConfig(): ModuleConfig {
    return configOf(TransformerLayer.kind, this.options);
  }

  /** Rebuilds from {@link toConfig} output. */
  static fromConfig(config: ModuleConfig): TransformerLayer {
    return new TransformerLayer(
      parseConfig(
        TransformerOptionsSchema.extend({ kind: z.string() }),
        config,
        'TransformerLayer.fromConfig',
      ),
    );
  }
}
MODULES.register(TransformerLayer.kind, (c) => TransformerLayer.fromConfig(c));
