import { MmtlError } from '../core/index.js';
import { dtypeCode, dtypeOfArray, type DType, type TypedArray } from './dtype.js';
import { native } from './native.js';
import { run, Tensor } from './tensor.js';

/** Options of the creation functions. */
export interface CreateOptions {
  /** Element type (default: float32 for numbers and nested arrays; the typed array's own type otherwise). */
  dtype?: DType;
  /** Device (default 'cpu'). */
  device?: string;
  /** Record gradients for this (leaf) tensor. */
  requiresGrad?: boolean;
}

/** Nested arrays of numbers, as `[[1, 2], [3, 4]]`. */
export type NestedArray = number | boolean | readonly NestedArray[];

function flatten(data: NestedArray, shape: number[], out: number[], depth: number): void {
  if (Array.isArray(data)) {
    const arr = data as readonly NestedArray[];
    if (shape.length === depth) shape.push(arr.length);
    else if (shape[depth] !== arr.length) {
      throw new MmtlError('E_SHAPE', `Argument 'data' passed to 'tensor' is ragged at depth ${depth}`);
    }
    for (const v of arr) flatten(v, shape, out, depth + 1);
  } else {
    if (shape.length !== depth) {
      throw new MmtlError('E_SHAPE', `Argument 'data' passed to 'tensor' is ragged at depth ${depth}`);
    }
    out.push(Number(data));
  }
}

function finish(t: Tensor, options: CreateOptions): Tensor {
  let out = t;
  if (options.device !== undefined && options.device !== 'cpu') {
    out = t.toDevice(options.device);
    t.dispose();
  }
  if (options.requiresGrad) out.requiresGrad_(true);
  return out;
}

/**
 * Creates a tensor from nested arrays, a number, or a typed array with a shape. The data is copied.
 *
 * @example
 * ```ts
 * tensor([[1, 2], [3, 4]]).shape;                          // [2, 2], float32
 * tensor(new Int32Array([1, 2, 3]), { dtype: 'int64' }).dtype; // 'int64'
 * tensor(new Float32Array(6), { shape: [2, 3] }).shape;    // [2, 3]
 * ```
 */
export function tensor(
  data: NestedArray | TypedArray,
  options: CreateOptions & {
    /** Shape for typed-array data (default: 1-D). */
    shape?: readonly number[];
    /** What the typed array's bytes hold when that differs from its own type (float16/bfloat16 bits in an Int16Array). */
    sourceDtype?: DType;
  } = {},
): Tensor {
  let flat: TypedArray;
  let shape: number[];
  if (ArrayBuffer.isView(data)) {
    flat = data;
    shape = options.shape ? [...options.shape] : [data.length];
  } else {
    const values: number[] = [];
    shape = [];
    flatten(data, shape, values, 0);
    const dtype = options.dtype ?? 'float32';
    flat = dtype === 'float64' ? Float64Array.from(values) : Float32Array.from(values);
    if (
      dtype === 'int64' ||
      dtype === 'int32' ||
      dtype === 'int16' ||
      dtype === 'int8' ||
      dtype === 'uint8' ||
      dtype === 'bool'
    ) {
      if (values.some((v) => !Number.isInteger(v) || Math.abs(v) > 2 ** 31)) {
        flat = Float64Array.from(values);
      } else {
        flat = Int32Array.from(values);
      }
    }
    if (options.shape) shape = [...options.shape];
  }
  const src = options.sourceDtype ?? dtypeOfArray(flat);
  const dst = options.dtype ?? src;
  const h = run('tensor', [], () => native().fromTypedArray(flat, shape, dtypeCode(src), dtypeCode(dst)));
  return finish(new Tensor(h), options);
}

/**
 * Rows of a row-major typed array as a tensor `[rows.length, ...rowShape]`: one native call that copies just
 * those rows from the array's memory (no tensor of the whole array). The batch gather of `collate`.
 *
 * @example
 * ```ts
 * const x = new Float32Array([1, 2, 3, 4, 5, 6]); // 3 rows of 2
 * gatherRows(x, [2], new Int32Array([2, 0])).toArray(); // [5, 6, 1, 2]
 * gatherRows(new Int32Array([7, 8, 9]), [], new Int32Array([1]), { dtype: 'int64' }).toArray(); // [8]
 * ```
 */
export function gatherRows(
  data: TypedArray,
  rowShape: readonly number[],
  rows: Int32Array,
  options: Pick<CreateOptions, 'dtype' | 'device'> = {},
): Tensor {
  const src = dtypeOfArray(data);
  const h = run('gatherRows', [], () =>
    native().gatherRows(data, [...rowShape], rows, dtypeCode(src), dtypeCode(options.dtype ?? src)),
  );
  return finish(new Tensor(h), options);
}

/**
 * A tensor filled with `value`.
 *
 * @example
 * ```ts
 * full([2, 3], 7).toArray(); // [7, 7, 7, 7, 7, 7]
 * ```
 */
export function full(shape: readonly number[], value: number, options: CreateOptions = {}): Tensor {
  const h = run('full', [], () =>
    native().full([...shape], value, dtypeCode(options.dtype ?? 'float32'), options.device),
  );
  return finish(new Tensor(h), { ...options, device: undefined });
}

/** A tensor of zeros. @example `zeros([2, 2]).sum().item(); // 0` */
export function zeros(shape: readonly number[], options: CreateOptions = {}): Tensor {
  return full(shape, 0, options);
}

/** A tensor of ones. @example `ones([2, 2]).sum().item(); // 4` */
export function ones(shape: readonly number[], options: CreateOptions = {}): Tensor {
  return full(shape, 1, options);
}

/**
 * Values `start, start + step, …` below `end`.
 *
 * @example
 * ```ts
 * arange(0, 5).toArray(); // [0, 1, 2, 3, 4] (int64)
 * ```
 */
export function arange(start: number, end: number, step = 1, options: CreateOptions = {}): Tensor {
  const h = run('arange', [], () =>
    native().arange(start, end, step, dtypeCode(options.dtype ?? 'int64'), options.device),
  );
  return finish(new Tensor(h), { ...options, device: undefined });
}

/** Uniform samples in [0, 1) from the seeded generator. @example `rand([2, 3]).shape; // [2, 3]` */
export function rand(shape: readonly number[], options: CreateOptions = {}): Tensor {
  const h = run('rand', [], () =>
    native().rand([...shape], dtypeCode(options.dtype ?? 'float32'), options.device),
  );
  return finish(new Tensor(h), { ...options, device: undefined });
}

/** Standard normal samples from the seeded generator. @example `randn([4]).shape; // [4]` */
export function randn(shape: readonly number[], options: CreateOptions = {}): Tensor {
  const h = run('randn', [], () =>
    native().randn([...shape], dtypeCode(options.dtype ?? 'float32'), options.device),
  );
  return finish(new Tensor(h), { ...options, device: undefined });
}

/** Integers in [low, high) from the seeded generator. @example `randint(0, 10, [3]).dtype; // 'int64'` */
export function randint(
  low: number,
  high: number,
  shape: readonly number[],
  options: CreateOptions = {},
): Tensor {
  const h = run('randint', [], () =>
    native().randint(low, high, [...shape], dtypeCode(options.dtype ?? 'int64'), options.device),
  );
  return finish(new Tensor(h), { ...options, device: undefined });
}

/** A random permutation of 0..n-1 (int64). @example `randperm(4).sort().values.toArray(); // [0, 1, 2, 3]` */
export function randperm(n: number, options: Pick<CreateOptions, 'device'> = {}): Tensor {
  return new Tensor(run('randperm', [n], () => native().randperm(n, options.device)));
}

/** 0/1 samples with probabilities `p` (same shape and dtype as `p`). @example `bernoulli(full([3], 1)).toArray(); // [1, 1, 1]` */
export function bernoulli(p: Tensor): Tensor {
  return new Tensor(run('bernoulli', [p], () => native().bernoulli(p.handle)));
}

/**
 * Concatenates tensors along `dim`.
 *
 * @example
 * ```ts
 * cat([zeros([1, 2]), ones([1, 2])]).shape; // [2, 2]
 * ```
 */
export function cat(tensors: readonly Tensor[], dim = 0): Tensor {
  return new Tensor(
    run('cat', tensors, () =>
      native().cat(
        tensors.map((t) => t.handle),
        dim,
      ),
    ),
  );
}

/** Stacks same-shaped tensors along a new dim. @example `stack([zeros([2]), ones([2])]).shape; // [2, 2]` */
export function stack(tensors: readonly Tensor[], dim = 0): Tensor {
  return new Tensor(
    run('stack', tensors, () =>
      native().stack(
        tensors.map((t) => t.handle),
        dim,
      ),
    ),
  );
}

/** `cond ? a : b` elementwise, with broadcasting. @example `where(tensor([1, 0], {dtype: 'bool'}), ones([2]), zeros([2])).toArray(); // [1, 0]` */
export function where(cond: Tensor, a: Tensor, b: Tensor): Tensor {
  return new Tensor(run('where', [cond, a, b], () => native().where(cond.handle, a.handle, b.handle)));
}
