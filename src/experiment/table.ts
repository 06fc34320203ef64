import { existsSync } from 'node:fs';
import { MmtlError, readRecords, recordFormatOf, type LineRecord } from '../core/index.js';

/** How a data file is read (CSV/TSV options; JSONL and JSON ignore them). */
export interface TableOptions {
  /** Line 1 holds the column names (default true). */
  header?: boolean | undefined;
  /** Column names (headerless files; with a header they replace its names). */
  columns?: readonly string[] | undefined;
  /** Field delimiter (default `,` for .csv, a tab for .tsv). */
  delimiter?: string | undefined;
}

/** The rows of one data file, with the columns they have. */
export interface Table {
  /** The file. */
  path: string;
  /** Column names: the CSV/TSV header (or `columns`), or every key seen in JSONL/JSON records, in order. */
  columns: string[];
  /** The rows with their 1-based lines. */
  rows: LineRecord[];
}

/**
 * Reads a whole .csv/.tsv/.jsonl/.json file into rows. A missing file fails with `E_IO`, a file with no rows
 * (an empty split) with `E_DATA`, both naming `what` (e.g. `task 'topic' train`) and the file.
 *
 * @example
 * ```ts
 * const t = await readTable('data/train.csv', {}, "task 'topic' train");
 * t.columns;          // ['id', 'text', 'label']
 * t.rows[0];          // { record: { id: '1', text: 'rain all day', label: 'weather' }, line: 2 }
 * ```
 */
export async function readTable(
  path: string,
  options: TableOptions,
  what: string,
  maxRows = Infinity,
): Promise<Table> {
  recordFormatOf(path, 'readTable');
  if (!existsSync(path)) {
    throw new MmtlError('E_IO', `${what}: no such file '${path}'`, {
      hint: 'paths in an experiment file are relative to the experiment file',
    });
  }
  const rows: LineRecord[] = [];
  const seen = new Set<string>();
  const columns: string[] = [];
  for await (const r of readRecords(path, {
    header: options.header,
    columns: options.columns,
    delimiter: options.delimiter,
  })) {
    if (rows.length >= maxRows) break;
    rows.push(r);
    for (const k of Object.keys(r.record)) {
      if (!seen.has(k)) {
        seen.add(k);
        columns.push(k);
      }
    }
  }
  if (rows.length === 0) {
    throw new MmtlError('E_DATA', `${what}: '${path}' has no rows (an empty split)`, {
      hint: 'put at least one row in the file, or leave the split out of data:',
      details: { path },
    });
  }
  return { path, columns, rows };
}

/**
 * Fails with `E_DATA` unless every row of `table` has each of `fields`, naming the file, the first line
 * without it, the field, the setting that asked for it and the columns that exist.
 *
 * @example
 * ```ts
 * requireFields(table, ['txt'], "tasks[0].input", "task 'topic' train");
 * // throws E_DATA: task 'topic' train: 'data/train.csv' line 2 has no field 'txt' (asked for by tasks[0].input); the columns are id, text, label
 * ```
 */
export function requireFields(table: Table, fields: readonly string[], setting: string, what: string): void {
  for (const field of fields) {
    const bad = table.rows.find((r) => !(field in r.record));
    if (bad === undefined) continue;
    const exists = table.columns.includes(field);
    throw new MmtlError(
      'E_DATA',
      `${what}: '${table.path}' line ${bad.line} has no field '${field}' (asked for by ${setting}); ${exists ? 'other rows have it' : `the columns are ${table.columns.join(', ')}`}`,
      {
        hint: exists
          ? 'give every row a value for it'
          : `set ${setting} to one of the columns, or add a '${field}' column`,
        details: { path: table.path, line: bad.line, field },
      },
    );
  }
}
