/** Slicing functions: labeling functions that vote 1 (in the slice) or 0 (out), and slice membership matrices. */
import { assert } from '../core/index.js';
import {
  LabelMatrix,
  LabelingFunction,
  applyLFs,
  type DataPoint,
  type LabelingFunctionOptions,
} from '../labeling/index.js';

/** The user function behind a slicing function: whether the data point belongs to the slice. */
export type SFFunction<T, R> = (x: T, resources: R) => boolean;

/**
 * A slicing function (SF): a {@link LabelingFunction} of cardinality 2 that votes 1 for data points in its
 * slice and 0 for the others (Snorkel's `class SlicingFunction(LabelingFunction)`). Because it is an LF, the
 * same appliers (`applyLFs`, `applyLFsToFile`, the worker pool) and `LFAnalysis` serve slices too; an SF
 * that throws under a fault-tolerant applier abstains (-1), which slicing treats as "not in the slice".
 *
 * @example
 * ```ts
 * const sf = new SlicingFunction({ name: 'short' }, (x: { text: string }) => x.text.length < 20);
 * sf.apply({ text: 'nice song' }); // 1
 * sf.apply({ text: 'a much longer comment, over twenty characters' }); // 0
 * ```
 */
export class SlicingFunction<
  T = DataPoint,
  R extends object = Record<string, never>,
> extends LabelingFunction<T, R> {
  /**
   * Wraps `fn`; see {@link slicingFunction}.
   *
   * @example
   * ```ts
   * new SlicingFunction({ name: 'all' }, () => true).apply({}); // 1
   * ```
   */
  constructor(options: LabelingFunctionOptions<R>, fn: SFFunction<T, R>) {
    assert(
      typeof fn === 'function',
      'E_ARG',
      () => `Argument 'fn' passed to 'slicingFunction' must be a function, got ${typeof fn}`,
    );
    super(options, (x: T, resources: R) => (fn(x, resources) ? 1 : 0));
  }
}

/**
 * Creates a {@link SlicingFunction} (Snorkel's `@slicing_function(name, resources, pre)`).
 *
 * @example
 * ```ts
 * const sf = slicingFunction(
 *   { name: 'mentions_link', resources: { re: /https?:\/\//i } },
 *   (x: { text: string }, { re }) => re.test(x.text),
 * );
 * sf.apply({ text: 'see http://x.io' }); // 1
 * ```
 */
export function slicingFunction<T = DataPoint, R extends object = Record<string, never>>(
  options: LabelingFunctionOptions<R>,
  fn: SFFunction<T, R>,
): SlicingFunction<T, R> {
  return new SlicingFunction(options, fn);
}

/** Options of {@link applySFs}. */
export interface ApplySFsOptions {
  /** Count an SF that throws on a row as "not in the slice" instead of failing with `E_LF`. Default false. */
  faultTolerant?: boolean | undefined;
  /** Field whose value becomes the row id; none by default. */
  idField?: string | undefined;
}

/**
 * Applies slicing functions to data points → the slice membership matrix: an n × s {@link LabelMatrix}
 * (cardinality 2) whose column `j` is 1 where row `i` is in slice `sfs[j].name` (0 or -1 otherwise).
 * Every slicing API of mmtl takes this matrix.
 *
 * @example
 * ```ts
 * const S = applySFs([questionSF(), negationSF()], [{ text: 'Why not?' }, { text: 'Fine.' }]);
 * S.names;     // ['question', 'negation']
 * S.toRows();  // [[1, 1], [0, 0]]
 * ```
 */
export function applySFs(
  sfs: readonly LabelingFunction<unknown, object>[],
  items: readonly unknown[],
  options: ApplySFsOptions = {},
): LabelMatrix {
  return applyLFs(sfs, items, {
    cardinality: 2,
    faultTolerant: options.faultTolerant,
    idField: options.idField,
  }).L;
}

/**
 * Builds a slice membership matrix from boolean (or 0/1) masks, one per slice, for slices computed some other
 * way (e.g. from array columns).
 *
 * @example
 * ```ts
 * const S = sliceMatrix({ sf_right: [true, false], sf_flip: [0, 1] });
 * S.names;    // ['sf_right', 'sf_flip']
 * S.toRows(); // [[1, 0], [0, 1]]
 * ```
 */
export function sliceMatrix(masks: Readonly<Record<string, ArrayLike<number | boolean>>>): LabelMatrix {
  const names = Object.keys(masks);
  assert(names.length > 0, 'E_ARG', () => `Argument 'masks' passed to 'sliceMatrix' has no slices`);
  const n = masks[names[0]!]!.length;
  const data = new Int8Array(n * names.length);
  names.forEach((name, j) => {
    const m = masks[name]!;
    assert(
      m.length === n,
      'E_SHAPE',
      () => `Argument 'masks' passed to 'sliceMatrix': slice '${name}' has ${m.length} rows, expected ${n}`,
    );
    for (let i = 0; i < n; i++) data[i * names.length + j] = m[i] ? 1 : 0;
  });
  return new LabelMatrix({ n, m: names.length, data, names });
}

/**
 * The rows of slice `name` as a 0/1 mask (a vote of 1 is "in"; 0 and -1 are "out").
 *
 * @example
 * ```ts
 * sliceMask(sliceMatrix({ a: [1, 0, 1] }), 'a'); // Uint8Array [1, 0, 1]
 * ```
 */
export function sliceMask(membership: LabelMatrix, name: string): Uint8Array {
  const j = membership.names.indexOf(name);
  assert(
    j >= 0,
    'E_UNKNOWN',
    () =>
      `Argument 'name' passed to 'sliceMask' names no slice of the membership matrix: '${name}'; expected one of ${membership.names.join(', ')}`,
  );
  return Uint8Array.from(membership.column(j), (v) => (v === 1 ? 1 : 0));
}
