import { classificationTask } from './task-base.js';

/**
 * CoLA (Corpus of Linguistic Acceptability): is a sentence grammatical? Train/dev files have no header and
 * four columns (source, label, original label, sentence); the test file has `index\tsentence`. Labels
 * `'0'`/`'1'` (1 = acceptable); scored by Matthews correlation.
 *
 * @example
 * ```ts
 * cola.splits.train; // { path: 'CoLA/train.tsv', header: false, columns: 4, textA: 3, label: 1, rows: 8551 }
 * cola.primaryMetric; // 'matthews_corrcoef'
 * ```
 */
export const cola = classificationTask(
  {
    name: 'CoLA',
    splits: {
      train: { path: 'CoLA/train.tsv', header: false, columns: 4, textA: 3, label: 1, rows: 8551 },
      dev: { path: 'CoLA/dev.tsv', header: false, columns: 4, textA: 3, label: 1, rows: 1043 },
      test: { path: 'CoLA/test.tsv', header: true, index: 'index', textA: 'sentence', rows: 1063 },
    },
    metrics: ['matthews_corrcoef', 'accuracy'],
  },
  ['0', '1'],
);
