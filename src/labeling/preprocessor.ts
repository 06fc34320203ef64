import { assert } from '../core/index.js';

/** Options of {@link preprocessor}. */
export interface PreprocessorOptions<In> {
  /** Name, for error messages; defaults to the function's name. */
  name?: string | undefined;
  /**
   * Cache results, so that several LFs sharing this preprocessor compute it once per data point
   * (Snorkel's `memoize`). Default false.
   */
  memoize?: boolean | undefined;
  /**
   * The cache key of a data point (Snorkel's `memoize_key`); defaults to the data point itself, compared by
   * identity, which is what the appliers need: every LF runs on the same object before the next row.
   */
  key?: ((x: In) => unknown) | undefined;
  /** Most results kept in the cache (oldest dropped first), so streaming stays bounded. Default 1024. */
  cacheSize?: number | undefined;
}

/**
 * A function that maps a data point to another before labeling functions see it (parse, tokenize, look up),
 * optionally memoized. Create one with {@link preprocessor}.
 *
 * @example
 * ```ts
 * const lower = preprocessor((x: { text: string }) => ({ ...x, text: x.text.toLowerCase() }), { memoize: true });
 * lower.apply({ text: 'Hi' }); // { text: 'hi' }
 * ```
 */
export class Preprocessor<In = unknown, Out = unknown> {
  /** Name, for error messages. */
  readonly name: string;
  /** Whether results are cached. */
  readonly memoize: boolean;
  private readonly fn: (x: In) => Out;
  private readonly key: (x: In) => unknown;
  private readonly cacheSize: number;
  private readonly cache = new Map<unknown, Out>();
  // Keys in insertion order, as a ring: evicting the oldest never scans the Map (V8 Maps are slow to iterate
  // from the start after many deletions).
  private ring: unknown[] = [];
  private next = 0;

  /**
   * Wraps `fn`; see {@link preprocessor}.
   *
   * @example
   * ```ts
   * new Preprocessor((x: number) => x * 2, { name: 'double' }).apply(2); // 4
   * ```
   */
  constructor(fn: (x: In) => Out, options: PreprocessorOptions<In> = {}) {
    assert(
      typeof fn === 'function',
      'E_ARG',
      () => `Argument 'fn' passed to 'preprocessor' must be a function, got ${typeof fn}`,
    );
    const cacheSize = options.cacheSize ?? 1024;
    assert(
      Number.isInteger(cacheSize) && cacheSize >= 1,
      'E_ARG',
      () => `Argument 'cacheSize' passed to 'preprocessor' must be an integer ≥ 1, got ${cacheSize}`,
    );
    this.fn = fn;
    this.name = options.name ?? (fn.name || 'preprocessor');
    this.memoize = options.memoize ?? false;
    this.key = options.key ?? ((x: In) => x);
    this.cacheSize = cacheSize;
  }

  /**
   * Maps one data point, from the cache when memoized.
   *
   * @example
   * ```ts
   * let calls = 0;
   * const p = preprocessor((x: object) => (calls++, x), { memoize: true });
   * const row = {};
   * p.apply(row); p.apply(row); calls; // 1
   * ```
   */
  apply(x: In): Out {
    if (!this.memoize) return this.fn(x);
    const k = this.key(x);
    if (this.cache.has(k)) return this.cache.get(k)!;
    const out = this.fn(x);
    if (this.ring.length < this.cacheSize) this.ring.push(k);
    else {
      this.cache.delete(this.ring[this.next]);
      this.ring[this.next] = k;
      this.next = (this.next + 1) % this.cacheSize;
    }
    this.cache.set(k, out);
    return out;
  }

  /**
   * Empties the cache.
   *
   * @example
   * ```ts
   * lower.reset();
   * ```
   */
  reset(): void {
    this.cache.clear();
    this.ring = [];
    this.next = 0;
  }
}

/**
 * Creates a {@link Preprocessor} (Snorkel's `@preprocessor(memoize=…, memoize_key=…)`). Pass it in an LF's
 * `pre` list; preprocessors run in order and each LF receives the last one's output.
 *
 * @example
 * ```ts
 * const words = preprocessor((x: { text: string }) => ({ ...x, words: x.text.toLowerCase().split(/\W+/) }), {
 *   memoize: true,
 *   key: (x) => x.text,
 * });
 * const lf = labelingFunction({ name: 'has_check', pre: [words] }, (x: { words: string[] }) =>
 *   x.words.includes('check') ? 1 : ABSTAIN,
 * );
 * lf.apply({ text: 'Check it out' }); // 1
 * ```
 */
export function preprocessor<In, Out>(
  fn: (x: In) => Out,
  options: PreprocessorOptions<In> = {},
): Preprocessor<In, Out> {
  return new Preprocessor(fn, options);
}
