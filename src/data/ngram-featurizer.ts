/**
 * Bag-of-n-grams features: word n-grams and/or character n-grams inside word boundaries, counted over
 * training texts only, kept by document frequency, and encoded as feature ids for {@link NgramBag}-style
 * models (src/nn). The counting rules are scikit-learn's `CountVectorizer` (`analyzer='word'` and
 * `analyzer='char_wb'`), rewritten here.
 */
import { z } from 'zod';
import { MmtlError, Registry } from '../core/index.js';
import { wordTokenize } from './word-tokenize.js';

/**
 * Tokenizers the word n-grams can use, by name (names, not functions, so a featurizer round-trips to JSON).
 * - `alnum2`: lowercased runs of two or more letters, digits or underscores; punctuation and one-character
 *   words are dropped (CountVectorizer's default `token_pattern`, `(?u)\b\w\w+\b`).
 * - `words`: {@link wordTokenize} (lowercased words, each punctuation character its own token).
 *
 * @example
 * ```ts
 * NGRAM_TOKENIZERS.get('alnum2')('Check out my channel!'); // ['check', 'out', 'my', 'channel']
 * ```
 */
export const NGRAM_TOKENIZERS = new Registry<(text: string) => string[]>('n-gram tokenizer')
  .register('alnum2', (text) => text.toLowerCase().match(/[\p{L}\p{N}_]{2,}/gu) ?? [])
  .register('words', wordTokenize);

const Range = z
  .tuple([z.int().positive(), z.int().positive()])
  .refine(([lo, hi]) => lo <= hi, { message: 'n-gram range [min, max] needs min ≤ max' });

/** The options of an {@link NgramFeaturizer}, as a zod schema that owns the defaults. */
export const NgramFeaturizerOptions = z
  .object({
    /** Word n-gram orders [min, max] (e.g. [1, 5] for uni- to 5-grams), or null for none. */
    wordNgrams: Range.nullable().default([1, 1]),
    /** Character n-gram orders [min, max] inside space-padded words (`char_wb`), or null for none. */
    charNgrams: Range.nullable().default(null),
    /** Tokenizer of the word n-grams: a key of {@link NGRAM_TOKENIZERS}. */
    tokenizer: z.string().default('alnum2'),
    /** Keep n-grams that occur in at least this many training texts. */
    minDf: z.int().positive().default(1),
    /** Keep at most this many n-grams (the most frequent by document frequency), or null for all. */
    maxFeatures: z.int().positive().nullable().default(null),
    /** Encode each n-gram of a text once (presence) instead of once per occurrence (counts). */
    binary: z.boolean().default(false),
  })
  .refine((o) => o.wordNgrams !== null || o.charNgrams !== null, {
    message: 'at least one of wordNgrams and charNgrams must be set',
  });

/** Options of {@link NgramFeaturizer.fit} (every field optional; defaults from the schema). */
export type NgramFeaturizerOptions = z.input<typeof NgramFeaturizerOptions>;

/** The JSON form of an {@link NgramFeaturizer}. */
export interface NgramFeaturizerConfig {
  /** The options, defaults filled in. */
  options: z.output<typeof NgramFeaturizerOptions>;
  /** Every feature by id; id 0 is `[PAD]`. */
  features: string[];
}

function parseOptions(options: unknown, fn: string): z.output<typeof NgramFeaturizerOptions> {
  const r = NgramFeaturizerOptions.safeParse(options);
  if (!r.success) {
    throw new MmtlError('E_CONFIG', `Argument 'options' passed to '${fn}' is invalid:\n${z.prettifyError(r.error)}`);
  }
  NGRAM_TOKENIZERS.get(r.data.tokenizer); // unknown names fail here, listing the known ones
  return r.data;
}

/** Word n-grams as `w:<tokens joined by a space>`, in text order. */
function wordNgrams(tokens: readonly string[], lo: number, hi: number, out: string[]): void {
  for (let n = lo; n <= hi; n++) {
    for (let i = 0; i + n <= tokens.length; i++) out.push(`w:${tokens.slice(i, i + n).join(' ')}`);
  }
}

/** Python's `str.split()` whitespace (unlike JavaScript's `\s`, it does not include U+FEFF, which ends many comments). */
// eslint-disable-next-line no-control-regex -- \x1c-\x1f are whitespace to Python
const PY_WHITESPACE = /[\t\n\v\f\r\x1c-\x20\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/u;

/**
 * Character n-grams as `c:<chars>` inside each whitespace-separated word padded with one space on each side
 * (CountVectorizer's `char_wb`): a padded word no longer than n gives itself once and no longer n-grams.
 */
function charNgrams(text: string, lo: number, hi: number, out: string[]): void {
  for (const word of text.toLowerCase().split(PY_WHITESPACE)) {
    if (word === '') continue;
    const chars = Array.from(` ${word} `); // code points (as Python indexes a str), so an emoji is one character
    for (let n = lo; n <= hi; n++) {
      if (chars.length <= n) {
        out.push(`c:${chars.join('')}`);
        break;
      }
      for (let i = 0; i + n <= chars.length; i++) out.push(`c:${chars.slice(i, i + n).join('')}`);
    }
  }
}

/**
 * Maps texts to bags of n-gram ids. Built from training texts only ({@link NgramFeaturizer.fit}); n-grams
 * not in the vocabulary are dropped at encoding time (there is no unknown id). Id 0 is `[PAD]`, so encoded
 * rows can be padded with 0 and fed to an `NgramBag` whose padding row is 0.
 *
 * @example
 * ```ts
 * const f = NgramFeaturizer.fit(['check out my channel', 'nice song'], { wordNgrams: [1, 2] });
 * f.size; // 11: [PAD], 6 words, 4 bigrams
 * f.featureNames(f.encode('check out this song')); // ['w:check', 'w:out', 'w:song', 'w:check out']
 * ```
 */
export class NgramFeaturizer {
  /** Id of the padding feature. */
  static readonly PAD_ID = 0;

  /** Every feature by id (`[PAD]` first, then by document frequency, most frequent first, ties by name). */
  readonly features: readonly string[];
  /** The options, defaults filled in. */
  readonly options: z.output<typeof NgramFeaturizerOptions>;
  private readonly index: Map<string, number>;
  private readonly tokenize: (text: string) => string[];

  private constructor(options: z.output<typeof NgramFeaturizerOptions>, features: string[]) {
    this.options = options;
    this.features = features;
    this.index = new Map(features.map((f, i) => [f, i]));
    this.tokenize = NGRAM_TOKENIZERS.get(options.tokenizer);
  }

  /**
   * Counts the n-grams of `texts` (document frequencies) and keeps those in at least `minDf` texts.
   *
   * @example
   * ```ts
   * const f = NgramFeaturizer.fit(trainTexts, { wordNgrams: [1, 5], minDf: 2 });
   * ```
   */
  static fit(texts: Iterable<string>, options: NgramFeaturizerOptions = {}): NgramFeaturizer {
    const o = parseOptions(options, 'NgramFeaturizer.fit');
    const probe = new NgramFeaturizer(o, ['[PAD]']);
    const df = new Map<string, number>();
    for (const text of texts) {
      for (const g of new Set(probe.ngrams(text))) df.set(g, (df.get(g) ?? 0) + 1);
    }
    const kept = [...df]
      .filter(([, n]) => n >= o.minDf)
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
      .map(([g]) => g);
    return new NgramFeaturizer(o, ['[PAD]', ...kept.slice(0, o.maxFeatures ?? kept.length)]);
  }

  /**
   * Rebuilds a featurizer from {@link NgramFeaturizer.toConfig} output.
   *
   * @example
   * ```ts
   * const again = NgramFeaturizer.fromConfig(JSON.parse(JSON.stringify(f.toConfig())));
   * ```
   */
  static fromConfig(config: NgramFeaturizerConfig): NgramFeaturizer {
    const o = parseOptions(config?.options, 'NgramFeaturizer.fromConfig');
    const features = config.features;
    if (!Array.isArray(features) || features[0] !== '[PAD]' || features.some((f) => typeof f !== 'string')) {
      throw new MmtlError(
        'E_CONFIG',
        "Argument 'config' passed to 'NgramFeaturizer.fromConfig' must have 'features': strings starting with '[PAD]'",
      );
    }
    return new NgramFeaturizer(o, [...features]);
  }

  /** The featurizer as plain JSON. */
  toConfig(): NgramFeaturizerConfig {
    return { options: structuredClone(this.options), features: [...this.features] };
  }

  /** Number of ids, `[PAD]` included (the `numFeatures` of an `NgramBag`). */
  get size(): number {
    return this.features.length;
  }

  /**
   * Every n-gram of `text` in order, repeats included, vocabulary or not (`w:` word, `c:` character n-grams).
   *
   * @example
   * ```ts
   * NgramFeaturizer.fit([], { wordNgrams: [1, 2] }).ngrams('Hi you!'); // ['w:hi', 'w:you', 'w:hi you']
   * ```
   */
  ngrams(text: string): string[] {
    const out: string[] = [];
    const { wordNgrams: w, charNgrams: c } = this.options;
    if (w) wordNgrams(this.tokenize(text), w[0], w[1], out);
    if (c) charNgrams(text, c[0], c[1], out);
    return out;
  }

  /**
   * The feature ids of `text`: one id per occurrence (or per distinct n-gram when `binary`), in text order;
   * n-grams outside the vocabulary are dropped, so a text may encode to no ids at all.
   *
   * @example
   * ```ts
   * const f = NgramFeaturizer.fit(['a song', 'my song'], { tokenizer: 'words' });
   * f.encode('song song'); // Int32Array [1, 1]  (w:song has id 1)
   * ```
   */
  encode(text: string): Int32Array {
    const ids: number[] = [];
    const seen = this.options.binary ? new Set<number>() : undefined;
    for (const g of this.ngrams(text)) {
      const id = this.index.get(g);
      if (id === undefined || seen?.has(id)) continue;
      seen?.add(id);
      ids.push(id);
    }
    return Int32Array.from(ids);
  }

  /**
   * The names of feature ids (for inspecting a model's weights).
   *
   * @example
   * ```ts
   * f.featureNames([1, 2]); // ['w:song', 'w:a']
   * ```
   */
  featureNames(ids: ArrayLike<number>): string[] {
    return Array.from(ids, (id) => {
      const name = this.features[id];
      if (name === undefined) {
        throw new MmtlError(
          'E_ARG',
          `Argument 'ids' passed to 'NgramFeaturizer.featureNames' holds ${id}, outside [0, ${this.size})`,
        );
      }
      return name;
    });
  }
}
