import { describe, expect, it } from 'vitest';
import {
  applySFs,
  dashSF,
  lengthBucketSFs,
  lengthSF,
  negationSF,
  pronounsSF,
  questionSF,
  semicolonSF,
  sentenceSFs,
} from '../../src/slicing/index.js';

describe('sentence heuristics', () => {
  it('detect rare punctuation', () => {
    expect(dashSF().apply({ text: 'The cat — a tabby — slept.' })).toBe(1);
    expect(dashSF().apply({ text: 'It was -- oddly -- fine.' })).toBe(1);
    expect(dashSF().apply({ text: 'A well-known fact.' })).toBe(0);
    expect(semicolonSF().apply({ text: 'Yes; no.' })).toBe(1);
    expect(semicolonSF().apply({ text: 'Yes, no.' })).toBe(0);
  });

  it('count pronouns', () => {
    expect(pronounsSF().apply({ text: 'She told him the truth.' })).toBe(1);
    expect(pronounsSF().apply({ text: 'She left.' })).toBe(0);
    expect(pronounsSF({ min: 2 }).apply({ text: 'She told him.' })).toBe(0);
  });

  it('find questions and negations', () => {
    expect(questionSF().apply({ text: 'Is it here?' })).toBe(1);
    expect(questionSF().apply({ text: 'Where did he go' })).toBe(1);
    expect(questionSF().apply({ text: 'He went home.' })).toBe(0);
    expect(negationSF().apply({ text: "He didn't come." })).toBe(1);
    expect(negationSF().apply({ text: 'Nothing happened' })).toBe(1);
    expect(negationSF().apply({ text: 'He came.' })).toBe(0);
  });

  it('bucket lengths so every row falls in exactly one bucket', () => {
    expect(lengthSF({ max: 5 }).name).toBe('len_0_5');
    const buckets = lengthBucketSFs([2, 4]);
    expect(buckets.map((b) => b.name)).toEqual(['len_0_2', 'len_2_4', 'len_4_inf']);
    const S = applySFs(buckets, [{ text: 'one' }, { text: 'one two three' }, { text: 'a b c d e' }]);
    expect(S.toRows()).toEqual([
      [1, 0, 0],
      [0, 1, 0],
      [0, 0, 1],
    ]);
    expect(() => lengthBucketSFs([3, 2])).toThrow(/'edges' passed to 'lengthBucketSFs'/);
  });

  it('read sentence pairs and accessor functions', () => {
    const pair = { premise: 'He left.', hypothesis: 'Did he leave?' };
    expect(questionSF({ field: ['premise', 'hypothesis'] }).apply(pair)).toBe(1);
    expect(questionSF({ field: 'premise' }).apply(pair)).toBe(0);
    expect(lengthSF({ min: 5, field: ['premise', 'hypothesis'] }).apply(pair)).toBe(1);
    const viaFn = negationSF({ name: 'neg_h', field: (x) => (x as typeof pair).hypothesis });
    expect(viaFn.name).toBe('neg_h');
    expect(viaFn.apply({ ...pair, hypothesis: 'He did not.' })).toBe(1);
  });

  it('sentenceSFs lists the seed heuristics', () => {
    expect(sentenceSFs({ field: ['s1', 's2'] }).map((sf) => sf.name)).toEqual([
      'has_dash',
      'has_semicolon',
      'many_pronouns',
      'question',
      'negation',
      'len_0_10',
      'len_10_20',
      'len_20_inf',
    ]);
  });
});
