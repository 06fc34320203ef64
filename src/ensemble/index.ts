// ensemble: combine models (or precomputed outputs) row by row — mean, weighted, vote — and train re-split / k-fold members.
export * from './combiners.js';
export * from './ensemble.js';
export * from './evaluate.js';
export * from './load-ensemble.js';
export * from './member-outputs.js';
export * from './splits.js';
export * from './subset-dataset.js';
export * from './train-resplits.js';
export * from './weights.js';
