import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { dirname, extname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { MmtlError, assert, readJsonlLines, readRecords, recordFormatOf } from '../core/index.js';
import type { ApplyLFsToFileOptions, ApplyResult } from './apply.js';
import { checkCardinality, fileSize, isList } from './checks.js';
import { LabelMatrix } from './label-matrix.js';
import { GrowableLabels } from './lf-runner.js';
import type { SerializedError, ToMain, ToWorker, WorkerInit } from './worker-protocol.js';

/** Options of {@link applyLFsParallel}. */
export interface ApplyLFsParallelOptions extends ApplyLFsToFileOptions {
  /** Worker threads. Default: available cores, at most 8. */
  workers?: number | undefined;
  /** Rows per chunk sent to a worker. Default 2000. */
  chunkSize?: number | undefined;
}

const TS_RE = /\.[mc]?ts$/;

/**
 * Starts a worker thread running `apply-worker` (internal: shared with {@link LFApplierPool}). When this module runs as TypeScript (vitest, tsx) or the LF
 * module is TypeScript, the worker first registers tsx's ESM loader (`tsx/esm/api` `register()`), so both
 * `.ts` and `.js` LF modules load; from the compiled `.js` library, a `.js` LF module needs nothing extra.
 */
export function startWorker(init: WorkerInit): Worker {
  const here = fileURLToPath(import.meta.url);
  const entry = pathToFileURL(join(dirname(here), `apply-worker${extname(here)}`)).href;
  let code = `import(${JSON.stringify(entry)})`;
  if (TS_RE.test(here) || TS_RE.test(init.modulePath)) {
    let api: string;
    try {
      const pkg = createRequire(import.meta.url).resolve('tsx/package.json');
      api = pathToFileURL(join(dirname(pkg), 'dist', 'esm', 'api', 'index.mjs')).href;
    } catch (e) {
      throw new MmtlError(
        'E_LF',
        `cannot load the TypeScript LF module '${init.modulePath}' in worker threads`,
        {
          cause: e,
          hint: 'install tsx (npm i -D tsx), or compile the LF module to .js',
        },
      );
    }
    code = `import(${JSON.stringify(api)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); })`;
  }
  return new Worker(code, { eval: true, workerData: init });
}

/** Streams what a worker gets per row (a parsed record or a raw JSONL line) with its file line. */
async function* rowsOf(
  source: AsyncIterable<{ record: Record<string, unknown>; line: number } | { text: string; line: number }>,
): AsyncGenerator<{ item: unknown; line: number }> {
  for await (const r of source) yield { item: 'text' in r ? r.text : r.record, line: r.line };
}

/** Turns an error that crossed the thread boundary back into an {@link MmtlError}. */
export function rebuild(error: SerializedError): MmtlError {
  const cause = error.cause ? Object.assign(new Error(error.cause.message), error.cause) : undefined;
  return new MmtlError(error.code, error.message, { hint: error.hint, details: error.details, cause });
}

/** One worker and the chunks it has in flight. */
interface Slot {
  worker: Worker;
  pending: number;
}

/**
 * Applies the LFs exported by module `lfModule` (see {@link lfsFromExports}) to a JSONL/CSV/TSV file or an
 * in-memory array, on worker threads. Rows are sent in chunks to the least busy worker; each worker loads
 * the module once. The result is identical to {@link applyLFsToFile} / {@link applyLFs} with the same LFs,
 * failures and errors included (on an error, the one on the earliest row is reported). Works with `.js` LF
 * modules, and with `.ts` ones when tsx is installed (it is registered in each worker). Items must be
 * structured-cloneable (plain data).
 *
 * @example
 * ```ts
 * // lfs/youtube.ts: export const lfs = [keywordLF({ name: 'kw_my', keywords: ['my'], label: 1 }), ...];
 * const { L, failures } = await applyLFsParallel('lfs/youtube.ts', 'data/train.jsonl', { workers: 4 });
 * L.names; // ['kw_my', ...]
 * ```
 */
export async function applyLFsParallel(
  lfModule: string,
  data: string | readonly unknown[],
  options: ApplyLFsParallelOptions = {},
): Promise<ApplyResult> {
  const fn = 'applyLFsParallel';
  assert(
    typeof lfModule === 'string' && lfModule !== '',
    'E_ARG',
    () => `Argument 'lfModule' passed to '${fn}' must be the path of a module that exports LFs`,
  );
  assert(
    typeof data === 'string' || isList(data),
    'E_ARG',
    () => `Argument 'data' passed to '${fn}' must be a file path or an array of data points`,
  );
  const nWorkers = options.workers ?? Math.min(8, availableParallelism());
  const chunkSize = options.chunkSize ?? 2000;
  assert(
    Number.isInteger(nWorkers) && nWorkers >= 1,
    'E_ARG',
    () => `Argument 'workers' passed to '${fn}' must be an integer ≥ 1, got ${nWorkers}`,
  );
  assert(
    Number.isInteger(chunkSize) && chunkSize >= 1,
    'E_ARG',
    () => `Argument 'chunkSize' passed to '${fn}' must be an integer ≥ 1, got ${chunkSize}`,
  );
  const path = typeof data === 'string' ? data : undefined;
  const init: WorkerInit = {
    modulePath: isAbsolute(lfModule) ? lfModule : resolve(lfModule),
    faultTolerant: options.faultTolerant ?? false,
    path,
    idField: options.idField,
  };

  const slots: Slot[] = [];
  // Set from worker callbacks: a fatal error (module failed to load, worker died), and the LF error on the
  // earliest row seen so far.
  const state: { fatal?: MmtlError; failure?: { row: number; error: MmtlError } } = {};
  const throwIfFatal = (): void => {
    if (state.fatal) throw state.fatal;
  };
  const failed = (): boolean => state.failure !== undefined;
  let wake: (() => void) | undefined;
  const notify = (): void => {
    const w = wake;
    wake = undefined;
    w?.();
  };
  const waitForEvent = (): Promise<void> => new Promise((r) => (wake = r));

  let names: string[] | undefined;
  let moduleCardinality: number | undefined;
  let ready = 0;
  let buf: GrowableLabels | undefined;
  let failures: Int32Array | undefined;
  const rowIds: string[] | undefined = options.idField === undefined ? undefined : [];
  // Per chunk id: where its votes go and its first row.
  const offsets = new Map<number, { offset: number; start: number }>();

  try {
    for (let w = 0; w < nWorkers; w++) {
      const worker = startWorker(init);
      const slot: Slot = { worker, pending: 0 };
      slots.push(slot);
      worker.on('message', (msg: ToMain) => {
        if (msg.type === 'ready') {
          names ??= msg.names;
          moduleCardinality = msg.cardinality;
          ready++;
        } else if (msg.type === 'result') {
          slot.pending--;
          const { offset, start } = offsets.get(msg.id)!;
          offsets.delete(msg.id);
          buf!.data.set(msg.data, offset);
          if (rowIds && msg.ids) msg.ids.forEach((id, i) => (rowIds[start + i] = id));
          msg.failures.forEach((c, j) => (failures![j]! += c));
        } else if (msg.type === 'failed') {
          slot.pending--;
          const error = rebuild(msg.error);
          const row = typeof error.details?.row === 'number' ? error.details.row : msg.row;
          if (!state.failure || row < state.failure.row) state.failure = { row, error };
        } else {
          state.fatal ??= rebuild(msg.error);
        }
        notify();
      });
      worker.on('error', (e) => {
        state.fatal ??= new MmtlError('E_LF', `LF worker failed: ${e.message}`, { cause: e });
        notify();
      });
      worker.on('exit', (code) => {
        if (code !== 0 || slot.pending > 0)
          state.fatal ??= new MmtlError('E_LF', `LF worker exited with code ${code}`);
        notify();
      });
    }
    while (ready < nWorkers && state.fatal === undefined) await waitForEvent();
    throwIfFatal();
    const k = checkCardinality(options.cardinality ?? moduleCardinality, fn);
    const m = names!.length;
    buf = new GrowableLabels(m, k);
    failures = new Int32Array(m);
    const maxInFlight = 2 * nWorkers;
    const inFlight = (): number => slots.reduce((s, x) => s + x.pending, 0);
    let nextId = 0;

    const dispatch = async (items: unknown[], lines: number[] | undefined, raw = false): Promise<void> => {
      while (inFlight() >= maxInFlight && !state.fatal && !failed()) await waitForEvent();
      throwIfFatal();
      if (failed()) return;
      const slot = slots.reduce((a, b) => (b.pending < a.pending ? b : a));
      const id = nextId++;
      const start = buf!.n;
      offsets.set(id, { offset: buf!.addRows(items.length), start });
      slot.pending++;
      const msg: ToWorker = { type: 'chunk', id, start, cardinality: k, items, raw, lines };
      slot.worker.postMessage(msg);
    };

    const progress = { rows: 0, bytesRead: 0, totalBytes: 0 };
    if (path === undefined) {
      const items = data as readonly unknown[];
      for (let s = 0; s < items.length && !failed(); s += chunkSize) {
        await dispatch(items.slice(s, s + chunkSize), undefined);
      }
    } else {
      if (options.onProgress) progress.totalBytes = await fileSize(path);
      let items: unknown[] = [];
      let lines: number[] = [];
      const every = options.progressEvery ?? 1000;
      // JSONL lines go to the workers unparsed (parsing is most of the cost); CSV/TSV rows go parsed.
      const raw = (options.format ?? recordFormatOf(path, fn)) === 'jsonl';
      const onData = (bytes: number): void => {
        progress.bytesRead += bytes;
      };
      const source = raw
        ? readJsonlLines(path, { onData })
        : readRecords(path, { format: options.format, onData });
      for await (const { item, line } of rowsOf(source)) {
        items.push(item);
        lines.push(line);
        progress.rows++;
        if (options.onProgress && progress.rows % every === 0) options.onProgress({ ...progress });
        if (items.length === chunkSize) {
          await dispatch(items, lines, raw);
          if (failed()) break;
          items = [];
          lines = [];
        }
      }
      if (items.length > 0 && !failed()) await dispatch(items, lines, raw);
    }
    while (inFlight() > 0 && !state.fatal) await waitForEvent();
    throwIfFatal();
    const failure = state.failure as { error: MmtlError } | undefined;
    if (failure) throw failure.error;
    if (options.onProgress && path !== undefined) {
      options.onProgress({ rows: buf.n, bytesRead: progress.totalBytes, totalBytes: progress.totalBytes });
    }
    const L = new LabelMatrix({ n: buf.n, m, data: buf.finish(), names: names!, rowIds });
    return { L, failures: Object.fromEntries(names!.map((name, j) => [name, failures![j]!])) };
  } finally {
    for (const slot of slots) slot.worker.removeAllListeners('exit');
    await Promise.all(slots.map((s) => s.worker.terminate()));
  }
}
