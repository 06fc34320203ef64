// Labeling functions for YouTube comment spam (the Snorkel spam tutorial's heuristics, written with mmtl's
// builders; the NLP ones use the offline wink English model instead of spaCy/TextBlob).
import { createRequire } from 'node:module';
import { keywordLF, labelingFunction, preprocessor, regexLF } from '../../src/index.js';

/** One comment. */
export interface Comment {
  text: string;
}

export const HAM = 0;
export const SPAM = 1;
export const ABSTAIN = -1;

interface Wink {
  readDoc(text: string): { out(what?: unknown): unknown };
  its: { sentiment: unknown };
}
let wink: Wink | undefined;
function nlp(): Wink {
  if (!wink) {
    const require = createRequire(import.meta.url);
    const winkNLP = require('wink-nlp') as (model: unknown) => Wink;
    wink = winkNLP(require('wink-eng-lite-web-model'));
  }
  return wink;
}

/** Sentiment in [-1, 1] of a comment (wink's lexicon model), computed once per comment. */
const analyze = preprocessor(
  (c: Comment) => {
    const w = nlp();
    const doc = w.readDoc(c.text);
    return { ...c, sentiment: doc.out(w.its.sentiment) as number };
  },
  { memoize: true, key: (c: Comment) => c.text },
);

/** The LFs, in Snorkel's tutorial order. */
export const lfs = [
  keywordLF({ name: 'keyword_my', keywords: ['my'], label: SPAM, field: 'text' }),
  keywordLF({
    name: 'keyword_subscribe',
    keywords: ['subscribe'],
    label: SPAM,
    field: 'text',
    wholeWord: false,
  }),
  keywordLF({ name: 'keyword_link', keywords: ['http'], label: SPAM, field: 'text', wholeWord: false }),
  keywordLF({ name: 'keyword_please', keywords: ['please', 'plz'], label: SPAM, field: 'text' }),
  keywordLF({ name: 'keyword_song', keywords: ['song'], label: HAM, field: 'text' }),
  regexLF({ name: 'regex_check_out', pattern: 'check.*out', flags: 'i', label: SPAM, field: 'text' }),
  labelingFunction({ name: 'short_comment' }, (c: Comment) =>
    c.text.split(/\s+/).filter(Boolean).length < 5 ? HAM : ABSTAIN,
  ),
  labelingFunction({ name: 'positive_sentiment', pre: [analyze] }, (c: Comment & { sentiment: number }) =>
    c.sentiment > 0.5 ? HAM : ABSTAIN,
  ),
];
