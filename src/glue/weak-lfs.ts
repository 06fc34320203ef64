import { Registry } from '../core/index.js';
import { labelingFunction, type LabelingFunction } from '../labeling/index.js';
import { glueTask } from './registry.js';

/** A sentence pair to label: `textA` is the premise (or first sentence), `textB` the hypothesis (second). */
export interface TextPair {
  textA: string;
  textB: string;
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
    labelingFunction({ name: 'high_overlap' }, (x: TextPair) =>
      coverage(x.textA, x.textB) >= 0.9 ? yes : -1,
    ),
    labelingFunction({ name: 'low_overlap' }, (x: TextPair) => (coverage(x.textA, x.textB) < 0.4 ? no : -1)),
    labelingFunction({ name: 'negation_mismatch' }, (x: TextPair) =>
      NEGATION.test(x.textA) !== NEGATION.test(x.textB) ? no : -1,
    ),
    labelingFunction({ name: 'new_number' }, (x: TextPair) => {
      const inA = new Set(numbers(x.textA));
      return numbers(x.textB).some((n) => !inA.has(n)) ? no : -1;
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
  const both = (x: TextPair) => Math.min(coverage(x.textA, x.textB), coverage(x.textB, x.textA));
  return [
    labelingFunction({ name: 'high_mutual_overlap' }, (x: TextPair) => (both(x) >= 0.8 ? yes : -1)),
    labelingFunction({ name: 'low_mutual_overlap' }, (x: TextPair) => (both(x) < 0.45 ? no : -1)),
    labelingFunction({ name: 'number_mismatch' }, (x: TextPair) => {
      const a = new Set(numbers(x.textA));
      const b = new Set(numbers(x.textB));
      return [...a].some((n) => !b.has(n)) || [...b].some((n) => !a.has(n)) ? no : -1;
    }),
    labelingFunction({ name: 'negation_mismatch' }, (x: TextPair) =>
      NEGATION.test(x.textA) !== NEGATION.test(x.textB) ? no : -1,
    ),
  ];
}

/** Ready LF sets by name (the experiment's `weak.lfs`); each is built for a target task's label ids. */
export const WEAK_LF_SETS = new Registry<(task: string) => LabelingFunction<TextPair>[]>('weak LF set')
  .register('entailment', entailmentLFs)
  .register('paraphrase', paraphraseLFs);
