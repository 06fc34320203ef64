import { createReadStream, existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { endianness } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { MmtlError, assert, missingDataHint, resolveDataPath } from '../core/index.js';

/** Word vectors: row i of `vectors` (`dims` floats) belongs to `words[i]`. */
export interface GloveEmbeddings {
  /** The words, by row. */
  words: string[];
  /** Length of each vector. */
  dims: number;
  /** `words.length × dims`, row-major. */
  vectors: Float32Array;
}

/** Options of {@link loadGloveText}. */
export interface LoadGloveTextOptions {
  /** Expected vector length; default: taken from the first line. */
  dims?: number;
  /** Keep only these words (a set, or a predicate); default: all. */
  vocabFilter?: ReadonlySet<string> | ((word: string) => boolean);
  /** Stop after this many kept words. */
  maxWords?: number;
}

/**
 * Streams a GloVe text file (`word v1 … vd` per line, space separated). A word may itself contain spaces
 * (GloVe 840B has some): the last `dims` fields are the vector. A word2vec-style header line (`rows dims`)
 * is skipped. A line with the wrong number of fields is an E_DATA error naming the line.
 *
 * @example
 * ```ts
 * const glove = await loadGloveText('glove.6B.100d.txt', { vocabFilter: new Set(vocab.words) });
 * glove.dims; // 100
 * ```
 */
export async function loadGloveText(path: string, options: LoadGloveTextOptions = {}): Promise<GloveEmbeddings> {
  const { vocabFilter, maxWords = Infinity } = options;
  let dims = options.dims;
  const keep =
    vocabFilter === undefined
      ? () => true
      : typeof vocabFilter === 'function'
        ? vocabFilter
        : (w: string) => vocabFilter.has(w);
  const words: string[] = [];
  let buf = new Float32Array(1024);
  let used = 0;
  const stream = createReadStream(path, { encoding: 'utf8' });
  const lines = createInterface({ input: stream, crlfDelay: Infinity });
  let lineNo = 0;
  try {
    for await (const raw of lines) {
      lineNo++;
      const line = raw.trimEnd();
      if (line === '') continue;
      const fields = line.split(' ');
      if (lineNo === 1 && fields.length === 2 && fields.every((f) => /^\d+$/.test(f))) continue;
      if (dims === undefined) dims = fields.length - 1;
      if (fields.length < dims + 1 || dims < 1) {
        throw new MmtlError('E_DATA', `'${path}' line ${lineNo}: expected a word and ${dims} numbers, got ${fields.length} fields`);
      }
      const word = fields.slice(0, fields.length - dims).join(' ');
      if (!keep(word)) continue;
      if (used + dims > buf.length) {
        const bigger = new Float32Array(Math.max(buf.length * 2, used + dims));
        bigger.set(buf.subarray(0, used));
        buf = bigger;
      }
      for (let j = 0; j < dims; j++) {
        const v = Number(fields[fields.length - dims + j]);
        if (Number.isNaN(v)) {
          throw new MmtlError('E_DATA', `'${path}' line ${lineNo}: '${fields[fields.length - dims + j]}' is not a number`);
        }
        buf[used + j] = v;
      }
      used += dims;
      words.push(word);
      if (words.length >= maxWords) break;
    }
  } catch (e) {
    if (e instanceof MmtlError) throw e;
    throw new MmtlError('E_IO', `'loadGloveText' could not read '${path}': ${(e as Error).message}`, { cause: e });
  } finally {
    lines.close();
    stream.destroy();
  }
  return { words, dims: dims ?? 0, vectors: buf.slice(0, used) };
}

/**
 * Loads binary vectors: `vectorsPath` holds float32 little-endian row-major `rows × dims` values and
 * `vocabPath` one word per line (line i = row i) — the layout of `data/glove-6b-100d-top30k`. When `dims`
 * is omitted it is read from `meta.json` next to the vectors.
 *
 * @example
 * ```ts
 * const glove = await loadGloveBinary('data/glove-6b-100d-top30k/vectors.f32', 'data/glove-6b-100d-top30k/vocab.txt');
 * glove.words.length; // 30000
 * glove.vectors[0];   // -0.038194 ("the")
 * ```
 */
export async function loadGloveBinary(vectorsPath: string, vocabPath: string, dims?: number): Promise<GloveEmbeddings> {
  for (const [arg, path] of [
    ['vectorsPath', vectorsPath],
    ['vocabPath', vocabPath],
  ] as const) {
    const st = await stat(path).catch(() => undefined);
    if (!st?.isFile()) {
      throw new MmtlError(
        'E_IO',
        `Argument '${arg}' passed to 'loadGloveBinary': ${st === undefined ? 'no file' : 'not a file'} '${path}'`,
        { hint: 'GloVe folders hold vectors.f32, vocab.txt and meta.json (see data/glove-6b-100d-top30k)' },
      );
    }
  }
  const d = dims ?? (await metaDims(join(dirname(vectorsPath), 'meta.json')));
  assert(
    Number.isInteger(d) && d > 0,
    'E_ARG',
    () => `Argument 'dims' passed to 'loadGloveBinary' must be an integer > 0, got ${d}`,
  );
  let bytes: Buffer;
  let vocabText: string;
  try {
    [bytes, vocabText] = await Promise.all([readFile(vectorsPath), readFile(vocabPath, 'utf8')]);
  } catch (e) {
    throw new MmtlError('E_IO', `'loadGloveBinary' could not read its files: ${(e as Error).message}`, { cause: e });
  }
  const words = vocabText.split(/\r?\n/);
  if (words[words.length - 1] === '') words.pop();
  const expected = words.length * d * 4;
  if (bytes.byteLength !== expected) {
    throw new MmtlError(
      'E_DATA',
      `'${vectorsPath}' has ${bytes.byteLength} bytes; ${words.length} words × ${d} dims × 4 needs ${expected}`,
    );
  }
  const vectors = new Float32Array(words.length * d);
  if (endianness() === 'LE') {
    new Uint8Array(vectors.buffer).set(bytes);
  } else {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    for (let i = 0; i < vectors.length; i++) vectors[i] = view.getFloat32(i * 4, true);
  }
  return { words, dims: d, vectors };
}

const GLOVE_FILES = ['vectors.f32', 'vocab.txt', 'meta.json'] as const;

/**
 * Loads a folder in the `data/glove-6b-100d-top30k` layout: `vectors.f32`, `vocab.txt`, `meta.json`. A
 * relative `data/…` folder that is missing is looked for under `$MMTL_DATA_DIR` too (see {@link resolveDataPath});
 * a missing folder or file fails with E_IO naming it, where it was looked for and how to point to it.
 *
 * @example
 * ```ts
 * const glove = await loadGloveDir('data/glove-6b-100d-top30k'); // 30000 words × 100 dims
 * ```
 */
export async function loadGloveDir(dir: string): Promise<GloveEmbeddings> {
  const found = resolveDataPath(dir);
  const missing = GLOVE_FILES.filter((f) => !existsSync(join(found, f)));
  if (missing.length > 0) {
    const what = existsSync(found) ? `no ${missing.join(', ')} in '${found}'` : `no folder '${dir}'`;
    throw new MmtlError('E_IO', `'loadGloveDir' found no GloVe vectors: ${what} (argument 'dir')`, {
      hint:
        `${missingDataHint(dir, "the experiment's encoder.gloveDir")}; ` +
        "or use encoder.embeddings: random (the npm package ships no word vectors; a clone of mmtl has them in data/glove-6b-100d-top30k)",
      details: { dir, missing },
    });
  }
  return loadGloveBinary(join(found, 'vectors.f32'), join(found, 'vocab.txt'));
}

async function metaDims(path: string): Promise<number> {
  if (!existsSync(path) || !(await stat(path)).isFile()) {
    throw new MmtlError('E_ARG', `'loadGloveBinary' needs 'dims' or a meta.json next to the vectors ('${path}')`);
  }
  try {
    const meta = JSON.parse(await readFile(path, 'utf8')) as { dims?: unknown };
    assert(typeof meta.dims === 'number', 'E_DATA', () => `'${path}' has no numeric 'dims'`);
    return meta.dims;
  } catch (e) {
    if (e instanceof MmtlError) throw e;
    throw new MmtlError('E_IO', `could not read '${path}': ${(e as Error).message}`, { cause: e });
  }
}
