import { native } from './native.js';

/**
 * Runs `fn` with gradient recording off (like `torch.no_grad()`), restoring the previous mode after.
 *
 * @example
 * ```ts
 * const y = noGrad(() => w.mul(2)); // y.requiresGrad === false
 * ```
 */
export function noGrad<T>(fn: () => T): T {
  const b = native();
  const prev = b.gradEnabled();
  b.setGradEnabled(false);
  try {
    return fn();
  } finally {
    b.setGradEnabled(prev);
  }
}

/** Whether ops currently record gradients. @example `isGradEnabled(); // true outside noGrad` */
export function isGradEnabled(): boolean {
  return native().gradEnabled();
}
