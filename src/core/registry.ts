import { MmtlError } from './errors.js';

/**
 * A name → value map whose lookups fail with an error that lists the valid names. Used for every
 * pluggable part (metrics, optimizers, schedulers, GLUE tasks, …) instead of if-chains.
 *
 * @example
 * ```ts
 * const schedulers = new Registry<() => number>('scheduler');
 * schedulers.register('constant', () => 1);
 * schedulers.get('constant')(); // 1
 * schedulers.get('x'); // throws E_UNKNOWN: unknown scheduler 'x'; expected one of constant
 * ```
 */
export class Registry<T> {
  private readonly entries = new Map<string, T>();

  /** @param kind what the entries are, used in error messages ("metric", "optimizer", …). */
  constructor(readonly kind: string) {}

  /** Adds an entry; registering a name twice is an error unless `replace` is set. */
  register(name: string, value: T, replace = false): this {
    if (this.entries.has(name) && !replace) {
      throw new MmtlError('E_ARG', `${this.kind} '${name}' is already registered`, {
        hint: 'pass replace = true to override it',
      });
    }
    this.entries.set(name, value);
    return this;
  }

  /** The entry for `name`; throws E_UNKNOWN listing the valid names when absent. */
  get(name: string): T {
    const value = this.entries.get(name);
    if (value === undefined) {
      throw new MmtlError(
        'E_UNKNOWN',
        `unknown ${this.kind} '${name}'; expected one of ${this.names().join(', ')}`,
      );
    }
    return value;
  }

  /** Whether `name` is registered. */
  has(name: string): boolean {
    return this.entries.has(name);
  }

  /** Registered names, in registration order. */
  names(): string[] {
    return [...this.entries.keys()];
  }
}
