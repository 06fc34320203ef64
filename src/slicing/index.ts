// slicing: slicing functions and membership matrices, MeTaL slice heads, slice-based learning (slice-aware tasks with an attention combiner) and per-slice scoring.
export * from './slicing-function.js';
export * from './heuristics.js';
export * from './slice-labels.js';
export * from './task-head.js';
export * from './slice-heads.js';
export * from './slice-combiner.js';
export * from './slice-aware.js';
export * from './score-slices.js';
