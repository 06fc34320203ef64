import { assert, readRecords, type RecordFormat } from '../core/index.js';
import { LabelMatrix, allocateLabelData } from './label-matrix.js';
import { checkLFs, type LabelingFunction } from './labeling-function.js';
import { checkCardinality, fileSize, isList, rowIdOf } from './checks.js';
import { GrowableLabels, LFRunner } from './lf-runner.js';

/** Options of {@link applyLFs}. */
export interface ApplyLFsOptions {
  /** Number of classes `k`: every vote must be an integer in `-1..k-1`. Default 2. */
  cardinality?: number | undefined;
  /**
   * Count an LF that throws on a row as an abstain (and count the failure) instead of failing with `E_LF`.
   * A vote outside `-1..k-1` is always an error. Default false.
   */
  faultTolerant?: boolean | undefined;
  /** Field whose value becomes the row id (`L.rowIds`); none by default. */
  idField?: string | undefined;
}

/** What an applier returns. */
export interface ApplyResult {
  /** The label matrix, one column per LF in the order given. */
  L: LabelMatrix;
  /** Per LF name, how many rows it threw on (fault-tolerant mode; all 0 otherwise). */
  failures: Record<string, number>;
}

/** Progress of {@link applyLFsToFile}. */
export interface ApplyProgress {
  /** Rows labeled so far. */
  rows: number;
  /** Bytes of the file read so far. */
  bytesRead: number;
  /** Size of the file in bytes. */
  totalBytes: number;
}

/** Options of {@link applyLFsToFile}. */
export interface ApplyLFsToFileOptions extends ApplyLFsOptions {
  /** The file's format; from its extension when left out. */
  format?: RecordFormat | undefined;
  /** Called every {@link ApplyLFsToFileOptions.progressEvery} rows and once at the end. */
  onProgress?: ((progress: ApplyProgress) => void) | undefined;
  /** Rows between progress calls. Default 1000. */
  progressEvery?: number | undefined;
}

/**
 * Applies LFs to an in-memory array of data points (Snorkel's `LFApplier`) and returns the label matrix
 * plus per-LF failure counts.
 *
 * @example
 * ```ts
 * const lfs = [
 *   keywordLF({ name: 'kw_subscribe', keywords: ['subscribe'], label: 1 }),
 *   keywordLF({ name: 'kw_song', keywords: ['song'], label: 0 }),
 * ];
 * const { L, failures } = applyLFs(lfs, [{ text: 'subscribe!' }, { text: 'nice song' }], { cardinality: 2 });
 * L.toRows();  // [[1, -1], [-1, 0]]
 * failures;    // { kw_subscribe: 0, kw_song: 0 }
 * ```
 */
export function applyLFs(
  lfs: readonly LabelingFunction<unknown, object>[],
  items: readonly unknown[],
  options: ApplyLFsOptions = {},
): ApplyResult {
  checkLFs(lfs, 'applyLFs');
  assert(
    isList(items),
    'E_ARG',
    () => `Argument 'items' passed to 'applyLFs' must be an array of data points, got ${typeof items}`,
  );
  const k = checkCardinality(options.cardinality, 'applyLFs');
  const m = lfs.length;
  const runner = new LFRunner(lfs, k, options.faultTolerant ?? false);
  const data = allocateLabelData(items.length * m, k);
  const rowIds = options.idField === undefined ? undefined : new Array<string>(items.length);
  for (let i = 0; i < items.length; i++) {
    const x = items[i];
    if (rowIds) rowIds[i] = rowIdOf(x, options.idField!, `Argument 'items' passed to 'applyLFs': row ${i}`);
    runner.applyRow(x, { row: i }, data, i * m);
  }
  const L = new LabelMatrix({ n: items.length, m, data, names: lfs.map((lf) => lf.name), rowIds });
  return { L, failures: runner.failureRecord() };
}

/**
 * Applies LFs to every record of a JSONL, CSV or TSV file, streaming: memory holds the votes (one byte per
 * vote, in a typed array that doubles as needed), never the records. Row `i` is the `i`-th record.
 *
 * @example
 * ```ts
 * const { L, failures } = await applyLFsToFile(lfs, 'data/youtube-train.jsonl', {
 *   idField: 'id',
 *   faultTolerant: true,
 *   onProgress: ({ rows, bytesRead, totalBytes }) => bar.update(bytesRead),
 * });
 * L.n; // 1586
 * ```
 */
export async function applyLFsToFile(
  lfs: readonly LabelingFunction<unknown, object>[],
  path: string,
  options: ApplyLFsToFileOptions = {},
): Promise<ApplyResult> {
  checkLFs(lfs, 'applyLFsToFile');
  assert(
    typeof path === 'string' && path !== '',
    'E_ARG',
    () => `Argument 'path' passed to 'applyLFsToFile' must be a file path`,
  );
  const k = checkCardinality(options.cardinality, 'applyLFsToFile');
  const m = lfs.length;
  const runner = new LFRunner(lfs, k, options.faultTolerant ?? false);
  const buf = new GrowableLabels(m, k);
  const rowIds: string[] | undefined = options.idField === undefined ? undefined : [];
  const totalBytes = options.onProgress ? await fileSize(path) : 0;
  const every = options.progressEvery ?? 1000;
  const progress = { rows: 0, bytesRead: 0, totalBytes };
  for await (const { record, line } of readRecords(path, {
    format: options.format,
    onData: (bytes) => {
      progress.bytesRead += bytes;
    },
  })) {
    const row = buf.n;
    if (rowIds) rowIds.push(rowIdOf(record, options.idField!, `'${path}' line ${line}`));
    const offset = buf.addRow();
    runner.applyRow(record, { row, path, line }, buf.data, offset);
    if (options.onProgress && (row + 1) % every === 0) options.onProgress({ ...progress, rows: row + 1 });
  }
  if (options.onProgress) options.onProgress({ rows: buf.n, bytesRead: totalBytes, totalBytes });
  const L = new LabelMatrix({ n: buf.n, m, data: buf.finish(), names: lfs.map((lf) => lf.name), rowIds });
  return { L, failures: runner.failureRecord() };
}
