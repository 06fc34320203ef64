import { existsSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { MmtlError } from '../core/index.js';
import { isLabelingFunction, type LabelingFunction } from './labeling-function.js';

/** What {@link loadLFModule} found in a module. */
export interface LFModule {
  /** The LFs, in column order. */
  lfs: LabelingFunction<unknown, object>[];
  /** The module's `cardinality` export, when it has one. */
  cardinality?: number | undefined;
  /** Absolute path of the module. */
  path: string;
}

/**
 * Picks the LFs out of a module's exports, in this order of preference:
 * 1. `export const lfs = [...]` (an array of LFs, in column order);
 * 2. `export default [...]` (an array of LFs), or a default export that is one LF;
 * 3. every named export that is an LF, sorted by export name (module namespaces sort their keys).
 * An optional `export const cardinality = k` is returned too.
 *
 * @example
 * ```ts
 * lfsFromExports({ lfs: [kwMy, kwSong], cardinality: 2 }, 'my-lfs.ts'); // { lfs: [kwMy, kwSong], cardinality: 2 }
 * ```
 */
export function lfsFromExports(
  exports: Record<string, unknown>,
  path: string,
): { lfs: LabelingFunction<unknown, object>[]; cardinality?: number } {
  const arrayOfLFs = (v: unknown): v is LabelingFunction<unknown, object>[] =>
    Array.isArray(v) && v.length > 0 && v.every(isLabelingFunction);
  let lfs: LabelingFunction<unknown, object>[] | undefined;
  if (exports.lfs !== undefined) {
    if (!arrayOfLFs(exports.lfs)) {
      throw new MmtlError('E_LF', `module '${path}' exports 'lfs' but it is not a non-empty array of LFs`);
    }
    lfs = exports.lfs;
  } else if (arrayOfLFs(exports.default)) lfs = exports.default;
  else if (isLabelingFunction(exports.default)) lfs = [exports.default];
  else {
    const named = Object.keys(exports)
      .sort()
      .map((k) => exports[k])
      .filter(isLabelingFunction);
    if (named.length > 0) lfs = named;
  }
  if (lfs === undefined) {
    throw new MmtlError('E_LF', `module '${path}' exports no labeling functions`, {
      hint: "export them as 'export const lfs = [...]' or as a default array",
    });
  }
  const k = exports.cardinality;
  if (k !== undefined && (typeof k !== 'number' || !Number.isInteger(k) || k < 1)) {
    throw new MmtlError(
      'E_LF',
      `module '${path}' exports 'cardinality' = ${JSON.stringify(k)}; expected an integer ≥ 1`,
    );
  }
  return k === undefined ? { lfs } : { lfs, cardinality: k };
}

/**
 * Imports a module of labeling functions (see {@link lfsFromExports} for what it may export). A `.ts` module
 * loads when the process runs TypeScript (under `tsx` or vitest); plain Node needs `.js`/`.mjs`.
 *
 * @example
 * ```ts
 * const { lfs, cardinality } = await loadLFModule('lfs/youtube.ts');
 * lfs.map((lf) => lf.name); // ['keyword_my', 'keyword_subscribe', ...]
 * ```
 */
export async function loadLFModule(path: string): Promise<LFModule> {
  const abs = isAbsolute(path) ? path : resolve(path);
  if (!existsSync(abs)) {
    throw new MmtlError('E_IO', `Argument 'path' passed to 'loadLFModule': no such file '${path}'`);
  }
  let exports: Record<string, unknown>;
  try {
    exports = (await import(pathToFileURL(abs).href)) as Record<string, unknown>;
  } catch (e) {
    throw new MmtlError('E_LF', `could not import LF module '${path}': ${(e as Error).message}`, {
      cause: e,
      hint: /\.[mc]?ts$/.test(abs)
        ? 'run under tsx (node --import tsx) to load TypeScript LF modules'
        : undefined,
    });
  }
  return { ...lfsFromExports(exports, path), path: abs };
}
