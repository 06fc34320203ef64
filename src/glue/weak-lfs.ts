import { Registry } from '../core/index.js';
import { SentimentScorer } from '../data/index.js';
import { labelingFunction, preprocessor, type LabelingFunction } from '../labeling/index.js';
import { glueTask } from './registry.js';

/**
 * A row to label: `textA` is the premise (or first sentence, or the only one), `textB` the hypothesis (second
 * sentence; absent for single-sentence tasks, where the pair LF sets abstain).
 */
export interface TextPair {
  textA: string;
  textB?: string | undefined;
}

/** A pair LF: abstains (-1) on rows without a second text. */
function pairLF(name: string, f: (a: string, b: string) => number): LabelingFunction<TextPair> {
  return labelingFunction({ name }, (x: TextPair) => (x.textB === undefined ? -1 : f(x.textA, x.textB)));
}

const STOP = new Set(
  'a an the of to in on at by for with from and or but is are was were be been being it its this that these those as'.split(
    ' ',
  ),
);
const NEGATION = /\b(not|no|never|none|nobody|nothing|neither|nor|without|n't|cannot)\b/i;
const words = (s: string): string[] => s.toLowerCase().match(/[\p{L}\p{N}']+/gu) ?? [];
const content = (s: string): string[] => words(s).filter((w) => !STOP.has(w));
const numbers = (s: string): string[] => s.match(/\d+(?:[.,]\d+)?/g) ?? [];

/** Share of `b`'s content words that also occur in `a` (1 when `b` has none). */
function coverage(a: string, b: string): number {
  const inA = new Set(content(a));
  const bw = content(b);
  return bw.length === 0 ? 1 : bw.filter((w) => inA.has(w)).length / bw.length;
}

/**
 * Labeling functions for entailment-style pairs (premise `textA`, hypothesis `textB`), voting with the class ids
 * of `task` (e.g. RTE: entailment 0, not_entailment 1): high lexical coverage of the hypothesis by the premise
 * → entailment; low coverage, a negation in only one sentence, or a number only the hypothesis has → not
 * entailment. Classic heuristics (lexical overlap baselines of the RTE literature), deliberately noisy: the
 * label model weighs them.
 *
 * @example
 * ```ts
 * const lfs = entailmentLFs('RTE');
 * lfs[0]!.apply({ textA: 'A cat sat on the mat.', textB: 'A cat sat.' }); // 0 (entailment)
 * ```
 */
export function entailmentLFs(task: string): LabelingFunction<TextPair>[] {
  const spec = glueTask(task);
  const yes = spec.parseLabel('entailment') ?? spec.parseLabel('1')!;
  const no = spec.parseLabel('not_entailment') ?? spec.parseLabel('0')!;
  return [
    pairLF('high_overlap', (a, b) => (coverage(a, b) >= 0.9 ? yes : -1)),
    pairLF('low_overlap', (a, b) => (coverage(a, b) < 0.4 ? no : -1)),
    pairLF('negation_mismatch', (a, b) => (NEGATION.test(a) !== NEGATION.test(b) ? no : -1)),
    pairLF('new_number', (a, b) => {
      const inA = new Set(numbers(a));
      return numbers(b).some((n) => !inA.has(n)) ? no : -1;
    }),
  ];
}

/**
 * Labeling functions for paraphrase pairs (MRPC, QQP: class 1 = paraphrase): near-identical content words →
 * paraphrase; little shared content, or different numbers → not.
 *
 * @example
 * ```ts
 * paraphraseLFs('MRPC')[0]!.apply({ textA: 'He left at 5.', textB: 'At 5 he left.' }); // 1
 * ```
 */
export function paraphraseLFs(task: string): LabelingFunction<TextPair>[] {
  const spec = glueTask(task);
  const yes = spec.parseLabel('1')!;
  const no = spec.parseLabel('0')!;
  const both = (a: string, b: string) => Math.min(coverage(a, b), coverage(b, a));
  return [
    pairLF('high_mutual_overlap', (a, b) => (both(a, b) >= 0.8 ? yes : -1)),
    pairLF('low_mutual_overlap', (a, b) => (both(a, b) < 0.45 ? no : -1)),
    pairLF('number_mismatch', (a, b) => {
      const na = new Set(numbers(a));
      const nb = new Set(numbers(b));
      return [...na].some((n) => !nb.has(n)) || [...nb].some((n) => !na.has(n)) ? no : -1;
    }),
    pairLF('negation_mismatch', (a, b) => (NEGATION.test(a) !== NEGATION.test(b) ? no : -1)),
  ];
}

const PAN = new RegExp(
  '\\b(worst|boring|bored|dull|tedious|unfunny|lifeless|pointless|mess|mediocre|waste|lame|pretentious|bland|' +
    'predictable|forgettable|tiresome|stale|clich[eé]s?|cliched|plodding|overwrought|incoherent|sloppy|shallow|' +
    'annoying|disappointing|fails?|failed|flat)\\b',
  'i',
);
const PRAISE = new RegExp(
  '\\b(masterpiece|wonderful|delightful|brilliant|charming|moving|touching|beautifully|gorgeous|terrific|' +
    'remarkable|superb|engrossing|compelling|riveting|funniest|refreshing|heartfelt|powerful|enjoyable|' +
    'entertaining|fascinating|thoughtful|intelligent|witty|poignant|best)\\b',
  'i',
);
const NEGATED_PRAISE =
  /\b(not|n't|never|no|hardly|barely)\s+(\w+\s+)?(good|funny|great|interesting|worth|entertaining|memorable|clever|original|fun|engaging|enough|much)\b/i;
const CONTRAST = /\b(?:but|yet|however)\b/i;

/**
 * Labeling functions for sentiment (SST-2: negative 0, positive 1), over the first text: an off-the-shelf
 * lexicon scorer ({@link SentimentScorer}) past ±0.25; the clause after the last "but" / "yet" / "however",
 * which usually carries a review's verdict; negated praise ("not funny", "never very engaging"); and short
 * lists of review words that pan or praise. Measured on SST-2 train rows 0–4999 (which are phrases as well as
 * sentences): coverage 36% / 19% / 2% / 1% / 5% / 8%, accuracy 84 / 83 / 75 / 89 / 91 / 93%; the label model
 * over them labels 58% of rows at 84%.
 *
 * @example
 * ```ts
 * const lfs = sentimentLFs('SST-2');
 * lfs.map((lf) => lf.apply({ textA: 'not funny , but a moving , beautifully acted film' }));
 * // [-1, -1, 1, 0, -1, 1]: the lexicon sees both halves; the clause after 'but' is positive
 * ```
 */
export function sentimentLFs(task: string): LabelingFunction<TextPair>[] {
  const spec = glueTask(task);
  const pos = spec.parseLabel('positive') ?? spec.parseLabel('1')!;
  const neg = spec.parseLabel('negative') ?? spec.parseLabel('0')!;
  const scorer = new SentimentScorer();
  // both lexicon LFs read the same score: computed once per row (appliers run every LF on a row in turn)
  const sentiment = preprocessor((x: TextPair) => scorer.score(x.textA), { memoize: true, cacheSize: 1 });
  return [
    labelingFunction({ name: 'lexicon_positive' }, (x: TextPair) => (sentiment.apply(x) >= 0.25 ? pos : -1)),
    labelingFunction({ name: 'lexicon_negative' }, (x: TextPair) => (sentiment.apply(x) <= -0.25 ? neg : -1)),
    labelingFunction({ name: 'contrast_clause' }, (x: TextPair) => {
      const parts = x.textA.split(CONTRAST);
      if (parts.length < 2) return -1;
      const v = scorer.score(parts[parts.length - 1]!);
      return v >= 0.2 ? pos : v <= -0.2 ? neg : -1;
    }),
    labelingFunction({ name: 'negated_praise' }, (x: TextPair) => (NEGATED_PRAISE.test(x.textA) ? neg : -1)),
    labelingFunction({ name: 'pan_words' }, (x: TextPair) => (PAN.test(x.textA) ? neg : -1)),
    labelingFunction({ name: 'praise_words' }, (x: TextPair) => (PRAISE.test(x.textA) ? pos : -1)),
  ];
}

/** Ready LF sets by name (the experiment's `weak.lfs`); each is built for a target task's label ids. */
export const WEAK_LF_SETS = new Registry<(task: string) => LabelingFunction<TextPair>[]>('weak LF set')
  .register('entailment', entailmentLFs)
  .register('paraphrase', paraphraseLFs)
  .register('sentiment', sentimentLFs);
