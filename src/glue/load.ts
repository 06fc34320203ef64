import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { MmtlError, assert, missingDataHint, resolveDataPath } from '../core/index.js';
import { glueTask } from './registry.js';
import type { GlueColumn, GlueFileSpec, GlueSplit, GlueTaskSpec } from './task-spec.js';

/** One example of a GLUE split. */
export interface GlueRow {
  /** The row id of files that have one (test files' `index`, which submissions must echo). */
  index?: string;
  /** The first (or only) text. */
  textA: string;
  /** The second text of sentence-pair tasks. */
  textB?: string;
  /** The gold label: a class id (see the task's `labels`) or a regression target; absent in test files. */
  label?: number;
  /** 1-based line of the file the row came from. */
  line: number;
}

/** A row left out with `onBadRow: 'skip'`. */
export interface SkippedRow {
  /** 1-based line in the file. */
  line: number;
  /** Why it was left out, e.g. `'expected 4 columns, got 3'`. */
  reason: string;
}

/** Options of {@link loadGlueSplit}. */
export interface LoadGlueSplitOptions {
  /** A malformed row fails with `E_DATA` (`'error'`, default) or is left out and listed in `skipped`. */
  onBadRow?: 'error' | 'skip';
  /** Stop after this many good rows (default: all). */
  maxRows?: number;
}

/** The rows of one GLUE split. */
export interface GlueSplitData {
  /** The good rows, in file order. */
  rows: GlueRow[];
  /** The rows left out (only with `onBadRow: 'skip'`). */
  skipped: SkippedRow[];
  /** The file read. */
  path: string;
}

const LAYOUT_HINT =
  'expected the glue_data layout written by download_glue_data.py: <glueDir>/<TASK>/{train,dev,test}.tsv (MNLI: dev_matched.tsv, dev_mismatched.tsv, test_matched.tsv, test_mismatched.tsv; AX: diagnostic/diagnostic.tsv)';

const BAD_ROW_POLICIES = ['error', 'skip'] as const;

interface Resolved {
  columns: number;
  index: number | undefined;
  textA: number;
  textB: number | undefined;
  label: number | undefined;
}

function resolveColumns(file: GlueFileSpec, header: string[] | null, path: string): Resolved {
  const find = (col: GlueColumn | undefined, role: string): number | undefined => {
    if (col === undefined) return undefined;
    if (typeof col === 'number') return col;
    const i = header?.indexOf(col) ?? -1;
    if (i < 0) {
      throw new MmtlError(
        'E_DATA',
        `'${path}' line 1: the header has no ${role} column '${col}'; it has ${header?.map((h) => `'${h}'`).join(', ') ?? '(none)'}`,
        { details: { path, line: 1 }, hint: LAYOUT_HINT },
      );
    }
    return i;
  };
  return {
    columns: file.columns ?? header?.length ?? 0,
    index: find(file.index, 'index'),
    textA: find(file.textA, 'text A')!,
    textB: find(file.textB, 'text B'),
    label: find(file.label, 'label'),
  };
}

/** The row parsed from `fields`, or the reason it is malformed. */
function parseRow(fields: string[], cols: Resolved, spec: GlueTaskSpec, line: number): GlueRow | string {
  if (fields.length !== cols.columns) {
    return `expected ${cols.columns} columns, got ${fields.length} (GLUE TSVs are read without quoting; a tab or newline inside a text breaks the row)`;
  }
  const row: GlueRow = { textA: fields[cols.textA]!, line };
  if (row.textA.trim() === '') return 'text A is empty';
  if (cols.textB !== undefined) {
    row.textB = fields[cols.textB]!;
    if (row.textB.trim() === '') return 'text B is empty';
  }
  if (cols.index !== undefined) {
    row.index = fields[cols.index]!.trim();
    if (row.index === '') return 'the index is empty';
  }
  if (cols.label !== undefined) {
    const raw = fields[cols.label]!;
    const label = spec.parseLabel(raw);
    if (label === undefined) {
      const expected =
        spec.head.kind === 'regression'
          ? `a number in [${spec.head.min}, ${spec.head.max}]`
          : `one of ${spec.labels.map((l) => `'${l}'`).join(', ')}`;
      return `unknown label ${JSON.stringify(raw)}; expected ${expected}`;
    }
    row.label = label;
  }
  return row;
}

async function checkPaths(glueDir: string, dir: string, path: string): Promise<void> {
  const dirStat = await stat(dir).catch(() => undefined);
  if (!dirStat?.isDirectory()) {
    throw new MmtlError('E_IO', `'loadGlueSplit' found no folder '${glueDir}' (argument 'glueDir')`, {
      hint: `${missingDataHint(glueDir, "the experiment's glueDir or the command's --glue-dir")}; ${LAYOUT_HINT}`,
    });
  }
  const fileStat = await stat(path).catch(() => undefined);
  if (!fileStat?.isFile()) {
    throw new MmtlError('E_IO', `'loadGlueSplit' found no file '${path}'`, { hint: LAYOUT_HINT });
  }
}

/**
 * Reads one split of a GLUE task from a standard `glue_data` folder. Lines are split on tabs with no quote
 * handling (GLUE texts contain quotes); a UTF-8 byte-order mark and `\r\n` endings are accepted, blank lines
 * ignored. Text, label and index columns are found by header name (by position in CoLA's header-less
 * train/dev files). A malformed row — wrong column count, empty text or index, unknown label — fails with
 * `E_DATA` naming the file and line, or is left out and listed with `onBadRow: 'skip'`. A missing folder or
 * file fails with `E_IO`, an unknown task or split with `E_UNKNOWN`.
 *
 * @example
 * ```ts
 * const { rows, skipped } = await loadGlueSplit('data/glue', 'RTE', 'dev');
 * rows.length; // 277
 * rows[0];     // { index: '0', textA: 'Dana Reeve, the widow of …', textB: 'Christopher Reeve had an accident.', label: 1, line: 2 }
 * skipped;     // []
 * await loadGlueSplit('data/glue', 'MNLI', 'dev'); // throws E_UNKNOWN: … expected one of train, dev_matched, …
 * ```
 */
export async function loadGlueSplit(
  glueDir: string,
  task: string,
  split: GlueSplit,
  options: LoadGlueSplitOptions = {},
): Promise<GlueSplitData> {
  const { onBadRow = 'error', maxRows = Infinity } = options;
  assert(
    BAD_ROW_POLICIES.includes(onBadRow),
    'E_ARG',
    () =>
      `Argument 'onBadRow' passed to 'loadGlueSplit' must be one of error, skip, got ${JSON.stringify(onBadRow)}`,
  );
  assert(
    maxRows === Infinity || (Number.isInteger(maxRows) && maxRows >= 0),
    'E_ARG',
    () => `Argument 'maxRows' passed to 'loadGlueSplit' must be an integer ≥ 0, got ${maxRows}`,
  );
  const spec = glueTask(task);
  const file = spec.splits[split];
  if (file === undefined) {
    throw new MmtlError(
      'E_UNKNOWN',
      `Argument 'split' passed to 'loadGlueSplit': task '${task}' has no split '${split}'; expected one of ${Object.keys(spec.splits).join(', ')}`,
    );
  }
  const dir = resolveDataPath(glueDir);
  const path = join(dir, file.path);
  await checkPaths(glueDir, dir, path);

  const rows: GlueRow[] = [];
  const skipped: SkippedRow[] = [];
  let cols: Resolved | undefined = file.header ? undefined : resolveColumns(file, null, path);
  const stream = createReadStream(path, { encoding: 'utf8' });
  const lines = createInterface({ input: stream, crlfDelay: Infinity });
  let line = 0;
  try {
    for await (const raw of lines) {
      if (cols !== undefined && rows.length >= maxRows) break;
      line++;
      let text = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
      if (line === 1) text = text.replace(/^\uFEFF/, '');
      if (cols === undefined) {
        cols = resolveColumns(file, text.split('\t'), path);
        continue;
      }
      if (text.trim() === '') continue;
      const row = parseRow(text.split('\t'), cols, spec, line);
      if (typeof row !== 'string') rows.push(row);
      else if (onBadRow === 'skip') skipped.push({ line, reason: row });
      else {
        throw new MmtlError('E_DATA', `'${path}' line ${line}: ${row}`, {
          details: { path, line },
          hint: "pass onBadRow: 'skip' to leave malformed rows out",
        });
      }
    }
  } catch (e) {
    if (e instanceof MmtlError) throw e;
    throw new MmtlError('E_IO', `could not read '${path}': ${(e as Error).message}`, { cause: e });
  } finally {
    lines.close();
    stream.destroy();
  }
  if (cols === undefined) {
    throw new MmtlError('E_DATA', `'${path}' is empty; expected a header row`, {
      details: { path, line: 0 },
    });
  }
  return { rows, skipped, path };
}
