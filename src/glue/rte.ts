import { classificationTask, glueSplits } from './task-base.js';

/**
 * RTE (Recognizing Textual Entailment): does sentence 1 entail sentence 2?
 * `index\tsentence1\tsentence2\tlabel`; labels `entailment` (0) / `not_entailment` (1); accuracy.
 *
 * @example
 * ```ts
 * rte.splits.dev?.rows; // 277
 * rte.formatLabel(1);   // 'not_entailment'
 * ```
 */
export const rte = classificationTask(
  {
    name: 'RTE',
    splits: glueSplits({
      dir: 'RTE',
      textA: 'sentence1',
      textB: 'sentence2',
      label: 'label',
      trainIndex: 'index',
      rows: { train: 2490, dev: 277, test: 3000 },
    }),
  },
  ['entailment', 'not_entailment'],
);
