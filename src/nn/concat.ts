/** Concat: joins several feature vectors along the last dim (e.g. a BiLSTM's pooled vector beside an NgramBag's). */
import { z } from 'zod';
import { MmtlError } from '../core/index.js';
import { cat, type Tensor } from '../tensor/index.js';
import { MODULES, parseConfig, type ModuleConfig } from './module-config.js';
import { Module } from './module.js';

const ConcatConfig = z.object({ kind: z.literal('Concat') });

/**
 * A parameter-free module that concatenates its inputs along the last dim, so one op of a task graph can
 * feed a head with several encoders' outputs.
 *
 * @example
 * ```ts
 * new Concat().forward(ones([4, 128]), ones([4, 32])).shape; // [4, 160]
 * // in a task: { name: 'features', module: 'concat', inputs: [['encode', 'pooled'], 'bag'] }
 * ```
 */
export class Concat extends Module {
  static readonly kind = 'Concat';

  /** xs [..., dᵢ] (same leading dims) → [..., Σ dᵢ]. */
  forward(...xs: Tensor[]): Tensor {
    if (xs.length === 0) throw new MmtlError('E_ARG', "'Concat.forward' needs at least one input tensor");
    return xs.length === 1 ? xs[0]! : cat(xs, -1); // [..., Σ dᵢ]
  }

  toConfig(): ModuleConfig {
    return { kind: Concat.kind };
  }

  /** Rebuilds from {@link toConfig} output. */
  static fromConfig(config: ModuleConfig): Concat {
    parseConfig(ConcatConfig, config, 'Concat.fromConfig');
    return new Concat();
  }
}
MODULES.register(Concat.kind, (c) => Concat.fromConfig(c));
