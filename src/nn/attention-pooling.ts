/** Attention pooling: a learned query scores each time step; the softmax-weighted sum is the sentence vector. */
import { z } from 'zod';
import { MmtlError } from '../core/index.js';
import { linear, type DType, type Tensor } from '../tensor/index.js';
import { uniformInit } from './init.js';
import { MODULES, parseConfig, type ModuleConfig } from './module-config.js';
import { Module } from './module.js';

const AttentionPoolingConfig = z.object({ kind: z.literal('AttentionPooling'), size: z.int().positive() });

/**
 * Pools [B, T, size] into [B, size]: scores `s_t = x_t · q` with a learned query q (`query` [size], init
 * U(±1/√size)), masked positions get −∞, weights `softmax_t(s)`, output `Σ_t w_t x_t`.
 *
 * @example
 * ```ts
 * const pool = new AttentionPooling(8);
 * const mask = tensor([[1, 1, 0], [1, 0, 0]]); // [B, T], 1 = valid
 * pool.forward(randn([2, 3, 8]), mask).shape; // [2, 8]
 * ```
 */
export class AttentionPooling extends Module {
  static readonly kind = 'AttentionPooling';

  constructor(
    readonly size: number,
    options: { dtype?: DType } = {},
  ) {
    super();
    this.registerParameter('query', uniformInit([size], 1 / Math.sqrt(size), options));
  }

  /** q [size]. */
  get query(): Tensor {
    return this.param('query');
  }

  /** The attention weights [B, T] (zero at masked steps). */
  weights(x: Tensor, mask?: Tensor): Tensor {
    if (x.rank !== 3 || x.shape[2] !== this.size) {
      throw new MmtlError(
        'E_SHAPE',
        `Argument 'x' passed to 'AttentionPooling.forward' must be [B, T, ${this.size}], got [${x.shape.join(', ')}]`,
      );
    }
    let scores = linear(x, this.query.unsqueeze(0)).squeeze(2); // [B, T]
    if (mask) scores = scores.maskedFill(mask.to('bool').logicalNot(), -Infinity); // [B, T]
    return scores.softmax(1); // [B, T]
  }

  /** x [B, T, size], mask [B, T] (1/true = valid; every row needs one) → [B, size]. */
  forward(x: Tensor, mask?: Tensor): Tensor {
    const w = this.weights(x, mask); // [B, T]
    return w.unsqueeze(1).matmul(x).squeeze(1); // [B, size]
  }

  toConfig(): ModuleConfig {
    return { kind: AttentionPooling.kind, size: this.size };
  }

  /** Rebuilds from {@link toConfig} output. */
  static fromConfig(config: ModuleConfig): AttentionPooling {
    return new AttentionPooling(
      parseConfig(AttentionPoolingConfig, config, 'AttentionPooling.fromConfig').size,
    );
  }
}
MODULES.register(AttentionPooling.kind, (c) => AttentionPooling.fromConfig(c));
