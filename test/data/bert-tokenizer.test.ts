// BERT WordPiece tokenizer over @huggingface/tokenizers: known encodings, pairs, truncation, padding,
// cased vocabularies, offsets and folder loading (bert-base-uncased vocabulary of the bert-tiny fixture).
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { BertTokenizer, WordPieceTokenizer, bertTokenizerJson, type TokenizerJson } from '../../src/data/index.js';

const fixture = join(import.meta.dirname, '..', 'fixtures', 'bert-tiny-tokenizer');
const vocabText = readFileSync(join(fixture, 'vocab.txt'), 'utf8');

let bert: BertTokenizer;
beforeAll(async () => {
  bert = await BertTokenizer.fromDir(fixture);
});

describe('BertTokenizer (uncased)', () => {
  it('splits words into known word pieces', () => {
    expect(bert.tokenize('BADLY acting!')).toEqual(['badly', 'acting', '!']);
    expect(bert.tokenize('Unaffable, naïvely!')).toEqual(['una', '##ffa', '##ble', ',', 'naive', '##ly', '!']);
    expect(bert.tokenize('tokenization')).toEqual(['token', '##ization']);
    expect(bert.tokenize('unbelievably')).toEqual(['un', '##bel', '##ie', '##va', '##bly']);
    expect(bert.tokenize('')).toEqual([]);
  });
  it('knows the special ids of bert-base-uncased', () => {
    expect([bert.padId, bert.unkId, bert.clsId, bert.sepId]).toEqual([0, 100, 101, 102]);
    expect(bert.vocabSize).toBe(30522);
    expect(bert.tokenToId('[MASK]')).toBe(103);
    expect(bert.idToToken(7592)).toBe('hello');
    expect(bert.numSpecialTokens(false)).toBe(2);
    expect(bert.numSpecialTokens(true)).toBe(3);
  });
  it('encodes single texts and pairs with type ids', () => {
    expect(bert.encode('Hello world')).toEqual({
      ids: [101, 7592, 2088, 102],
      tokens: ['[CLS]', 'hello', 'world', '[SEP]'],
      typeIds: [0, 0, 0, 0],
    });
    expect(bert.encode('a cat', 'it sat')).toEqual({
      ids: [101, 1037, 4937, 102, 2009, 2938, 102],
      tokens: ['[CLS]', 'a', 'cat', '[SEP]', 'it', 'sat', '[SEP]'],
      typeIds: [0, 0, 0, 0, 1, 1, 1],
    });
  });
  it('builds the same tokenizer from vocab.txt as from tokenizer.json', () => {
    const fromVocab = BertTokenizer.fromVocab(vocabText, { lowercase: true });
    for (const s of ['BADLY acting!', 'Unaffable, naïvely!', 'Héllo wörld 你好 [SEP] x', "It's 3.5% off—really?"]) {
      expect(fromVocab.encode(s, 'Second part.')).toEqual(bert.encode(s, 'Second part.'));
    }
  });
  it('decodes ids back to text', () => {
    expect(bert.decode([101, 7592, 2088, 102], { skipSpecialTokens: true })).toBe('hello world');
    expect(bert.decode(bert.encode('tokenization rocks').ids, { skipSpecialTokens: true })).toBe('tokenization rocks');
    expect(bert.decode([])).toBe('');
  });
});

describe('cased vocabulary', () => {
  it('keeps case, so capitalized words are unknown in an uncased vocabulary', () => {
    const cased = BertTokenizer.fromVocab(vocabText.split('\n'), { lowercase: false });
    expect(cased.tokenize('Hello hello')).toEqual(['[UNK]', 'hello']);
    expect(cased.encode('BADLY acting').ids).toEqual([101, 100, 3772, 102]);
    // lowercase false does not strip accents either (strip_accents follows lowercase)
    expect(cased.tokenize('naïve')).toEqual(['[UNK]']);
    const stripped = BertTokenizer.fromVocab(vocabText, { lowercase: false, stripAccents: true });
    expect(stripped.tokenize('naïve')).toEqual(['naive']);
  });
  it('is what fromDir builds from vocab.txt with do_lower_case false', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mmtl-bert-'));
    copyFileSync(join(fixture, 'vocab.txt'), join(dir, 'vocab.txt'));
    const uncased = await BertTokenizer.fromDir(dir);
    expect(uncased.tokenize('Hello')).toEqual(['hello']);
    writeFileSync(join(dir, 'tokenizer_config.json'), JSON.stringify({ do_lower_case: false }));
    const cased = await BertTokenizer.fromDir(dir);
    expect(cased.tokenize('Hello')).toEqual(['[UNK]']);
  });
});

describe('encodeBatch', () => {
  it('pads to the longest row with the pad id and a 0/1 attention mask', () => {
    const enc = bert.encodeBatch(['a cat sat', 'hi']);
    expect(enc.batch).toBe(2);
    expect(enc.seqLen).toBe(5);
    expect(enc.inputIds).toEqual(Int32Array.of(101, 1037, 4937, 2938, 102, 101, 7632, 102, 0, 0));
    expect(enc.attentionMask).toEqual(Int32Array.of(1, 1, 1, 1, 1, 1, 1, 1, 0, 0));
    expect(enc.tokenTypeIds).toEqual(new Int32Array(10));
    expect(enc.lengths).toEqual(Int32Array.of(5, 3));
    expect(enc.offsets).toBeUndefined();
  });
  it('pads to max_length and counts special tokens in maxLength', () => {
    const enc = bert.encodeBatch(['a cat sat', 'hi'], null, { maxLength: 4, padding: 'max_length' });
    expect(enc.inputIds).toEqual(Int32Array.of(101, 1037, 4937, 102, 101, 7632, 102, 0));
    expect(enc.attentionMask).toEqual(Int32Array.of(1, 1, 1, 1, 1, 1, 1, 0));
    expect(bert.encodeBatch(['hi'], null, { maxLength: 6, padding: 'max_length' }).seqLen).toBe(6);
  });
  it('truncates pairs longest_first, only_first and only_second', () => {
    const a = 'the quick brown fox jumps over the lazy dog'; // 9 pieces
    const b = 'a cat'; // 2 pieces
    // budget 8 − 3 = 5: the short pair stays whole, the text keeps 3
    const lf = bert.encodeBatch([a], [b], { maxLength: 8 });
    expect(lf.seqLen).toBe(8);
    expect(bert.decode(Array.from(lf.inputIds))).toBe('[CLS] the quick brown [SEP] a cat [SEP]');
    expect(lf.tokenTypeIds).toEqual(Int32Array.of(0, 0, 0, 0, 0, 1, 1, 1));
    // both long: 9 and 9 into 7 → 4 and 3
    const both = bert.encode(a, a, { maxLength: 10 });
    expect(both.typeIds.filter((t) => t === 0).length).toBe(1 + 4 + 1);
    expect(both.typeIds.filter((t) => t === 1).length).toBe(3 + 1);
    expect(bert.encode(a, b, { maxLength: 8, truncation: 'only_first' }).ids.length).toBe(8);
    const os = bert.encode(b, a, { maxLength: 8, truncation: 'only_second' });
    expect(os.tokens).toEqual(['[CLS]', 'a', 'cat', '[SEP]', 'the', 'quick', 'brown', '[SEP]']);
    expect(() => bert.encodeBatch(['x'], [a], { maxLength: 8, truncation: 'only_first' })).toThrow(
      expect.objectContaining({ code: 'E_DATA', message: expect.stringMatching(/^row 0: /) as unknown }),
    );
    // no truncation when disabled
    expect(bert.encode(a, b, { maxLength: 8, truncation: false }).ids.length).toBe(14);
  });
  it('validates its arguments', () => {
    expect(() => bert.encodeBatch(['a', 'b'], ['c'])).toThrow(expect.objectContaining({ code: 'E_SHAPE' }));
    expect(() => bert.encodeBatch(['a'], null, { padding: 'max_length' })).toThrow(/'padding'/);
    expect(() => bert.encode('a', 'b', { maxLength: 2 })).toThrow(/≥ 3/);
    expect(() => bert.encode('a', null, { maxLength: 3, truncation: 'only_second' })).toThrow(/only_second/);
    expect(() => bert.encodeBatch([undefined as unknown as string])).toThrow(expect.objectContaining({ code: 'E_DATA' }));
  });
});

describe('offsets', () => {
  it('maps each piece to its characters in the original text', () => {
    const text = 'Héllo, Unaffable wörld!';
    const enc = bert.encode(text, 'It sat', { returnOffsets: true });
    const spans = enc.offsets!.map(([s, e]) => text.slice(s, e));
    expect(enc.tokens).toEqual(['[CLS]', 'hello', ',', 'una', '##ffa', '##ble', 'world', '!', '[SEP]', 'it', 'sat', '[SEP]']);
    expect(spans.slice(0, 8)).toEqual(['', 'Héllo', ',', 'Una', 'ffa', 'ble', 'wörld', '!']);
    expect(enc.offsets!.slice(8)).toEqual([
      [0, 0],
      [0, 2],
      [3, 6],
      [0, 0],
    ]);
  });
  it('gives unknown words their whole span, and fills batch offsets', () => {
    const text = 'a 你 zzzzqqqxxx😀 b';
    const enc = bert.encodeBatch([text, 'b'], null, { returnOffsets: true });
    const row = Array.from({ length: enc.lengths[0]! }, (_, t) =>
      text.slice(enc.offsets![2 * t], enc.offsets![2 * t + 1]),
    );
    expect(row).toEqual(['', 'a', '你', 'zzzzqqqxxx😀', 'b', '']);
    expect(enc.offsets!.length).toBe(2 * enc.batch * enc.seqLen);
  });
});

describe('WordPieceTokenizer', () => {
  it('wraps any WordPiece tokenizer.json, even without a post-processor', () => {
    const json = bertTokenizerJson(['[PAD]', '[UNK]', '[CLS]', '[SEP]', 'hi', '##s', 'there']);
    const plain: TokenizerJson = { ...json, post_processor: null };
    const tok = new WordPieceTokenizer(plain);
    expect(tok.encode('His there', 'hi')).toEqual({ ids: [4, 5, 6, 4], tokens: ['hi', '##s', 'there', 'hi'], typeIds: [0, 0, 0, 1] });
    expect(tok.numSpecialTokens(true)).toBe(0);
  });
  it('reports bad tokenizer.json files with coded errors', () => {
    expect(() => new WordPieceTokenizer({} as TokenizerJson)).toThrow(expect.objectContaining({ code: 'E_ARG' }));
    expect(() => bertTokenizerJson(['[PAD]', 'x'])).toThrow(/no '\[UNK\]'/);
  });
});
