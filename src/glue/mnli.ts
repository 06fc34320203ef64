import { classificationTask, glueSplits } from './task-base.js';

/**
 * MNLI (Multi-Genre NLI): does the premise entail, contradict or stay neutral on the hypothesis? Files
 * `train`, `dev_matched`, `dev_mismatched`, `test_matched`, `test_mismatched` with `sentence1`,
 * `sentence2` and `gold_label` found by name (train has 12 columns, dev 16, test 10). Class ids follow
 * MeTaL: entailment 0, contradiction 1, neutral 2. `valid` is dev_matched; the GLUE score averages matched
 * and, when present under dataset `MNLI-mm`, mismatched accuracy. Not shipped in the repo (too large).
 *
 * @example
 * ```ts
 * mnli.validSplit; // 'dev_matched'
 * mnli.submissions; // [{ file: 'MNLI-m.tsv', split: 'test_matched' }, { file: 'MNLI-mm.tsv', split: 'test_mismatched' }]
 * ```
 */
export const mnli = classificationTask(
  {
    name: 'MNLI',
    splits: glueSplits({
      dir: 'MNLI',
      textA: 'sentence1',
      textB: 'sentence2',
      label: 'gold_label',
      trainIndex: 'index',
      rows: {
        train: 392702,
        dev_matched: 9815,
        dev_mismatched: 9832,
        test_matched: 9796,
        test_mismatched: 9847,
      },
    }),
    validSplit: 'dev_matched',
    scoreDatasets: ['MNLI', 'MNLI-mm'],
    submissions: [
      { file: 'MNLI-m.tsv', split: 'test_matched' },
      { file: 'MNLI-mm.tsv', split: 'test_mismatched' },
    ],
  },
  ['entailment', 'contradiction', 'neutral'],
);
