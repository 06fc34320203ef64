/** Soft attention (MeTaL): a learned elementwise gate `x ⊙ tanh(w ⊙ x)`. */
import { z } from 'zod';
import type { DType, Tensor } from '../tensor/index.js';
import { constantInit } from './init.js';
import { MODULES, parseConfig, type ModuleConfig } from './module-config.js';
import { Module } from './module.js';

const SoftAttentionConfig = z.object({ kind: z.literal('SoftAttention'), size: z.int().positive() });

/**
 * MeTaL's soft attention over features: `y = x ⊙ tanh(w ⊙ x)` with `weight` w [size] initialized to ones,
 * so each feature learns how much of itself to let through.
 *
 * @example
 * ```ts
 * const att = new SoftAttention(4);
 * att.forward(ones([2, 4])).toArray()[0]; // tanh(1) ≈ 0.7616
 * ```
 */
export class SoftAttention extends Module {
  static readonly kind = 'SoftAttention';

  constructor(
    readonly size: number,
    options: { dtype?: DType } = {},
  ) {
    super();
    this.registerParameter('weight', constantInit([size], 1, options));
  }

  /** w [size]. */
  get weight(): Tensor {
    return this.param('weight');
  }

  /** x [..., size] → [..., size]. */
  forward(x: Tensor): Tensor {
    return x.mul(x.mul(this.weight).tanh()); // [..., size]
  }

  toConfig(): ModuleConfig {
    return { kind: SoftAttention.kind, size: this.size };
  }

  /** Rebuilds from {@link toConfig} output. */
  static fromConfig(config: ModuleConfig): SoftAttention {
    return new SoftAttention(parseConfig(SoftAttentionConfig, config, 'SoftAttention.fromConfig').size);
  }
}
MODULES.register(SoftAttention.kind, (c) => SoftAttention.fromConfig(c));
