import { MmtlError, assert } from '../core/index.js';
import { padSequences, type PaddedBatch, type PadOptions } from './padding.js';
import { wordTokenize } from './word-tokenize.js';

/** Options of {@link WordVocab.build}. */
export interface WordVocabBuildOptions {
  /** Keep words seen at least this often (default 1). */
  minCount?: number;
  /** Keep at most this many words, specials included (default: no limit). */
  maxSize?: number;
  /** How texts are split into words (default {@link wordTokenize}). */
  tokenize?: (text: string) => string[];
}

/** The JSON form of a {@link WordVocab}, for checkpoints. */
export interface WordVocabConfig {
  /** Every word by id, specials first. */
  words: string[];
}

/**
 * A word ↔ id map for word-embedding models. Id 0 is `[PAD]`, id 1 is `[UNK]`; unknown words map to 1.
 *
 * @example
 * ```ts
 * const vocab = WordVocab.build(['the cat sat', 'the dog'], { minCount: 1 });
 * vocab.words;              // ['[PAD]', '[UNK]', 'the', 'cat', 'dog', 'sat']
 * vocab.encode('the emu');  // Int32Array [2, 1]
 * ```
 */
export class WordVocab {
  /** Id of the padding token. */
  static readonly PAD_ID = 0;
  /** Id of the unknown-word token. */
  static readonly UNK_ID = 1;
  /** The special tokens, by id. */
  static readonly SPECIALS: readonly string[] = ['[PAD]', '[UNK]'];

  /** Every word by id. */
  readonly words: readonly string[];
  private readonly index: Map<string, number>;
  private readonly tokenizer: (text: string) => string[];

  private constructor(words: string[], tokenizer: (text: string) => string[]) {
    this.words = words;
    this.index = new Map(words.map((w, i) => [w, i]));
    this.tokenizer = tokenizer;
  }

  /**
   * Counts the words of `texts` and keeps the frequent ones, most frequent first (ties alphabetical).
   *
   * @example
   * ```ts
   * WordVocab.build(['a b b', 'b c'], { minCount: 2 }).words; // ['[PAD]', '[UNK]', 'b']
   * ```
   */
  static build(texts: Iterable<string>, options: WordVocabBuildOptions = {}): WordVocab {
    const { minCount = 1, maxSize, tokenize = wordTokenize } = options;
    assert(
      maxSize === undefined || maxSize >= WordVocab.SPECIALS.length,
      'E_ARG',
      () => `Argument 'maxSize' passed to 'WordVocab.build' must be ≥ 2 (the specials), got ${maxSize}`,
    );
    const counts = new Map<string, number>();
    for (const text of texts) {
      for (const w of tokenize(text)) counts.set(w, (counts.get(w) ?? 0) + 1);
    }
    const specials = new Set(WordVocab.SPECIALS);
    const kept = [...counts]
      .filter(([w, c]) => c >= minCount && !specials.has(w))
      .sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0))
      .map(([w]) => w);
    const limit = maxSize === undefined ? kept.length : maxSize - WordVocab.SPECIALS.length;
    return new WordVocab([...WordVocab.SPECIALS, ...kept.slice(0, limit)], tokenize);
  }

  /**
   * A vocabulary of the given words in order (e.g. a GloVe vocabulary), after the specials; repeated words
   * and the specials themselves are skipped.
   *
   * @example
   * ```ts
   * WordVocab.fromWords(glove.words.slice(0, 20000)).size; // 20002
   * ```
   */
  static fromWords(
    words: Iterable<string>,
    options: { tokenize?: (text: string) => string[] } = {},
  ): WordVocab {
    const seen = new Set<string>(WordVocab.SPECIALS);
    const list = [...WordVocab.SPECIALS];
    for (const w of words) {
      if (seen.has(w)) continue;
      seen.add(w);
      list.push(w);
    }
    return new WordVocab(list, options.tokenize ?? wordTokenize);
  }

  /** Rebuilds a vocabulary from {@link WordVocab.toConfig}. */
  static fromConfig(config: WordVocabConfig): WordVocab {
    const ok = WordVocab.SPECIALS.every((s, i) => config.words[i] === s);
    if (!ok) {
      throw new MmtlError('E_CONFIG', `Argument 'config' passed to 'WordVocab.fromConfig' must start with [PAD], [UNK]`);
    }
    return WordVocab.fromWords(config.words.slice(WordVocab.SPECIALS.length));
  }

  /** The vocabulary as plain JSON. */
  toConfig(): WordVocabConfig {
    return { words: [...this.words] };
  }

  /** Number of ids. */
  get size(): number {
    return this.words.length;
  }

  /** Whether `word` has its own id. */
  has(word: string): boolean {
    return this.index.has(word);
  }

  /** The id of `word`, or `[UNK]`'s id (1). */
  id(word: string): number {
    return this.index.get(word) ?? WordVocab.UNK_ID;
  }

  /** The word of `id`; throws E_ARG when out of range. */
  word(id: number): string {
    const w = this.words[id];
    assert(w !== undefined, 'E_ARG', () => `Argument 'id' passed to 'WordVocab.word' is out of range: ${id}`);
    return w;
  }

  /**
   * The ids of a text (tokenized with this vocabulary's tokenizer) or of already split words.
   *
   * @example
   * ```ts
   * vocab.encode('The cat!'); // Int32Array [2, 3, 1]  ('!' unknown)
   * ```
   */
  encode(text: string | readonly string[]): Int32Array {
    const words = typeof text === 'string' ? this.tokenizer(text) : text;
    return Int32Array.from(words, (w) => this.id(w));
  }

  /**
   * Encodes texts and pads them into one `batch × seqLen` Int32Array (padding id 0) with the real lengths.
   *
   * @example
   * ```ts
   * vocab.encodeBatch(['the cat sat', 'the'], { maxLength: 2 });
   * // { values: Int32Array [2, 3, 2, 0], lengths: Int32Array [2, 1], batch: 2, seqLen: 2 }
   * ```
   */
  encodeBatch(texts: readonly (string | readonly string[])[], options: Omit<PadOptions, 'padValue'> = {}): PaddedBatch {
    return padSequences(
      texts.map((t) => this.encode(t)),
      { ...options, padValue: WordVocab.PAD_ID },
    );
  }
}
