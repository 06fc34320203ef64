/** AddNorm: BERT's sublayer output `LayerNorm(dropout(dense(h)) + residual)` (HF `…output`). */
import { z } from 'zod';
import { dropout, type DType, type Tensor } from '../tensor/index.js';
import { LayerNorm } from './layer-norm.js';
import { Linear } from './linear.js';
import { MODULES, parseConfig, type ModuleConfig } from './module-config.js';
import { Module } from './module.js';

const AddNormConfig = z.object({
  kind: z.literal('AddNorm'),
  inFeatures: z.int().positive(),
  outFeatures: z.int().positive(),
  dropout: z.number().min(0).max(1).default(0.1),
  layerNormEps: z.number().positive().default(1e-12),
});

/** Options of {@link AddNorm}. */
export interface AddNormOptions {
  /** Dropout on the projection, training only (default 0.1). */
  dropout?: number;
  /** LayerNorm ε (default 1e-12). */
  layerNormEps?: number;
  /** Parameter dtype (default float32). */
  dtype?: DType;
}

/**
 * Post-LN residual block with HF names `dense` and `LayerNorm`: `LayerNorm(dropout(dense(h)) + residual)`.
 *
 * @example
 * ```ts
 * const out = new AddNorm(64, 32);
 * out.forward(randn([2, 5, 64]), randn([2, 5, 32])).shape; // [2, 5, 32]
 * ```
 */
export class AddNorm extends Module {
  static readonly kind = 'AddNorm';
  readonly dropout: number;
  readonly dense: Linear;
  readonly LayerNorm: LayerNorm;

  constructor(
    readonly inFeatures: number,
    readonly outFeatures: number,
    options: AddNormOptions = {},
  ) {
    super();
    this.dropout = options.dropout ?? 0.1;
    this.dense = this.registerModule('dense', new Linear(inFeatures, outFeatures, options));
    const eps = options.layerNormEps ?? 1e-12;
    this.LayerNorm = this.registerModule(
      'LayerNorm',
      new LayerNorm(outFeatures, { eps, dtype: options.dtype }),
    );
  }

  /** h [..., in], residual [..., out] → [..., out]. */
  forward(h: Tensor, residual: Tensor): Tensor {
    let y = this.dense.forward(h); // [..., out]
    if (this.training && this.dropout > 0) y = dropout(y, this.dropout, true);
    return this.LayerNorm.forward(y.add(residual)); // [..., out]
  }

  toConfig(): ModuleConfig {
    return {
      kind: AddNorm.kind,
      inFeatures: this.inFeatures,
      outFeatures: this.outFeatures,
      dropout: this.dropout,
      layerNormEps: this.LayerNorm.eps,
    };
  }

  /** Rebuilds from {@link toConfig} output. */
  static fromConfig(config: ModuleConfig): AddNorm {
    const c = parseConfig(AddNormConfig, config, 'AddNorm.fromConfig');
    return new AddNorm(c.inFeatures, c.outFeatures, c);
  }
}
MODULES.register(AddNorm.kind, (c) => AddNorm.fromConfig(c));
