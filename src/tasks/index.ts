// tasks: datasets and payloads, tasks as op graphs over a shared module pool, and the multi-task model.
export * from './collate.js';
export * from './dataset.js';
export * from './model.js';
export * from './payload.js';
export * from './predict-utils.js';
export * from './task-types.js';
export * from './task.js';
