import { existsSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';

/**
 * Environment variable naming a folder laid out like a clone's `data/` (`glue/`, `glove-6b-100d-top30k/`, …).
 * The npm package ships no data sets; an installed mmtl finds them there.
 */
export const DATA_DIR_ENV = 'MMTL_DATA_DIR';

/**
 * Where a data folder or file is. `path` itself when it exists; otherwise, for a relative path under `data/`
 * (the defaults of experiment files and commands, which hold in a clone of mmtl), the same entry under
 * `$MMTL_DATA_DIR` when that variable is set and the entry exists there. Otherwise `path` unchanged, so the
 * caller's error names what the user asked for.
 *
 * @example
 * ```ts
 * // in a project without data/, with MMTL_DATA_DIR=/srv/mmtl-data
 * resolveDataPath('data/glue'); // '/srv/mmtl-data/glue'
 * resolveDataPath('my/glue');   // 'my/glue' (only data/… paths are looked up)
 * ```
 */
export function resolveDataPath(path: string): string {
  if (existsSync(path) || isAbsolute(path)) return path;
  const under = relative('data', path);
  const root = process.env[DATA_DIR_ENV];
  if (under === '' || under.startsWith('..') || isAbsolute(under) || !root) return path;
  const candidate = join(root, under);
  return existsSync(candidate) ? candidate : path;
}

/**
 * The sentence that tells where a missing data folder was looked for and how to point to one, for error hints.
 *
 * @example
 * ```ts
 * missingDataHint('data/glue', "the experiment's 'glueDir' or --glue-dir");
 * // "looked in '/home/me/proj/data/glue' (relative to the working directory) …; point to it with …"
 * ```
 */
export function missingDataHint(path: string, pointWith: string): string {
  const root = process.env[DATA_DIR_ENV];
  const under = relative('data', path);
  const viaEnv = !isAbsolute(path) && under !== '' && !under.startsWith('..');
  const looked = isAbsolute(path) ? `'${path}'` : `'${resolve(path)}' (relative to the working directory)`;
  const env = !viaEnv
    ? ''
    : root
      ? ` and in '${join(root, under)}' (${DATA_DIR_ENV})`
      : `; set ${DATA_DIR_ENV} to a folder laid out like mmtl's data/ (a clone of mmtl has one) to look there too`;
  return `looked in ${looked}${env}; point to it with ${pointWith}`;
}
