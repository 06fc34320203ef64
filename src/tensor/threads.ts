import { MmtlError } from '../core/index.js';
import { native } from './native.js';

/**
 * Sets libtorch's intra-op thread count. The engine starts with `MMTL_THREADS` threads, or one
 * (`DEFAULT_THREADS`); without `MMTL_THREADS`, OpenMP threads wait passively (OMP_WAIT_POLICY=PASSIVE unless
 * you set it), so more threads set here do not busy-spin on a loaded machine. For speed on a dedicated
 * machine prefer `MMTL_THREADS=<cores>` at start-up (docs/results.md, "Engine speed").
 *
 * @example
 * ```ts
 * setNumThreads(1); getNumThreads(); // 1
 * ```
 */
export function setNumThreads(n: number): void {
  if (!Number.isInteger(n) || n < 1) {
    throw new MmtlError(
      'E_ARG',
      `Argument 'n' passed to 'setNumThreads' must be a positive integer, got ${n}`,
    );
  }
  native().setNumThreads(n);
}

/** The current intra-op thread count. */
export function getNumThreads(): number {
  return native().getNumThreads();
}

/** Whether this libtorch build can use CUDA. @example `cudaAvailable(); // false on the CPU package` */
export function cudaAvailable(): boolean {
  return native().cudaAvailable();
}

/** The libtorch version the binding was built against, e.g. '1.13.0'. */
export function engineVersion(): string {
  return native().version();
}
