import { classificationTask, glueSplits } from './task-base.js';

/**
 * SST-2 (Stanford Sentiment Treebank, binary): is a movie-review phrase positive? `sentence\tlabel`
 * (test: `index\tsentence`); labels `'0'`/`'1'` (1 = positive); accuracy.
 *
 * @example
 * ```ts
 * sst2.splits.dev; // { path: 'SST-2/dev.tsv', header: true, textA: 'sentence', label: 'label', rows: 872 }
 * sst2.parseLabel('1'); // 1
 * ```
 */
export const sst2 = classificationTask(
  {
    name: 'SST-2',
    splits: glueSplits({
      dir: 'SST-2',
      textA: 'sentence',
      label: 'label',
      rows: { train: 67349, dev: 872, test: 1821 },
    }),
  },
  ['0', '1'],
);
