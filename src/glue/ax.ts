import { classificationTask } from './task-base.js';

/**
 * AX, GLUE's diagnostic set: test-only NLI pairs (`diagnostic/diagnostic.tsv`,
 * `index\tsentence1\tsentence2`) predicted with the MNLI head and written with MNLI's label strings to
 * `AX.tsv`. Not part of the GLUE score.
 *
 * @example
 * ```ts
 * ax.headTask;     // 'MNLI'
 * ax.validSplit;   // undefined
 * ax.scoreMetrics; // []
 * ```
 */
export const ax = classificationTask(
  {
    name: 'AX',
    splits: {
      test: {
        path: 'diagnostic/diagnostic.tsv',
        header: true,
        index: 'index',
        textA: 'sentence1',
        textB: 'sentence2',
        rows: 1104,
      },
    },
    validSplit: null,
    scoreMetrics: [],
    submissions: [{ file: 'AX.tsv', split: 'test' }],
    headTask: 'MNLI',
  },
  ['entailment', 'contradiction', 'neutral'],
);
