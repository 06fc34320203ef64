import { classificationTask, glueSplits } from './task-base.js';

/**
 * WNLI (Winograd NLI): does the sentence with the pronoun replaced follow? `index\tsentence1\tsentence2\tlabel`;
 * labels `'0'`/`'1'` (1 = entailment); accuracy.
 *
 * @example
 * ```ts
 * wnli.splits.train?.rows; // 635
 * ```
 */
export const wnli = classificationTask(
  {
    name: 'WNLI',
    splits: glueSplits({
      dir: 'WNLI',
      textA: 'sentence1',
      textB: 'sentence2',
      label: 'label',
      trainIndex: 'index',
      rows: { train: 635, dev: 71, test: 146 },
    }),
  },
  ['0', '1'],
);
