import { setImmediate as turn } from 'node:timers/promises';
import { MmtlError } from '../core/index.js';

/** What a scope tracks: anything with a deterministic `dispose()`. */
export interface Disposable {
  dispose(): void;
  readonly isDisposed: boolean;
}

const scopes: Set<Disposable>[] = [];

/** Registers a new tensor with the innermost scope (if any). Called by the Tensor constructor. */
export function track(t: Disposable): void {
  scopes[scopes.length - 1]?.add(t);
}

/**
 * Keeps a tensor alive past the scope it was created in (it leaves every open scope). Parameters and
 * optimizer state are kept; everything else made inside {@link tidy} is freed when it returns.
 *
 * @example
 * ```ts
 * let w!: Tensor;
 * tidy(() => { w = keep(randn([3, 3])); });
 * w.isDisposed; // false
 * ```
 */
export function keep<T extends Disposable>(t: T): T {
  for (const s of scopes) s.delete(t);
  return t;
}

function collect(value: unknown, out: Set<Disposable>, depth = 0): void {
  if (value === null || typeof value !== 'object' || depth > 4) return;
  if ('dispose' in value && 'isDisposed' in value) {
    out.add(value as Disposable);
    return;
  }
  if (Array.isArray(value)) {
    for (const v of value) collect(v, out, depth + 1);
  } else if (Object.getPrototypeOf(value) === Object.prototype || value instanceof Map) {
    const values = value instanceof Map ? [...value.values()] : Object.values(value);
    for (const v of values) collect(v, out, depth + 1);
  }
}

/**
 * Runs `fn` and frees every tensor it created, except those it returns (directly, or inside arrays, plain
 * objects or Maps) and those passed to {@link keep}. Returned tensors move to the enclosing scope. `fn` must be
 * synchronous (an async function would leave the scope before its tensors exist).
 *
 * The training-loop rule: one `tidy` per step, and let the event loop turn (`await nextTurn()`) every step or
 * every few milliseconds (the Trainer's `turnEveryMs`), so memory stays flat. A fully synchronous loop lets
 * native memory grow because handle finalizers never run.
 *
 * @example
 * ```ts
 * const loss = tidy(() => model.forward(x).sub(y).square().mean()); // intermediates freed
 * ```
 */
export function tidy<T>(fn: () => T): T {
  const scope = new Set<Disposable>();
  scopes.push(scope);
  let result: T;
  try {
    result = fn();
  } catch (e) {
    scopes.pop();
    for (const t of scope) t.dispose();
    throw e;
  }
  scopes.pop();
  if (result instanceof Promise) {
    for (const t of scope) t.dispose();
    throw new MmtlError('E_ARG', "Argument 'fn' passed to 'tidy' must be synchronous; it returned a Promise");
  }
  const kept = new Set<Disposable>();
  collect(result, kept);
  const parent = scopes[scopes.length - 1];
  for (const t of scope) {
    if (kept.has(t)) parent?.add(t);
    else t.dispose();
  }
  return result;
}

/** Disposes every tensor in `values` (arrays and plain objects are walked). */
export function dispose(...values: unknown[]): void {
  const all = new Set<Disposable>();
  for (const v of values) collect(v, all);
  for (const t of all) t.dispose();
}

/**
 * Lets the event loop turn once. Call it every training step or every few milliseconds (see {@link tidy}) so
 * native handle finalizers run and memory stays flat.
 */
export async function nextTurn(): Promise<void> {
  await turn();
}

/** Number of open tidy scopes (for tests and diagnostics). */
export function scopeDepth(): number {
  return scopes.length;
}
