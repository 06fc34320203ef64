import { describe, expect, it } from 'vitest';
import { BertTokenizer, POS_TAGS, PosTagger, alignTags, wordTokenizeWithOffsets } from '../../src/data/index.js';

describe('PosTagger', () => {
  const tagger = new PosTagger();
  it('tags words with UD tags and offsets', () => {
    const t = tagger.tag("The quick fox doesn't jump.");
    expect(t.words).toEqual(['The', 'quick', 'fox', 'does', "n't", 'jump', '.']);
    expect([...t.tags].map((i) => POS_TAGS[i])).toEqual(['DET', 'ADJ', 'NOUN', 'AUX', 'PART', 'VERB', 'PUNCT']);
    expect(t.offsets[4]).toEqual([18, 21]);
  });

  it('aligns tags to word pieces and to GloVe word tokens', async () => {
    const text = 'Unaffable dogs bark.';
    const t = tagger.tag(text);
    const tok = await BertTokenizer.fromDir('test/fixtures/bert-tiny-tokenizer');
    const enc = tok.encode(text, undefined, { returnOffsets: true });
    const pieceTags = alignTags(t.offsets, t.tags, enc.offsets!);
    expect(enc.tokens).toEqual(['[CLS]', 'una', '##ffa', '##ble', 'dogs', 'bark', '.', '[SEP]']);
    const names = [...pieceTags].map((i) => (i < 0 ? null : POS_TAGS[i]));
    expect(names[0]).toBeNull(); // [CLS]
    expect(names[7]).toBeNull(); // [SEP]
    expect(names[1]).toBe(names[3]); // all pieces of one word share its tag
    const wordTags = [...t.tags].map((i) => POS_TAGS[i]); // the tagger's own word-level tags
    expect(t.words).toEqual(['Unaffable', 'dogs', 'bark', '.']);
    expect(names.slice(1, 7)).toEqual([wordTags[0], wordTags[0], wordTags[0], wordTags[1], wordTags[2], wordTags[3]]);
    const words = wordTokenizeWithOffsets(text);
    expect([...alignTags(t.offsets, t.tags, words.offsets)].map((i) => POS_TAGS[i])).toEqual(wordTags);
  });
});
