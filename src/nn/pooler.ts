/** Pooler: BERT's sentence vector, `tanh(dense(h[:, 0]))` over the [CLS] position. */
import { z } from 'zod';
import type { DType, Tensor } from '../tensor/index.js';
import { Linear } from './linear.js';
import { MODULES, parseConfig, type ModuleConfig } from './module-config.js';
import { Module } from './module.js';

const PoolerConfig = z.object({ kind: z.literal('Pooler'), hiddenSize: z.int().positive() });

/**
 * Takes the first token's hidden state ([CLS]) through `dense` (H → H) and tanh, as HF's BertPooler.
 *
 * @example
 * ```ts
 * new Pooler(32).forward(randn([2, 5, 32])).shape; // [2, 32]
 * ```
 */
export class Pooler extends Module {
  static readonly kind = 'Pooler';
  readonly dense: Linear;

  constructor(
    readonly hiddenSize: number,
    options: { dtype?: DType } = {},
  ) {
    super();
    this.dense = this.registerModule('dense', new Linear(hiddenSize, hiddenSize, options));
  }

  /** h [B, T, H] → [B, H]. */
  forward(h: Tensor): Tensor {
    const cls = h.select(1, 0); // [B, H]
    return this.dense.forward(cls).tanh(); // [B, H]
  }

  toConfig(): ModuleConfig {
    return { kind: Pooler.kind, hiddenSize: this.hiddenSize };
  }

  /** Rebuilds from {@link toConfig} output. */
  static fromConfig(config: ModuleConfig): Pooler {
    return new Pooler(parseConfig(PoolerConfig, config, 'Pooler.fromConfig').hiddenSize);
  }
}
MODULES.register(Pooler.kind, (c) => Pooler.fromConfig(c));
