import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
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

const TS_RE = /\.[mc]?ts$/;

/** True when this file runs as TypeScript source: the process already loads `.ts` (tsx, vitest). */
const RUNS_AS_TS = TS_RE.test(fileURLToPath(import.meta.url));

/**
 * How Node treats the module at `abs`: `.mts`/`.mjs` are ES modules, `.cts`/`.cjs` CommonJS, and `.ts`/`.js`
 * follow the `type` of the nearest package.json (CommonJS when there is none or it says nothing).
 */
function moduleFormat(abs: string): 'module' | 'commonjs' {
  if (/\.m[jt]s$/.test(abs)) return 'module';
  if (/\.c[jt]s$/.test(abs)) return 'commonjs';
  for (let dir = dirname(abs); ; dir = dirname(dir)) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg)) {
      try {
        return (JSON.parse(readFileSync(pkg, 'utf8')) as { type?: unknown }).type === 'module'
          ? 'module'
          : 'commonjs';
      } catch {
        return 'commonjs';
      }
    }
    if (dirname(dir) === dir) return 'commonjs';
  }
}

let tsxRegistered = false;

/**
 * Imports a TypeScript module from the compiled library with tsx (a dependency of mmtl). An ES-module LF file
 * is imported after registering tsx's loader once for the process, so its `import … from 'mmtl'` gets this very
 * copy of mmtl; a CommonJS-scoped one (`.cts`, or `.ts` without `"type": "module"`) goes through `tsImport`,
 * which loads its own copy of what it imports (Node cannot `require` an ES module graph through loader hooks).
 */
async function importTypeScript(abs: string): Promise<Record<string, unknown>> {
  const tsx = await import('tsx/esm/api');
  const url = pathToFileURL(abs).href;
  if (moduleFormat(abs) === 'commonjs')
    return (await tsx.tsImport(url, import.meta.url)) as Record<string, unknown>;
  if (!tsxRegistered) {
    tsx.register();
    tsxRegistered = true;
  }
  return (await import(url)) as Record<string, unknown>;
}

/** A hint for a module that failed to import, when the failure has a usual cause. */
function importHint(abs: string, e: unknown): string | undefined {
  const msg = e instanceof Error ? e.message : String(e);
  if (/Cannot find (package|module) 'mmtl'/.test(msg)) {
    return (
      `the module imports 'mmtl', which does not resolve from ${dirname(abs)}: install mmtl in that project ` +
      '(npm install mmtl, or npm install ./mmtl-<version>.tgz)'
    );
  }
  return undefined;
}

/**
 * Imports a module of labeling functions (see {@link lfsFromExports} for what it may export): `.js`/`.mjs`/
 * `.cjs`, or TypeScript (`.ts`/`.mts`/`.cts`), which loads through tsx (a dependency of mmtl) when the process
 * does not run TypeScript itself. The module may `import … from 'mmtl'` when mmtl is installed in its project.
 * Loading an ES-module TypeScript file registers tsx's loader for the rest of the process.
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
    exports =
      TS_RE.test(abs) && !RUNS_AS_TS
        ? await importTypeScript(abs)
        : ((await import(pathToFileURL(abs).href)) as Record<string, unknown>);
  } catch (e) {
    throw new MmtlError('E_LF', `could not import LF module '${path}': ${(e as Error).message}`, {
      cause: e,
      hint: importHint(abs, e),
    });
  }
  return { ...lfsFromExports(exports, path), path: abs };
}
