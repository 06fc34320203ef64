/** MLP: Linear layers with an activation and dropout between them. */
import { z } from 'zod';
import { MmtlError } from '../core/index.js';
import { dropout, type DType, type Tensor } from '../tensor/index.js';
import { ACTIVATIONS, activationByName, type ActivationName } from './activation.js';
import { Linear } from './linear.js';
import { MODULES, parseConfig, type ModuleConfig } from './module-config.js';
import { Module } from './module.js';
import { ModuleList } from './sequential.js';

const MlpConfig = z.object({
  kind: z.literal('MLP'),
  sizes: z.array(z.int().positive()).min(2),
  activation: z.enum(Object.keys(ACTIVATIONS) as [ActivationName, ...ActivationName[]]).default('relu'),
  dropout: z.number().min(0).max(1).default(0),
  activateLast: z.boolean().default(false),
});

/** Options of {@link MLP}. */
export interface MlpOptions {
  /** Nonlinearity between layers (default 'relu'). */
  activation?: ActivationName;
  /** Dropout after each activation, training only (default 0). */
  dropout?: number;
  /** Apply the activation (and dropout) after the last layer too (default false: raw outputs). */
  activateLast?: boolean;
  /** Parameter dtype (default float32). */
  dtype?: DType;
}

/**
 * A multi-layer perceptron through `sizes` = [in, hidden…, out]; parameters `layers.i.weight/bias`.
 *
 * @example
 * ```ts
 * const head = new MLP([128, 64, 3], { activation: 'gelu', dropout: 0.1 });
 * head.forward(randn([8, 128])).shape; // [8, 3]
 * ```
 */
export class MLP extends Module {
  static readonly kind = 'MLP';
  readonly sizes: readonly number[];
  readonly activation: ActivationName;
  readonly dropout: number;
  readonly activateLast: boolean;
  readonly layers: ModuleList<Linear>;
  private readonly act: (x: Tensor) => Tensor;

  constructor(sizes: readonly number[], options: MlpOptions = {}) {
    super();
    if (sizes.length < 2) {
      throw new MmtlError(
        'E_ARG',
        `Argument 'sizes' passed to 'MLP' needs at least [in, out], got [${sizes.join(', ')}]`,
      );
    }
    this.sizes = [...sizes];
    this.activation = options.activation ?? 'relu';
    this.act = activationByName(this.activation, 'MLP');
    this.dropout = options.dropout ?? 0;
    this.activateLast = options.activateLast ?? false;
    const linears = sizes.slice(1).map((out, i) => new Linear(sizes[i]!, out, { dtype: options.dtype }));
    this.layers = this.registerModule('layers', new ModuleList(linears));
  }

  /** x [..., in] → [..., out]. */
  forward(x: Tensor): Tensor {
    let y = x;
    const n = this.layers.length;
    for (let i = 0; i < n; i++) {
      y = this.layers.at(i).forward(y); // [..., sizes[i+1]]
      if (i < n - 1 || this.activateLast) {
        y = this.act(y);
        if (this.training && this.dropout > 0) y = dropout(y, this.dropout, true);
      }
    }
    return y;
  }

  toConfig(): ModuleConfig {
    return {
      kind: MLP.kind,
      sizes: [...this.sizes],
      activation: this.activation,
      dropout: this.dropout,
      activateLast: this.activateLast,
    };
  }

  /** Rebuilds from {@link toConfig} output. */
  static fromConfig(config: ModuleConfig): MLP {
    const c = parseConfig(MlpConfig, config, 'MLP.fromConfig');
    return new MLP(c.sizes, c);
  }
}
MODULES.register(MLP.kind, (c) => MLP.fromConfig(c));
