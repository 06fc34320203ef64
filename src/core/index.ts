// core: errors with codes, assertions, registries, the seeded RNG and the label conventions.
export * from './errors.js';
export * from './fs.js';
export * from './registry.js';
export * from './rng.js';
export * from './types.js';
export * from './records.js';
export * from './data-path.js';
export * from './alias.js';
