import { classificationTask, glueSplits } from './task-base.js';

/**
 * QNLI (Question NLI, from SQuAD): does the sentence answer the question? `index\tquestion\tsentence\tlabel`;
 * labels `entailment` (0) / `not_entailment` (1); accuracy. The repo ships dev and test only.
 *
 * @example
 * ```ts
 * qnli.parseLabel('not_entailment'); // 1
 * ```
 */
export const qnli = classificationTask(
  {
    name: 'QNLI',
    splits: glueSplits({
      dir: 'QNLI',
      textA: 'question',
      textB: 'sentence',
      label: 'label',
      trainIndex: 'index',
      rows: { train: 104743, dev: 5463, test: 5463 },
    }),
  },
  ['entailment', 'not_entailment'],
);
