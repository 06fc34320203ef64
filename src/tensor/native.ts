import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MmtlError, type ErrorCode } from '../core/index.js';

declare const handleBrand: unique symbol;
/** An opaque native tensor handle (a napi External owning one libtorch tensor). */
export interface Handle {
  readonly [handleBrand]: 'tensor';
}
declare const optimBrand: unique symbol;
/** An opaque native optimizer handle. */
export interface OptimHandle {
  readonly [optimBrand]: 'optimizer';
}

type H = Handle;
type Opt = H | null | undefined;
/** Options of one optimizer parameter group, as the binding reads them: every one is required (the defaults
 * live in src/tensor/optim.ts, nowhere else). */
export interface NativeOptimOptions {
  lr: number;
  momentum: number;
  dampening: number;
  weightDecay: number;
  nesterov: boolean;
  beta1: number;
  beta2: number;
  eps: number;
  amsgrad: boolean;
}

/** An optimizer's state as the binding hands it out: step counts by parameter position, buffers by name. */
export interface NativeOptimState {
  steps: number[];
  /** `<position>.<buffer>`, e.g. `3.exp_avg`. */
  names: string[];
  tensors: H[];
}

/** The functions the native binding exports (native/src/*.cc). */
export interface NativeBinding {
  unaryNames: string[];
  binaryNames: string[];
  scalarNames: string[];
  reduceNames: string[];
  fromTypedArray(data: ArrayBufferView, shape: number[], src: number, dst: number): H;
  gatherRows(data: ArrayBufferView, rowShape: number[], rows: Int32Array, src: number, dst: number): H;
  toArrayBuffer(h: H): ArrayBuffer;
  item(h: H): number;
  shape(h: H): number[];
  dtype(h: H): number;
  device(h: H): string;
  free(h: H): void;
  isAlive(h: H): boolean;
  toDtype(h: H, dtype: number): H;
  toDevice(h: H, device: string): H;
  full(shape: number[], value: number, dtype: number, device?: string): H;
  arange(start: number, end: number, step: number, dtype: number, device?: string): H;
  manualSeed(seed: number): void;
  rand(shape: number[], dtype: number, device?: string): H;
  randn(shape: number[], dtype: number, device?: string): H;
  randint(low: number, high: number, shape: number[], dtype: number, device?: string): H;
  randperm(n: number, device?: string): H;
  bernoulli(p: H): H;
  uniform_(h: H, a: number, b: number): void;
  normal_(h: H, mean: number, std: number): void;
  getRngState(): ArrayBuffer;
  setRngState(state: Uint8Array): void;
  requiresGrad(h: H): boolean;
  setRequiresGrad(h: H, on: boolean): void;
  backward(h: H, grad: Opt, retainGraph: boolean): void;
  grad(h: H): H | null;
  zeroGrad(hs: H[]): void;
  gradEnabled(): boolean;
  setGradEnabled(on: boolean): void;
  copy_(dst: H, src: H): void;
  fill_(h: H, v: number): void;
  addScaled_(dst: H, src: H, alpha: number): void;
  setNumThreads(n: number): void;
  getNumThreads(): number;
  cudaAvailable(): boolean;
  version(): string;
  unary(op: number, x: H): H;
  binary(op: number, a: H, b: H): H;
  scalar(op: number, a: H, s: number): H;
  reduce(op: number, x: H, dims: number[] | null, keepdim: boolean): H;
  maxDim(x: H, dim: number, keepdim: boolean): [H, H];
  minDim(x: H, dim: number, keepdim: boolean): [H, H];
  sort(x: H, dim: number, descending: boolean): [H, H];
  argmax(x: H, dim: number | null, keepdim: boolean): H;
  argmin(x: H, dim: number | null, keepdim: boolean): H;
  cumsum(x: H, dim: number): H;
  reshape(x: H, shape: number[]): H;
  view(x: H, shape: number[]): H;
  permute(x: H, dims: number[]): H;
  transpose(x: H, a: number, b: number): H;
  squeeze(x: H, dim: number | null): H;
  unsqueeze(x: H, dim: number): H;
  expand(x: H, shape: number[]): H;
  repeat(x: H, sizes: number[]): H;
  flatten(x: H, start: number, end: number): H;
  slice(x: H, dim: number, start: number, end: number, step: number): H;
  select(x: H, dim: number, index: number): H;
  indexSelect(x: H, dim: number, index: H): H;
  takeRows(x: H, rows: Int32Array): H;
  gather(x: H, dim: number, index: H): H;
  scatterAdd(x: H, dim: number, index: H, src: H): H;
  cat(xs: H[], dim: number): H;
  stack(xs: H[], dim: number): H;
  split(x: H, sizes: number[], dim: number): H[];
  where(cond: H, a: H, b: H): H;
  maskedFill(x: H, mask: H, value: number): H;
  maskedSelect(x: H, mask: H): H;
  indexRows(x: H, index: H): H;
  clamp(x: H, min: number | null, max: number | null): H;
  tril(x: H, k: number): H;
  triu(x: H, k: number): H;
  oneHot(x: H, k: number): H;
  pad(x: H, pads: number[], value: number): H;
  addmm(bias: H, a: H, b: H, beta: number, alpha: number): H;
  softmax(x: H, dim: number): H;
  logSoftmax(x: H, dim: number): H;
  layerNorm(x: H, shape: number[], w: Opt, b: Opt, eps: number): H;
  dropout(x: H, p: number, train: boolean): H;
  embedding(w: H, idx: H, paddingIdx: number): H;
  linear(x: H, w: H, b: Opt): H;
  lstm(
    x: H,
    hx: H[],
    params: H[],
    hasBiases: boolean,
    layers: number,
    dropout: number,
    train: boolean,
    bidirectional: boolean,
    batchFirst: boolean,
  ): [H, H, H];
  lstmPacked(
    x: H,
    lengths: H,
    hx: H[],
    params: H[],
    hasBiases: boolean,
    layers: number,
    dropout: number,
    train: boolean,
    bidirectional: boolean,
  ): [H, H, H];
  crossEntropy(x: H, target: H, weight: Opt, reduction: string, ignoreIndex: number, smoothing: number): H;
  nllLoss(x: H, target: H, weight: Opt, reduction: string, ignoreIndex: number): H;
  bceWithLogits(x: H, target: H, weight: Opt, posWeight: Opt, reduction: string): H;
  bce(x: H, target: H, weight: Opt, reduction: string): H;
  mseLoss(x: H, target: H, reduction: string): H;
  optimCreate(kind: string, groups: { params: H[]; options: NativeOptimOptions }[]): OptimHandle;
  optimStep(o: OptimHandle, clipNorm: number | null, normType: number): void;
  optimZeroGrad(o: OptimHandle): void;
  optimSetLr(o: OptimHandle, lrs: number[]): void;
  optimGetLr(o: OptimHandle): number[];
  optimGetState(o: OptimHandle): NativeOptimState;
  optimSetState(o: OptimHandle, steps: number[], names: string[], tensors: H[]): void;
  optimLoadLegacy(o: OptimHandle, state: Uint8Array): void;
  optimFree(o: OptimHandle): void;
  clipGradNorm(params: H[], maxNorm: number, normType: number): number;
}

function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'binding.gyp'))) return dir;
    const up = dirname(dir);
    if (up === dir) return dirname(fileURLToPath(import.meta.url));
    dir = up;
  }
}

let binding: NativeBinding | undefined;

/**
 * Intra-op threads set when the engine loads, unless `MMTL_THREADS` says otherwise: 1, so that runs are
 * reproducible across machines and parallel jobs (test workers, ladders) do not oversubscribe the cores.
 * On a dedicated machine `MMTL_THREADS=<cores>` is much faster (docs/results.md, "Engine speed").
 */
export const DEFAULT_THREADS = 1;

/** `MMTL_THREADS` as a positive integer, or undefined when it is not set (empty counts as not set). */
function threadsFromEnv(): number | undefined {
  const raw = process.env.MMTL_THREADS;
  if (raw === undefined || raw === '') return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) {
    throw new MmtlError(
      'E_ARG',
      `environment variable MMTL_THREADS must be a positive integer, got '${raw}'`,
      {
        hint: 'unset it for one thread, or set it to the number of cores to use',
      },
    );
  }
  return n;
}

/** True when this copy of mmtl was installed as a dependency (it sits in a node_modules folder). */
function installedAsPackage(root: string): boolean {
  return root.split(/[\\/]/).includes('node_modules');
}

/** How to get the engine: install libtorch, then rebuild the binding (`npm rebuild mmtl` when installed). */
function enableHint(root: string): string {
  const libtorch =
    'install libtorch (sudo apt-get install -y libtorch-dev libopenblas0-openmp on Debian/Ubuntu, or set ' +
    'LIBTORCH=/path/to/an/unpacked/libtorch)';
  return installedAsPackage(root)
    ? `${libtorch}, then run \`npm rebuild mmtl\` in your project`
    : `run \`npm run build:native\` (it installs libtorch-dev when missing), or ${libtorch} first`;
}

/**
 * The loaded native binding. Loads `build/Release/mmtl_native.node` on first use, never at import time (the
 * weak-supervision half of mmtl works without libtorch); fails with E_ENGINE saying how to get libtorch and
 * build the binding when it is missing.
 *
 * @example
 * ```ts
 * native().getNumThreads(); // 1 (MMTL_THREADS unset); throws E_ENGINE when the binding is not built
 * ```
 */
export function native(): NativeBinding {
  if (binding) return binding;
  const root = packageRoot();
  const path = join(root, 'build', 'Release', 'mmtl_native.node');
  if (!existsSync(path)) {
    throw new MmtlError(
      'E_ENGINE',
      `the native engine (libtorch) is not built, so tensors, models and training are unavailable (${path} is missing; the label model and labeling functions work without it)`,
      { hint: enableHint(root), details: { missing: path } },
    );
  }
  const fromEnv = threadsFromEnv();
  // OpenMP reads its wait policy once, when libtorch loads. With the default single thread, passive waits keep
  // a later `setNumThreads(n)` safe on a loaded machine (spinning threads were 4–7× slower there). A user who
  // chose MMTL_THREADS gets OpenMP's own policy, as PyTorch does (as fast as PyTorch on an idle machine). A
  // policy the user set always wins.
  if (fromEnv === undefined) process.env.OMP_WAIT_POLICY ??= 'PASSIVE';
  try {
    binding = createRequire(import.meta.url)(path) as NativeBinding;
    binding.setNumThreads(fromEnv ?? DEFAULT_THREADS);
  } catch (e) {
    throw new MmtlError('E_ENGINE', `could not load the native engine ${path}: ${(e as Error).message}`, {
      hint: `rebuild it: ${enableHint(root)}`,
      cause: e,
    });
  }
  return binding;
}

/**
 * Turns an error thrown by the binding into an MmtlError naming the op and the input shapes.
 * The binding prefixes messages with a code ("E_ENGINE: …", "E_STATE: …").
 */
export function engineError(
  op: string,
  shapes: readonly (readonly number[] | string)[],
  e: unknown,
): MmtlError {
  if (e instanceof MmtlError) return e;
  const raw = e instanceof Error ? e.message : String(e);
  const m = /^(E_[A-Z]+): ([\s\S]*)$/.exec(raw);
  const code = (m?.[1] ?? 'E_ENGINE') as ErrorCode;
  const msg = (m?.[2] ?? raw).split('\n')[0]!.trim();
  const shapeText = shapes.map((s) => (typeof s === 'string' ? s : `[${s.join(', ')}]`)).join(', ');
  const shapeCode: ErrorCode =
    code !== 'E_ENGINE'
      ? code
      : /expected scalar type|dtype|scalar type .* but|must have the same dtype/i.test(msg)
        ? 'E_DTYPE'
        : /shape|size|dimension|mat1|broadcast/i.test(msg)
          ? 'E_SHAPE'
          : code;
  return new MmtlError(shapeCode, `${op}(${shapeText}): ${msg}`, { cause: e, details: { op, shapes } });
}
