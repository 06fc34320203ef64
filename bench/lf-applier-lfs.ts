// The ten LFs of the reference LF-applier workload (../shared/reference/lf-applier/README.md), in its column
// order: six case-insensitive substring keywords and four regular expressions on `text`.
import { keywordLF, regexLF } from '../src/labeling/index.js';

const NEG = 0;
const POS = 1;
const kw = (word: string, label: number): ReturnType<typeof keywordLF> =>
  keywordLF({ name: `lf_kw_${word}`, keywords: [word], label, wholeWord: false });

/** Column order of L-reference.i8.bin. */
export const lfs = [
  kw('great', POS),
  kw('love', POS),
  kw('excellent', POS),
  kw('terrible', NEG),
  kw('refund', NEG),
  kw('broken', NEG),
  regexLF({ name: 'lf_re_stars_high', pattern: /\b[45] stars?\b/, label: POS }),
  regexLF({ name: 'lf_re_stars_low', pattern: /\b[12] stars?\b/, label: NEG }),
  regexLF({ name: 'lf_re_exclaim', pattern: /!{2,}/, label: POS }),
  regexLF({ name: 'lf_re_not_good', pattern: /\bnot (good|worth|happy)\b/i, label: NEG }),
];

export const cardinality = 2;
