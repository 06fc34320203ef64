// labeling: labeling functions, preprocessors, appliers (in memory, streaming, worker threads), label matrices and LF analysis.
export * from './label-matrix.js';
export * from './label-matrix-io.js';
export * from './preprocessor.js';
export * from './labeling-function.js';
export * from './builders.js';
export * from './apply.js';
export * from './parallel.js';
export * from './lf-module.js';
export * from './analysis.js';
export * from './pool.js';
