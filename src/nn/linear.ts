/** Linear: `y = x·Wᵀ + b` over the last dim, with PyTorch's initialization and parameter names. */
import { z } from 'zod';
import { linear, type DType, type Tensor } from '../tensor/index.js';
import { uniformInit } from './init.js';
import { MODULES, parseConfig, type ModuleConfig } from './module-config.js';
import { Module } from './module.js';

const LinearConfig = z.object({
  kind: z.literal('Linear'),
  inFeatures: z.int().positive(),
  outFeatures: z.int().positive(),
  bias: z.boolean().default(true),
});

/** Options of {@link Linear}. */
export interface LinearOptions {
  /** Learn an additive bias (default true). */
  bias?: boolean;
  /** Parameter dtype (default float32). */
  dtype?: DType;
}

/**
 * A fully connected layer: weight [out, in] and bias [out], initialized as PyTorch's `nn.Linear`
 * (kaiming-uniform with a = √5 for the weight, i.e. U(±1/√in), and U(±1/√in) for the bias).
 *
 * @example
 * ```ts
 * const fc = new Linear(4, 2);
 * fc.forward(ones([8, 4])).shape; // [8, 2]
 * [...fc.namedParameters().keys()]; // ['weight', 'bias']
 * ```
 */
export class Linear extends Module {
  static readonly kind = 'Linear';
  readonly hasBias: boolean;

  constructor(
    readonly inFeatures: number,
    readonly outFeatures: number,
    options: LinearOptions = {},
  ) {
    super();
    this.hasBias = options.bias ?? true;
    const bound = 1 / Math.sqrt(inFeatures);
    this.registerParameter('weight', uniformInit([outFeatures, inFeatures], bound, options));
    if (this.hasBias) this.registerParameter('bias', uniformInit([outFeatures], bound, options));
  }

  /** [out, in]. */
  get weight(): Tensor {
    return this.param('weight');
  }
  /** [out], or null without bias. */
  get bias(): Tensor | null {
    return this.hasBias ? this.param('bias') : null;
  }

  /** x [..., in] → [..., out]. */
  forward(x: Tensor): Tensor {
    return linear(x, this.weight, this.bias); // [..., out]
  }

  toConfig(): ModuleConfig {
    return {
      kind: Linear.kind,
      inFeatures: this.inFeatures,
      outFeatures: this.outFeatures,
      bias: this.hasBias,
    };
  }

  /** Rebuilds from {@link toConfig} output. */
  static fromConfig(config: ModuleConfig): Linear {
    const c = parseConfig(LinearConfig, config, 'Linear.fromConfig');
    return new Linear(c.inFeatures, c.outFeatures, { bias: c.bias });
  }
}
MODULES.register(Linear.kind, (c) => Linear.fromConfig(c));
