import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { MmtlError } from './errors.js';

function tempPath(path: string): string {
  return join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
}

/**
 * Writes a file atomically: the data goes to a temporary file in the same folder, which is then renamed
 * over `path`. A crash or error leaves either the old file or the new one, never a half-written file.
 * Creates the parent folder when missing.
 *
 * @example
 * ```ts
 * await writeFileAtomic('runs/a/model.json', JSON.stringify(config));
 * ```
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const tmp = tempPath(path);
  try {
    await mkdir(dirname(path), { recursive: true });
    await writeFile(tmp, data);
    await rename(tmp, path);
  } catch (e) {
    await rm(tmp, { force: true });
    throw new MmtlError('E_IO', `could not write '${path}': ${(e as Error).message}`, { cause: e });
  }
}

/** Synchronous {@link writeFileAtomic}. */
export function writeFileAtomicSync(path: string, data: string | Uint8Array): void {
  const tmp = tempPath(path);
  try {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(tmp, data);
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw new MmtlError('E_IO', `could not write '${path}': ${(e as Error).message}`, { cause: e });
  }
}

/**
 * Whether something exists at `path` (any error reading it counts as no).
 *
 * @example
 * ```ts
 * if (await pathExists('runs/a/metrics.jsonl')) { … }
 * ```
 */
export async function pathExists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}
