import { winkEnglish } from './wink.js';

/**
 * An off-the-shelf English sentiment scorer (wink-nlp's lexicon-based sentiment, with negation handling),
 * the kind of tool weak supervision builds labeling functions on. Scores lie in [-1, 1]: below 0 negative,
 * above 0 positive, 0 when no sentiment word is found. Loads the model on first use; runs at about 0.1 ms
 * per sentence.
 *
 * @example
 * ```ts
 * const s = new SentimentScorer();
 * s.score('a wonderful, moving film') > 0; // true
 * s.score('dull and tedious') < 0;         // true
 * ```
 */
export class SentimentScorer {
  /** Sentiment of `text` in [-1, 1]. */
  score(text: string): number {
    const nlp = winkEnglish('the sentiment scorer');
    return nlp.readDoc(text).out(nlp.its.sentiment) as number;
  }
}
