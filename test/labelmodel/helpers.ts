import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LabelMatrixLike } from '../../src/labelmodel/index.js';

/** test/fixtures/snorkel-labelmodel */
export const SNORKEL_FIXTURES = join(
  dirname(fileURLToPath(import.meta.url)),
  '..',
  'fixtures',
  'snorkel-labelmodel',
);

export interface SnorkelReference {
  n: number;
  m: number;
  k: number;
  mu: number[][];
  class_balance: { label_model_prior_p: number[]; true_empirical: number[] };
  metrics_tie_random: { accuracy_all_rows: number };
  train_config: { init_scale_np_random_random: number };
}

export function loadReference(ds: string, file: string): SnorkelReference {
  return JSON.parse(readFileSync(join(SNORKEL_FIXTURES, ds, file), 'utf8')) as SnorkelReference;
}

export function loadInt8(ds: string, file: string): Int8Array {
  const buf = readFileSync(join(SNORKEL_FIXTURES, ds, file));
  return new Int8Array(buf.buffer, buf.byteOffset, buf.length);
}

export function loadMatrix(ds: string, n: number, m: number): LabelMatrixLike {
  return { n, m, data: loadInt8(ds, 'L.i8.bin') };
}

export function loadF32(ds: string, file: string): Float32Array {
  const buf = readFileSync(join(SNORKEL_FIXTURES, ds, file));
  return new Float32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.length));
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i]! - b[i]!));
  return d;
}
