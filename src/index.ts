// mmtl: Massive Multi-Task Learning for TypeScript. The public barrel: re-exports each layer's index.
export * from './core/index.js';
export * from './tensor/index.js';
export * from './metrics/index.js';
export * from './labeling/index.js';
export * from './labelmodel/index.js';
export * from './nn/index.js';
export * from './data/index.js';
export * from './tasks/index.js';
export * from './training/index.js';
export * from './slicing/index.js';
export * from './glue/index.js';
export * from './ensemble/index.js';
export * from './report/index.js';
export * from './experiment/index.js';
