import { Registry, assert } from '../core/index.js';
import { accF1 } from './acc-f1.js';
import { accuracy } from './accuracy.js';
import { coverage } from './coverage.js';
import { mae, mse } from './errors.js';
import { f1 } from './f1.js';
import { fbeta } from './fbeta.js';
import { matthewsCorrcoef } from './matthews.js';
import { pearsonSpearman } from './pearson-spearman.js';
import { pearson } from './pearson.js';
import { precision } from './precision.js';
import { recall } from './recall.js';
import { rocAuc } from './roc-auc.js';
import { spearman } from './spearman.js';
import type { MetricFn, MetricKind } from './types.js';

function kinded(kind: MetricKind, fn: MetricFn): MetricFn {
  return Object.assign(fn, { kind });
}

const cls = (fn: MetricFn): MetricFn => kinded('classification', fn);
const reg = (fn: MetricFn): MetricFn => kinded('regression', fn);

/**
 * The standard metrics by name, as used in metric keys (`task/dataset/split/<metric>`) and in
 * `Scorer({ metrics })`. Every entry has the `(golds, preds, probs?) → number` signature and a `kind`:
 *
 * | name | what |
 * |---|---|
 * | accuracy | fraction correct |
 * | coverage | fraction of predictions that are not abstain (-1) |
 * | precision, recall, f1, fbeta | binary, positive class 1 (`fbeta` uses β = 1; register your own β) |
 * | precision_macro, recall_macro, f1_macro | macro averages over classes |
 * | precision_micro, recall_micro, f1_micro | micro averages over classes |
 * | matthews_corrcoef | multiclass MCC (CoLA) |
 * | roc_auc | binary ROC AUC from `probs` (n scores or n×k matrix) |
 * | acc_f1 | mean of accuracy and F1 (MRPC, QQP) |
 * | pearson, spearman, pearson_spearman | correlations for regression (STS-B) |
 * | mse, mae | mean squared / absolute error for regression (lower is better) |
 *
 * @example
 * ```ts
 * metrics.get('f1_macro')([0, 1, 2, 2], [0, 2, 2, 2]); // 0.6
 * metrics.names(); // ['accuracy', 'coverage', 'precision', …]
 * metrics.register('f2', (g, p) => fbeta(g, p, { beta: 2 })); // add your own
 * ```
 */
export const metrics = new Registry<MetricFn>('metric')
  .register('accuracy', cls(accuracy))
  .register(
    'coverage',
    cls((g, p) => coverage(g, p)),
  )
  .register(
    'precision',
    cls((g, p) => precision(g, p)),
  )
  .register(
    'recall',
    cls((g, p) => recall(g, p)),
  )
  .register(
    'f1',
    cls((g, p) => f1(g, p)),
  )
  .register(
    'fbeta',
    cls((g, p) => fbeta(g, p)),
  )
  .register(
    'precision_macro',
    cls((g, p) => precision(g, p, { average: 'macro' })),
  )
  .register(
    'recall_macro',
    cls((g, p) => recall(g, p, { average: 'macro' })),
  )
  .register(
    'f1_macro',
    cls((g, p) => f1(g, p, { average: 'macro' })),
  )
  .register(
    'precision_micro',
    cls((g, p) => precision(g, p, { average: 'micro' })),
  )
  .register(
    'recall_micro',
    cls((g, p) => recall(g, p, { average: 'micro' })),
  )
  .register(
    'f1_micro',
    cls((g, p) => f1(g, p, { average: 'micro' })),
  )
  .register('matthews_corrcoef', cls(matthewsCorrcoef))
  .register(
    'roc_auc',
    cls((g, _p, probs) => {
      assert(probs !== undefined, 'E_ARG', () => "metric 'roc_auc' needs 'probs' (scores or an n×k matrix)");
      return rocAuc(g, probs);
    }),
  )
  .register('acc_f1', cls(accF1))
  .register('pearson', reg(pearson))
  .register('spearman', reg(spearman))
  .register('pearson_spearman', reg(pearsonSpearman))
  .register('mse', reg(mse))
  .register('mae', reg(mae));
