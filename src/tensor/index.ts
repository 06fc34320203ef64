// tensor: the TypeScript face of the libtorch binding — Tensor handles, ops, scopes, autograd, optimizers, I/O.
export * from './autograd.js';
export * from './creation.js';
export * from './dtype.js';
export * from './functional.js';
export { DEFAULT_THREADS, engineError, native } from './native.js';
export * from './optim.js';
export * from './random.js';
export * from './safetensors.js';
export * from './scope.js';
export * from './tensor.js';
export * from './threads.js';
