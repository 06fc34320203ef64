/** Activation: a named elementwise nonlinearity as a module (for Sequential and MLP). */
import { z } from 'zod';
import { MmtlError } from '../core/index.js';
import type { Tensor } from '../tensor/index.js';
import { MODULES, parseConfig, type ModuleConfig } from './module-config.js';
import { Module } from './module.js';

/**
 * Nonlinearities by name; 'gelu' is BERT's exact (erf) form, 'gelu_new' the tanh approximation (HF names).
 *
 * @example
 * ```ts
 * ACTIVATIONS.relu(tensor([-1, 2])).toArray(); // [0, 2]
 * ```
 */
export const ACTIVATIONS = {
  relu: (x: Tensor) => x.relu(),
  gelu: (x: Tensor) => x.gelu(),
  gelu_new: (x: Tensor) => x.geluTanh(),
  gelu_pytorch_tanh: (x: Tensor) => x.geluTanh(),
  tanh: (x: Tensor) => x.tanh(),
  sigmoid: (x: Tensor) => x.sigmoid(),
  elu: (x: Tensor) => x.elu(),
  silu: (x: Tensor) => x.silu(),
  leaky_relu: (x: Tensor) => x.leakyRelu(0.01),
  identity: (x: Tensor) => x,
} as const satisfies Record<string, (x: Tensor) => Tensor>;

/** Name of an activation in {@link ACTIVATIONS}. */
export type ActivationName = keyof typeof ACTIVATIONS;

const ActivationConfig = z.object({
  kind: z.literal('Activation'),
  name: z.enum(Object.keys(ACTIVATIONS) as [ActivationName, ...ActivationName[]]),
});

/**
 * Checks an activation name, failing with the list of valid names.
 *
 * @example
 * ```ts
 * activationByName('gelu', 'MLP')(x); // x.gelu()
 * ```
 */
export function activationByName(name: string, fn: string): (x: Tensor) => Tensor {
  const r = ActivationConfig.shape.name.safeParse(name);
  if (!r.success) {
    throw new MmtlError(
      'E_ARG',
      `Argument 'activation' passed to '${fn}' must be one of ${Object.keys(ACTIVATIONS).join(', ')}, got '${name}'`,
    );
  }
  return ACTIVATIONS[r.data];
}

/**
 * A parameter-free nonlinearity.
 *
 * @example
 * ```ts
 * new Activation('relu').forward(tensor([-1, 2])).toArray(); // [0, 2]
 * ```
 */
export class Activation extends Module {
  static readonly kind = 'Activation';
  private readonly fn: (x: Tensor) => Tensor;

  constructor(readonly name: ActivationName) {
    super();
    this.fn = activationByName(name, 'Activation');
  }

  /** x [...] → [...]. */
  forward(x: Tensor): Tensor {
    return this.fn(x);
  }

  toConfig(): ModuleConfig {
    return { kind: Activation.kind, name: this.name };
  }

  /** Rebuilds from {@link toConfig} output. */
  static fromConfig(config: ModuleConfig): Activation {
    return new Activation(parseConfig(ActivationConfig, config, 'Activation.fromConfig').name);
  }
}
MODULES.register(Activation.kind, (c) => Activation.fromConfig(c));
