import { createHash, randomBytes } from 'node:crypto';
import { mkdir, open, readFile, readdir, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join, posix } from 'node:path';
import { MmtlError, isMmtlError, pathExists } from '../core/index.js';

/**
 * Checkpoint directories written atomically. A checkpoint is a folder of named files (model weights,
 * optimizer state, trainer state, …) plus a manifest. Writing goes to a temporary sibling folder that is
 * swapped in by renames, so a reader sees either the previous checkpoint or the new one, complete.
 *
 * The swap, for target `dir` in `parent`:
 * 1. write every file into `parent/.<name>.tmp-<hex>`, the manifest last (fsynced when `fsync` is on);
 * 2. rename `dir` → `parent/.<name>.old-<hex>` (Linux cannot rename a folder over a non-empty one);
 * 3. rename the temporary folder → `dir`;
 * 4. remove the `.old-` folder.
 *
 * Crash windows: during 1, `dir` is untouched and a `.tmp-` folder is left; between 2 and 3, `dir` is missing
 * and the previous checkpoint sits in `.old-`; between 3 and 4, the new `dir` is complete and a stale `.old-`
 * is left. {@link recoverCheckpoint} (run by every read, list and write) rolls the second case back to the
 * previous checkpoint and deletes leftovers in the others. One writer per run directory is assumed.
 *
 * Integrity: the manifest stores each file's size and SHA-256. Reads check sizes at once and every file's
 * hash when its bytes are read ({@link CheckpointFile.bytes}, {@link verifyCheckpoint}), so a file changed
 * on disk — even without changing size — is an `E_CHECKPOINT` error, never silently loaded. Writes never
 * create the run folder that holds the checkpoints folder: a run folder deleted or moved while training is
 * an `E_IO` error instead of a half-empty folder made anew.
 */

/** The content of one file: bytes, text (UTF-8), or chunks (sync or async) streamed to disk. */
export type CheckpointFileData = Uint8Array | string | Iterable<Uint8Array> | AsyncIterable<Uint8Array>;

/**
 * What a checkpoint holds.
 *
 * @example
 * ```ts
 * const content: CheckpointContent = { files: { 'trainer.json': '{"step":3}' }, meta: { step: 3 } };
 * ```
 */
export interface CheckpointContent {
  /** Files by relative POSIX path (`model.safetensors`, `state/optimizer.bin`, …). */
  files: Readonly<Record<string, CheckpointFileData>>;
  /** Small JSON metadata stored in the manifest (step, metric value, …), returned by reads and lists. */
  meta?: Readonly<Record<string, unknown>>;
}

/** Options of {@link writeCheckpoint}. */
export interface WriteCheckpointOptions {
  /** fsync every file and the folders, so a power loss cannot leave a renamed but empty file (default true). */
  fsync?: boolean;
}

/** One file of a read checkpoint; contents are read on demand. */
export interface CheckpointFile {
  /** Absolute path on disk. */
  path: string;
  /** Size in bytes, as recorded in the manifest. */
  size: number;
  /** SHA-256 (hex) recorded in the manifest (undefined for checkpoints written before checksums). */
  sha256: string | undefined;
  /** The bytes, checked against the manifest's size and SHA-256 (`E_CHECKPOINT` when they differ). */
  bytes(): Promise<Uint8Array>;
  /** The bytes as UTF-8 text (checked as {@link CheckpointFile.bytes}). */
  text(): Promise<string>;
}

/** A checkpoint read from disk. */
export interface Checkpoint {
  /** Its folder. */
  dir: string;
  /** The metadata given when it was written. */
  meta: Record<string, unknown>;
  /** Its files by relative name. */
  files: Record<string, CheckpointFile>;
}

/**
 * The manifest's file name inside a checkpoint folder (reserved; written last, so its presence marks a
 * complete checkpoint). It holds `{format: 'mmtl-checkpoint', version: 2, files: {name: {size, sha256}},
 * meta}` (version 1, still read, stored sizes only).
 *
 * @example
 * ```ts
 * existsSync(join(dir, CHECKPOINT_MANIFEST)); // true for a complete checkpoint
 * ```
 */
export const CHECKPOINT_MANIFEST = '.mmtl-checkpoint.json';

interface ManifestEntry {
  size: number;
  sha256: string;
}

interface Manifest {
  format: 'mmtl-checkpoint';
  version: 1 | 2;
  files: Record<string, number | ManifestEntry>;
  meta: Record<string, unknown>;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function leftoverPattern(name: string): RegExp {
  return new RegExp(`^\\.${escapeRegExp(name)}\\.(old|tmp)-[0-9a-f]{12}$`);
}

function checkName(name: string, dir: string): string {
  const parts = name.split('/');
  const ok =
    name.length > 0 &&
    !name.startsWith('/') &&
    !name.includes('\\') &&
    parts.every((p) => p !== '' && p !== '.' && p !== '..') &&
    name !== CHECKPOINT_MANIFEST;
  if (!ok) {
    throw new MmtlError(
      'E_ARG',
      `Argument 'content.files' passed to 'writeCheckpoint' for '${dir}' has a bad file name '${name}'; ` +
        `expected a relative POSIX path without '.', '..' or empty parts, other than '${CHECKPOINT_MANIFEST}'`,
    );
  }
  return posix.normalize(name);
}

async function syncPath(path: string): Promise<void> {
  try {
    const h = await open(path, 'r');
    try {
      await h.sync();
    } finally {
      await h.close();
    }
  } catch {
    // Folders cannot be fsynced on every platform; the data files themselves were synced.
  }
}

async function writeOne(path: string, data: CheckpointFileData, fsync: boolean): Promise<ManifestEntry> {
  await mkdir(dirname(path), { recursive: true });
  const h = await open(path, 'wx');
  let size = 0;
  const hash = createHash('sha256');
  try {
    const put = async (chunk: Uint8Array): Promise<void> => {
      await h.write(chunk);
      hash.update(chunk);
      size += chunk.byteLength;
    };
    if (typeof data === 'string') await put(Buffer.from(data, 'utf8'));
    else if (data instanceof Uint8Array) await put(data);
    else if (Symbol.asyncIterator in data) for await (const c of data) await put(c);
    else for (const c of data) await put(c);
    if (fsync) await h.sync();
  } finally {
    await h.close();
  }
  return { size, sha256: hash.digest('hex') };
}

/**
 * Creates the folder that holds the checkpoint folders (e.g. `runs/a/checkpoints`) when missing, but never
 * the folder above it: when that one is gone too, the run folder was deleted or moved while training.
 */
async function ensureParent(parent: string, dir: string): Promise<void> {
  try {
    await mkdir(parent);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return;
    if (code === 'ENOENT') {
      throw new MmtlError(
        'E_IO',
        `could not write checkpoint '${dir}': its run folder '${dirname(parent)}' no longer exists (deleted or moved while training?)`,
        {
          hint: 'the run was stopped and nothing was recreated; start it again with a run folder that stays',
        },
      );
    }
    throw new MmtlError('E_IO', `could not write checkpoint '${dir}': ${(e as Error).message}`, { cause: e });
  }
}

/**
 * Writes a checkpoint folder atomically, replacing any previous one at `dir` (see the module comment for
 * the protocol and its crash windows). On any error the temporary folder is removed, the previous
 * checkpoint is left intact, and an `E_IO` error is thrown.
 *
 * @example
 * ```ts
 * await writeCheckpoint('runs/a/checkpoints/best', {
 *   files: { 'trainer.json': JSON.stringify({ step: 120 }), 'model.safetensors': bytes },
 *   meta: { step: 120, value: 0.71 },
 * });
 * ```
 */
export async function writeCheckpoint(
  dir: string,
  content: CheckpointContent,
  options: WriteCheckpointOptions = {},
): Promise<void> {
  const fsync = options.fsync ?? true;
  const parent = dirname(dir);
  const name = basename(dir);
  const names = Object.keys(content.files).map((n) => [n, checkName(n, dir)] as const);
  await recoverCheckpoint(dir);
  await ensureParent(parent, dir);
  const hex = (): string => randomBytes(6).toString('hex');
  const tmp = join(parent, `.${name}.tmp-${hex()}`);
  try {
    await mkdir(tmp);
    const entries: Record<string, ManifestEntry> = {};
    for (const [key, rel] of names) entries[rel] = await writeOne(join(tmp, rel), content.files[key]!, fsync);
    const manifest: Manifest = {
      format: 'mmtl-checkpoint',
      version: 2,
      files: entries,
      meta: { ...(content.meta ?? {}) },
    };
    await writeOne(join(tmp, CHECKPOINT_MANIFEST), JSON.stringify(manifest, null, 2), fsync);
    if (fsync) await syncPath(tmp);
  } catch (e) {
    await rm(tmp, { recursive: true, force: true });
    throw new MmtlError('E_IO', `could not write checkpoint '${dir}': ${(e as Error).message}`, { cause: e });
  }
  let old: string | undefined;
  try {
    if (await pathExists(dir)) {
      old = join(parent, `.${name}.old-${hex()}`);
      await rename(dir, old);
    }
    await rename(tmp, dir);
    if (fsync) await syncPath(parent);
  } catch (e) {
    await recoverCheckpoint(dir);
    throw new MmtlError('E_IO', `could not swap in checkpoint '${dir}': ${(e as Error).message}`, {
      cause: e,
    });
  }
  if (old !== undefined) await rm(old, { recursive: true, force: true });
}

/**
 * Repairs what an interrupted {@link writeCheckpoint} left next to `dir`: when `dir` is missing but a
 * previous checkpoint waits in `.<name>.old-*`, it is renamed back; leftover `.tmp-` and `.old-` folders are
 * removed. Returns what it found.
 *
 * @example
 * ```ts
 * await recoverCheckpoint('runs/a/checkpoints/last'); // 'clean' | 'rolled-back' | 'cleaned-up'
 * ```
 */
export async function recoverCheckpoint(dir: string): Promise<'clean' | 'rolled-back' | 'cleaned-up'> {
  const parent = dirname(dir);
  const pattern = leftoverPattern(basename(dir));
  let entries: string[];
  try {
    entries = (await readdir(parent)).filter((e) => pattern.test(e)).sort();
  } catch {
    return 'clean';
  }
  if (entries.length === 0) return 'clean';
  let result: 'rolled-back' | 'cleaned-up' = 'cleaned-up';
  if (!(await pathExists(dir))) {
    for (const e of entries) {
      if (e.includes('.old-') && (await pathExists(join(parent, e, CHECKPOINT_MANIFEST)))) {
        await rename(join(parent, e), dir);
        result = 'rolled-back';
        break;
      }
    }
  }
  for (const e of entries) await rm(join(parent, e), { recursive: true, force: true });
  return result;
}

/**
 * Whether a complete checkpoint exists at `dir`, after {@link recoverCheckpoint} (so a checkpoint left in
 * `.<name>.old-*` by a crash mid-swap counts). Use it instead of `existsSync(dir)` before resuming.
 *
 * @example
 * ```ts
 * if (await checkpointExists('runs/a/checkpoints/last')) await readCheckpoint('runs/a/checkpoints/last');
 * ```
 */
export async function checkpointExists(dir: string): Promise<boolean> {
  await recoverCheckpoint(dir);
  return pathExists(join(dir, CHECKPOINT_MANIFEST));
}

/**
 * Reads a checkpoint's manifest (after {@link recoverCheckpoint}) and checks every file's size; file
 * contents are read on demand and checked against their SHA-256 then. Throws `E_CHECKPOINT` when `dir` is
 * not a complete checkpoint or a file differs from the manifest.
 *
 * @example
 * ```ts
 * const ck = await readCheckpoint('runs/a/checkpoints/best');
 * ck.meta.step; // 120
 * JSON.parse(await ck.files['trainer.json']!.text()); // { step: 120 }
 * ```
 */
export async function readCheckpoint(dir: string): Promise<Checkpoint> {
  await recoverCheckpoint(dir);
  let manifest: Manifest;
  try {
    manifest = JSON.parse(await readFile(join(dir, CHECKPOINT_MANIFEST), 'utf8')) as Manifest;
  } catch (e) {
    throw new MmtlError('E_CHECKPOINT', `'${dir}' is not a readable checkpoint: ${(e as Error).message}`, {
      cause: e,
      hint: 'checkpoints are folders written by writeCheckpoint',
    });
  }
  if (
    manifest === null ||
    typeof manifest !== 'object' ||
    manifest.format !== 'mmtl-checkpoint' ||
    typeof manifest.files !== 'object' ||
    manifest.files === null
  ) {
    throw new MmtlError('E_CHECKPOINT', `'${dir}' has a manifest of an unknown format`);
  }
  const files: Record<string, CheckpointFile> = {};
  for (const [rel, entry] of Object.entries(manifest.files)) {
    const size = typeof entry === 'number' ? entry : entry.size;
    const sha256 = typeof entry === 'number' ? undefined : entry.sha256;
    const path = join(dir, rel);
    const st = await stat(path).catch(() => undefined);
    if (st?.size !== size) {
      throw new MmtlError(
        'E_CHECKPOINT',
        `checkpoint '${dir}' is damaged: '${rel}' should have ${size} bytes, found ${st === undefined ? 'no file' : st.size}`,
        { hint: 'restore the folder from a copy, or retrain' },
      );
    }
    const bytes = async (): Promise<Uint8Array> => {
      let b: Buffer;
      try {
        b = await readFile(path);
      } catch (e) {
        throw new MmtlError(
          'E_CHECKPOINT',
          `checkpoint '${dir}': could not read '${rel}': ${(e as Error).message}`,
          {
            cause: e,
          },
        );
      }
      const actual = createHash('sha256').update(b).digest('hex');
      if (b.byteLength !== size || (sha256 !== undefined && actual !== sha256)) {
        throw new MmtlError(
          'E_CHECKPOINT',
          `checkpoint '${dir}' is damaged: '${rel}' does not match its manifest (sha256 ${actual}, expected ${sha256 ?? `${size} bytes`})`,
          { hint: 'the file changed after it was written; restore the folder from a copy, or retrain' },
        );
      }
      return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
    };
    files[rel] = { path, size, sha256, bytes, text: async () => Buffer.from(await bytes()).toString('utf8') };
  }
  return { dir, meta: manifest.meta ?? {}, files };
}

/**
 * Reads a checkpoint and checks every file against the sizes and SHA-256 hashes in its manifest. Throws
 * `E_CHECKPOINT` naming the first file that differs.
 *
 * @example
 * ```ts
 * await verifyCheckpoint('runs/a/checkpoints/best'); // the checkpoint, every file checked
 * ```
 */
export async function verifyCheckpoint(dir: string): Promise<Checkpoint> {
  const ck = await readCheckpoint(dir);
  for (const f of Object.values(ck.files)) await f.bytes();
  return ck;
}

/** One entry of {@link listCheckpoints}. */
export interface CheckpointInfo {
  /** Folder name inside the run directory. */
  name: string;
  /** Folder path. */
  dir: string;
  /** The metadata given when it was written. */
  meta: Record<string, unknown>;
}

/**
 * Lists the complete checkpoints directly inside `runDir`, sorted by name, repairing interrupted writes
 * first. Folders without a manifest are not checkpoints and are skipped. A missing `runDir` lists nothing.
 *
 * @example
 * ```ts
 * (await listCheckpoints('runs/a/checkpoints')).map((c) => c.name); // ['best', 'last']
 * ```
 */
export async function listCheckpoints(runDir: string): Promise<CheckpointInfo[]> {
  let entries: string[];
  try {
    entries = await readdir(runDir);
  } catch {
    return [];
  }
  const names = new Set<string>();
  for (const e of entries) {
    const m = /^\.(.+)\.(?:old|tmp)-[0-9a-f]{12}$/.exec(e);
    names.add(m === null ? e : m[1]!);
  }
  const out: CheckpointInfo[] = [];
  for (const name of [...names].sort()) {
    if (name.startsWith('.')) continue;
    const dir = join(runDir, name);
    await recoverCheckpoint(dir);
    if (!(await pathExists(join(dir, CHECKPOINT_MANIFEST)))) continue;
    try {
      out.push({ name, dir, meta: (await readCheckpoint(dir)).meta });
    } catch (e) {
      if (!isMmtlError(e, 'E_CHECKPOINT')) throw e;
    }
  }
  return out;
}

/**
 * Deletes a checkpoint folder and any leftovers of interrupted writes next to it.
 *
 * @example
 * ```ts
 * await removeCheckpoint('runs/a/checkpoints/last');
 * ```
 */
export async function removeCheckpoint(dir: string): Promise<void> {
  await recoverCheckpoint(dir);
  await rm(dir, { recursive: true, force: true });
}
