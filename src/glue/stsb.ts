import { glueSplits, regressionTask } from './task-base.js';

/**
 * STS-B (Semantic Textual Similarity Benchmark): how similar are two sentences, from 0 to 5? Ten columns
 * `index … sentence1\tsentence2\tscore` (test: nine, no score). A regression head (one output, MSE) on the
 * raw 0–5 scale; GLUE scores the mean of Pearson and Spearman; submissions clip to [0, 5].
 *
 * @example
 * ```ts
 * stsb.head; // { kind: 'regression', min: 0, max: 5 }
 * stsb.scoreMetrics; // ['pearson', 'spearman']
 * ```
 */
export const stsb = regressionTask(
  {
    name: 'STS-B',
    splits: glueSplits({
      dir: 'STS-B',
      textA: 'sentence1',
      textB: 'sentence2',
      label: 'score',
      trainIndex: 'index',
      rows: { train: 5749, dev: 1500, test: 1379 },
    }),
    scoreMetrics: ['pearson', 'spearman'],
  },
  0,
  5,
);
