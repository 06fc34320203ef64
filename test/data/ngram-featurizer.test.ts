// NgramFeaturizer: scikit-learn CountVectorizer parity (fixtures from scripts/fixtures/make_ngram_fixtures.py),
// hand-checked n-grams, min-df / max-features / binary, the JSON round trip and argument errors.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MmtlError } from '../../src/core/index.js';
import { NGRAM_TOKENIZERS, NgramFeaturizer, type NgramFeaturizerConfig, type NgramFeaturizerOptions } from '../../src/data/index.js';

interface CountCase {
  name: string;
  vocabulary: string[];
  validCounts: Record<string, number>[];
}
const fixture = JSON.parse(readFileSync('test/fixtures/ngram/count_vectorizer.json', 'utf8')) as { cases: CountCase[] };
const texts = (split: string) =>
  Object.values(
    JSON.parse(readFileSync(`test/fixtures/wrench-youtube-mini/${split}.json`, 'utf8')) as Record<
      string,
      { data: { text: string } }
    >,
  ).map((r) => r.data.text);

function counts(f: NgramFeaturizer, text: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const name of f.featureNames(f.encode(text))) {
    const key = name.slice(2); // drop the 'w:' / 'c:' prefix, as sklearn names features
    out[key] = (out[key] ?? 0) + 1;
  }
  return out;
}

describe('NgramFeaturizer', () => {
  const train = texts('train');
  const valid = texts('valid');
  const options: Record<string, NgramFeaturizerOptions> = {
    word13: { wordNgrams: [1, 3], charNgrams: null, minDf: 2 },
    charwb24: { wordNgrams: null, charNgrams: [2, 4], minDf: 2 },
  };

  for (const c of fixture.cases) {
    it(`matches CountVectorizer (${c.name}, min_df=2) on YouTube comments`, () => {
      const f = NgramFeaturizer.fit(train, options[c.name]);
      expect(f.features.slice(1).map((x) => x.slice(2)).sort()).toEqual(c.vocabulary);
      expect(c.validCounts).toHaveLength(valid.length);
      valid.forEach((text, i) => expect(counts(f, text), `valid comment ${i}`).toEqual(c.validCounts[i]));
    });
  }

  it('lists word and char_wb n-grams in text order', () => {
    const f = NgramFeaturizer.fit([], { wordNgrams: [1, 2], charNgrams: [3, 4] });
    expect(f.ngrams('Hi you!')).toEqual(['w:hi', 'w:you', 'w:hi you', 'c: hi', 'c:hi ', 'c: hi ', 'c: yo', 'c:you', 'c:ou!', 'c:u! ', 'c: you', 'c:you!', 'c:ou! ']);
    // a padded word no longer than n gives itself once and no longer n-grams (sklearn's char_wb)
    expect(NgramFeaturizer.fit([], { wordNgrams: null, charNgrams: [2, 5] }).ngrams('a')).toEqual([
      'c: a',
      'c:a ',
      'c: a ',
    ]);
    expect(NGRAM_TOKENIZERS.get('alnum2')('Check out my channel! x 2 ok_1')).toEqual(['check', 'out', 'my', 'channel', 'ok_1']);
    expect(NgramFeaturizer.fit([], { tokenizer: 'words' }).ngrams('Hi, you')).toEqual(['w:hi', 'w:,', 'w:you']);
  });

  it('keeps n-grams by document frequency, most frequent first, and drops unknown ones', () => {
    const f = NgramFeaturizer.fit(['bb aa aa', 'aa cc', 'cc dd'], { minDf: 1 });
    expect(f.features).toEqual(['[PAD]', 'w:aa', 'w:cc', 'w:bb', 'w:dd']); // df: aa 2, cc 2, bb 1, dd 1
    expect(NgramFeaturizer.fit(['bb aa aa', 'aa cc', 'cc dd'], { minDf: 2 }).features).toEqual(['[PAD]', 'w:aa', 'w:cc']);
    expect(NgramFeaturizer.fit(['bb aa aa', 'aa cc', 'cc dd'], { maxFeatures: 1 }).features).toEqual(['[PAD]', 'w:aa']);
    const g = NgramFeaturizer.fit(['aa bb', 'aa'], { wordNgrams: [1, 2] });
    const id = (name: string) => g.features.indexOf(name);
    expect([...g.encode('bb aa zz aa bb')]).toEqual([id('w:bb'), 1, 1, id('w:bb'), id('w:aa bb')]);
    expect([...g.encode('zz')]).toEqual([]);
    const b = NgramFeaturizer.fit(['aa bb', 'aa'], { binary: true });
    expect([...b.encode('aa aa bb aa')]).toEqual([1, 2]);
  });

  it('round-trips through plain JSON', () => {
    const f = NgramFeaturizer.fit(train, { wordNgrams: [1, 2], charNgrams: [2, 3], minDf: 2, binary: true });
    const again = NgramFeaturizer.fromConfig(JSON.parse(JSON.stringify(f.toConfig())) as NgramFeaturizerConfig);
    expect(again.features).toEqual(f.features);
    expect(again.options).toEqual(f.options);
    for (const t of valid.slice(0, 10)) expect([...again.encode(t)]).toEqual([...f.encode(t)]);
  });

  it('rejects bad options and configs with coded errors', () => {
    const code = (fn: () => unknown) => {
      try {
        fn();
      } catch (e) {
        expect(e).toBeInstanceOf(MmtlError);
        return [(e as MmtlError).code, (e as Error).message];
      }
      throw new Error('did not throw');
    };
    expect(code(() => NgramFeaturizer.fit([], { wordNgrams: [3, 1] }))).toEqual(['E_CONFIG', expect.stringMatching(/NgramFeaturizer\.fit.*\n.*min ≤ max/s)]);
    expect(code(() => NgramFeaturizer.fit([], { wordNgrams: null, charNgrams: null }))[1]).toMatch(/at least one of wordNgrams and charNgrams/);
    expect(code(() => NgramFeaturizer.fit([], { minDf: 0 }))[0]).toBe('E_CONFIG');
    expect(code(() => NgramFeaturizer.fit([], { tokenizer: 'spacy' }))).toEqual(['E_UNKNOWN', expect.stringMatching(/unknown n-gram tokenizer 'spacy'; expected one of alnum2, words/)]);
    const f = NgramFeaturizer.fit(['aa'], {});
    expect(code(() => f.featureNames([2]))).toEqual(['E_ARG', expect.stringMatching(/'ids' passed to 'NgramFeaturizer.featureNames' holds 2, outside \[0, 2\)/)]);
    expect(code(() => NgramFeaturizer.fromConfig({ options: f.options, features: ['w:aa'] }))[1]).toMatch(/starting with '\[PAD\]'/);
  });
});
