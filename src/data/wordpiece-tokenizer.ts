import { Tokenizer as HfTokenizerClass } from '@huggingface/tokenizers';
import { MmtlError, assert } from '../core/index.js';
import { tokenOffsets } from './offsets.js';
import { truncatedLengths, type TruncationStrategy } from './truncation.js';

/** One encoded text or text pair. */
export interface TokenizerEncoding {
  /** Token ids, special tokens included. */
  ids: number[];
  /** Token strings, special tokens included. */
  tokens: string[];
  /** Segment of each token: 0 for the first text (and its specials), 1 for the pair. */
  typeIds: number[];
  /** `[start, end)` character offsets of each token in its own text; `[0, 0]` for special tokens. */
  offsets?: [number, number][];
}

/** Options of {@link WordPieceTokenizer.encode}. */
export interface EncodeOptions {
  /** Longest allowed output, special tokens included; no limit when unset. */
  maxLength?: number;
  /** How to shorten over-long inputs (default 'longest_first'); `false` keeps everything. */
  truncation?: TruncationStrategy | false;
  /** Also compute per-token character offsets (default false). */
  returnOffsets?: boolean;
}

/** Options of {@link WordPieceTokenizer.encodeBatch}. */
export interface EncodeBatchOptions extends EncodeOptions {
  /** `'longest'` pads to the longest row (default); `'max_length'` pads every row to `maxLength`. */
  padding?: 'longest' | 'max_length';
}

/** A padded batch, every array row-major `batch × seqLen`. */
export interface BatchEncoding {
  /** Token ids; padding positions hold the pad id. */
  inputIds: Int32Array;
  /** 1 for real tokens, 0 for padding. */
  attentionMask: Int32Array;
  /** 0 for the first text, 1 for the pair, 0 for padding. */
  tokenTypeIds: Int32Array;
  /** Real (unpadded) length of each row. */
  lengths: Int32Array;
  /** Number of rows. */
  batch: number;
  /** Length of every row. */
  seqLen: number;
  /**
   * With `returnOffsets`: `batch × seqLen × 2` `[start, end)` character offsets of each token in its own
   * text (the first text or the pair, see `tokenTypeIds`); `[0, 0]` for special tokens and padding.
   */
  offsets?: Int32Array;
}

/** The parts of a Hugging Face `tokenizer.json` this wrapper reads; the rest is passed through. */
export interface TokenizerJson {
  model: { type: string; vocab: unknown; unk_token?: string; [key: string]: unknown };
  added_tokens?: { id: number; content: string; special?: boolean; [key: string]: unknown }[];
  normalizer: unknown;
  pre_tokenizer: unknown;
  post_processor: unknown;
  decoder: unknown;
  [key: string]: unknown;
}

/**
 * The parts of `@huggingface/tokenizers`' `Tokenizer` this wrapper uses. The package's own `.d.ts` files
 * use extensionless imports that NodeNext resolution cannot follow, so TypeScript sees the class as `any`;
 * this interface restores the types (checked against version 0.2.0's source).
 */
interface HfTokenizer {
  tokenize(text: string): string[];
  token_to_id(token: string): number | undefined;
  id_to_token(id: number): string | undefined;
  decode(ids: number[], options: { skip_special_tokens?: boolean }): string;
  get_vocab(withAddedTokens?: boolean): Map<string, number>;
  normalizer: ((text: string) => string) | null;
  post_processor:
    | ((a: string[], b: string[] | null, addSpecialTokens: boolean) => { tokens: string[]; token_type_ids?: number[] })
    | null;
}

const Tokenizer = HfTokenizerClass as unknown as new (json: object, config: object) => HfTokenizer;

/** Prefix of the placeholder tokens (a NUL cannot survive normalization, so it cannot clash). */
const MARK = '\u0000';

interface Sequence {
  tokens: string[];
  offsets: [number, number][] | undefined;
}

/**
 * A WordPiece tokenizer over `@huggingface/tokenizers` (normalization, pre-tokenization, WordPiece and
 * the special-token template come from a `tokenizer.json`), plus what that package lacks: truncation with
 * Hugging Face's strategies, padding, batches as typed arrays, and character offsets. For BERT models use
 * {@link BertTokenizer}, which also builds the tokenizer from a bare `vocab.txt`.
 *
 * @example
 * ```ts
 * const tok = new WordPieceTokenizer(JSON.parse(readFileSync('tokenizer.json', 'utf8')));
 * tok.encode('Hello world!').tokens; // ['[CLS]', 'hello', 'world', '!', '[SEP]']
 * ```
 */
export class WordPieceTokenizer {
  /** The wrapped `@huggingface/tokenizers` tokenizer. */
  private readonly hf: HfTokenizer;
  /** Id of the padding token. */
  readonly padId: number;
  /** Id of the unknown-word token. */
  readonly unkId: number;
  /** Number of ids (the largest id + 1). */
  readonly vocabSize: number;
  private readonly specialCount: [number, number];

  /**
   * @param json a parsed `tokenizer.json`.
   * @param config a parsed `tokenizer_config.json` (optional: `pad_token`, `unk_token`, …).
   */
  constructor(json: TokenizerJson, config: Record<string, unknown> = {}) {
    assert(
      typeof json === 'object' && json !== null && typeof json.model === 'object',
      'E_ARG',
      () => `Argument 'json' passed to 'WordPieceTokenizer' must be a parsed tokenizer.json with a 'model'`,
    );
    try {
      this.hf = new Tokenizer({ ...json, added_tokens: json.added_tokens ?? [] }, config);
    } catch (e) {
      throw new MmtlError('E_CONFIG', `'WordPieceTokenizer' could not read the tokenizer.json: ${(e as Error).message}`, {
        cause: e,
      });
    }
    const vocab = this.hf.get_vocab();
    let maxId = -1;
    for (const id of vocab.values()) maxId = Math.max(maxId, id);
    this.vocabSize = maxId + 1;
    const unkToken = typeof config.unk_token === 'string' ? config.unk_token : (json.model.unk_token ?? '[UNK]');
    const padToken = typeof config.pad_token === 'string' ? config.pad_token : '[PAD]';
    const unkId = this.hf.token_to_id(unkToken);
    assert(
      unkId !== undefined,
      'E_CONFIG',
      () => `Argument 'json' passed to 'WordPieceTokenizer' has no unknown token '${unkToken}' in its vocabulary`,
    );
    this.unkId = unkId;
    this.padId = this.hf.token_to_id(padToken) ?? 0;
    this.specialCount = [this.withSpecials([], null).tokens.length, this.withSpecials([], []).tokens.length];
  }

  /** The id of `token`, or undefined when it is not in the vocabulary. */
  tokenToId(token: string): number | undefined {
    return this.hf.token_to_id(token);
  }

  /** The token of `id`, or undefined when no token has it. */
  idToToken(id: number): string | undefined {
    return this.hf.id_to_token(id);
  }

  /** How many special tokens wrap one text (`pair` false; 2 for BERT) or a pair (3 for BERT). */
  numSpecialTokens(pair: boolean): number {
    return this.specialCount[pair ? 1 : 0];
  }

  /**
   * The word pieces of `text`, without special tokens.
   *
   * @example
   * ```ts
   * bert.tokenize('Unaffable, naïvely!'); // ['una', '##ffa', '##ble', ',', 'naive', '##ly', '!']
   * ```
   */
  tokenize(text: string): string[] {
    return this.hf.tokenize(text);
  }

  /**
   * Encodes one text, or a pair, with special tokens and optional truncation.
   *
   * @example
   * ```ts
   * bert.encode('a cat', 'it sat'); // uncased bert-base vocab
   * // { ids: [101, 1037, 4937, 102, 2009, 2938, 102],
   * //   tokens: ['[CLS]', 'a', 'cat', '[SEP]', 'it', 'sat', '[SEP]'], typeIds: [0, 0, 0, 0, 1, 1, 1] }
   * ```
   */
  encode(text: string, pair?: string | null, options: EncodeOptions = {}): TokenizerEncoding {
    const { maxLength, truncation = 'longest_first', returnOffsets = false } = options;
    const a = this.sequence(text, returnOffsets, 'text', 'encode');
    const b = pair === undefined || pair === null ? null : this.sequence(pair, returnOffsets, 'pair', 'encode');
    if (maxLength !== undefined && truncation !== false) {
      const special = this.numSpecialTokens(b !== null);
      assert(
        Number.isInteger(maxLength) && maxLength >= special,
        'E_ARG',
        () =>
          `Argument 'maxLength' passed to 'encode' must be an integer ≥ ${special} (the special tokens), got ${maxLength}`,
      );
      const [ka, kb] = truncatedLengths(a.tokens.length, b?.tokens.length ?? null, maxLength - special, truncation);
      a.tokens.length = ka;
      if (a.offsets) a.offsets.length = ka;
      if (b !== null) {
        b.tokens.length = kb;
        if (b.offsets) b.offsets.length = kb;
      }
    }
    // Run the special-token template on placeholders, so each output position is known to be a special
    // token or piece i of the text / pair.
    const out = this.withSpecials(
      a.tokens.map((_, i) => `${MARK}a${i}`),
      b === null ? null : b.tokens.map((_, i) => `${MARK}b${i}`),
    );
    const tokens: string[] = [];
    const offsets: [number, number][] = [];
    for (const t of out.tokens) {
      const seq = !t.startsWith(MARK) ? null : t[1] === 'a' ? a : b;
      const i = seq === null ? -1 : Number(t.slice(2));
      tokens.push(seq === null ? t : seq.tokens[i]!);
      offsets.push(seq?.offsets?.[i] ?? [0, 0]);
    }
    const ids = tokens.map((t) => this.hf.token_to_id(t) ?? this.unkId);
    const enc: TokenizerEncoding = { ids, tokens, typeIds: out.typeIds };
    if (returnOffsets) enc.offsets = offsets;
    return enc;
  }

  /**
   * Encodes a batch of texts (or text pairs) into padded row-major Int32Arrays.
   *
   * @example
   * ```ts
   * const enc = bert.encodeBatch(['a cat sat', 'hi'], null, { maxLength: 4, padding: 'max_length' });
   * enc.inputIds;      // Int32Array [101, 1037, 4937, 102,  101, 7632, 102, 0]
   * enc.attentionMask; // Int32Array [1, 1, 1, 1,  1, 1, 1, 0]
   * enc.seqLen;        // 4
   * ```
   */
  encodeBatch(texts: readonly string[], pairs?: readonly string[] | null, options: EncodeBatchOptions = {}): BatchEncoding {
    const { padding = 'longest', maxLength, returnOffsets = false } = options;
    if (pairs !== undefined && pairs !== null && pairs.length !== texts.length) {
      throw new MmtlError(
        'E_SHAPE',
        `Arguments 'texts' and 'pairs' passed to 'encodeBatch' must have the same length, got ${texts.length} and ${pairs.length}`,
      );
    }
    assert(
      padding === 'longest' || (padding === 'max_length' && maxLength !== undefined),
      'E_ARG',
      () => `Argument 'padding' passed to 'encodeBatch' must be 'longest', or 'max_length' with a maxLength`,
    );
    const rows = texts.map((t, i) => {
      try {
        return this.encode(t, pairs?.[i] ?? null, options);
      } catch (e) {
        if (e instanceof MmtlError && e.code === 'E_DATA') {
          throw new MmtlError(e.code, `row ${i}: ${e.message}`, { cause: e, details: { row: i } });
        }
        throw e;
      }
    });
    let seqLen = 0;
    for (const r of rows) seqLen = Math.max(seqLen, r.ids.length);
    if (padding === 'max_length') seqLen = Math.max(seqLen, maxLength ?? 0);
    const batch = rows.length;
    const inputIds = new Int32Array(batch * seqLen).fill(this.padId);
    const attentionMask = new Int32Array(batch * seqLen);
    const tokenTypeIds = new Int32Array(batch * seqLen);
    const lengths = new Int32Array(batch);
    const offsets = returnOffsets ? new Int32Array(batch * seqLen * 2) : undefined;
    rows.forEach((r, b) => {
      const base = b * seqLen;
      lengths[b] = r.ids.length;
      for (let t = 0; t < r.ids.length; t++) {
        inputIds[base + t] = r.ids[t]!;
        attentionMask[base + t] = 1;
        tokenTypeIds[base + t] = r.typeIds[t]!;
        if (offsets && r.offsets) {
          offsets[2 * (base + t)] = r.offsets[t]![0];
          offsets[2 * (base + t) + 1] = r.offsets[t]![1];
        }
      }
    });
    const out: BatchEncoding = { inputIds, attentionMask, tokenTypeIds, lengths, batch, seqLen };
    if (offsets) out.offsets = offsets;
    return out;
  }

  /**
   * Turns ids back into text (word pieces joined, `##` removed).
   *
   * @example
   * ```ts
   * bert.decode([101, 7592, 2088, 102], { skipSpecialTokens: true }); // 'hello world'
   * ```
   */
  decode(ids: readonly number[], options: { skipSpecialTokens?: boolean } = {}): string {
    if (ids.length === 0) return '';
    return this.hf.decode([...ids], { skip_special_tokens: options.skipSpecialTokens ?? false });
  }

  private sequence(text: string, withOffsets: boolean, arg: string, fn: string): Sequence {
    if (typeof text !== 'string') {
      throw new MmtlError('E_DATA', `Argument '${arg}' passed to '${fn}' must be a string, got ${typeof text}`);
    }
    const tokens = this.hf.tokenize(text);
    return { tokens, offsets: withOffsets ? tokenOffsets(text, tokens, (s) => this.normalize(s)) : undefined };
  }

  /** The normalizer of the tokenizer.json (identity when it has none). */
  protected normalize(text: string): string {
    return this.hf.normalizer === null ? text : this.hf.normalizer(text);
  }

  private withSpecials(a: string[], b: string[] | null): { tokens: string[]; typeIds: number[] } {
    const pp = this.hf.post_processor;
    if (pp !== null) {
      const out = pp(a, b, true);
      const typeIds = out.token_type_ids ?? out.tokens.map(() => 0);
      return { tokens: out.tokens, typeIds };
    }
    return {
      tokens: [...a, ...(b ?? [])],
      typeIds: [...a.map(() => 0), ...(b ?? []).map(() => 1)],
    };
  }
}
