/** TransformerEncoder: a stack of post-LN (BERT) layers named `layer.0`, `layer.1`, … as HF's BertEncoder. */
import { z } from 'zod';
import { MmtlError } from '../core/index.js';
import type { Tensor } from '../tensor/index.js';
import { extendedAttentionMask } from './masks.js';
import { MODULES, parseConfig, type ModuleConfig } from './module-config.js';
import { Module } from './module.js';
import { ModuleList } from './sequential.js';
import { TransformerLayer } from './transformer-layer.js';
import {
  resolveTransformerOptions,
  TransformerOptionsSchema,
  type ResolvedTransformerOptions,
  type TransformerOptions,
} from './transformer-options.js';

const Config = TransformerOptionsSchema.extend({
  kind: z.literal('TransformerEncoder'),
  numLayers: z.int().positive(),
});

/**
 * `numLayers` BERT encoder layers. `forward` takes a 0/1 attention mask [B, T] (or an additive
 * [B, 1, 1, T] one) and returns the last layer's hidden states.
 *
 * @example
 * ```ts
 * const enc = new TransformerEncoder({ numLayers: 2, hiddenSize: 32, numHeads: 4, intermediateSize: 64 });
 * enc.forward(randn([2, 5, 32]), tensor([[1, 1, 1, 0, 0], [1, 1, 1, 1, 1]])).shape; // [2, 5, 32]
 * ```
 */
export class TransformerEncoder extends Module {
  static readonly kind = 'TransformerEncoder';
  readonly options: ResolvedTransformerOptions;
  readonly numLayers: number;
  readonly layer: ModuleList<TransformerLayer>;

  constructor(options: TransformerOptions & { numLayers: number }) {
    super();
    const { numLayers, ...rest } = options;
    this.options = resolveTransformerOptions(rest, 'TransformerEncoder');
    if (!Number.isInteger(numLayers) || numLayers < 1) {
      throw new MmtlError(
        'E_ARG',
        `Argument 'numLayers' passed to 'TransformerEncoder' must be ≥ 1, got ${numLayers}`,
      );
    }
    this.numLayers = numLayers;
    const layers = Array.from({ length: numLayers }, () => new TransformerLayer(this.options));
    this.layer = this.registerModule('layer', new ModuleList(layers));
  }

  /**
   * x [B, T, H] and mask: 0/1 [B, T] (1 = attend) or additive [B, 1, 1, T], or null → [B, T, H].
   */
  forward(x: Tensor, mask: Tensor | null = null): Tensor {
    const additive = mask === null ? null : mask.rank === 2 ? extendedAttentionMask(mask, x.dtype) : mask; // [B, 1, 1, T]
    let h = x;
    for (const layer of this.layer.items) h = layer.forward(h, additive); // [B, T, H]
    return h;
  }

  toConfig(): ModuleConfig {
    const { dtype: _, ...o } = this.options;
    return { kind: TransformerEncoder.kind, numLayers: this.numLayers, ...o };
  }

  /** Rebuilds from {@link toConfig} output. */
  static fromConfig(config: ModuleConfig): TransformerEncoder {
    return new TransformerEncoder(parseConfig(Config, config, 'TransformerEncoder.fromConfig'));
  }
}
MODULES.register(TransformerEncoder.kind, (c) => TransformerEncoder.fromConfig(c));
