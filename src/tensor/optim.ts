import { MmtlError, Registry } from '../core/index.js';
import { native, type NativeOptimOptions, type OptimHandle } from './native.js';
import { run, type Tensor } from './tensor.js';

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
  /** Weight decay: L2 added to the gradient for SGD/Adam, decoupled for AdamW (defaults 0, 0, 0.01). */
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

/** Optimizer kinds; the keys make the error message for unknown names. */
export const OPTIMIZERS = new Registry<{ defaultLr: number }>('optimizer')
  .register('sgd', { defaultLr: 0.01 })
  .register('adam', { defaultLr: 1e-3 })
  .register('adamw', { defaultLr: 1e-3 });

/**
 * libtorch's SGD / Adam / AdamW (PyTorch's update rules) over parameter groups; one native call per step.
 * State (moments, step counts) can be saved to bytes and restored, for resumable checkpoints.
 *
 * @example
 * ```ts
 * const w = keep(randn([3]).requiresGrad_());
 * const opt = new Optimizer('adam', [w], { lr: 0.1 });
 * tidy(() => { w.square().sum().backward(); opt.step(); opt.zeroGrad(); });
 * const state = opt.saveState(); // Uint8Array
 * ```
 */
export class Optimizer {
  private handle: OptimHandle | undefined;
  readonly groups: readonly ParamGroup[];

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
    const nativeGroups = groups.map((g) => ({
      params: g.params.map((p) => p.handle),
      options: { lr: spec.defaultLr, ...options, ...g.options } satisfies NativeOptimOptions,
    }));
    this.handle = run('Optimizer', [], () => native().optimCreate(kind, nativeGroups));
  }

  private live(): OptimHandle {
    if (!this.handle) throw new MmtlError('E_STATE', 'optimizer was used after dispose()');
    return this.handle;
  }

  /** Applies one update from the parameters' current gradients. */
  step(): void {
    run('Optimizer.step', [], () => {
      native().optimStep(this.live());
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
  /** The optimizer state (moments, steps) as bytes. */
  saveState(): Uint8Array {
    return run('Optimizer.saveState', [], () => native().optimSave(this.live()));
  }
  /** Restores {@link Optimizer.saveState} output; the parameter list must match the one it came from. */
  loadState(state: Uint8Array): void {
    run('Optimizer.loadState', [], () => {
      native().optimLoad(this.live(), state);
    });
  }
  /** Frees the native optimizer and its state. */
  dispose(): void {
    if (this.handle) native().optimFree(this.handle);
    this.handle = undefined;
  }
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
