/** Sentence-pair features `[u, v, |u − v|, u ⊙ v]` (InferSent / the GLUE BiLSTM baselines). */
import { z } from 'zod';
import { cat, type Tensor } from '../tensor/index.js';
import { MODULES, parseConfig, type ModuleConfig } from './module-config.js';
import { Module } from './module.js';

const PairFeaturesConfig = z.object({ kind: z.literal('PairFeatures') }).strict();

/**
 * Combines two sentence vectors into the standard matching features `[u, v, |u − v|, u ⊙ v]`. No
 * parameters.
 *
 * @example
 * ```ts
 * new PairFeatures().forward(ones([2, 8]), zeros([2, 8])).shape; // [2, 32]
 * ```
 */
export class PairFeatures extends Module {
  static readonly kind = 'PairFeatures';

  /** u, v [B, H] → [B, 4H]. */
  forward(u: Tensor, v: Tensor): Tensor {
    return cat([u, v, u.sub(v).abs(), u.mul(v)], -1); // [B, 4H]
  }

  toConfig(): ModuleConfig {
    return { kind: PairFeatures.kind };
  }

  /** Rebuilds from {@link toConfig} output. */
  static fromConfig(config: ModuleConfig): PairFeatures {
    parseConfig(PairFeaturesConfig, config, 'PairFeatures.fromConfig');
    return new PairFeatures();
  }
}
MODULES.register(PairFeatures.kind, (c) => PairFeatures.fromConfig(c));
