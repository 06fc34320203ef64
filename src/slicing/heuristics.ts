/** Ready slicing functions for sentence and sentence-pair tasks (MeTaL's GLUE slice heuristics). */
import { assert } from '../core/index.js';
import { textField } from '../labeling/index.js';
import { SlicingFunction } from './slicing-function.js';

/** Where an SF reads text: a field name / dotted path (`'sentence1'`, `'data.text'`) or a function. */
export type TextAccessor = string | ((x: unknown) => string);

/** Options every ready heuristic takes. */
export interface HeuristicSFOptions {
  /** The SF's name (its slice name); each heuristic has a default. */
  name?: string | undefined;
  /**
   * The text to test: one accessor, or several for sentence pairs (then the data point is in the slice when
   * any sentence is; length buckets count the words of all sentences together). Default `'text'`.
   */
  field?: TextAccessor | readonly TextAccessor[] | undefined;
}

function accessors(field: HeuristicSFOptions['field'], fn: string): ((x: unknown) => string)[] {
  const list =
    field === undefined
      ? ['text']
      : typeof field === 'string' || typeof field === 'function'
        ? [field]
        : [...field];
  assert(
    list.length > 0,
    'E_ARG',
    () => `Argument 'field' passed to '${fn}' must name at least one text field`,
  );
  return list.map((f) => (typeof f === 'function' ? f : (x: unknown) => textField(x, f)));
}

function anySentence(
  options: HeuristicSFOptions,
  fn: string,
  defaultName: string,
  test: (text: string) => boolean,
): SlicingFunction<unknown> {
  const read = accessors(options.field, fn);
  return new SlicingFunction<unknown>({ name: options.name ?? defaultName }, (x) =>
    read.some((r) => test(r(x))),
  );
}

const words = (text: string): string[] => text.toLowerCase().match(/[\p{L}\p{N}']+/gu) ?? [];

/**
 * In slice when a sentence contains a dash (`-` between spaces, `–`, `—`, or `--`): rare punctuation that
 * often marks an aside the model misreads.
 *
 * @example
 * ```ts
 * dashSF().apply({ text: 'The cat — a tabby — slept.' }); // 1
 * dashSF().apply({ text: 'A well-known fact.' });          // 0 (a hyphen is no dash)
 * ```
 */
export function dashSF(options: HeuristicSFOptions = {}): SlicingFunction<unknown> {
  return anySentence(options, 'dashSF', 'has_dash', (t) => /[–—]|--|\s-\s/.test(t));
}

/**
 * In slice when a sentence contains a semicolon.
 *
 * @example
 * ```ts
 * semicolonSF({ field: ['sentence1', 'sentence2'] }).apply({ sentence1: 'Yes; no.', sentence2: 'Ok.' }); // 1
 * ```
 */
export function semicolonSF(options: HeuristicSFOptions = {}): SlicingFunction<unknown> {
  return anySentence(options, 'semicolonSF', 'has_semicolon', (t) => t.includes(';'));
}

/** Personal and possessive pronouns counted by {@link pronounsSF}. */
export const PRONOUNS: ReadonlySet<string> = new Set(
  'i me my mine myself you your yours yourself he him his himself she her hers herself it its itself we us our ours ourselves they them their theirs themselves'.split(
    ' ',
  ),
);

/**
 * In slice when a sentence holds more than `min` pronouns (default 1, i.e. at least two): coreference
 * between several people is a known weak spot of NLI models.
 *
 * @example
 * ```ts
 * pronounsSF().apply({ text: 'She told him the truth.' }); // 1
 * pronounsSF().apply({ text: 'She left.' });               // 0
 * ```
 */
export function pronounsSF(options: HeuristicSFOptions & { min?: number } = {}): SlicingFunction<unknown> {
  const min = options.min ?? 1;
  return anySentence(
    options,
    'pronounsSF',
    'many_pronouns',
    (t) => words(t).filter((w) => PRONOUNS.has(w)).length > min,
  );
}

const QUESTION_WORDS = new Set(['who', 'whom', 'whose', 'what', 'which', 'when', 'where', 'why', 'how']);

/**
 * In slice when a sentence is a question: it ends with `?` or starts with a question word (who, what, which,
 * when, where, why, how, …).
 *
 * @example
 * ```ts
 * questionSF().apply({ text: 'Where did he go' }); // 1
 * questionSF().apply({ text: 'He went home.' });   // 0
 * ```
 */
export function questionSF(options: HeuristicSFOptions = {}): SlicingFunction<unknown> {
  return anySentence(options, 'questionSF', 'question', (t) => {
    if (/\?\s*$/.test(t)) return true;
    const first = words(t)[0];
    return first !== undefined && QUESTION_WORDS.has(first);
  });
}

const NEGATION = /\b(?:not|no|never|none|nobody|nothing|neither|nor|nowhere|cannot)\b|n't\b/i;

/**
 * In slice when a sentence contains a negation (not, no, never, nothing, neither, nor, cannot, or an n't
 * contraction).
 *
 * @example
 * ```ts
 * negationSF().apply({ text: "He didn't come." }); // 1
 * negationSF().apply({ text: 'He came.' });        // 0
 * ```
 */
export function negationSF(options: HeuristicSFOptions = {}): SlicingFunction<unknown> {
  return anySentence(options, 'negationSF', 'negation', (t) => NEGATION.test(t));
}

/** Options of {@link lengthSF}: the slice holds data points with `min ≤ words < max`. */
export interface LengthSFOptions extends HeuristicSFOptions {
  /** Smallest word count in the slice (default 0). */
  min?: number | undefined;
  /** Word count where the slice ends, exclusive (default ∞). */
  max?: number | undefined;
}

/**
 * In slice when the text (all sentences together) has `min ≤ words < max`. Default name `len_<min>_<max>`.
 *
 * @example
 * ```ts
 * lengthSF({ max: 5 }).name;                          // 'len_0_5'
 * lengthSF({ max: 5 }).apply({ text: 'one two three' }); // 1
 * ```
 */
export function lengthSF(options: LengthSFOptions = {}): SlicingFunction<unknown> {
  const min = options.min ?? 0;
  const max = options.max ?? Infinity;
  assert(
    min < max,
    'E_ARG',
    () => `Arguments 'min' and 'max' passed to 'lengthSF' need min < max, got ${min} and ${max}`,
  );
  const read = accessors(options.field, 'lengthSF');
  return new SlicingFunction<unknown>(
    { name: options.name ?? `len_${min}_${max === Infinity ? 'inf' : max}` },
    (x) => {
      const n = read.reduce((s, r) => s + words(r(x)).length, 0);
      return n >= min && n < max;
    },
  );
}

/**
 * Length buckets: one {@link lengthSF} per interval between consecutive `edges` (plus below the first and from
 * the last), so every data point falls in exactly one bucket.
 *
 * @example
 * ```ts
 * lengthBucketSFs([10, 20]).map((sf) => sf.name); // ['len_0_10', 'len_10_20', 'len_20_inf']
 * ```
 */
export function lengthBucketSFs(
  edges: readonly number[],
  options: Omit<HeuristicSFOptions, 'name'> = {},
): SlicingFunction<unknown>[] {
  assert(
    edges.length > 0 && edges.every((e, i) => e > 0 && (i === 0 || e > edges[i - 1]!)),
    'E_ARG',
    () =>
      `Argument 'edges' passed to 'lengthBucketSFs' must be increasing positive word counts, got [${edges.join(', ')}]`,
  );
  const bounds = [0, ...edges, Infinity];
  return bounds.slice(1).map((max, i) => lengthSF({ ...options, min: bounds[i]!, max }));
}

/**
 * The ready heuristics of the seed for sentence(-pair) tasks, with their default names: has_dash,
 * has_semicolon, many_pronouns, question, negation and length buckets (< 10, 10–20, ≥ 20 words).
 *
 * @example
 * ```ts
 * const sfs = sentenceSFs({ field: ['sentence1', 'sentence2'] });
 * sfs.map((sf) => sf.name);
 * // ['has_dash', 'has_semicolon', 'many_pronouns', 'question', 'negation', 'len_0_10', 'len_10_20', 'len_20_inf']
 * ```
 */
export function sentenceSFs(options: Omit<HeuristicSFOptions, 'name'> = {}): SlicingFunction<unknown>[] {
  return [
    dashSF(options),
    semicolonSF(options),
    pronounsSF(options),
    questionSF(options),
    negationSF(options),
    ...lengthBucketSFs([10, 20], options),
  ];
}
