/**
 * The `Module` base class: named parameters and submodules, train/eval mode, state dicts, safetensors
 * save/load, freezing, dtype conversion and the config round-trip (tfjs `getConfig`/`registerClass`).
 *
 * Conventions every module follows:
 * - parameters are registered with {@link Module.registerParameter} (kept alive past any `tidy` scope) and
 *   read back through getters (`this.param('weight')`), so {@link Module.toDtype} can replace them;
 * - `forward(...)` takes and returns tensors and never disposes its inputs; callers scope it with `tidy`;
 * - `static readonly kind` names the class in configs, `toConfig()` returns plain JSON, and the class is
 *   registered in `MODULES` so `moduleFromConfig` rebuilds it (weights are loaded afterwards).
 */
import { MmtlError } from '../core/index.js';
import {
  isFloating,
  keep,
  loadSafetensors,
  noGrad,
  saveSafetensors,
  type DType,
  type Tensor,
} from '../tensor/index.js';
import { CONFIG_METADATA_KEY, type ModuleConfig } from './module-config.js';

/** Result of {@link Module.loadStateDict}: keys the module has but the map lacks, and the reverse. */
export interface LoadResult {
  missing: string[];
  unexpected: string[];
}

/** Options of {@link Module.loadStateDict}. */
export interface LoadOptions {
  /** Throw E_CHECKPOINT when a key is missing or unexpected (default true). Shapes must always match. */
  strict?: boolean;
}

/**
 * Base class of all neural-network modules.
 *
 * @example
 * ```ts
 * class Affine extends Module {
 *   static readonly kind = 'Affine';
 *   constructor(readonly size: number) {
 *     super();
 *     this.registerParameter('scale', ones([size]));
 *   }
 *   get scale(): Tensor { return this.param('scale'); }
 *   forward(x: Tensor): Tensor { return x.mul(this.scale); } // [..., size]
 *   toConfig(): ModuleConfig { return { kind: Affine.kind, size: this.size }; }
 * }
 * new Affine(3).namedParameters().keys(); // ['scale']
 * ```
 */
export abstract class Module {
  /** Whether the module is in training mode (dropout active). Set with {@link train}/{@link eval}. */
  training = true;
  private readonly ownParams = new Map<string, Tensor>();
  private readonly children = new Map<string, Module>();
  private disposed = false;

  /** The computation. Each module defines its own signature (most take and return one tensor). */
  abstract forward(...args: never[]): unknown;

  /** The constructor arguments as plain JSON, with `kind`; {@link moduleFromConfig} inverts it. */
  abstract toConfig(): ModuleConfig;

  /**
   * Registers a parameter under `name` (kept alive outside tidy scopes, gradient recording on). Returns it.
   * Registering a name again replaces (and frees) the old tensor.
   */
  protected registerParameter(name: string, value: Tensor, requiresGrad = true): Tensor {
    if (name.includes('.') || name === '') {
      throw new MmtlError(
        'E_ARG',
        `Argument 'name' passed to 'Module.registerParameter' must be non-empty without '.', got '${name}'`,
      );
    }
    const old = this.ownParams.get(name);
    if (old && old !== value) old.dispose();
    keep(value);
    if (isFloating(value.dtype)) value.requiresGrad_(requiresGrad);
    this.ownParams.set(name, value);
    return value;
  }

  /** Registers a submodule under `name` (its parameters appear as `name.…`). Returns it. */
  protected registerModule<M extends Module>(name: string, module: M): M {
    if (name.includes('.') || name === '') {
      throw new MmtlError(
        'E_ARG',
        `Argument 'name' passed to 'Module.registerModule' must be non-empty without '.', got '${name}'`,
      );
    }
    this.children.set(name, module);
    return module;
  }

  /** The parameter registered as `name` on this module (not a submodule). */
  protected param(name: string): Tensor {
    const p = this.ownParams.get(name);
    if (!p) {
      throw new MmtlError(
        'E_STATE',
        `${this.constructor.name} has no parameter '${name}'${this.disposed ? ' (disposed)' : ''}`,
      );
    }
    return p;
  }

  /** Direct submodules in registration order. */
  namedChildren(): Map<string, Module> {
    return new Map(this.children);
  }

  /** This module and every submodule, by dotted path ('' is this one), depth first. */
  namedModules(prefix = ''): Map<string, Module> {
    const out = new Map<string, Module>([[prefix, this]]);
    for (const [name, child] of this.children) {
      for (const [k, m] of child.namedModules(prefix === '' ? name : `${prefix}.${name}`)) out.set(k, m);
    }
    return out;
  }

  /** Every parameter by dotted name ('encoder.layer.0.attention.self.query.weight'), own ones first. */
  namedParameters(prefix = ''): Map<string, Tensor> {
    const out = new Map<string, Tensor>();
    for (const [name, p] of this.ownParams) out.set(prefix === '' ? name : `${prefix}.${name}`, p);
    for (const [name, child] of this.children) {
      for (const [k, p] of child.namedParameters(prefix === '' ? name : `${prefix}.${name}`)) out.set(k, p);
    }
    return out;
  }

  /** Every parameter (for an optimizer), in {@link namedParameters} order. */
  parameters(): Tensor[] {
    return [...this.namedParameters().values()];
  }

  /** The parameters that record gradients (not frozen). */
  trainableParameters(): Tensor[] {
    return this.parameters().filter((p) => p.requiresGrad);
  }

  /** Number of scalar parameters. */
  numParameters(): number {
    return this.parameters().reduce((n, p) => n + p.size, 0);
  }

  /** Sets training mode here and in every submodule. Returns this. */
  train(on = true): this {
    for (const m of this.namedModules().values()) m.training = on;
    return this;
  }

  /** Sets evaluation mode (dropout off). Returns this. */
  eval(): this {
    return this.train(false);
  }

  /** Turns gradient recording off for every parameter (frozen weights). Returns this. */
  freeze(): this {
    for (const p of this.parameters()) p.requiresGrad_(false);
    return this;
  }

  /** Turns gradient recording back on for every floating-point parameter. Returns this. */
  unfreeze(): this {
    for (const p of this.parameters()) if (isFloating(p.dtype)) p.requiresGrad_(true);
    return this;
  }

  /**
   * The state by dotted name. The tensors are the module's own (not copies): do not dispose them; use
   * `loadStateDict` to change them.
   */
  stateDict(): Map<string, Tensor> {
    return this.namedParameters();
  }

  /**
   * Copies values from `state` into the parameters with the same names (converted to each parameter's dtype).
   * A shape mismatch is always an E_CHECKPOINT error naming the key and both shapes; with `strict` (the
   * default) so are missing and unexpected keys. Returns the keys that did not match.
   */
  loadStateDict(state: ReadonlyMap<string, Tensor>, options: LoadOptions = {}): LoadResult {
    const own = this.namedParameters();
    const missing = [...own.keys()].filter((k) => !state.has(k));
    const unexpected = [...state.keys()].filter((k) => !own.has(k));
    if ((options.strict ?? true) && (missing.length > 0 || unexpected.length > 0)) {
      throw new MmtlError(
        'E_CHECKPOINT',
        `Argument 'state' passed to '${this.constructor.name}.loadStateDict' does not match the module: ` +
          `missing [${missing.join(', ')}], unexpected [${unexpected.join(', ')}]`,
        {
          hint:
            unexpected.length > 0
              ? 'the state holds names this module lacks: it belongs to another module, or the file was changed ' +
                'or damaged after it was saved; pass { strict: false } only to load a partial state on purpose'
              : 'pass { strict: false } to load a partial state (e.g. another head)',
          details: { missing, unexpected },
        },
      );
    }
    for (const [k, p] of own) {
      const src = state.get(k);
      if (!src) continue;
      if (src.shape.length !== p.shape.length || src.shape.some((d, i) => d !== p.shape[i])) {
        throw new MmtlError(
          'E_CHECKPOINT',
          `Argument 'state' passed to '${this.constructor.name}.loadStateDict' has '${k}' of shape ` +
            `[${src.shape.join(', ')}] but the module's is [${p.shape.join(', ')}]`,
          { details: { key: k, checkpoint: [...src.shape], module: [...p.shape] } },
        );
      }
    }
    noGrad(() => {
      for (const [k, p] of own) {
        const src = state.get(k);
        if (src) p.copy_(src);
      }
    });
    return { missing, unexpected };
  }

  /** Writes the state dict to a .safetensors file, with the config in its metadata (`loadModule` rebuilds it). */
  async save(path: string): Promise<void> {
    await saveSafetensors(path, this.stateDict(), { [CONFIG_METADATA_KEY]: JSON.stringify(this.toConfig()) });
  }

  /** Loads weights from a .safetensors file into this module (see {@link loadStateDict}). */
  async load(path: string, options: LoadOptions = {}): Promise<LoadResult> {
    const state = await loadSafetensors(path);
    try {
      return this.loadStateDict(state, options);
    } finally {
      for (const t of state.values()) t.dispose();
    }
  }

  /**
   * Converts every floating-point parameter to `dtype` (e.g. float64 for gradient checks), replacing the
   * tensors and keeping names and the frozen state. Optimizers built before must be rebuilt. Returns this.
   */
  toDtype(dtype: DType): this {
    return this.replaceParameters((p) => (isFloating(p.dtype) && p.dtype !== dtype ? p.to(dtype) : null));
  }

  /**
   * Moves every parameter to `device` ('cpu', 'cuda', 'cuda:1'), replacing the tensors and keeping names and
   * the frozen state. Optimizers built before must be rebuilt. Returns this.
   */
  toDevice(device: string): this {
    return this.replaceParameters((p) => (p.device === device ? null : p.toDevice(device)));
  }

  /** Replaces each parameter by `convert(p)` (null keeps it), preserving requiresGrad. */
  private replaceParameters(convert: (p: Tensor) => Tensor | null): this {
    for (const m of this.namedModules().values()) {
      for (const [name, p] of m.ownParams) {
        const grad = p.requiresGrad;
        const q = noGrad(() => convert(p));
        if (q) m.registerParameter(name, q, grad);
      }
    }
    return this;
  }

  /** Frees every parameter of this module and its submodules. Safe to call twice. */
  dispose(): void {
    for (const m of this.namedModules().values()) {
      for (const p of m.ownParams.values()) p.dispose();
      m.ownParams.clear();
      m.disposed = true;
    }
  }

  /** Whether {@link dispose} was called. */
  get isDisposed(): boolean {
    return this.disposed;
  }

  /** A one-line summary, e.g. `Linear(in=4, out=2)`. */
  toString(): string {
    const { kind, ...rest } = this.toConfig();
    const args = Object.entries(rest)
      .filter(([, v]) => typeof v !== 'object' || v === null)
      .map(([k, v]) => `${k}=${JSON.stringify(v)}`);
    return `${kind}(${args.join(', ')})`;
  }
}
