/**
 * Parameter initializers drawing from libtorch's seeded generator, with PyTorch's defaults: after
 * `manualSeed(s)`, a module built here gets the same numbers as the PyTorch module built after
 * `torch.manual_seed(s)` (same shapes, same order).
 */
import { full, noGrad, type DType, type Tensor } from '../tensor/index.js';

/** Options shared by the initializers. */
export interface InitOptions {
  /** Element type (default float32). */
  dtype?: DType;
}

/**
 * A tensor of uniform samples in [−bound, bound) (PyTorch's `uniform_(-bound, bound)`).
 *
 * @example
 * ```ts
 * uniformInit([4, 3], 1 / Math.sqrt(3)).shape; // [4, 3]
 * ```
 */
export function uniformInit(shape: readonly number[], bound: number, options: InitOptions = {}): Tensor {
  return noGrad(() => full(shape, 0, { dtype: options.dtype ?? 'float32' }).uniform_(-bound, bound));
}

/**
 * A tensor of normal samples N(mean, std²) (PyTorch's `normal_(mean, std)`).
 *
 * @example
 * ```ts
 * normalInit([10, 4], 0, 0.02).shape; // [10, 4]
 * ```
 */
export function normalInit(
  shape: readonly number[],
  mean: number,
  std: number,
  options: InitOptions = {},
): Tensor {
  return noGrad(() => full(shape, 0, { dtype: options.dtype ?? 'float32' }).normal_(mean, std));
}

/**
 * A tensor filled with `value` (ones for LayerNorm weights, zeros for biases).
 *
 * @example
 * ```ts
 * constantInit([3], 1).toArray(); // [1, 1, 1]
 * ```
 */
export function constantInit(shape: readonly number[], value: number, options: InitOptions = {}): Tensor {
  return full(shape, value, { dtype: options.dtype ?? 'float32' });
}
