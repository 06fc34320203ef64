/** Sequential and ModuleList: containers whose children are named "0", "1", … (PyTorch's names). */
import { z } from 'zod';
import type { Tensor } from '../tensor/index.js';
import { MODULES, moduleFromConfig, parseConfig, type ModuleConfig } from './module-config.js';
import { Module } from './module.js';

/** A module that maps one tensor to one tensor (what {@link Sequential} chains). */
export interface TensorModule extends Module {
  forward(x: Tensor): Tensor;
}

const ListConfig = z.object({
  kind: z.string(),
  modules: z.array(z.looseObject({ kind: z.string() })),
});

/**
 * An indexed list of submodules named "0", "1", … (PyTorch's `nn.ModuleList`); it has no forward of its
 * own beyond returning its input.
 *
 * @example
 * ```ts
 * const layers = new ModuleList([new Linear(4, 4), new Linear(4, 4)]);
 * [...layers.namedParameters().keys()][0]; // '0.weight'
 * ```
 */
export class ModuleList<M extends Module = Module> extends Module {
  static readonly kind: string = 'ModuleList';
  readonly items: readonly M[];

  constructor(modules: readonly M[]) {
    super();
    this.items = [...modules];
    this.items.forEach((m, i) => this.registerModule(String(i), m));
  }

  /** Number of modules. */
  get length(): number {
    return this.items.length;
  }

  /** The module at `i`. */
  at(i: number): M {
    return this.items[i]!;
  }

  /** Identity: a list is not a computation. */
  forward(x: Tensor): Tensor {
    return x;
  }

  toConfig(): ModuleConfig {
    return { kind: ModuleList.kind, modules: this.items.map((m) => m.toConfig()) };
  }

  /** Rebuilds from {@link toConfig} output. */
  static fromConfig(config: ModuleConfig): ModuleList {
    const c = parseConfig(ListConfig, config, 'ModuleList.fromConfig');
    return new ModuleList(c.modules.map((m) => moduleFromConfig(m as ModuleConfig)));
  }
}
MODULES.register(ModuleList.kind, (c) => ModuleList.fromConfig(c));

/**
 * Applies its modules in order: `forward(x) = mₙ(…m₁(x))`.
 *
 * @example
 * ```ts
 * const net = new Sequential([new Linear(4, 8), new Activation('relu'), new Linear(8, 2)]);
 * net.forward(ones([3, 4])).shape; // [3, 2]
 * ```
 */
export class Sequential extends ModuleList<TensorModule> {
  static override readonly kind: string = 'Sequential';

  /** x → mₙ(…m₁(x)). */
  override forward(x: Tensor): Tensor {
    let y = x;
    for (const m of this.items) y = m.forward(y);
    return y;
  }

  override toConfig(): ModuleConfig {
    return { kind: Sequential.kind, modules: this.items.map((m) => m.toConfig()) };
  }

  /** Rebuilds from {@link toConfig} output. */
  static override fromConfig(config: ModuleConfig): Sequential {
    const c = parseConfig(ListConfig, config, 'Sequential.fromConfig');
    return new Sequential(c.modules.map((m) => moduleFromConfig(m as ModuleConfig) as TensorModule));
  }
}
MODULES.register(Sequential.kind, (c) => Sequential.fromConfig(c));
