import { MmtlError, Registry } from '../core/index.js';
import { native, type NativeOptimOptions, type OptimHandle } from './native.js';
import { entryToTensor, parseSafetensors, serializeSafetensors } from './safetensors.js';
import { run, Tensor } from './tensor.js';

/** Hyperparameters of an optimizer (each kind reads the ones it has). */
export interface OptimizerOptions {
  /** Learning rate. */
  lr?: number;
  /** SGD momentum (default 0). */
  momentum?: number;
  /** SGD dampening (default 0). */
  dampening?: number;
  /** SGD Nesterov momentum (default false). */
  nesterov?: boolean;
  /** Weight decay: L2 in the gradient for SGD/Adam, decoupled for AdamW (default 0 for every kind). */
  weightDecay?: number;
  /** Adam β₁ (default 0.9). */
  beta1?: number;
  /** Adam β₂ (default 0.999). */
  beta2?: number;
  /** Adam ε (default 1e-8). */
  eps?: number;
  /** AMSGrad variant (default false). */
  amsgrad?: boolean;
}

/** A group of parameters sharing options (e.g. no weight decay on biases and LayerNorm). */
export interface ParamGroup {
  params: readonly Tensor[];
  options?: OptimizerOptions;
}

/** Every hyperparameter of an optimizer kind, with its value. */
export type ResolvedOptimizerOptions = Required<OptimizerOptions>;

/**
 * The defaults of every optimizer option: the one source of them (the trainer's config reads them from here,
 * the binding has none and gets every option explicitly). PyTorch's values, except AdamW's weight decay: 0
 * as for the other kinds (PyTorch: 0.01), so a decay is always one the user wrote.
 *
 * @example
 * ```ts
 * OPTIMIZER_DEFAULTS.beta2; // 0.999
 * ```
 */
export const OPTIMIZER_DEFAULTS: Readonly<ResolvedOptimizerOptions> = Object.freeze({
  lr: 1e-3,
  momentum: 0,
  dampening: 0,
  nesterov: false,
  weightDecay: 0,
  beta1: 0.9,
  beta2: 0.999,
  eps: 1e-8,
  amsgrad: false,
});

/**
 * Optimizer kinds and their defaults ({@link OPTIMIZER_DEFAULTS}, with SGD's learning rate 0.01). The keys
 * make the error message for unknown names.
 *
 * @example
 * ```ts
 * OPTIMIZERS.get('sgd').defaults.lr; // 0.01
 * ```
 */
export const OPTIMIZERS = new Registry<{ defaults: Readonly<ResolvedOptimizerOptions> }>('optimizer')
  .register('sgd', { defaults: { ...OPTIMIZER_DEFAULTS, lr: 0.01 } })
  .register('adam', { defaults: OPTIMIZER_DEFAULTS })
  .register('adamw', { defaults: OPTIMIZER_DEFAULTS });

/** Options of {@link Optimizer.step}. */
export interface StepOptions {
  /** Clip the gradients' global norm to this first (PyTorch's clip_grad_norm_), in the same native call. */
  clipNorm?: number | null;
  /** Norm of the clipping (default 2; Infinity for the max norm). */
  normType?: number;
}

/** `format` metadata of {@link Optimizer.saveState} bytes. */
export const OPTIMIZER_STATE_FORMAT = 'mmtl-optimizer/1';

/**
 * SGD / Adam / AdamW (PyTorch's update rules) over parameter groups. One native call per step clips the
 * gradients (optionally) and updates every parameter: on CPU a fused pass over each parameter's buffers, no
 * per-op dispatch. Parameters without a gradient are skipped, as in PyTorch. State (moments, step counts)
 * saves to deterministic bytes (safetensors; identical runs give identical bytes) for resumable checkpoints.
 *
 * @example
 * ```ts
 * const w = keep(randn([3]).requiresGrad_());
 * const opt = new Optimizer('adam', [w], { lr: 0.1 });
 * tidy(() => { w.square().sum().backward(); opt.step({ clipNorm: 1 }); opt.zeroGrad(); });
 * const state = opt.saveState(); // Uint8Array
 * ```
 */
export class Optimizer {
  private handle: OptimHandle | undefined;
  readonly groups: readonly ParamGroup[];
  /** Every group's options, defaults filled in (what the binding got). */
  readonly resolved: readonly ResolvedOptimizerOptions[];
  private readonly params: readonly Tensor[];

  constructor(
    readonly kind: string,
    params: readonly Tensor[] | readonly ParamGroup[],
    readonly options: OptimizerOptions = {},
  ) {
    const spec = OPTIMIZERS.get(kind);
    const groups: ParamGroup[] =
      params.length > 0 && 'params' in params[0]!
        ? [...(params as readonly ParamGroup[])]
        : [{ params: params as readonly Tensor[] }];
    for (const g of groups) {
      if (g.params.length === 0) {
        throw new MmtlError('E_ARG', `Argument 'params' passed to 'Optimizer' has an empty parameter group`);
      }
    }
    this.groups = groups;
    this.params = groups.flatMap((g) => g.params);
    // only the options an optimizer has (a trainer config also carries `kind`), and only those set
    const defined = (o: OptimizerOptions | undefined): OptimizerOptions =>
      Object.fromEntries(
        Object.entries(o ?? {}).filter(([k, v]) => k in OPTIMIZER_DEFAULTS && v !== undefined),
      );
    this.resolved = groups.map((g) => ({ ...spec.defaults, ...defined(options), ...defined(g.options) }));
    const nativeGroups = groups.map((g, i) => ({
      params: g.params.map((p) => p.handle),
      options: this.resolved[i]! satisfies NativeOptimOptions,
    }));
    this.handle = run('Optimizer', [], () => native().optimCreate(kind, nativeGroups));
  }

  private live(): OptimHandle {
    if (!this.handle) throw new MmtlError('E_STATE', 'optimizer was used after dispose()');
    return this.handle;
  }

  /** Applies one update from the parameters' current gradients (clipping them first when asked). */
  step(options: StepOptions = {}): void {
    const clip = options.clipNorm ?? null;
    if (clip !== null && !(clip > 0)) {
      throw new MmtlError(
        'E_ARG',
        `Argument 'clipNorm' passed to 'Optimizer.step' must be a positive number or null, got ${clip}`,
      );
    }
    run('Optimizer.step', [], () => {
      native().optimStep(this.live(), clip, options.normType ?? 2);
    });
  }
  /** Drops every parameter's gradient (PyTorch's zero_grad(set_to_none=True)). */
  zeroGrad(): void {
    native().optimZeroGrad(this.live());
  }
  /** Learning rate of each group. */
  getLr(): number[] {
    return native().optimGetLr(this.live());
  }
  /** Sets the learning rate: one number for every group, or one per group. */
  setLr(lr: number | readonly number[]): void {
    const lrs = typeof lr === 'number' ? this.groups.map(() => lr) : [...lr];
    run('Optimizer.setLr', [], () => {
      native().optimSetLr(this.live(), lrs);
    });
  }
  /**
   * The optimizer state (step counts, moments) as safetensors bytes: buffers named
   * `<parameter position>.<buffer>`, step counts and the kind in the metadata. The same state always gives
   * the same bytes.
   */
  saveState(): Uint8Array {
    const s = run('Optimizer.saveState', [], () => native().optimGetState(this.live()));
    const tensors = new Map(s.names.map((n, i) => [n, new Tensor(s.tensors[i]!)] as const));
    try {
      return serializeSafetensors(tensors, {
        format: OPTIMIZER_STATE_FORMAT,
        kind: this.kind,
        steps: JSON.stringify(s.steps),
      });
    } finally {
      for (const t of tensors.values()) t.dispose();
    }
  }
  /**
   * Restores {@link Optimizer.saveState} output (or the libtorch archive that earlier versions wrote); the
   * parameter list must match the one it came from. A mismatch throws E_CHECKPOINT and changes nothing.
   */
  loadState(state: Uint8Array): void {
    const handle = this.live();
    if (state.length >= 2 && state[0] === 0x50 && state[1] === 0x4b) {
      // 'PK': a zip, libtorch's own optimizer archive (step counts keyed by heap addresses)
      run('Optimizer.loadState', [], () => {
        native().optimLoadLegacy(handle, state);
      });
      return;
    }
    let file: ReturnType<typeof parseSafetensors>;
    try {
      file = parseSafetensors(state, 'optimizer state');
    } catch (e) {
      throw new MmtlError(
        'E_CHECKPOINT',
        `Argument 'state' passed to 'Optimizer.loadState' is not optimizer state: ${(e as Error).message}`,
        { hint: 'pass the bytes of Optimizer.saveState (the optimizer.bin of a run folder)', cause: e },
      );
    }
    const meta = file.metadata;
    if (meta.format !== OPTIMIZER_STATE_FORMAT || meta.kind !== this.kind) {
      throw new MmtlError(
        'E_CHECKPOINT',
        `Argument 'state' passed to 'Optimizer.loadState' is ${meta.format === OPTIMIZER_STATE_FORMAT ? `for a '${meta.kind}' optimizer, not '${this.kind}'` : `not optimizer state (format '${meta.format}')`}`,
        { hint: 'load the optimizer.bin of a run that used the same optimizer kind' },
      );
    }
    const steps = parseSteps(meta.steps);
    if (steps.length !== this.params.length) {
      throw new MmtlError(
        'E_CHECKPOINT',
        `Argument 'state' passed to 'Optimizer.loadState' is for ${steps.length} parameters, this optimizer has ${this.params.length}`,
      );
    }
    const names = [...file.entries.keys()];
    const tensors = names.map((n) => entryToTensor(file.entries.get(n)!));
    try {
      run('Optimizer.loadState', [], () => {
        native().optimSetState(
          handle,
          steps,
          names,
          tensors.map((t) => t.handle),
        );
      });
    } finally {
      for (const t of tensors) t.dispose();
    }
  }
  /** Frees the native optimizer and its state. */
  dispose(): void {
    if (this.handle) native().optimFree(this.handle);
    this.handle = undefined;
  }
}

function parseSteps(raw: string | undefined): number[] {
  let steps: unknown;
  try {
    steps = JSON.parse(raw ?? '');
  } catch {
    steps = undefined;
  }
  if (!Array.isArray(steps) || !steps.every((n) => Number.isInteger(n) && (n as number) >= 0)) {
    throw new MmtlError(
      'E_CHECKPOINT',
      `Argument 'state' passed to 'Optimizer.loadState' has bad step counts (metadata 'steps')`,
    );
  }
  return steps as number[];
}

/**
 * Scales all gradients so their global norm is at most `maxNorm`; returns the norm before clipping.
 *
 * @example
 * ```ts
 * const total = clipGradNorm(model.parameters(), 1.0);
 * ```
 */
export function clipGradNorm(params: readonly Tensor[], maxNorm: number, normType = 2): number {
  return run('clipGradNorm', [maxNorm], () =>
    native().clipGradNorm(
      params.map((p) => p.handle),
      maxNorm,
      normType,
    ),
  );
}
