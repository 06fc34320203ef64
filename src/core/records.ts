import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { createInterface } from 'node:readline';
import { parse } from 'csv-parse';
import { MmtlError } from './errors.js';

/** Formats {@link readRecords} reads. */
export type RecordFormat = 'jsonl' | 'csv' | 'tsv' | 'json';

/** One record of a data file, with the 1-based line of the file it came from. */
export interface LineRecord {
  /** The record: a JSONL object, a CSV/TSV row keyed by the header's column names, or a JSON file's item. */
  record: Record<string, unknown>;
  /** 1-based line number in the file (for CSV, the line where the record ends; for JSON, the item's position). */
  line: number;
}

/** Options of {@link readRecords}. */
export interface ReadRecordsOptions {
  /** The file's format; picked from the extension when left out (`.jsonl`/`.ndjson`, `.csv`, `.tsv`/`.tab`, `.json`). */
  format?: RecordFormat | undefined;
  /** Called with the size in bytes of each chunk read from the file (for progress by bytes). */
  onData?: ((bytes: number) => void) | undefined;
  /**
   * CSV/TSV: whether line 1 holds the column names (default true). Without a header, rows are keyed by
   * `columns`, or by their 1-based position (`'1'`, `'2'`, …) when `columns` is left out.
   */
  header?: boolean | undefined;
  /** CSV/TSV: the column names to key rows by (with a header, they replace the header's names). */
  columns?: readonly string[] | undefined;
  /** CSV/TSV: the field delimiter (default `,` for CSV, a tab for TSV; TSV never quotes). */
  delimiter?: string | undefined;
}

const EXTENSIONS: Record<string, RecordFormat> = {
  '.jsonl': 'jsonl',
  '.ndjson': 'jsonl',
  '.csv': 'csv',
  '.tsv': 'tsv',
  '.tab': 'tsv',
  '.json': 'json',
};
const FORMATS: readonly RecordFormat[] = ['jsonl', 'csv', 'tsv', 'json'];

/**
 * The record format of a data file, from its extension.
 *
 * @example
 * ```ts
 * recordFormatOf('data/train.tsv'); // 'tsv'
 * recordFormatOf('data/train.txt'); // throws E_ARG listing .jsonl, .ndjson, .csv, .tsv, .tab
 * ```
 */
export function recordFormatOf(path: string, fn = 'recordFormatOf'): RecordFormat {
  const format = EXTENSIONS[extname(path).toLowerCase()];
  if (format === undefined) {
    throw new MmtlError(
      'E_ARG',
      `Argument 'path' passed to '${fn}' has an unknown extension ('${path}'); expected one of ${Object.keys(EXTENSIONS).join(', ')}`,
      { hint: `or pass the 'format' option (${FORMATS.join(', ')})` },
    );
  }
  return format;
}

/**
 * Streams the records of a JSONL, CSV or TSV file in bounded memory: JSONL line by line (node:readline),
 * CSV/TSV through csv-parse's streaming parser with the first row as column names (TSV without quoting).
 * A line that is not a JSON object, or a row with the wrong number of columns, fails with `E_DATA` naming
 * the file and line; a missing file fails with `E_IO`. Empty lines are skipped. A `.json` file is read whole:
 * an array of objects, or an object of objects keyed by id (WRENCH's `train.json`), in file order (not JavaScript's key order, which
 * puts integer-like ids first, sorted).
 *
 * @example
 * ```ts
 * for await (const { record, line } of readRecords('data/train.jsonl')) {
 *   record.text; // 'check out my channel'
 *   line;        // 1
 * }
 * ```
 */
export async function* readRecords(
  path: string,
  options: ReadRecordsOptions = {},
): AsyncGenerator<LineRecord> {
  const format = options.format ?? recordFormatOf(path, 'readRecords');
  if (!FORMATS.includes(format)) {
    throw new MmtlError(
      'E_ARG',
      `Argument 'format' passed to 'readRecords' must be one of ${FORMATS.join(', ')}, got ${JSON.stringify(format)}`,
    );
  }
  if (format === 'json') {
    yield* await readJsonItems(path, options.onData);
    return;
  }
  const stream = createReadStream(path);
  const onData = options.onData;
  if (onData) stream.on('data', (chunk: string | Buffer) => onData(chunk.length));
  try {
    if (format === 'jsonl') yield* readJsonl(stream, path);
    else yield* readDelimited(stream, path, format, options);
  } catch (e) {
    throw ioError(e, path);
  } finally {
    stream.destroy();
  }
}

async function readJsonItems(path: string, onData?: (bytes: number) => void): Promise<LineRecord[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw ioError(e, path);
  }
  onData?.(Buffer.byteLength(text));
  let value: unknown;
  try {
    value = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (e) {
    throw new MmtlError('E_DATA', `'${path}': invalid JSON: ${(e as Error).message}`, { cause: e });
  }
  const isObject = (v: unknown): v is Record<string, unknown> =>
    typeof v === 'object' && v !== null && !Array.isArray(v);
  if (!Array.isArray(value) && !isObject(value)) {
    throw new MmtlError(
      'E_DATA',
      `'${path}': expected an array of objects or an object of objects keyed by id`,
    );
  }
  const entries: [string, unknown][] = Array.isArray(value)
    ? value.map((v, i) => [String(i), v])
    : entriesInFileOrder(text, value);
  return entries.map(([key, item], i) => {
    if (!isObject(item)) {
      throw new MmtlError(
        'E_DATA',
        `'${path}' item ${JSON.stringify(key)}: expected a JSON object, got ${JSON.stringify(item)}`,
        { details: { path, line: i + 1 } },
      );
    }
    return { record: item, line: i + 1 };
  });
}

async function* readJsonl(stream: NodeJS.ReadableStream, path: string): AsyncGenerator<LineRecord> {
  for await (const { text, line } of nonEmptyLines(stream)) {
    yield { record: parseJsonlLine(text, path, line), line };
  }
}

async function* nonEmptyLines(stream: NodeJS.ReadableStream): AsyncGenerator<{ text: string; line: number }> {
  const lines = createInterface({ input: stream, crlfDelay: Infinity });
  let line = 0;
  try {
    for await (const text of lines) {
      line++;
      if (text.trim() !== '') yield { text, line };
    }
  } finally {
    lines.close();
  }
}

/**
 * Parses one line of a JSONL file into an object; fails with `E_DATA` naming the file and line. A byte-order
 * mark on line 1 is ignored.
 *
 * @example
 * ```ts
 * parseJsonlLine('{"text": "hi"}', 'train.jsonl', 3); // { text: 'hi' }
 * parseJsonlLine('[1]', 'train.jsonl', 3);            // throws E_DATA: 'train.jsonl' line 3: expected a JSON object, got [1]
 * ```
 */
export function parseJsonlLine(text: string, path: string, line: number): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(line === 1 ? text.replace(/^\uFEFF/, '') : text);
  } catch (e) {
    throw new MmtlError('E_DATA', `'${path}' line ${line}: invalid JSON: ${(e as Error).message}`, {
      cause: e,
      details: { path, line },
    });
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new MmtlError(
      'E_DATA',
      `'${path}' line ${line}: expected a JSON object, got ${JSON.stringify(value)}`,
      {
        details: { path, line },
      },
    );
  }
  return value as Record<string, unknown>;
}

/**
 * Streams the non-empty lines of a JSONL file unparsed, with their 1-based line numbers, so that parsing can
 * happen elsewhere (e.g. in worker threads, with {@link parseJsonlLine}). Fails with `E_IO` on a missing file.
 *
 * @example
 * ```ts
 * for await (const { text, line } of readJsonlLines('train.jsonl')) {
 *   parseJsonlLine(text, 'train.jsonl', line);
 * }
 * ```
 */
export async function* readJsonlLines(
  path: string,
  options: Pick<ReadRecordsOptions, 'onData'> = {},
): AsyncGenerator<{ text: string; line: number }> {
  const stream = createReadStream(path);
  const onData = options.onData;
  if (onData) stream.on('data', (chunk: string | Buffer) => onData(chunk.length));
  try {
    yield* nonEmptyLines(stream);
  } catch (e) {
    throw ioError(e, path);
  } finally {
    stream.destroy();
  }
}

function ioError(e: unknown, path: string): unknown {
  if (e instanceof MmtlError) return e;
  const err = e as NodeJS.ErrnoException;
  if (typeof err.code === 'string' && err.code.startsWith('E') && !err.code.startsWith('CSV')) {
    return new MmtlError('E_IO', `could not read '${path}': ${err.message}`, { cause: e });
  }
  return e;
}

interface CsvItem {
  record: Record<string, unknown>;
  info: { lines: number };
}

/** csv-parse's `columns` option for the header / column-name options. */
function columnsOption(
  options: ReadRecordsOptions,
): true | ((header: string[]) => string[]) | string[] | false {
  const header = options.header ?? true;
  const names = options.columns;
  if (header) return names === undefined ? true : () => [...names];
  return names === undefined ? false : [...names];
}

async function* readDelimited(
  stream: NodeJS.ReadableStream,
  path: string,
  format: 'csv' | 'tsv',
  options: ReadRecordsOptions = {},
): AsyncGenerator<LineRecord> {
  const columns = columnsOption(options);
  const parser = parse({
    columns,
    bom: true,
    info: true,
    skip_empty_lines: true,
    ...(format === 'tsv' ? { delimiter: '\t', quote: false } : {}),
    ...(options.delimiter === undefined ? {} : { delimiter: options.delimiter }),
  });
  stream.on('error', (e: Error) => parser.destroy(e));
  stream.pipe(parser);
  try {
    for await (const item of parser as AsyncIterable<CsvItem>) {
      const record = Array.isArray(item.record)
        ? Object.fromEntries((item.record as unknown[]).map((v, i) => [String(i + 1), v]))
        : item.record;
      yield { record, line: item.info.lines };
    }
  } catch (e) {
    const err = e as Error & { code?: string; lines?: number };
    if (typeof err.code === 'string' && err.code.startsWith('CSV')) {
      const line = err.lines;
      throw new MmtlError('E_DATA', `'${path}' line ${line ?? '?'}: ${err.message}`, {
        cause: e,
        details: { path, line },
      });
    }
    throw e;
  } finally {
    parser.destroy();
  }
}

/**
 * The keys of the top-level JSON object in `text`, in the order they appear in the file. `JSON.parse` keeps
 * them, but `Object.keys`/`Object.entries` list integer-like keys ("0", "17") first in numeric order, so a
 * file keyed by row ids would be read out of order. `text` must be valid JSON holding an object (parse it
 * first); a key given twice is listed once, at its first position (its value is the last one, as in
 * `JSON.parse`).
 *
 * @example
 * ```ts
 * objectKeysInFileOrder('{"10": 1, "2": 2, "a": {"0": 3}}'); // ['10', '2', 'a']
 * Object.keys(JSON.parse('{"10": 1, "2": 2}'));               // ['2', '10']
 * ```
 */
export function objectKeysInFileOrder(text: string): string[] {
  const keys: string[] = [];
  const seen = new Set<string>();
  let depth = 0;
  let expectKey = false;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 34 /* " */) {
      let j = text.indexOf('"', i + 1);
      // a quote preceded by an odd number of backslashes is escaped
      for (;;) {
        let b = j - 1;
        while (text.charCodeAt(b) === 92 /* \\ */) b--;
        if ((j - 1 - b) % 2 === 0) break;
        j = text.indexOf('"', j + 1);
      }
      if (depth === 1 && expectKey) {
        const key = JSON.parse(text.slice(i, j + 1)) as string;
        if (!seen.has(key)) {
          seen.add(key);
          keys.push(key);
        }
        expectKey = false;
      }
      i = j;
    } else if (c === 123 /* { */ || c === 91 /* [ */) {
      depth++;
      if (depth === 1) expectKey = c === 123;
    } else if (c === 125 /* } */ || c === 93 /* ] */) depth--;
    else if (c === 44 /* , */ && depth === 1) expectKey = true;
  }
  return keys;
}

/**
 * `[key, value]` pairs of a parsed JSON object in file order (see {@link objectKeysInFileOrder}).
 *
 * @example
 * ```ts
 * const text = '{"10": {"a": 1}, "2": {"a": 2}}';
 * entriesInFileOrder(text, JSON.parse(text)); // [['10', { a: 1 }], ['2', { a: 2 }]]
 * ```
 */
export function entriesInFileOrder(text: string, value: Record<string, unknown>): [string, unknown][] {
  return objectKeysInFileOrder(text).map((key) => [
    key,
    Object.getOwnPropertyDescriptor(value, key)?.value as unknown,
  ]);
}
