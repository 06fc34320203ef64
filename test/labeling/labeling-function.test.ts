import { describe, expect, it } from 'vitest';
import { ABSTAIN, isMmtlError } from '../../src/core/index.js';
import {
  LabelingFunction,
  isLabelingFunction,
  keywordLF,
  labelingFunction,
  preprocessor,
  regexLF,
  textField,
} from '../../src/labeling/index.js';

describe('labelingFunction', () => {
  it('passes resources and runs preprocessors in order', () => {
    const upper = preprocessor((x: { text: string }) => ({ text: x.text.toUpperCase() }));
    const exclaim = preprocessor((x: { text: string }) => ({ text: `${x.text}!` }));
    const lf = labelingFunction(
      { name: 'lexicon', resources: { words: new Set(['HI!']) }, pre: [upper, exclaim] },
      (x: { text: string }, { words }) => (words.has(x.text) ? 1 : ABSTAIN),
    );
    expect(lf).toBeInstanceOf(LabelingFunction);
    expect(isLabelingFunction(lf)).toBe(true);
    expect(isLabelingFunction({ name: 'x', apply: () => 1 })).toBe(false);
    expect(lf.name).toBe('lexicon');
    expect(lf.apply({ text: 'hi' })).toBe(1);
    expect(lf.apply({ text: 'ho' })).toBe(ABSTAIN);
  });

  it('validates its arguments', () => {
    expect(() => labelingFunction({ name: '' }, () => 0)).toThrow(
      /'options.name' passed to 'labelingFunction'/,
    );
    try {
      labelingFunction({ name: 'x' }, 3 as unknown as () => number);
      expect.unreachable();
    } catch (e) {
      expect(isMmtlError(e, 'E_ARG')).toBe(true);
    }
  });
});

describe('preprocessor', () => {
  it('memoizes by identity by default, by key when given, within a bounded cache', () => {
    let calls = 0;
    const p = preprocessor(
      (x: { id: number }) => {
        calls++;
        return x.id * 2;
      },
      { memoize: true, cacheSize: 2 },
    );
    const a = { id: 1 };
    expect([p.apply(a), p.apply(a)]).toEqual([2, 2]);
    expect(calls).toBe(1);
    p.apply({ id: 1 }); // another object: another key
    expect(calls).toBe(2);
    p.apply({ id: 3 }); // evicts `a`
    p.apply(a);
    expect(calls).toBe(4);
    p.reset();
    p.apply(a);
    expect(calls).toBe(5);

    let keyed = 0;
    const q = preprocessor((_x: { id: number }) => ++keyed, { memoize: true, key: (x) => x.id });
    q.apply({ id: 7 });
    q.apply({ id: 7 });
    expect(keyed).toBe(1);

    let plain = 0;
    const r = preprocessor((x: number) => (plain++, x));
    r.apply(1);
    r.apply(1);
    expect(plain).toBe(2);
  });

  it('is shared across LFs so it runs once per row', () => {
    let calls = 0;
    const words = preprocessor(
      (x: { text: string }) => {
        calls++;
        return { words: x.text.split(' ') };
      },
      { memoize: true },
    );
    const a = labelingFunction({ name: 'a', pre: [words] }, (x: { words: string[] }) =>
      x.words.includes('a') ? 1 : -1,
    );
    const b = labelingFunction({ name: 'b', pre: [words] }, (x: { words: string[] }) =>
      x.words.includes('b') ? 0 : -1,
    );
    const row = { text: 'a b' };
    expect([a.apply(row), b.apply(row)]).toEqual([1, 0]);
    expect(calls).toBe(1);
  });
});

describe('keywordLF and regexLF', () => {
  it('match keywords case-insensitively, as whole words by default', () => {
    const lf = keywordLF({ name: 'kw', keywords: ['subscribe', 'my channel'], label: 1 });
    expect(lf.apply({ text: 'Please SUBSCRIBE!' })).toBe(1);
    expect(lf.apply({ text: 'see My Channel' })).toBe(1);
    expect(lf.apply({ text: 'subscribers' })).toBe(ABSTAIN);
    const sub = keywordLF({ name: 'kw', keywords: ['subscribe'], label: 1, wholeWord: false });
    expect(sub.apply({ text: 'subscribers' })).toBe(1);
    const cs = keywordLF({ name: 'kw', keywords: ['Song'], label: 0, caseSensitive: true });
    expect(cs.apply({ text: 'song' })).toBe(ABSTAIN);
    expect(cs.apply({ text: 'Song' })).toBe(0);
    expect(keywordLF({ name: 'k', keywords: ['a.b'], label: 0 }).apply({ text: 'axb' })).toBe(ABSTAIN);
  });

  it('read dotted fields and fail on missing ones', () => {
    const lf = keywordLF({ name: 'kw', keywords: ['my'], label: 1, field: 'data.text' });
    expect(lf.apply({ data: { text: 'my video' } })).toBe(1);
    expect(() => lf.apply({ text: 'my' })).toThrow("data point has no field 'data.text'");
    expect(textField({ 'a.b': 'flat' }, 'a.b')).toBe('flat');
    expect(textField({ t: null }, 't')).toBe('');
  });

  it('match regular expressions, dropping stateful flags', () => {
    const lf = regexLF({ name: 'check_out', pattern: /check.*out/gi, label: 1 });
    expect(lf.apply({ text: 'Check my video out' })).toBe(1);
    expect(lf.apply({ text: 'Check my video out' })).toBe(1);
    expect(lf.apply({ text: 'nice' })).toBe(ABSTAIN);
    expect(regexLF({ name: 's', pattern: '^hi', flags: 'i', label: 0 }).apply({ text: 'Hi there' })).toBe(0);
  });

  it('validate their options', () => {
    expect(() => keywordLF({ name: 'k', keywords: [], label: 1 })).toThrow(
      /'keywords' passed to 'keywordLF' \('k'\)/,
    );
    expect(() => keywordLF({ name: 'k', keywords: ['a'], label: -1 })).toThrow(
      /'label' passed to 'keywordLF'/,
    );
    expect(() => regexLF({ name: 'r', pattern: '(', label: 1 })).toThrow(
      /'pattern' passed to 'regexLF' \('r'\)/,
    );
  });
});
