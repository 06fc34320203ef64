// Word tokenization and the word vocabulary used by GloVe models.
import { describe, expect, it } from 'vitest';
import { WordVocab, wordTokenize } from '../../src/data/index.js';

describe('wordTokenize', () => {
  it('lowercases, splits on non-word characters and keeps punctuation', () => {
    expect(wordTokenize("Hello, World! It's 3.5x")).toEqual(['hello', ',', 'world', '!', 'it', "'", 's', '3', '.', '5x']);
    expect(wordTokenize('  Naïve café—über_cool  ')).toEqual(['naïve', 'café', '—', 'über_cool']);
    expect(wordTokenize('')).toEqual([]);
  });
});

describe('WordVocab', () => {
  it('builds from texts, most frequent first, ties alphabetical, specials at 0 and 1', () => {
    const v = WordVocab.build(['the cat sat', 'the dog']);
    expect(v.words).toEqual(['[PAD]', '[UNK]', 'the', 'cat', 'dog', 'sat']);
    expect(v.size).toBe(6);
    expect(v.encode('The emu')).toEqual(Int32Array.of(2, 1));
    expect(v.encode(['dog', 'cat'])).toEqual(Int32Array.of(4, 3));
    expect(v.id('[PAD]')).toBe(WordVocab.PAD_ID);
    expect(v.word(3)).toBe('cat');
    expect(() => v.word(99)).toThrow(expect.objectContaining({ code: 'E_ARG' }));
  });
  it('honours minCount and maxSize', () => {
    expect(WordVocab.build(['a b b', 'b c'], { minCount: 2 }).words).toEqual(['[PAD]', '[UNK]', 'b']);
    expect(WordVocab.build(['a b b c c c'], { maxSize: 4 }).words).toEqual(['[PAD]', '[UNK]', 'c', 'b']);
    expect(() => WordVocab.build([], { maxSize: 1 })).toThrow(/'maxSize'/);
  });
  it('builds from a word list (e.g. GloVe) and round-trips through its config', () => {
    const v = WordVocab.fromWords(['the', ',', 'the', '[UNK]', 'of']);
    expect(v.words).toEqual(['[PAD]', '[UNK]', 'the', ',', 'of']);
    const back = WordVocab.fromConfig(JSON.parse(JSON.stringify(v.toConfig())) as { words: string[] });
    expect(back.words).toEqual(v.words);
    expect(() => WordVocab.fromConfig({ words: ['x'] })).toThrow(expect.objectContaining({ code: 'E_CONFIG' }));
  });
  it('encodes batches with padding id 0 and real lengths', () => {
    const v = WordVocab.build(['the cat sat', 'the dog']);
    expect(v.encodeBatch(['the cat sat', 'the'], { maxLength: 2 })).toEqual({
      values: Int32Array.of(2, 3, 2, 0),
      lengths: Int32Array.of(2, 1),
      batch: 2,
      seqLen: 2,
    });
    expect(v.encodeBatch(['dog', 'cat sat dog']).values).toEqual(Int32Array.of(4, 0, 0, 3, 5, 4));
  });
});
