// mmtl: Massive Multi-Task Learning for TypeScript. The public barrel: re-exports each layer's index.
export * from './core/index.js';
