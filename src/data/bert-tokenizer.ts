import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { MmtlError, assert } from '../core/index.js';
import { WordPieceTokenizer, type TokenizerJson } from './wordpiece-tokenizer.js';

/** Options of {@link BertTokenizer.fromVocab}. */
export interface BertVocabOptions {
  /** Lowercase the text (uncased models; default true, as `do_lower_case` in transformers). */
  lowercase?: boolean;
  /** Strip accents; `null` (default) follows `lowercase`, as in Hugging Face's BertNormalizer. */
  stripAccents?: boolean | null;
  /** Put spaces around CJK characters (default true). */
  handleChineseChars?: boolean;
}

const SPECIALS = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'];

/**
 * The `tokenizer.json` structure of a BERT WordPiece tokenizer over `vocab` (one token per id, as the lines
 * of `vocab.txt`): BertNormalizer + BertPreTokenizer + WordPiece (`[UNK]`, `##`, 100 characters per word) +
 * the `[CLS] A [SEP]` / `[CLS] A [SEP] B [SEP]` template with type ids 0 / 1.
 *
 * @example
 * ```ts
 * const json = bertTokenizerJson(['[PAD]', '[UNK]', '[CLS]', '[SEP]', 'hi'], { lowercase: true });
 * json.post_processor; // { type: 'TemplateProcessing', single: […], pair: […], special_tokens: {…} }
 * ```
 */
export function bertTokenizerJson(vocab: readonly string[], options: BertVocabOptions = {}): TokenizerJson {
  const { lowercase = true, stripAccents = null, handleChineseChars = true } = options;
  const ids: Record<string, number> = {};
  vocab.forEach((token, id) => {
    ids[token] = id;
  });
  for (const t of ['[UNK]', '[CLS]', '[SEP]']) {
    assert(t in ids, 'E_DATA', () => `Argument 'vocab' passed to 'bertTokenizerJson' has no '${t}' token`);
  }
  const special = (id: string, typeId: number) => ({ SpecialToken: { id, type_id: typeId } });
  const seq = (id: 'A' | 'B', typeId: number) => ({ Sequence: { id, type_id: typeId } });
  return {
    version: '1.0',
    added_tokens: SPECIALS.filter((t) => t in ids).map((t) => ({
      id: ids[t]!,
      content: t,
      single_word: false,
      lstrip: false,
      rstrip: false,
      normalized: false,
      special: true,
    })),
    normalizer: {
      type: 'BertNormalizer',
      clean_text: true,
      handle_chinese_chars: handleChineseChars,
      strip_accents: stripAccents,
      lowercase,
    },
    pre_tokenizer: { type: 'BertPreTokenizer' },
    post_processor: {
      type: 'TemplateProcessing',
      single: [special('[CLS]', 0), seq('A', 0), special('[SEP]', 0)],
      pair: [special('[CLS]', 0), seq('A', 0), special('[SEP]', 0), seq('B', 1), special('[SEP]', 1)],
      special_tokens: {
        '[CLS]': { id: '[CLS]', ids: [ids['[CLS]']!], tokens: ['[CLS]'] },
        '[SEP]': { id: '[SEP]', ids: [ids['[SEP]']!], tokens: ['[SEP]'] },
      },
    },
    decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
    model: {
      type: 'WordPiece',
      unk_token: '[UNK]',
      continuing_subword_prefix: '##',
      max_input_chars_per_word: 100,
      vocab: ids,
    },
  };
}

/**
 * A BERT WordPiece tokenizer (cased or uncased): {@link WordPieceTokenizer} plus constructors from a
 * `vocab.txt` or a model folder.
 *
 * @example
 * ```ts
 * const bert = await BertTokenizer.fromDir('data/bert-vocab/bert-tiny-tokenizer');
 * bert.encode('Unaffable!').tokens; // ['[CLS]', 'una', '##ffa', '##ble', '!', '[SEP]']
 * const cased = BertTokenizer.fromVocab(vocabLines, { lowercase: false });
 * ```
 */
export class BertTokenizer extends WordPieceTokenizer {
  /** Id of `[CLS]`. */
  readonly clsId: number;
  /** Id of `[SEP]`. */
  readonly sepId: number;

  constructor(json: TokenizerJson, config: Record<string, unknown> = {}) {
    super(json, config);
    this.clsId = this.tokenToId('[CLS]') ?? -1;
    this.sepId = this.tokenToId('[SEP]') ?? -1;
  }

  /**
   * Builds the tokenizer from the tokens of a `vocab.txt` (a string of lines or an array).
   *
   * @example
   * ```ts
   * BertTokenizer.fromVocab(readFileSync('vocab.txt', 'utf8'), { lowercase: true });
   * ```
   */
  static fromVocab(vocab: string | readonly string[], options: BertVocabOptions = {}): BertTokenizer {
    const lines = typeof vocab === 'string' ? parseVocabTxt(vocab) : vocab;
    return new BertTokenizer(bertTokenizerJson(lines, options), { do_lower_case: options.lowercase ?? true });
  }

  /**
   * Reads a model folder: `tokenizer.json` when present, else `vocab.txt` with `do_lower_case` (default
   * true), `strip_accents` and `tokenize_chinese_chars` from `tokenizer_config.json` when present.
   *
   * @example
   * ```ts
   * const bert = await BertTokenizer.fromDir('data/bert-vocab/bert-base-uncased'); // vocab.txt only
   * ```
   */
  static async fromDir(dir: string): Promise<BertTokenizer> {
    const config = await readJsonIfExists(join(dir, 'tokenizer_config.json'));
    const json = await readJsonIfExists(join(dir, 'tokenizer.json'));
    if (json !== undefined) return new BertTokenizer(json as unknown as TokenizerJson, config ?? {});
    const vocabPath = join(dir, 'vocab.txt');
    if (!existsSync(vocabPath)) {
      throw new MmtlError('E_IO', `'BertTokenizer.fromDir' found neither tokenizer.json nor vocab.txt in '${dir}'`);
    }
    const vocab = parseVocabTxt(await readFile(vocabPath, 'utf8'));
    const c = config ?? {};
    const options: BertVocabOptions = {
      lowercase: typeof c.do_lower_case === 'boolean' ? c.do_lower_case : true,
      stripAccents: typeof c.strip_accents === 'boolean' ? c.strip_accents : null,
      handleChineseChars: typeof c.tokenize_chinese_chars === 'boolean' ? c.tokenize_chinese_chars : true,
    };
    return new BertTokenizer(bertTokenizerJson(vocab, options), c);
  }
}

/** The tokens of a `vocab.txt`: one per line, line i = id i (a trailing newline adds no token). */
function parseVocabTxt(text: string): string[] {
  const lines = text.split(/\r?\n/);
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

async function readJsonIfExists(path: string): Promise<Record<string, unknown> | undefined> {
  if (!existsSync(path)) return undefined;
  try {
    const value: unknown = JSON.parse(await readFile(path, 'utf8'));
    assert(
      typeof value === 'object' && value !== null && !Array.isArray(value),
      'E_DATA',
      () => `'${path}' must hold a JSON object`,
    );
    return value as Record<string, unknown>;
  } catch (e) {
    if (e instanceof MmtlError) throw e;
    throw new MmtlError('E_IO', `could not read '${path}': ${(e as Error).message}`, { cause: e });
  }
}
