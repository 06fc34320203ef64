import { ABSTAIN, MmtlError, assert } from '../core/index.js';
import { LabelingFunction, type DataPoint } from './labeling-function.js';
import type { Preprocessor } from './preprocessor.js';

/**
 * Reads a text field of a data point: `field` is a key, or a dotted path (`data.text`) when no key has that
 * exact name. A missing field throws (a fault-tolerant applier counts that as an abstain); `null` reads as ''.
 *
 * @example
 * ```ts
 * textField({ data: { text: 'hi' } }, 'data.text'); // 'hi'
 * ```
 */
export function textField(x: unknown, field: string): string {
  let v: unknown = x;
  if (typeof x === 'object' && x !== null && field in x) v = (x as DataPoint)[field];
  else {
    for (const part of field.split('.')) {
      v = typeof v === 'object' && v !== null ? (v as DataPoint)[part] : undefined;
    }
  }
  if (v === undefined) throw new Error(`data point has no field '${field}'`);
  if (v === null) return '';
  return typeof v === 'string' ? v : JSON.stringify(v);
}

/** Options of {@link keywordLF}. */
export interface KeywordLFOptions {
  /** The LF's name. */
  name: string;
  /** Words or phrases; the LF votes when any of them occurs. */
  keywords: readonly string[];
  /** The class voted when a keyword occurs (otherwise the LF abstains). */
  label: number;
  /** The field holding the text (a key or a dotted path). Default 'text'. */
  field?: string | undefined;
  /** Match case. Default false. */
  caseSensitive?: boolean | undefined;
  /** Match whole words only (a keyword must not be preceded or followed by a letter or digit). Default true. */
  wholeWord?: boolean | undefined;
  /** Preprocessors run before the match. */
  pre?: readonly Preprocessor<never>[] | undefined;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function checkLabel(label: number, fn: string, name: string): void {
  assert(
    Number.isInteger(label) && label >= 0,
    'E_ARG',
    () => `Argument 'label' passed to '${fn}' ('${name}') must be a class index ≥ 0, got ${label}`,
  );
}

/**
 * An LF that votes `label` when the text contains any of `keywords` and abstains otherwise.
 *
 * @example
 * ```ts
 * const lf = keywordLF({ name: 'keyword_subscribe', keywords: ['subscribe'], label: 1 });
 * lf.apply({ text: 'Please SUBSCRIBE!' });  // 1
 * lf.apply({ text: 'subscribers' });        // -1 (whole words only)
 * keywordLF({ name: 'kw', keywords: ['my'], label: 1, field: 'data.text' }).apply({ data: { text: 'my song' } }); // 1
 * ```
 */
export function keywordLF(options: KeywordLFOptions): LabelingFunction<unknown> {
  const { name, keywords, label, field = 'text', caseSensitive = false, wholeWord = true } = options;
  assert(
    Array.isArray(keywords) &&
      keywords.length > 0 &&
      keywords.every((k) => typeof k === 'string' && k !== ''),
    'E_ARG',
    () =>
      `Argument 'keywords' passed to 'keywordLF' ('${name}') must be a non-empty array of non-empty strings`,
  );
  checkLabel(label, 'keywordLF', name);
  if (!wholeWord) {
    // plain substring search; case-insensitive search runs on the row's lower-cased text, which every
    // keyword LF of the row shares (computed once per row, see lowerCased)
    const list: readonly string[] = options.keywords;
    const words = caseSensitive ? [...list] : list.map((w) => w.toLowerCase());
    return new LabelingFunction<unknown>({ name, pre: options.pre }, (x) => {
      const t = textField(x, field);
      const hay = caseSensitive ? t : lowerCased(t);
      for (const w of words) if (hay.includes(w)) return label;
      return ABSTAIN;
    });
  }
  const body = keywords.map(escapeRegExp).join('|');
  const source = `(?<![\\p{L}\\p{N}])(?:${body})(?![\\p{L}\\p{N}])`;
  const re = new RegExp(source, caseSensitive ? 'u' : 'iu');
  return new LabelingFunction<unknown>({ name, pre: options.pre }, (x) =>
    re.test(textField(x, field)) ? label : ABSTAIN,
  );
}

// The last text lower-cased, shared by every LF that asks for it: appliers run all LFs on one row before
// the next, so the text is lower-cased once per row rather than once per LF.
let lastText = '';
let lastLower = '';

/**
 * `text.toLowerCase()`, computed once for consecutive calls with the same string (the LFs of one row).
 *
 * @example
 * ```ts
 * lowerCased('Great Song'); // 'great song' (a second call with the same string reuses it)
 * ```
 */
export function lowerCased(text: string): string {
  if (text !== lastText) {
    lastText = text;
    lastLower = text.toLowerCase();
  }
  return lastLower;
}

/** Options of {@link regexLF}. */
export interface RegexLFOptions {
  /** The LF's name. */
  name: string;
  /** The pattern; the LF votes when it matches anywhere in the text. A string is compiled with `flags`. */
  pattern: RegExp | string;
  /** Flags for a string pattern (e.g. 'i'); 'g' and 'y' are dropped. Default ''. */
  flags?: string | undefined;
  /** The class voted on a match (otherwise the LF abstains). */
  label: number;
  /** The field holding the text (a key or a dotted path). Default 'text'. */
  field?: string | undefined;
  /** Preprocessors run before the match. */
  pre?: readonly Preprocessor<never>[] | undefined;
}

/**
 * An LF that votes `label` when `pattern` matches the text and abstains otherwise.
 *
 * @example
 * ```ts
 * const lf = regexLF({ name: 'regex_check_out', pattern: /check.*out/i, label: 1 });
 * lf.apply({ text: 'Check my video out' }); // 1
 * lf.apply({ text: 'love it' });            // -1
 * ```
 */
export function regexLF(options: RegexLFOptions): LabelingFunction<unknown> {
  const { name, pattern, label, field = 'text' } = options;
  checkLabel(label, 'regexLF', name);
  let re: RegExp;
  try {
    const flags = (typeof pattern === 'string' ? (options.flags ?? '') : pattern.flags).replace(/[gy]/g, '');
    re = new RegExp(typeof pattern === 'string' ? pattern : pattern.source, flags);
  } catch (e) {
    throw new MmtlError(
      'E_ARG',
      `Argument 'pattern' passed to 'regexLF' ('${name}') is not a valid regular expression: ${(e as Error).message}`,
      { cause: e },
    );
  }
  return new LabelingFunction<unknown>({ name, pre: options.pre }, (x) =>
    re.test(textField(x, field)) ? label : ABSTAIN,
  );
}
