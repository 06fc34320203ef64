import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import { MmtlError, assert, writeFileAtomic } from '../core/index.js';
import { LabelMatrix, type LabelData } from './label-matrix.js';

/** File formats of a saved {@link LabelMatrix}. */
export type LabelMatrixFormat = 'npy' | 'json' | 'csv';

/**
 * The column that holds row ids in the CSV view (an LF may not use this name).
 *
 * @example
 * ```ts
 * // L.csv with row ids:
 * // _row_id,keyword_my,keyword_song
 * // yt-0,1,-1
 * CSV_ROW_ID_COLUMN; // '_row_id'
 * ```
 */
export const CSV_ROW_ID_COLUMN = '_row_id';

const NPY_MAGIC = Uint8Array.of(0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59); // \x93NUMPY

/**
 * The format of a label-matrix file, from its extension (`.npy`, `.json`, `.csv`).
 *
 * @example
 * ```ts
 * labelMatrixFormat('runs/L_train.npy'); // 'npy'
 * ```
 */
export function labelMatrixFormat(path: string, fn = 'labelMatrixFormat'): LabelMatrixFormat {
  const ext = extname(path).toLowerCase().slice(1);
  if (ext === 'npy' || ext === 'json' || ext === 'csv') return ext;
  throw new MmtlError(
    'E_ARG',
    `Argument 'path' passed to '${fn}' has extension '.${ext}'; expected one of .npy, .json, .csv`,
  );
}

/**
 * The sidecar file that holds the LF names (and row ids) of a `.npy` label matrix.
 *
 * @example
 * ```ts
 * npySidecarPath('runs/L_train.npy'); // 'runs/L_train.npy.names.json'
 * ```
 */
export function npySidecarPath(path: string): string {
  return `${path}.names.json`;
}

/**
 * Every file that holds a label matrix saved at `path`: the file itself, plus the `.names.json` sidecar of a
 * `.npy` file. Commands list them as inputs or outputs for `assertNoAlias`.
 *
 * @example
 * ```ts
 * labelMatrixFiles('runs/L.npy'); // ['runs/L.npy', 'runs/L.npy.names.json']
 * labelMatrixFiles('runs/L.csv'); // ['runs/L.csv']
 * ```
 */
export function labelMatrixFiles(path: string): string[] {
  return extname(path).toLowerCase() === '.npy' ? [path, npySidecarPath(path)] : [path];
}

/** Options of {@link loadLabelMatrix}. */
export interface LoadLabelMatrixOptions {
  /**
   * Whether a `.csv` file starts with a header row of LF names. Unset (default): detected — a first row whose
   * every cell is a number is data (LFs are then named `lf_0, lf_1, …`), since a header must be non-numeric.
   * `true`: the first row must be a header, and an all-numeric one is an `E_DATA` error. `false`: every row
   * is data. Other formats ignore it.
   */
  header?: boolean | undefined;
}

/**
 * Encodes `L` in NumPy's `.npy` format v1.0: dtype `<i1` (or `<i2` above 127 classes), shape `(n, m)`,
 * C order, readable by `numpy.load`.
 *
 * @example
 * ```ts
 * const bytes = encodeNpy(LabelMatrix.fromRows([[0, -1]], ['a', 'b']));
 * new TextDecoder().decode(bytes.subarray(10, 70));
 * // "{'descr': '<i1', 'fortran_order': False, 'shape': (1, 2), }   …"
 * ```
 */
export function encodeNpy(L: LabelMatrix): Uint8Array {
  const descr = L.data instanceof Int16Array ? '<i2' : '<i1';
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': (${L.n}, ${L.m}), }`;
  // magic (6) + version (2) + header length (2) + header, padded with spaces and ending in '\n', to 64 bytes
  const unpadded = 10 + header.length + 1;
  header += ' '.repeat((64 - (unpadded % 64)) % 64) + '\n';
  const bodyBytes = L.data.byteLength;
  const out = new Uint8Array(10 + header.length + bodyBytes);
  out.set(NPY_MAGIC, 0);
  out[6] = 1;
  out[7] = 0;
  out[8] = header.length & 0xff;
  out[9] = header.length >> 8;
  for (let i = 0; i < header.length; i++) out[10 + i] = header.charCodeAt(i);
  const body = new Uint8Array(L.data.buffer, L.data.byteOffset, bodyBytes);
  if (L.data instanceof Int16Array && !littleEndian()) {
    const view = new DataView(out.buffer, 10 + header.length);
    L.data.forEach((v, i) => {
      view.setInt16(2 * i, v, true);
    });
  } else {
    out.set(body, 10 + header.length);
  }
  return out;
}

function littleEndian(): boolean {
  return new Uint8Array(Uint16Array.of(1).buffer)[0] === 1;
}

interface NpyArray {
  shape: number[];
  data: LabelData;
}

/**
 * Decodes a 2-D integer `.npy` array (`i1`, `i2`, `i4`, `i8`, `u1`, `u2`, either byte order, C or Fortran
 * order) into label-matrix storage; values must fit `-1..32766`.
 *
 * @example
 * ```ts
 * decodeNpy(encodeNpy(L), 'L.npy'); // { shape: [n, m], data: Int8Array [...] }
 * ```
 */
export function decodeNpy(bytes: Uint8Array, path: string): NpyArray {
  const bad = (why: string): MmtlError =>
    new MmtlError('E_DATA', `'${path}' is not a label matrix in .npy format: ${why}`);
  if (bytes.length < 10 || !NPY_MAGIC.every((b, i) => bytes[i] === b))
    throw bad('missing the \\x93NUMPY magic');
  const major = bytes[6]!;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLen = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const start = major === 1 ? 10 : 12;
  const header = new TextDecoder('latin1').decode(bytes.subarray(start, start + headerLen));
  const descr = /'descr':\s*'([<>|=])([iu])(\d)'/.exec(header);
  const fortran = /'fortran_order':\s*(True|False)/.exec(header);
  const shapeMatch = /'shape':\s*\(([^)]*)\)/.exec(header);
  if (!descr || !fortran || !shapeMatch) throw bad(`unreadable header ${JSON.stringify(header.trim())}`);
  const shape = shapeMatch[1]!
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map(Number);
  if (shape.length !== 2) throw bad(`expected a 2-D array, got shape (${shape.join(', ')})`);
  const [n, m] = shape as [number, number];
  const size = Number(descr[3]);
  const signed = descr[2] === 'i';
  const le = descr[1] !== '>';
  if (![1, 2, 4, 8].includes(size)) throw bad(`unsupported dtype ${descr[0]}`);
  const offset = start + headerLen;
  if (bytes.length - offset < n * m * size)
    throw bad(`expected ${n * m * size} data bytes, found ${bytes.length - offset}`);
  const read = (idx: number): number => {
    const p = offset + idx * size;
    switch (size) {
      case 1:
        return signed ? view.getInt8(p) : view.getUint8(p);
      case 2:
        return signed ? view.getInt16(p, le) : view.getUint16(p, le);
      case 4:
        return signed ? view.getInt32(p, le) : view.getUint32(p, le);
      default:
        return Number(signed ? view.getBigInt64(p, le) : view.getBigUint64(p, le));
    }
  };
  let max = 0;
  const values = new Int32Array(n * m);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < m; j++) {
      const v = read(fortran[1] === 'True' ? j * n + i : i * m + j);
      if (v < -1 || v > 32766) throw bad(`value ${v} at row ${i}, column ${j} is not a vote (-1..32766)`);
      if (v > max) max = v;
      values[i * m + j] = v;
    }
  }
  const data = max >= 127 ? Int16Array.from(values) : Int8Array.from(values);
  return { shape: [n, m], data };
}

function csvField(s: string): string {
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/**
 * Saves a label matrix atomically, in the format its extension names:
 * - `.npy`: NumPy v1.0 (`<i1`, or `<i2` above 127 classes; shape `(n, m)`), with the LF names and row ids in
 *   the sidecar `<file>.names.json` as `{ "names": [...], "rowIds": [...] }`;
 * - `.json`: `{ "names": [...], "rowIds": [...], "rows": [[...], ...] }`;
 * - `.csv`: a header of LF names (preceded by `_row_id` when the matrix has row ids), one row per data point.
 *
 * @example
 * ```ts
 * await saveLabelMatrix('runs/L_train.npy', L); // writes L_train.npy and L_train.npy.names.json
 * ```
 */
export async function saveLabelMatrix(path: string, L: LabelMatrix): Promise<void> {
  const format = labelMatrixFormat(path, 'saveLabelMatrix');
  const meta = L.rowIds === undefined ? { names: L.names } : { names: L.names, rowIds: L.rowIds };
  if (format === 'npy') {
    await writeFileAtomic(path, encodeNpy(L));
    await writeFileAtomic(npySidecarPath(path), JSON.stringify(meta) + '\n');
  } else if (format === 'json') {
    const rows = L.toRows().map((r) => JSON.stringify(r));
    const head = JSON.stringify(meta).slice(0, -1);
    await writeFileAtomic(path, `${head},"rows":[\n${rows.join(',\n')}\n]}\n`);
  } else {
    assert(
      !L.names.includes(CSV_ROW_ID_COLUMN),
      'E_ARG',
      () =>
        `Argument 'L' passed to 'saveLabelMatrix' has an LF named '${CSV_ROW_ID_COLUMN}', reserved in .csv files`,
    );
    const lines: string[] = [];
    const ids = L.rowIds;
    lines.push((ids ? [CSV_ROW_ID_COLUMN, ...L.names] : L.names).map(csvField).join(','));
    for (let i = 0; i < L.n; i++) {
      const votes = Array.from(L.row(i)).join(',');
      lines.push(ids ? `${csvField(ids[i]!)},${votes}` : votes);
    }
    await writeFileAtomic(path, lines.join('\n') + '\n');
  }
}

async function readText(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (e) {
    throw new MmtlError('E_IO', `could not read label matrix '${path}': ${(e as Error).message}`, {
      cause: e,
    });
  }
}

function parseMeta(text: string, path: string): { names?: string[]; rowIds?: string[] } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new MmtlError('E_DATA', `'${path}' is not valid JSON: ${(e as Error).message}`, { cause: e });
  }
  const strings = (v: unknown): v is string[] => Array.isArray(v) && v.every((s) => typeof s === 'string');
  if (strings(value)) return { names: value };
  if (typeof value === 'object' && value !== null) {
    const o = value as Record<string, unknown>;
    if ((o.names === undefined || strings(o.names)) && (o.rowIds === undefined || strings(o.rowIds))) {
      return { ...(o.names ? { names: o.names } : {}), ...(o.rowIds ? { rowIds: o.rowIds } : {}) };
    }
  }
  throw new MmtlError('E_DATA', `'${path}' must hold a JSON array of LF names or { names, rowIds? }`);
}

function defaultNames(m: number): string[] {
  return Array.from({ length: m }, (_, j) => `lf_${j}`);
}

/**
 * Loads a label matrix saved by {@link saveLabelMatrix} (format from the extension). A `.npy` file without
 * its `.names.json` sidecar gets names `lf_0, lf_1, …`; the sidecar may also be a plain JSON array of names.
 * A `.csv` file without a header row (its first row all numbers) is detected and read whole, with names
 * `lf_0, lf_1, …` (see {@link LoadLabelMatrixOptions.header}); row 1 is never taken for names silently.
 * Every vote must be an integer in -1..32766; anything else is an `E_DATA` error naming its row and column.
 *
 * @example
 * ```ts
 * const L = await loadLabelMatrix('runs/L_train.npy');
 * L.n; L.m; L.names; // 1586 10 ['keyword_my', ...]
 * ```
 */
export async function loadLabelMatrix(
  path: string,
  options: LoadLabelMatrixOptions = {},
): Promise<LabelMatrix> {
  const format = labelMatrixFormat(path, 'loadLabelMatrix');
  if (format === 'npy') {
    let bytes: Uint8Array;
    try {
      bytes = await readFile(path);
    } catch (e) {
      throw new MmtlError('E_IO', `could not read label matrix '${path}': ${(e as Error).message}`, {
        cause: e,
      });
    }
    const { shape, data } = decodeNpy(bytes, path);
    const [n, m] = shape as [number, number];
    let meta: { names?: string[]; rowIds?: string[] } = {};
    const sidecar = npySidecarPath(path);
    let text: string | undefined;
    try {
      text = await readFile(sidecar, 'utf8');
    } catch {
      text = undefined;
    }
    if (text !== undefined) meta = parseMeta(text, sidecar);
    return build(n, m, data, meta.names ?? defaultNames(m), meta.rowIds, path);
  }
  const text = await readText(path);
  if (format === 'json') {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (e) {
      throw new MmtlError('E_DATA', `'${path}' is not valid JSON: ${(e as Error).message}`, { cause: e });
    }
    const o = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
    const rows = Array.isArray(value) ? value : o.rows;
    if (
      !Array.isArray(rows) ||
      !rows.every((r) => Array.isArray(r) && r.every((v) => typeof v === 'number'))
    ) {
      throw new MmtlError(
        'E_DATA',
        `'${path}' must hold { names, rowIds?, rows } with rows an array of number arrays`,
      );
    }
    const numRows = rows;
    numRows.forEach((r, i) => {
      r.forEach((v, j) => {
        if (!Number.isInteger(v) || v < -1 || v > 32766) {
          throw new MmtlError(
            'E_DATA',
            `'${path}' row ${i}, column ${j}: vote ${String(v)} is not an integer in -1..32766`,
            { hint: 'votes are class ids 0..k-1, with -1 for abstain' },
          );
        }
      });
    });
    const meta = Array.isArray(value)
      ? {}
      : parseMeta(JSON.stringify({ names: o.names, rowIds: o.rowIds }), path);
    const names = meta.names ?? defaultNames(numRows[0]?.length ?? 0);
    return wrapData(() => LabelMatrix.fromRows(numRows, names, { rowIds: meta.rowIds }), path);
  }
  let records: string[][];
  try {
    records = parseCsv(text, { skip_empty_lines: true });
  } catch (e) {
    throw new MmtlError('E_DATA', `'${path}' is not valid CSV: ${(e as Error).message}`, { cause: e });
  }
  const first = records[0] ?? [];
  const hasIds = first[0] === CSV_ROW_ID_COLUMN;
  const numeric = first.length > 0 && first.every((c) => c.trim() !== '' && Number.isFinite(Number(c)));
  if (options.header === true && numeric) {
    throw new MmtlError(
      'E_DATA',
      `'${path}' line 1 is all numbers (${first.slice(0, 5).join(',')}${first.length > 5 ? ',…' : ''}), not a header of LF names`,
      { hint: 'add a first line of LF names, or read the file as headerless (header: false)' },
    );
  }
  const header = options.header ?? !numeric;
  const names = !header ? defaultNames(first.length) : hasIds ? first.slice(1) : first;
  const rowIds: string[] = [];
  const body = header ? records.slice(1) : records;
  const lineOffset = header ? 2 : 1;
  const rows = body.map((r, i) => {
    if (header && hasIds) rowIds.push(r[0]!);
    return (header && hasIds ? r.slice(1) : r).map((s) => {
      const v = Number(s);
      if (s.trim() === '' || !Number.isInteger(v) || v < -1 || v > 32766) {
        throw new MmtlError(
          'E_DATA',
          `'${path}' line ${i + lineOffset}: vote '${s}' is not an integer in -1..32766`,
          { hint: 'votes are class ids 0..k-1, with -1 for abstain' },
        );
      }
      return v;
    });
  });
  return wrapData(
    () => LabelMatrix.fromRows(rows, names, { rowIds: header && hasIds ? rowIds : undefined }),
    path,
  );
}

function build(
  n: number,
  m: number,
  data: LabelData,
  names: string[],
  rowIds: string[] | undefined,
  path: string,
) {
  return wrapData(() => new LabelMatrix({ n, m, data, names, rowIds }), path);
}

function wrapData(make: () => LabelMatrix, path: string): LabelMatrix {
  try {
    return make();
  } catch (e) {
    if (e instanceof MmtlError)
      throw new MmtlError('E_DATA', `label matrix '${path}': ${e.message}`, { cause: e });
    throw e;
  }
}
