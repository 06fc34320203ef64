import { MmtlError } from '../core/index.js';
import { native } from './native.js';

/**
 * Sets libtorch's intra-op thread count. One thread measured fastest on the 2-core reference machine
 * (OpenMP's busy-waiting costs more than the second core gives unless OMP_WAIT_POLICY=PASSIVE); mmtl leaves
 * libtorch's default unless told (the CLI's --threads and MMTL_THREADS set it).
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
