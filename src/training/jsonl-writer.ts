import { createWriteStream, fstatSync } from 'node:fs';
import type { WriteStream } from 'node:fs';
import { mkdir, readFile, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { MmtlError, assert, writeFileAtomic } from '../core/index.js';

/**
 * Append-only JSON Lines logs: one JSON object per line. The metric log of a run holds one
 * {@link MetricRecord} per logging event. Non-finite numbers (which JSON cannot hold) are written as the
 * strings "NaN", "Infinity" and "-Infinity" and turned back into numbers by {@link readMetricLog}.
 */

/**
 * One line of a metric log.
 *
 * @example
 * ```ts
 * const r: MetricRecord = { step: 200, epoch: 1, wallTime: 1700000000.5, metrics: { 'model/all/train/loss': 0.52 } };
 * ```
 */
export interface MetricRecord {
  /** Optimizer steps done when the metrics were taken. */
  step: number;
  /** Epoch (fractional when logged mid-epoch). */
  epoch: number;
  /** Seconds since the Unix epoch. */
  wallTime: number;
  /** Values by metric key (`task/dataset/split/metric`). */
  metrics: Record<string, number>;
}

/** Options of {@link JsonlWriter.open}. */
export interface JsonlWriterOptions<T = unknown> {
  /** Append to an existing file (default) or truncate it. */
  append?: boolean;
  /**
   * Start the file anew holding exactly these records, atomically (a temporary file renamed over the path),
   * then append; overrides `append`. A crash while a resumed run rewrites its log then leaves the old log
   * or the new one, never a truncated one.
   */
  replaceWith?: readonly T[];
  /**
   * Lines are held in memory until they reach this many bytes, then handed to the operating system. The
   * default 0 hands every line over before `write` resolves, so a killed process (kill -9) loses nothing it
   * wrote; a bulk writer of many small records may buffer (e.g. 64 KiB) and call `flush` at its own marks.
   */
  maxBufferedBytes?: number;
}

function encodeNonFinite(_key: string, value: unknown): unknown {
  return typeof value === 'number' && !Number.isFinite(value) ? String(value) : value;
}

/**
 * Appends JSON objects to a file, one per line, through a `node:fs` write stream. By default every `write`
 * reaches the operating system before it resolves (a crash loses nothing written); with `maxBufferedBytes`
 * lines are buffered up to that size. `flush` hands everything to the OS; `close` flushes and closes.
 *
 * Every hand-over first checks that the path still names the open file: a file (or its folder) deleted or
 * moved while the log is open is an `E_IO` error, so a run whose folder was removed stops instead of
 * writing into nowhere. After that error, `close` releases the file quietly.
 *
 * @example
 * ```ts
 * const log = await JsonlWriter.open<MetricRecord>('runs/a/metrics.jsonl');
 * await log.write({ step: 10, epoch: 0.5, wallTime: Date.now() / 1000, metrics: { 'model/all/train/loss': 0.69 } });
 * await log.close();
 * // runs/a/metrics.jsonl: {"step":10,"epoch":0.5,"wallTime":…,"metrics":{"model/all/train/loss":0.69}}
 * ```
 */
export class JsonlWriter<T = unknown> {
  private lines: string[] = [];
  private bytes = 0;
  private failure: Error | undefined;
  private gone: MmtlError | undefined;
  private closed = false;

  private constructor(
    /** The file written. */
    readonly path: string,
    private readonly stream: WriteStream,
    private readonly maxBufferedBytes: number,
  ) {
    stream.on('error', (e) => {
      this.failure = e;
    });
  }

  /** Opens (creating folders as needed) a JSONL file for appending. */
  static async open<T = unknown>(path: string, options: JsonlWriterOptions<T> = {}): Promise<JsonlWriter<T>> {
    const max = options.maxBufferedBytes ?? 0;
    assert(
      Number.isInteger(max) && max >= 0,
      'E_ARG',
      () => `Argument 'maxBufferedBytes' passed to 'JsonlWriter.open' must be an integer ≥ 0, got ${max}`,
    );
    if (options.replaceWith !== undefined) {
      const text = options.replaceWith.map((r) => `${JSON.stringify(r, encodeNonFinite)}\n`).join('');
      await writeFileAtomic(path, text);
    }
    try {
      await mkdir(dirname(path), { recursive: true });
      const truncate = options.append === false && options.replaceWith === undefined;
      const stream = createWriteStream(path, { flags: truncate ? 'w' : 'a' });
      await new Promise<void>((resolve, reject) => {
        stream.once('ready', () => resolve());
        stream.once('error', reject);
      });
      return new JsonlWriter<T>(path, stream, max);
    } catch (e) {
      throw new MmtlError('E_IO', `could not open '${path}' for writing: ${(e as Error).message}`, {
        cause: e,
      });
    }
  }

  /**
   * Appends one record; resolves once it reached the operating system (default), or once it is buffered
   * when `maxBufferedBytes` is set (waiting for the stream to drain when full).
   */
  async write(record: T): Promise<void> {
    this.check('write');
    const line = `${JSON.stringify(record, encodeNonFinite)}\n`;
    this.lines.push(line);
    this.bytes += Buffer.byteLength(line);
    if (this.maxBufferedBytes === 0) await this.flush();
    else if (this.bytes >= this.maxBufferedBytes) {
      await this.checkStillThere();
      if (!this.stream.write(this.take())) await this.waitFor('drain');
    }
  }

  /** Hands every buffered line to the operating system. */
  async flush(): Promise<void> {
    this.check('flush');
    await this.checkStillThere();
    const chunk = this.take();
    if (chunk === '') return;
    await new Promise<void>((resolve, reject) => {
      this.stream.write(chunk, (e) => {
        if (e) reject(this.ioError(e));
        else resolve();
      });
    });
  }

  /** Flushes and closes the file; further writes are errors. Closing twice is allowed. */
  async close(): Promise<void> {
    if (this.closed) return;
    if (this.gone !== undefined) {
      // the error was thrown already; release the file without writing
      this.closed = true;
      this.stream.destroy();
      return;
    }
    await this.flush();
    this.closed = true;
    await new Promise<void>((resolve, reject) => {
      this.stream.once('close', () => resolve());
      this.stream.once('error', (e) => reject(this.ioError(e)));
      this.stream.end();
    });
  }

  private take(): string {
    const chunk = this.lines.join('');
    this.lines = [];
    this.bytes = 0;
    return chunk;
  }

  /** Throws `E_IO` (and remembers it) when the path no longer names the open file. */
  private async checkStillThere(): Promise<void> {
    const fd = (this.stream as unknown as { fd: number | null }).fd; // set once the stream is open
    if (typeof fd !== 'number') return;
    const open = fstatSync(fd);
    const now = await stat(this.path).catch(() => undefined);
    if (now?.ino === open.ino && now.dev === open.dev) return;
    this.gone = new MmtlError(
      'E_IO',
      `'${this.path}' was ${now === undefined ? 'deleted' : 'replaced'} while it was being written (its folder deleted or moved?)`,
      { hint: 'the run was stopped and nothing was recreated; keep the run folder in place while it runs' },
    );
    throw this.gone;
  }

  private check(fn: string): void {
    if (this.gone !== undefined) throw this.gone;
    if (this.failure !== undefined) throw this.ioError(this.failure);
    assert(!this.closed, 'E_STATE', () => `'JsonlWriter.${fn}' called after close on '${this.path}'`);
  }

  private waitFor(event: 'drain'): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const onError = (e: Error): void => {
        this.stream.off(event, onOk);
        reject(this.ioError(e));
      };
      const onOk = (): void => {
        this.stream.off('error', onError);
        resolve();
      };
      this.stream.once(event, onOk);
      this.stream.once('error', onError);
    });
  }

  private ioError(e: Error): MmtlError {
    return new MmtlError('E_IO', `could not write '${this.path}': ${e.message}`, { cause: e });
  }
}

/**
 * Reads a JSONL file into an array of parsed lines. Blank lines are skipped. A last line without its
 * newline that does not parse (a write cut short by a crash) is dropped; any other bad line is an `E_DATA`
 * error naming the line.
 *
 * @example
 * ```ts
 * await readJsonl('runs/a/metrics.jsonl'); // [{ step: 10, epoch: 0.5, wallTime: …, metrics: { … } }, …]
 * ```
 */
export async function readJsonl(path: string): Promise<unknown[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw new MmtlError('E_IO', `could not read '${path}': ${(e as Error).message}`, { cause: e });
  }
  const lines = text.split('\n');
  const out: unknown[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === '') continue;
    try {
      out.push(JSON.parse(line));
    } catch (e) {
      if (i === lines.length - 1) break; // torn last line
      throw new MmtlError('E_DATA', `'${path}' line ${i + 1} is not valid JSON: ${(e as Error).message}`, {
        cause: e,
      });
    }
  }
  return out;
}

function reviveNumber(v: unknown): number {
  if (typeof v === 'number') return v;
  if (v === 'NaN') return NaN;
  if (v === 'Infinity') return Infinity;
  if (v === '-Infinity') return -Infinity;
  throw new MmtlError('E_DATA', `metric log value ${JSON.stringify(v)} is not a number`);
}

/**
 * Reads a metric log written with {@link JsonlWriter}, restoring non-finite values.
 *
 * @example
 * ```ts
 * const recs = await readMetricLog('runs/a/metrics.jsonl');
 * recs.map((r) => r.metrics['model/all/train/loss']); // [0.69, 0.52, NaN, …]
 * ```
 */
export async function readMetricLog(path: string): Promise<MetricRecord[]> {
  return (await readJsonl(path)).map((raw, i) => {
    const r = raw as Partial<Record<keyof MetricRecord, unknown>> | null;
    if (r === null || typeof r !== 'object' || typeof r.metrics !== 'object' || r.metrics === null) {
      throw new MmtlError('E_DATA', `'${path}' record ${i + 1} is not a metric record`);
    }
    const metrics: Record<string, number> = {};
    for (const [k, v] of Object.entries(r.metrics)) metrics[k] = reviveNumber(v);
    return {
      step: reviveNumber(r.step),
      epoch: reviveNumber(r.epoch),
      wallTime: reviveNumber(r.wallTime),
      metrics,
    };
  });
}
