/** LayerNorm over the last dim, with PyTorch/HF parameter names (weight, bias). */
import { z } from 'zod';
import { layerNorm, type DType, type Tensor } from '../tensor/index.js';
import { constantInit } from './init.js';
import { MODULES, parseConfig, type ModuleConfig } from './module-config.js';
import { Module } from './module.js';

const LayerNormConfig = z.object({
  kind: z.literal('LayerNorm'),
  size: z.int().positive(),
  eps: z.number().positive().default(1e-5),
  affine: z.boolean().default(true),
});

/** Options of {@link LayerNorm}. */
export interface LayerNormOptions {
  /** Added to the variance (default 1e-5; BERT uses 1e-12). */
  eps?: number;
  /** Learn a scale (ones) and shift (zeros) (default true). */
  affine?: boolean;
  /** Parameter dtype (default float32). */
  dtype?: DType;
}

/**
 * Normalizes the last dim to mean 0 and variance 1, then scales and shifts (weight ones, bias zeros).
 *
 * @example
 * ```ts
 * const ln = new LayerNorm(8, { eps: 1e-12 });
 * ln.forward(randn([2, 8])).mean(-1).abs().amax().item() < 1e-5; // true
 * ```
 */
export class LayerNorm extends Module {
  static readonly kind = 'LayerNorm';
  readonly eps: number;
  readonly affine: boolean;

  constructor(
    readonly size: number,
    options: LayerNormOptions = {},
  ) {
    super();
    this.eps = options.eps ?? 1e-5;
    this.affine = options.affine ?? true;
    if (this.affine) {
      this.registerParameter('weight', constantInit([size], 1, options));
      this.registerParameter('bias', constantInit([size], 0, options));
    }
  }

  /** [size] scale, or null when not affine. */
  get weight(): Tensor | null {
    return this.affine ? this.param('weight') : null;
  }
  /** [size] shift, or null when not affine. */
  get bias(): Tensor | null {
    return this.affine ? this.param('bias') : null;
  }

  /** x [..., size] → [..., size]. */
  forward(x: Tensor): Tensor {
    return layerNorm(x, [this.size], this.weight, this.bias, this.eps); // [..., size]
  }

  toConfig(): ModuleConfig {
    return { kind: LayerNorm.kind, size: this.size, eps: this.eps, affine: this.affine };
  }

  /** Rebuilds from {@link toConfig} output. */
  static fromConfig(config: ModuleConfig): LayerNorm {
    const c = parseConfig(LayerNormConfig, config, 'LayerNorm.fromConfig');
    return new LayerNorm(c.size, { eps: c.eps, affine: c.affine });
  }
}
MODULES.register(LayerNorm.kind, (c) => LayerNorm.fromConfig(c));
