import { ABSTAIN, MmtlError, assert } from '../core/index.js';
import { isList } from './checks.js';
import type { Preprocessor } from './preprocessor.js';

/** The default shape of a data point: one parsed JSONL object or CSV/TSV row. */
export type DataPoint = Record<string, unknown>;

/** The user function behind an LF: a class index `0..k-1`, or {@link ABSTAIN} (-1). */
export type LFFunction<T, R> = (x: T, resources: R) => number;

/** Options of {@link labelingFunction} and {@link LabelingFunction}. */
export interface LabelingFunctionOptions<R extends object = Record<string, never>> {
  /** The LF's name: its column name in the label matrix and in analyses. */
  name: string;
  /** Objects the function needs (lexicons, models, lookup tables), passed as its second argument. */
  resources?: R | undefined;
  /** Preprocessors applied in order to the data point before the function sees it. */
  pre?: readonly Preprocessor<never>[] | undefined;
}

const BRAND = Symbol.for('mmtl.LabelingFunction');

/**
 * A labeling function (LF): a named heuristic that votes a class `0..k-1` for a data point or abstains
 * with -1 (Snorkel's convention). Create one with {@link labelingFunction}, {@link keywordLF} or
 * {@link regexLF}; appliers run many LFs over a dataset into a {@link LabelMatrix}.
 *
 * @example
 * ```ts
 * const lf = new LabelingFunction({ name: 'short' }, (x: { text: string }) => (x.text.length < 20 ? 0 : ABSTAIN));
 * lf.apply({ text: 'nice song' }); // 0
 * lf.name;                         // 'short'
 * ```
 */
export class LabelingFunction<T = DataPoint, R extends object = Record<string, never>> {
  /** The LF's name (its label-matrix column). */
  readonly name: string;
  /** Resources passed to the function as its second argument. */
  readonly resources: R;
  /** Preprocessors run before the function. */
  readonly pre: readonly Preprocessor<never>[];
  // Stored type-erased so that any LabelingFunction<T, R> is assignable to LabelingFunction<unknown, object>.
  private readonly fn: (x: unknown, resources: object) => number;
  /** Brand that identifies LFs across copies of the library (e.g. one loaded in a worker). */
  readonly [BRAND] = true;

  /**
   * Wraps `fn`; see {@link labelingFunction}.
   *
   * @example
   * ```ts
   * new LabelingFunction({ name: 'always_spam' }, () => 1).apply({}); // 1
   * ```
   */
  constructor(options: LabelingFunctionOptions<R>, fn: LFFunction<T, R>) {
    assert(
      typeof options === 'object' &&
        options !== null &&
        typeof options.name === 'string' &&
        options.name !== '',
      'E_ARG',
      () => `Argument 'options.name' passed to 'labelingFunction' must be a non-empty string`,
    );
    assert(
      typeof fn === 'function',
      'E_ARG',
      () =>
        `Argument 'fn' passed to 'labelingFunction' ('${options.name}') must be a function, got ${typeof fn}`,
    );
    this.name = options.name;
    this.resources = options.resources ?? ({} as R);
    this.pre = options.pre ?? [];
    this.fn = fn as (x: unknown, resources: object) => number;
  }

  /**
   * Runs the preprocessors and the function on one data point and returns its raw vote (not validated;
   * the appliers check it against the cardinality).
   *
   * @example
   * ```ts
   * keywordLF({ name: 'kw_my', keywords: ['my'], label: 1 }).apply({ text: 'see my channel' }); // 1
   * ```
   */
  apply(x: unknown): number {
    let v: unknown = x;
    for (const p of this.pre) v = (p as Preprocessor).apply(v);
    return this.fn(v, this.resources);
  }
}

/**
 * Whether `x` is a {@link LabelingFunction} (checked by brand, so LFs built by another copy of mmtl count).
 *
 * @example
 * ```ts
 * isLabelingFunction(labelingFunction({ name: 'a' }, () => -1)); // true
 * isLabelingFunction({ name: 'a' });                             // false
 * ```
 */
export function isLabelingFunction(x: unknown): x is LabelingFunction<unknown, object> {
  return (
    typeof x === 'object' &&
    x !== null &&
    (x as Record<symbol, unknown>)[BRAND] === true &&
    typeof (x as { apply?: unknown }).apply === 'function'
  );
}

/**
 * Creates a {@link LabelingFunction} (Snorkel's `@labeling_function(name, resources, pre)`).
 *
 * @example
 * ```ts
 * const SPAM = 1;
 * const lf = labelingFunction(
 *   { name: 'lexicon', resources: { words: new Set(['subscribe', 'channel']) } },
 *   (x: { text: string }, { words }) => (x.text.split(' ').some((w) => words.has(w)) ? SPAM : ABSTAIN),
 * );
 * lf.apply({ text: 'subscribe to me' }); // 1
 * lf.apply({ text: 'great song' });      // -1
 * ```
 */
export function labelingFunction<T = DataPoint, R extends object = Record<string, never>>(
  options: LabelingFunctionOptions<R>,
  fn: LFFunction<T, R>,
): LabelingFunction<T, R> {
  return new LabelingFunction(options, fn);
}

/**
 * Checks that `vote`, returned by LF `lf` on row `row`, is an integer in `-1..cardinality-1`, and returns it.
 *
 * @example
 * ```ts
 * checkVote(2, 'kw', 7, 2); // throws E_LF: LF 'kw' returned 2 on row 7; expected an integer in -1..1 …
 * ```
 */
export function checkVote(vote: unknown, lf: string, row: number, cardinality: number): number {
  if (typeof vote === 'number' && Number.isInteger(vote) && vote >= ABSTAIN && vote < cardinality)
    return vote;
  throw new MmtlError(
    'E_LF',
    `LF '${lf}' returned ${typeof vote === 'string' ? `'${vote}'` : String(vote)} on row ${row}; expected an integer in -1..${cardinality - 1} (cardinality ${cardinality})`,
    { hint: 'return ABSTAIN (-1) to abstain', details: { lf, row, vote } },
  );
}

/**
 * Checks a list of LFs: non-empty, all {@link LabelingFunction}s, names unique. Returns it.
 *
 * @example
 * ```ts
 * checkLFs([lfA, lfA], 'applyLFs'); // throws E_ARG: duplicate LF name 'a'
 * ```
 */
export function checkLFs<L>(lfs: readonly L[], fn: string): readonly L[] {
  assert(
    isList(lfs) && lfs.length > 0,
    'E_ARG',
    () => `Argument 'lfs' passed to '${fn}' must be a non-empty array of labeling functions`,
  );
  const seen = new Set<string>();
  lfs.forEach((lf, j) => {
    assert(
      isLabelingFunction(lf),
      'E_ARG',
      () => `Argument 'lfs' passed to '${fn}' holds a non-LF at index ${j}`,
      { hint: 'create LFs with labelingFunction(), keywordLF() or regexLF()' },
    );
    assert(
      !seen.has(lf.name),
      'E_ARG',
      () => `Argument 'lfs' passed to '${fn}' has a duplicate LF name '${lf.name}'`,
    );
    seen.add(lf.name);
  });
  return lfs;
}
