/** Dropout: active in training mode only. */
import { z } from 'zod';
import { MmtlError } from '../core/index.js';
import { dropout, type Tensor } from '../tensor/index.js';
import { MODULES, parseConfig, type ModuleConfig } from './module-config.js';
import { Module } from './module.js';

const DropoutConfig = z.object({ kind: z.literal('Dropout'), p: z.number().min(0).max(1) });

/**
 * Inverted dropout: in training mode zeroes each element with probability `p` and scales the rest by
 * 1/(1 − p); in eval mode (or with p = 0) returns the input unchanged.
 *
 * @example
 * ```ts
 * const d = new Dropout(0.5).eval();
 * d.forward(ones([4])).toArray(); // [1, 1, 1, 1]
 * ```
 */
export class Dropout extends Module {
  static readonly kind = 'Dropout';

  constructor(readonly p: number) {
    super();
    if (!(p >= 0 && p < 1)) {
      throw new MmtlError('E_ARG', `Argument 'p' passed to 'Dropout' must be in [0, 1), got ${p}`);
    }
  }

  /** x [...] → [...] (the same tensor when inactive). */
  forward(x: Tensor): Tensor {
    if (!this.training || this.p === 0) return x;
    return dropout(x, this.p, true); // [...]
  }

  toConfig(): ModuleConfig {
    return { kind: Dropout.kind, p: this.p };
  }

  /** Rebuilds from {@link toConfig} output. */
  static fromConfig(config: ModuleConfig): Dropout {
    return new Dropout(parseConfig(DropoutConfig, config, 'Dropout.fromConfig').p);
  }
}
MODULES.register(Dropout.kind, (c) => Dropout.fromConfig(c));
