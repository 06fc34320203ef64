// metrics: pure metric functions over typed arrays, the `metrics` name registry, Scorer and aggregation.
export * from './accuracy.js';
export * from './acc-f1.js';
export * from './aggregate.js';
export * from './coverage.js';
export * from './errors.js';
export * from './f1.js';
export { fbeta, type FbetaOptions } from './fbeta.js';
export * from './matthews.js';
export * from './pearson.js';
export * from './pearson-spearman.js';
export * from './precision.js';
export * from './recall.js';
export * from './registry.js';
export * from './roc-auc.js';
export * from './scorer.js';
export * from './spearman.js';
export * from './types.js';
