import { classificationTask, glueSplits } from './task-base.js';

/**
 * QQP (Quora Question Pairs): are two questions duplicates? Columns
 * `id\tqid1\tqid2\tquestion1\tquestion2\tis_duplicate` (test: `id\tquestion1\tquestion2`). Labels
 * `'0'`/`'1'` (1 = duplicate); GLUE scores the mean of accuracy and F1. Not shipped in the repo (too large).
 *
 * @example
 * ```ts
 * qqp.splits.test; // { path: 'QQP/test.tsv', header: true, index: 'id', textA: 'question1', textB: 'question2', rows: 390965 }
 * ```
 */
export const qqp = classificationTask(
  {
    name: 'QQP',
    splits: glueSplits({
      dir: 'QQP',
      textA: 'question1',
      textB: 'question2',
      label: 'is_duplicate',
      trainIndex: 'id',
      testIndex: 'id',
      rows: { train: 363846, dev: 40430, test: 390965 },
    }),
    metrics: ['acc_f1', 'f1', 'accuracy'],
    scoreMetrics: ['accuracy', 'f1'],
  },
  ['0', '1'],
);
