import { winkEnglish } from './wink.js';

/** Universal Dependencies part-of-speech tags (what the wink English model outputs), index = class id. */
export const POS_TAGS = [
  'ADJ',
  'ADP',
  'ADV',
  'AUX',
  'CCONJ',
  'DET',
  'INTJ',
  'NOUN',
  'NUM',
  'PART',
  'PRON',
  'PROPN',
  'PUNCT',
  'SCONJ',
  'SYM',
  'VERB',
  'X',
] as const;

/** Words of a text with their POS class ids and `[start, end)` character offsets. */
export interface TaggedText {
  words: string[];
  /** Index into {@link POS_TAGS} per word (-1 for a tag outside it, e.g. SPACE). */
  tags: Int32Array;
  offsets: [number, number][];
}

/**
 * An off-the-shelf English POS tagger (wink-nlp with wink-eng-lite-web-model, ~1 MB, offline), used to label
 * auxiliary token tasks (MeTaL's SPACY_POS) with no human labels. The model loads on first use.
 *
 * @example
 * ```ts
 * const t = new PosTagger().tag("The dog doesn't bark.");
 * t.words; // ['The', 'dog', 'does', "n't", 'bark', '.']
 * t.tags.map((i) => POS_TAGS[i]); // ['DET', 'NOUN', 'AUX', 'PART', 'VERB', 'PUNCT']
 * ```
 */
export class PosTagger {
  /** Tags one text. Offsets are found by matching each word in order; a word not found gets `[p, p]`. */
  tag(text: string): TaggedText {
    const nlp = winkEnglish('the POS tagger');
    const doc = nlp.readDoc(text);
    const words = doc.tokens().out(nlp.its.value);
    const pos = doc.tokens().out(nlp.its.pos);
    const tags = Int32Array.from(pos, (p) => (POS_TAGS as readonly string[]).indexOf(p));
    const offsets: [number, number][] = [];
    let at = 0;
    for (const w of words) {
      const i = text.indexOf(w, at);
      if (i < 0) offsets.push([at, at]);
      else {
        offsets.push([i, i + w.length]);
        at = i + w.length;
      }
    }
    return { words, tags, offsets };
  }
}

/**
 * Transfers word-level tags to another tokenization (word pieces, or GloVe word tokens) by character
 * offsets: each token gets the tag of the word containing its first character; tokens with an empty span
 * (special tokens, padding) or outside every word get -1 (ignored by token losses). Better than MeTaL's
 * rule, which abstained on the whole sentence when character counts differed.
 *
 * @example
 * ```ts
 * alignTags([[0, 4], [5, 9]], Int32Array.of(7, 15), [[0, 0], [0, 2], [2, 4], [5, 9], [0, 0]]);
 * // Int32Array [-1, 7, 7, 15, -1]
 * ```
 */
export function alignTags(
  wordOffsets: readonly (readonly [number, number])[],
  wordTags: ArrayLike<number>,
  tokenOffsets: readonly (readonly [number, number])[],
): Int32Array {
  const out = new Int32Array(tokenOffsets.length).fill(-1);
  const n = wordOffsets.length;
  let w = 0;
  for (let t = 0; t < tokenOffsets.length; t++) {
    const [s, e] = tokenOffsets[t]!;
    if (e <= s) continue;
    if (w >= n || wordOffsets[w]![0] > s) w = 0; // tokens went back (unsorted input): scan again
    while (w < n && wordOffsets[w]![1] <= s) w++;
    if (w < n && wordOffsets[w]![0] <= s) out[t] = wordTags[w]!;
  }
  return out;
}
