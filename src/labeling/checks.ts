// Internal argument checks and helpers of the appliers (not part of the public surface).
import { stat } from 'node:fs/promises';
import { MmtlError, assert } from '../core/index.js';
import { MAX_CARDINALITY } from './label-matrix.js';

/** `Array.isArray` without narrowing to `any[]`. */
export function isList(x: unknown): x is readonly unknown[] {
  return Array.isArray(x);
}

/** Checks the cardinality option of an applier and returns it (default 2). */
export function checkCardinality(cardinality: number | undefined, fn: string): number {
  const k = cardinality ?? 2;
  assert(
    Number.isInteger(k) && k >= 1 && k <= MAX_CARDINALITY,
    'E_ARG',
    () => `Argument 'cardinality' passed to '${fn}' must be an integer in 1..${MAX_CARDINALITY}, got ${k}`,
  );
  return k;
}

/** The id of a row from its `idField`, as a string. */
export function rowIdOf(x: unknown, idField: string, where: string): string {
  const v = typeof x === 'object' && x !== null ? (x as Record<string, unknown>)[idField] : undefined;
  if (v === undefined || v === null) {
    throw new MmtlError('E_DATA', `${where} has no id field '${idField}'`);
  }
  return typeof v === 'string' ? v : JSON.stringify(v);
}

/** Size of a file in bytes (E_IO when missing). */
export async function fileSize(path: string): Promise<number> {
  try {
    return (await stat(path)).size;
  } catch (e) {
    throw new MmtlError('E_IO', `could not read '${path}': ${(e as Error).message}`, { cause: e });
  }
}
