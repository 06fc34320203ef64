import { createHash } from 'node:crypto';
import { mkdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { MmtlError, writeFileAtomic } from '../core/index.js';

/**
 * A run folder's own files (an experiment's `config.json`, `vocab.json`, `tasks.json`, `results.json`, a
 * stage's `lfs.json`, …) are listed with their size and SHA-256 in the folder's manifest
 * ({@link RUN_MANIFEST}), as checkpoints are in theirs. Every read checks the file against it, so a file
 * damaged or edited after the run wrote it is an `E_CHECKPOINT` error naming it, never silently used.
 *
 * Crash safety: a write first records the new hash as the entry's `next` (manifest written atomically),
 * then writes the file atomically, then commits the hash. A reader accepts the committed hash or `next`, so a
 * crash at any point leaves a folder that reads: the old file or the new one, each matching its entry.
 *
 * Folders without a manifest (written before manifests existed) still read, unchecked; so do files the
 * manifest does not list. Metric logs (`metrics.jsonl`, appended as training goes) and checkpoints (which
 * have their own manifests) are not listed.
 */

/**
 * The manifest's file name inside a run folder: `{format: 'mmtl-run', version: 1, files: {name: {size,
 * sha256, next?}}}`.
 *
 * @example
 * ```ts
 * existsSync(join('runs/topic', RUN_MANIFEST)); // true for runs written by this version
 * ```
 */
export const RUN_MANIFEST = '.mmtl-run.json';

interface FileHash {
  size: number;
  sha256: string;
}

/** A file's entry: its committed hash (absent until the first write completes) and one being written. */
interface RunManifestEntry extends Partial<FileHash> {
  next?: FileHash;
}

interface RunManifest {
  format: 'mmtl-run';
  version: 1;
  files: Record<string, RunManifestEntry>;
}

function hashOf(data: Uint8Array): FileHash {
  return { size: data.byteLength, sha256: createHash('sha256').update(data).digest('hex') };
}

function checkName(fn: string, name: string): void {
  if (name === '' || /[\\/]/.test(name) || name === '.' || name === '..' || name === RUN_MANIFEST) {
    throw new MmtlError(
      'E_ARG',
      `Argument 'name' passed to '${fn}' must be a file name inside the folder (no '/'), other than '${RUN_MANIFEST}'; got '${name}'`,
    );
  }
}

/** The folder's manifest, or undefined when it has none; a damaged manifest is `E_CHECKPOINT`. */
async function readManifest(dir: string): Promise<RunManifest | undefined> {
  const path = join(dir, RUN_MANIFEST);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new MmtlError('E_IO', `could not read '${path}': ${(e as Error).message}`, { cause: e });
  }
  let m: RunManifest;
  try {
    m = JSON.parse(text) as RunManifest;
  } catch (e) {
    throw damagedManifest(path, (e as Error).message);
  }
  if (
    m === null ||
    typeof m !== 'object' ||
    m.format !== 'mmtl-run' ||
    typeof m.files !== 'object' ||
    m.files === null
  ) {
    throw damagedManifest(path, 'not an mmtl run manifest');
  }
  return m;
}

function damagedManifest(path: string, why: string): MmtlError {
  return new MmtlError('E_CHECKPOINT', `the run folder's manifest '${path}' is damaged: ${why}`, {
    hint: 'restore it from a copy of the run folder, or retrain; without it the files it lists cannot be checked',
  });
}

/**
 * Writes a file of a run folder atomically and records its size and SHA-256 in the folder's manifest
 * (see {@link RUN_MANIFEST}; crash-safe at every point). The folder must exist: a run folder deleted or
 * moved while training is an `E_IO` error, not a folder made anew; `create: true` makes it first.
 *
 * @example
 * ```ts
 * await writeRunFile('runs/topic', 'results.json', JSON.stringify(results));
 * ```
 */
export async function writeRunFile(
  dir: string,
  name: string,
  data: string | Uint8Array,
  options: { create?: boolean } = {},
): Promise<void> {
  checkName('writeRunFile', name);
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  const path = join(dir, name);
  if (options.create) await mkdir(dir, { recursive: true });
  const st = await stat(dir).catch(() => undefined);
  if (!st?.isDirectory()) {
    throw new MmtlError(
      'E_IO',
      `could not write '${path}': the run folder '${dir}' no longer exists (deleted or moved while training?)`,
      { hint: 'the run was stopped and nothing was recreated; start it again with a run folder that stays' },
    );
  }
  const manifest = (await readManifest(dir)) ?? { format: 'mmtl-run', version: 1, files: {} };
  const hash = hashOf(bytes);
  const old = manifest.files[name];
  const committed = old?.sha256 === undefined ? {} : { size: old.size!, sha256: old.sha256 };
  const save = (): Promise<void> =>
    writeFileAtomic(join(dir, RUN_MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
  manifest.files[name] = { ...committed, next: hash };
  await save();
  await writeFileAtomic(path, bytes);
  manifest.files[name] = hash;
  await save();
}

/**
 * Reads a file of a run folder, checked against the folder's manifest: its bytes must match the size and
 * SHA-256 the run recorded, else `E_CHECKPOINT` names the file and how to fix it. Resolves to undefined when
 * the file does not exist and the run never finished writing it; a file the manifest lists as written but
 * that is gone is `E_CHECKPOINT`. A folder without a manifest, and files it does not list, read unchecked
 * (run folders written before manifests existed).
 *
 * @example
 * ```ts
 * const text = (await readRunFile('runs/topic', 'config.json'))?.toString('utf8');
 * ```
 */
export async function readRunFile(dir: string, name: string): Promise<Buffer | undefined> {
  checkName('readRunFile', name);
  const path = join(dir, name);
  let bytes: Buffer | undefined;
  try {
    bytes = await readFile(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT' && code !== 'ENOTDIR') {
      throw new MmtlError('E_IO', `could not read '${path}': ${(e as Error).message}`, { cause: e });
    }
  }
  const entry = (await readManifest(dir))?.files[name];
  const hint =
    `undo the change or restore '${name}' from a copy of the run folder; a run's own files are not ` +
    'edited: to train with other settings, start a new run (mmtl train <experiment> --set key=value)';
  if (bytes === undefined) {
    if (entry?.sha256 === undefined) return undefined;
    throw new MmtlError(
      'E_CHECKPOINT',
      `run folder '${dir}': '${name}' is gone, though the run wrote it (its manifest ${RUN_MANIFEST} lists it)`,
      { hint, details: { file: path } },
    );
  }
  if (entry === undefined) return bytes;
  const actual = hashOf(bytes);
  const accepted = [entry.sha256 === undefined ? undefined : entry, entry.next].filter(
    (h): h is FileHash => h !== undefined,
  );
  if (accepted.some((h) => h.size === actual.size && h.sha256 === actual.sha256)) return bytes;
  const expected = accepted[0];
  throw new MmtlError(
    'E_CHECKPOINT',
    `run folder '${dir}': '${name}' was damaged or edited after the run wrote it ` +
      `(sha256 ${actual.sha256}, ${actual.size} bytes; its manifest ${RUN_MANIFEST} has ${expected?.sha256 ?? '?'}, ${expected?.size ?? '?'} bytes)`,
    { hint, details: { file: path, sha256: actual.sha256, expected: expected?.sha256 } },
  );
}
