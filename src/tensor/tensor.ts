import { MmtlError } from '../core/index.js';
import { DTYPE_CODES, dtypeCode, viewBytes, type DataOf, type DType } from './dtype.js';
import { engineError, native, type Handle } from './native.js';
import { track, type Disposable } from './scope.js';

/** Ops of one tensor argument (native table `unary`), with what they compute. */
export const UNARY_OPS = {
  neg: '−x',
  abs: '|x|',
  exp: 'eˣ',
  log: 'natural log',
  log1p: 'log(1 + x)',
  sqrt: '√x',
  rsqrt: '1/√x',
  square: 'x²',
  reciprocal: '1/x',
  sign: 'sign of x',
  floor: 'round down',
  ceil: 'round up',
  round: 'round half to even',
  sin: 'sine',
  cos: 'cosine',
  relu: 'max(x, 0)',
  gelu: 'GELU (exact, erf form, as BERT)',
  geluTanh: 'GELU (tanh approximation)',
  tanh: 'hyperbolic tangent',
  sigmoid: '1/(1 + e⁻ˣ)',
  logSigmoid: 'log σ(x)',
  softplus: 'log(1 + eˣ)',
  elu: 'ELU (α = 1)',
  silu: 'x·σ(x)',
  logicalNot: 'boolean not',
  isnan: 'x is NaN',
  clone: 'a copy (autograd-tracked)',
  contiguous: 'a contiguous copy when needed',
  detach: 'same data, cut from the autograd graph',
  t: 'transpose of a 2-D tensor',
} as const;
/** Ops of two tensors with broadcasting (native table `binary`); those in SCALAR_OPS also take a number. */
export const BINARY_OPS = {
  add: 'a + b',
  sub: 'a − b',
  mul: 'a · b (elementwise)',
  div: 'a / b',
  pow: 'aᵇ',
  maximum: 'elementwise max',
  minimum: 'elementwise min',
  matmul: 'matrix product (batched, broadcasting)',
  bmm: 'batched matrix product [B,n,m]·[B,m,p]',
  eq: 'a = b',
  ne: 'a ≠ b',
  lt: 'a < b',
  le: 'a ≤ b',
  gt: 'a > b',
  ge: 'a ≥ b',
  logicalAnd: 'boolean and',
  logicalOr: 'boolean or',
  atan2: 'atan2(a, b)',
} as const;
/** Ops with a number on the right (native table `scalar`): fast paths that avoid a 0-d tensor. */
export const SCALAR_OPS = [
  'add',
  'sub',
  'rsub',
  'mul',
  'div',
  'rdiv',
  'pow',
  'rpow',
  'maximum',
  'minimum',
  'eq',
  'ne',
  'lt',
  'le',
  'gt',
  'ge',
  'leakyRelu',
] as const;
/** Reductions over some dims or all (native table `reduce`). var/std are unbiased. */
export const REDUCE_OPS = [
  'sum',
  'mean',
  'prod',
  'amax',
  'amin',
  'logsumexp',
  'var',
  'std',
  'norm',
  'all',
  'any',
] as const;

export type UnaryOp = keyof typeof UNARY_OPS;
export type BinaryOp = keyof typeof BINARY_OPS;
export type ScalarOp = (typeof SCALAR_OPS)[number];
export type ReduceOp = (typeof REDUCE_OPS)[number];

function indexTable(names: readonly string[], nativeNames: string[], table: string): Map<string, number> {
  const m = new Map<string, number>();
  for (const n of names) {
    const i = nativeNames.indexOf(n);
    if (i < 0) throw new MmtlError('E_ENGINE', `the native binding has no ${table} op '${n}'; rebuild it`);
    m.set(n, i);
  }
  return m;
}

let tables:
  | {
      unary: Map<string, number>;
      binary: Map<string, number>;
      scalar: Map<string, number>;
      reduce: Map<string, number>;
    }
  | undefined;
function opTables(): NonNullable<typeof tables> {
  if (!tables) {
    const b = native();
    tables = {
      unary: indexTable(Object.keys(UNARY_OPS), b.unaryNames, 'unary'),
      binary: indexTable(Object.keys(BINARY_OPS), b.binaryNames, 'binary'),
      scalar: indexTable(SCALAR_OPS, b.scalarNames, 'scalar'),
      reduce: indexTable(REDUCE_OPS, b.reduceNames, 'reduce'),
    };
  }
  return tables;
}

/** Runs one native call, turning engine errors into MmtlError with the op name and input shapes. */
export function run<T>(op: string, inputs: readonly (Tensor | number | null | undefined)[], f: () => T): T {
  try {
    return f();
  } catch (e) {
    const shapes = inputs.map((t) =>
      t instanceof Tensor ? (t.isDisposed ? 'disposed' : t.shape) : String(t),
    );
    throw engineError(op, shapes, e);
  }
}

function dims(d: number | readonly number[] | undefined): number[] | null {
  return d === undefined ? null : typeof d === 'number' ? [d] : [...d];
}

/** Methods generated from {@link UNARY_OPS}: `x.relu()`, `x.exp()`, … */
type UnaryMethods = { [K in UnaryOp]: () => Tensor };
/** Methods generated from {@link BINARY_OPS}: `a.add(b)`, `a.mul(2)`, … */
type BinaryMethods = { [K in BinaryOp]: (other: Tensor | number) => Tensor };
/** Methods generated from {@link REDUCE_OPS}: `x.sum()`, `x.mean(1, true)`, … */
type ReduceMethods = { [K in ReduceOp]: (dim?: number | readonly number[], keepdim?: boolean) => Tensor };

// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export interface Tensor extends UnaryMethods, BinaryMethods, ReduceMethods {}

/**
 * A handle to one libtorch tensor. Tensors are freed deterministically: by {@link tidy} scopes or by
 * `dispose()`. Ops are methods (`a.matmul(b).relu()`); the elementwise and reduction ones are generated from
 * the op tables above.
 *
 * @example
 * ```ts
 * const x = tensor([[1, 2], [3, 4]]);          // float32 [2, 2]
 * x.matmul(x).sum().item();                    // 54
 * x.mean(1).toArray();                         // [1.5, 3.5]
 * x.dispose();
 * ```
 */
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export class Tensor implements Disposable {
  /** The native handle (internal: only src/tensor should touch it). */
  readonly handle: Handle;
  private cachedShape: readonly number[] | undefined;
  private cachedDtype: DType | undefined;
  private disposed = false;

  /** Wraps a native handle; registers the tensor with the innermost tidy scope. */
  constructor(handle: Handle) {
    this.handle = handle;
    track(this);
  }

  /** Dimensions, e.g. `[32, 128]`. */
  get shape(): readonly number[] {
    this.cachedShape ??= Object.freeze(run('shape', [], () => native().shape(this.live())));
    return this.cachedShape;
  }
  /** Element type. */
  get dtype(): DType {
    this.cachedDtype ??= DTYPE_CODES[run('dtype', [], () => native().dtype(this.live()))]!;
    return this.cachedDtype;
  }
  /** Device, e.g. 'cpu' or 'cuda:0'. */
  get device(): string {
    return run('device', [this], () => native().device(this.live()));
  }
  /** Number of dimensions. */
  get rank(): number {
    return this.shape.length;
  }
  /** Number of elements. */
  get size(): number {
    return this.shape.reduce((a, b) => a * b, 1);
  }
  /** Whether `dispose()` was called (or a scope freed it). */
  get isDisposed(): boolean {
    return this.disposed;
  }
  /** Frees the native memory now. Safe to call twice. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    native().free(this.handle);
  }
  private live(): Handle {
    if (this.disposed) throw new MmtlError('E_STATE', 'tensor was used after dispose()');
    return this.handle;
  }
  private wrapOut(
    op: string,
    inputs: readonly (Tensor | number | null | undefined)[],
    f: (b: ReturnType<typeof native>) => Handle,
  ): Tensor {
    return new Tensor(run(op, inputs, () => f(native())));
  }

  /**
   * The elements as a typed array (a copy; float16/bfloat16 widen to float32, bool reads as 0/1). Name the
   * dtype you expect to get its typed array type: `t.data<'float32'>()` → Float32Array.
   */
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters
  data<D extends DType = DType>(): DataOf[D] {
    return run('data', [this], () => viewBytes(native().toArrayBuffer(this.live()), this.dtype)) as DataOf[D];
  }
  /** The elements as plain numbers (row-major). */
  toArray(): number[] {
    const d = this.data();
    return d instanceof BigInt64Array ? Array.from(d, Number) : Array.from(d);
  }
  /** The value of a one-element tensor. */
  item(): number {
    return run('item', [this], () => native().item(this.live()));
  }

  /** A copy with another dtype. */
  to(dtype: DType): Tensor {
    return this.wrapOut('to', [this], (b) => b.toDtype(this.live(), dtypeCode(dtype)));
  }
  /** A copy on another device ('cpu', 'cuda', 'cuda:1'). */
  toDevice(device: string): Tensor {
    return this.wrapOut('toDevice', [this], (b) => b.toDevice(this.live(), device));
  }

  /** Whether autograd records ops on this tensor. */
  get requiresGrad(): boolean {
    return run('requiresGrad', [this], () => native().requiresGrad(this.live()));
  }
  /** Turns gradient recording on or off for this (leaf) tensor, in place; returns this. */
  requiresGrad_(on = true): this {
    run('requiresGrad_', [this], () => {
      native().setRequiresGrad(this.live(), on);
    });
    return this;
  }
  /** The accumulated gradient, or null before any backward pass. */
  get grad(): Tensor | null {
    const g = run('grad', [this], () => native().grad(this.live()));
    return g === null ? null : new Tensor(g);
  }
  /** Backpropagates from this tensor (a scalar unless `grad` is given). */
  backward(grad?: Tensor, options: { retainGraph?: boolean } = {}): void {
    run('backward', [this, grad], () => {
      native().backward(this.live(), grad?.handle, options.retainGraph ?? false);
    });
  }

  /** Max over `dim` → values and indices. */
  maxDim(dim: number, keepdim = false): { values: Tensor; indices: Tensor } {
    const [v, i] = run('maxDim', [this, dim], () => native().maxDim(this.live(), dim, keepdim));
    return { values: new Tensor(v), indices: new Tensor(i) };
  }
  /** Min over `dim` → values and indices. */
  minDim(dim: number, keepdim = false): { values: Tensor; indices: Tensor } {
    const [v, i] = run('minDim', [this, dim], () => native().minDim(this.live(), dim, keepdim));
    return { values: new Tensor(v), indices: new Tensor(i) };
  }
  /** Sorted values and their indices along `dim`. */
  sort(dim = -1, descending = false): { values: Tensor; indices: Tensor } {
    const [v, i] = run('sort', [this, dim], () => native().sort(this.live(), dim, descending));
    return { values: new Tensor(v), indices: new Tensor(i) };
  }
  /** Index of the max (over all elements when `dim` is omitted). */
  argmax(dim?: number, keepdim = false): Tensor {
    return this.wrapOut('argmax', [this, dim], (b) => b.argmax(this.live(), dim ?? null, keepdim));
  }
  /** Index of the min (over all elements when `dim` is omitted). */
  argmin(dim?: number, keepdim = false): Tensor {
    return this.wrapOut('argmin', [this, dim], (b) => b.argmin(this.live(), dim ?? null, keepdim));
  }
  /** Cumulative sum along `dim`. */
  cumsum(dim: number): Tensor {
    return this.wrapOut('cumsum', [this, dim], (b) => b.cumsum(this.live(), dim));
  }

  /** Same data, new shape (-1 infers one dim); copies only when needed. */
  reshape(shape: readonly number[]): Tensor {
    return this.wrapOut('reshape', [this], (b) => b.reshape(this.live(), [...shape]));
  }
  /** Same storage, new shape (the tensor must be contiguous enough). */
  view(shape: readonly number[]): Tensor {
    return this.wrapOut('view', [this], (b) => b.view(this.live(), [...shape]));
  }
  /** Reorders dimensions. */
  permute(order: readonly number[]): Tensor {
    return this.wrapOut('permute', [this], (b) => b.permute(this.live(), [...order]));
  }
  /** Swaps two dimensions. */
  transpose(a: number, c: number): Tensor {
    return this.wrapOut('transpose', [this, a, c], (b) => b.transpose(this.live(), a, c));
  }
  /** Removes size-1 dims (all, or just `dim`). */
  squeeze(dim?: number): Tensor {
    return this.wrapOut('squeeze', [this, dim], (b) => b.squeeze(this.live(), dim ?? null));
  }
  /** Inserts a size-1 dim at `dim`. */
  unsqueeze(dim: number): Tensor {
    return this.wrapOut('unsqueeze', [this, dim], (b) => b.unsqueeze(this.live(), dim));
  }
  /** Broadcasts to `shape` without copying (-1 keeps a dim). */
  expand(shape: readonly number[]): Tensor {
    return this.wrapOut('expand', [this], (b) => b.expand(this.live(), [...shape]));
  }
  /** Tiles the tensor `sizes[i]` times along each dim. */
  repeat(sizes: readonly number[]): Tensor {
    return this.wrapOut('repeat', [this], (b) => b.repeat(this.live(), [...sizes]));
  }
  /** Flattens dims `start..end` into one. */
  flatten(start = 0, end = -1): Tensor {
    return this.wrapOut('flatten', [this, start, end], (b) => b.flatten(this.live(), start, end));
  }
  /** Elements `start..end-1` (step `step`) along `dim`, as a view; negative indices count from the end. */
  slice(dim: number, start: number, end: number = Number.MAX_SAFE_INTEGER, step = 1): Tensor {
    return this.wrapOut('slice', [this, dim, start, end], (b) => b.slice(this.live(), dim, start, end, step));
  }
  /** `length` elements from `start` along `dim`. */
  narrow(dim: number, start: number, length: number): Tensor {
    return this.slice(dim, start, start + length);
  }
  /** The sub-tensor at `index` along `dim` (that dim is removed). */
  select(dim: number, index: number): Tensor {
    return this.wrapOut('select', [this, dim, index], (b) => b.select(this.live(), dim, index));
  }
  /** Rows (along `dim`) picked by an int64 index tensor. */
  indexSelect(dim: number, index: Tensor): Tensor {
    return this.wrapOut('indexSelect', [this, dim, index], (b) =>
      b.indexSelect(this.live(), dim, index.handle),
    );
  }
  /** Gathers values along `dim` at `index` (same rank as this). */
  /**
   * Rows `rows` along dim 0 (`x[rows]`, as `indexSelect(0, …)`), from an Int32Array: one native call and no
   * index tensor (a contiguous CPU tensor is copied row by row). Rows out of range throw E_ENGINE.
   *
   * @example
   * ```ts
   * tensor([[1, 2], [3, 4], [5, 6]]).takeRows(new Int32Array([2, 0])).toArray(); // [5, 6, 1, 2]
   * ```
   */
  takeRows(rows: Int32Array): Tensor {
    return this.wrapOut('takeRows', [this], (b) => b.takeRows(this.live(), rows));
  }
  gather(dim: number, index: Tensor): Tensor {
    return this.wrapOut('gather', [this, dim, index], (b) => b.gather(this.live(), dim, index.handle));
  }
  /** Out-of-place scatter-add of `src` at `index` along `dim`. */
  scatterAdd(dim: number, index: Tensor, src: Tensor): Tensor {
    return this.wrapOut('scatterAdd', [this, dim, index, src], (b) =>
      b.scatterAdd(this.live(), dim, index.handle, src.handle),
    );
  }
  /** Rows along dim 0 picked by a bool mask or an int64 index (`x[mask]`). */
  index(rows: Tensor): Tensor {
    return this.wrapOut('index', [this, rows], (b) => b.indexRows(this.live(), rows.handle));
  }
  /** Replaces elements where `mask` is true with `value`. */
  maskedFill(mask: Tensor, value: number): Tensor {
    return this.wrapOut('maskedFill', [this, mask], (b) => b.maskedFill(this.live(), mask.handle, value));
  }
  /** The elements where `mask` is true, as a 1-D tensor. */
  maskedSelect(mask: Tensor): Tensor {
    return this.wrapOut('maskedSelect', [this, mask], (b) => b.maskedSelect(this.live(), mask.handle));
  }
  /** Clamps into [min, max] (either may be omitted). */
  clamp(min?: number, max?: number): Tensor {
    return this.wrapOut('clamp', [this, min, max], (b) => b.clamp(this.live(), min ?? null, max ?? null));
  }
  /** Lower triangle (below diagonal `k`). */
  tril(k = 0): Tensor {
    return this.wrapOut('tril', [this, k], (b) => b.tril(this.live(), k));
  }
  /** Upper triangle (above diagonal `k`). */
  triu(k = 0): Tensor {
    return this.wrapOut('triu', [this, k], (b) => b.triu(this.live(), k));
  }
  /** Splits along `dim` into pieces of the given sizes (or equal pieces of `size`). */
  split(sizes: number | readonly number[], dim = 0): Tensor[] {
    const n = this.shape.at(dim < 0 ? dim + this.rank : dim) ?? 0;
    const list =
      typeof sizes === 'number'
        ? Array.from({ length: Math.ceil(n / sizes) }, (_, i) => Math.min(sizes, n - i * sizes))
        : [...sizes];
    return run('split', [this, dim], () => native().split(this.live(), list, dim)).map((h) => new Tensor(h));
  }
  /** Softmax along `dim`. */
  softmax(dim: number): Tensor {
    return this.wrapOut('softmax', [this, dim], (b) => b.softmax(this.live(), dim));
  }
  /** Log-softmax along `dim`. */
  logSoftmax(dim: number): Tensor {
    return this.wrapOut('logSoftmax', [this, dim], (b) => b.logSoftmax(this.live(), dim));
  }
  /** Constant padding; `pads` as torch.nn.functional.pad (last dim first: [left, right, top, bottom, …]). */
  pad(pads: readonly number[], value = 0): Tensor {
    return this.wrapOut('pad', [this], (b) => b.pad(this.live(), [...pads], value));
  }
  /** `x · s` with leaky ReLU slope `slope` for negatives. */
  leakyRelu(slope = 0.01): Tensor {
    return this.wrapOut('leakyRelu', [this, slope], (b) =>
      b.scalar(opTables().scalar.get('leakyRelu')!, this.live(), slope),
    );
  }
  /** `s − x`. */
  rsub(s: number): Tensor {
    return this.wrapOut('rsub', [this, s], (b) => b.scalar(opTables().scalar.get('rsub')!, this.live(), s));
  }
  /** `s / x`. */
  rdiv(s: number): Tensor {
    return this.wrapOut('rdiv', [this, s], (b) => b.scalar(opTables().scalar.get('rdiv')!, this.live(), s));
  }
  /** `sˣ` elementwise. */
  rpow(s: number): Tensor {
    return this.wrapOut('rpow', [this, s], (b) => b.scalar(opTables().scalar.get('rpow')!, this.live(), s));
  }

  /** In place, outside autograd: copies `src` into this tensor (broadcasting). Returns this. */
  copy_(src: Tensor): this {
    run('copy_', [this, src], () => {
      native().copy_(this.live(), src.handle);
    });
    return this;
  }
  /** In place, outside autograd: sets every element to `v`. Returns this. */
  fill_(v: number): this {
    run('fill_', [this, v], () => {
      native().fill_(this.live(), v);
    });
    return this;
  }
  /** In place, outside autograd: `this += alpha · src`. Returns this. */
  addScaled_(src: Tensor, alpha = 1): this {
    run('addScaled_', [this, src, alpha], () => {
      native().addScaled_(this.live(), src.handle, alpha);
    });
    return this;
  }
  /** In place: uniform samples in [a, b) from the seeded generator. Returns this. */
  uniform_(a = 0, b = 1): this {
    run('uniform_', [this, a, b], () => {
      native().uniform_(this.live(), a, b);
    });
    return this;
  }
  /** In place: normal samples N(mean, std²) from the seeded generator. Returns this. */
  normal_(mean = 0, std = 1): this {
    run('normal_', [this, mean, std], () => {
      native().normal_(this.live(), mean, std);
    });
    return this;
  }

  /** A short description, e.g. `Tensor(float32 [2, 3])`. */
  toString(): string {
    return this.disposed ? 'Tensor(disposed)' : `Tensor(${this.dtype} [${this.shape.join(', ')}])`;
  }
}

// Generated methods, one per table entry.
const proto = Tensor.prototype as unknown as Record<string, unknown>;
for (const name of Object.keys(UNARY_OPS)) {
  proto[name] = function (this: Tensor): Tensor {
    return new Tensor(run(name, [this], () => native().unary(opTables().unary.get(name)!, this.handle)));
  };
}
for (const name of Object.keys(BINARY_OPS)) {
  proto[name] = function (this: Tensor, other: Tensor | number): Tensor {
    if (typeof other === 'number') {
      const s = opTables().scalar.get(name);
      if (s !== undefined)
        return new Tensor(run(name, [this, other], () => native().scalar(s, this.handle, other)));
      const t = new Tensor(run('full', [], () => native().full([], other, dtypeCode(this.dtype))));
      try {
        return new Tensor(
          run(name, [this, t], () => native().binary(opTables().binary.get(name)!, this.handle, t.handle)),
        );
      } finally {
        t.dispose();
      }
    }
    return new Tensor(
      run(name, [this, other], () =>
        native().binary(opTables().binary.get(name)!, this.handle, other.handle),
      ),
    );
  };
}
for (const name of REDUCE_OPS) {
  proto[name] = function (this: Tensor, dim?: number | readonly number[], keepdim = false): Tensor {
    return new Tensor(
      run(name, [this], () => native().reduce(opTables().reduce.get(name)!, this.handle, dims(dim), keepdim)),
    );
  };
}
