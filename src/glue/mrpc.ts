import { classificationTask, glueSplits } from './task-base.js';

/**
 * MRPC (Microsoft Research Paraphrase Corpus): are two news sentences paraphrases? Columns
 * `Quality\t#1 ID\t#2 ID\t#1 String\t#2 String` (test: `index` instead of `Quality`; the files start with a
 * UTF-8 byte-order mark). Labels `'0'`/`'1'` (1 = paraphrase, F1's positive class); GLUE scores the mean
 * of accuracy and F1.
 *
 * @example
 * ```ts
 * mrpc.scoreMetrics; // ['accuracy', 'f1']
 * mrpc.primaryMetric; // 'acc_f1'
 * ```
 */
export const mrpc = classificationTask(
  {
    name: 'MRPC',
    splits: glueSplits({
      dir: 'MRPC',
      textA: '#1 String',
      textB: '#2 String',
      label: 'Quality',
      rows: { train: 3668, dev: 408, test: 1725 },
    }),
    metrics: ['acc_f1', 'f1', 'accuracy'],
    scoreMetrics: ['accuracy', 'f1'],
  },
  ['0', '1'],
);
