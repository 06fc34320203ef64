import { hostname as osHostname } from 'node:os';
import { writeSync } from 'node:fs';
import { mkdir, open, readFile } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { MmtlError, assert } from '../core/index.js';

/**
 * A small TensorBoard event-file writer and reader, no TensorFlow needed. A file is a sequence of TFRecords
 * (`u64 length LE, masked CRC32C of the length, data, masked CRC32C of the data`) whose data are protobuf
 * `Event` messages: `wall_time = 1 (double)`, `step = 2 (int64)`, `file_version = 3 (string, "brain.Event:2"
 * in the first record)`, `summary = 5 (Summary { value = 1 (Value { tag = 1, simple_value = 2 (float) }) })`,
 * `session_log = 6 (SessionLog { status = 1 (enum, START = 1) })`.
 * Proto3 rules apply: zero `wall_time` and `step` are omitted.
 */

const CRC32C_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0x82f63b78 : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

/**
 * CRC-32C (Castagnoli), as TFRecord uses.
 *
 * @example
 * ```ts
 * crc32c(new TextEncoder().encode('123456789')).toString(16); // 'e3069283'
 * ```
 */
export function crc32c(data: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of data) c = CRC32C_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/**
 * TFRecord's masked CRC: `((crc >>> 15) | (crc << 17)) + 0xa282ead8` mod 2^32.
 *
 * @example
 * ```ts
 * maskedCrc32c(new Uint8Array(0)).toString(16); // 'a282ead8'
 * ```
 */
export function maskedCrc32c(data: Uint8Array): number {
  const c = crc32c(data);
  return (((c >>> 15) | (c << 17)) + 0xa282ead8) >>> 0;
}

/**
 * Frames one record: length, masked CRC of the length, data, masked CRC of the data.
 *
 * @example
 * ```ts
 * frameRecord(new Uint8Array([1, 2, 3])).length; // 3 + 16
 * ```
 */
export function frameRecord(data: Uint8Array): Uint8Array {
  const out = new Uint8Array(data.length + 16);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(data.length), true);
  view.setUint32(8, maskedCrc32c(out.subarray(0, 8)), true);
  out.set(data, 12);
  view.setUint32(12 + data.length, maskedCrc32c(data), true);
  return out;
}

/** One scalar of a summary. */
export interface TfScalar {
  tag: string;
  value: number;
}

/**
 * An event as written and read back.
 *
 * @example
 * ```ts
 * const e: TfEvent = { wallTime: 1700000002.75, step: 200, scalars: [{ tag: 'model/all/train/loss', value: 0.52 }] };
 * ```
 */
export interface TfEvent {
  /** Seconds since the Unix epoch. */
  wallTime: number;
  step: number;
  /** Set on the file's first event only. */
  fileVersion?: string;
  /** Scalars (values are float32, so read-back values are rounded to float32). */
  scalars?: TfScalar[];
  /**
   * A SessionLog START marker: TensorBoard drops the events of earlier files whose step is ≥ this event's
   * step (how a resumed run hides the steps it repeats).
   */
  sessionStart?: boolean;
}

class ProtoWriter {
  private parts: number[] = [];
  varint(v: bigint): this {
    let x = BigInt.asUintN(64, v);
    while (x >= 0x80n) {
      this.parts.push(Number(x & 0x7fn) | 0x80);
      x >>= 7n;
    }
    this.parts.push(Number(x));
    return this;
  }
  key(field: number, wire: number): this {
    return this.varint(BigInt((field << 3) | wire));
  }
  bytes(field: number, b: Uint8Array): this {
    this.key(field, 2).varint(BigInt(b.length));
    for (const x of b) this.parts.push(x);
    return this;
  }
  fixed(field: number, value: number, kind: 'double' | 'float'): this {
    const b = new Uint8Array(kind === 'double' ? 8 : 4);
    const v = new DataView(b.buffer);
    if (kind === 'double') v.setFloat64(0, value, true);
    else v.setFloat32(0, value, true);
    this.key(field, kind === 'double' ? 1 : 5);
    for (const x of b) this.parts.push(x);
    return this;
  }
  finish(): Uint8Array {
    return Uint8Array.from(this.parts);
  }
}

const utf8 = new TextEncoder();

/**
 * Encodes one `Event` message (without TFRecord framing).
 *
 * @example
 * ```ts
 * encodeEvent({ wallTime: 0, step: 1, scalars: [{ tag: 'a', value: 1 }] });
 * // Uint8Array [0x10, 0x01, 0x2a, 0x0a, 0x0a, 0x08, 0x0a, 0x01, 0x61, 0x15, 0, 0, 0x80, 0x3f]
 * ```
 */
export function encodeEvent(event: TfEvent): Uint8Array {
  assert(
    Number.isInteger(event.step),
    'E_ARG',
    () => `Argument 'event.step' passed to 'encodeEvent' must be an integer, got ${event.step}`,
  );
  const w = new ProtoWriter();
  if (event.wallTime !== 0) w.fixed(1, event.wallTime, 'double');
  if (event.step !== 0) w.key(2, 0).varint(BigInt(event.step));
  if (event.fileVersion !== undefined) w.bytes(3, utf8.encode(event.fileVersion));
  if (event.scalars !== undefined) {
    const summary = new ProtoWriter();
    for (const s of event.scalars) {
      const value = new ProtoWriter();
      if (s.tag !== '') value.bytes(1, utf8.encode(s.tag));
      value.fixed(2, s.value, 'float');
      summary.bytes(1, value.finish());
    }
    w.bytes(5, summary.finish());
  }
  if (event.sessionStart === true) w.bytes(6, new ProtoWriter().key(1, 0).varint(1n).finish());
  return w.finish();
}

/** Options of {@link TfEventsWriter.open}. */
export interface TfEventsWriterOptions {
  /** Clock in seconds used for events without an explicit wall time (default `Date.now() / 1000`). */
  now?: () => number;
  /** Host name in the file name (default `os.hostname()`). */
  hostname?: string;
  /** Appended to the file name (e.g. `.stage1`). */
  filenameSuffix?: string;
  /**
   * Step a resumed run continues from: writes a SessionLog START at this step, so TensorBoard discards the
   * earlier files' events at steps ≥ it (PyTorch's `SummaryWriter(purge_step=…)`).
   */
  purgeStep?: number | undefined;
  /**
   * Write every event to the file as it is added (default true), so a killed process loses none; false
   * buffers events in memory until {@link TfEventsWriter.flush} or {@link TfEventsWriter.close}.
   */
  autoFlush?: boolean;
}

/**
 * Writes a TensorBoard event file `events.out.tfevents.<secs>.<host>` into a log folder (an existing file
 * is never overwritten: a second writer in the same second gets `….1`, `….2`, …). Each event reaches the
 * operating system as it is added (one small synchronous write), unless `autoFlush: false` buffers them
 * until {@link TfEventsWriter.flush} or {@link TfEventsWriter.close}.
 *
 * @example
 * ```ts
 * const tb = await TfEventsWriter.open('runs/a/tb');
 * tb.addScalars({ 'rte/rte/valid/accuracy': 0.71, 'model/all/train/loss': 0.52 }, 200);
 * await tb.close(); // `tensorboard --logdir runs/a/tb` shows both curves
 * ```
 */
export class TfEventsWriter {
  private pending: Uint8Array[] = [];
  private closed = false;

  private constructor(
    /** The event file's path. */
    readonly path: string,
    private readonly handle: FileHandle,
    private readonly now: () => number,
    private readonly autoFlush: boolean,
  ) {}

  /** Creates the folder and the file, and writes the `file_version` record. */
  static async open(logDir: string, options: TfEventsWriterOptions = {}): Promise<TfEventsWriter> {
    const now = options.now ?? (() => Date.now() / 1000);
    const start = now();
    const host = options.hostname ?? osHostname();
    const base = join(
      logDir,
      `events.out.tfevents.${Math.floor(start)}.${host}${options.filenameSuffix ?? ''}`,
    );
    try {
      await mkdir(logDir, { recursive: true });
      for (let n = 0; ; n++) {
        const path = n === 0 ? base : `${base}.${n}`;
        try {
          const w = new TfEventsWriter(path, await open(path, 'wx'), now, options.autoFlush ?? true);
          w.add({ wallTime: start, step: 0, fileVersion: 'brain.Event:2' });
          if (options.purgeStep !== undefined)
            w.add({ wallTime: start, step: options.purgeStep, sessionStart: true });
          return w;
        } catch (e) {
          if ((e as NodeJS.ErrnoException).code !== 'EEXIST' || n >= 1000) throw e;
        }
      }
    } catch (e) {
      throw new MmtlError('E_IO', `could not create event file '${base}': ${(e as Error).message}`, {
        cause: e,
      });
    }
  }

  /** Buffers one scalar. */
  addScalar(tag: string, value: number, step: number, wallTime?: number): void {
    this.addScalars({ [tag]: value }, step, wallTime);
  }

  /** Buffers one event holding several scalars (one summary value per key, in key order). */
  addScalars(values: Readonly<Record<string, number>>, step: number, wallTime?: number): void {
    const scalars = Object.entries(values).map(([tag, value]) => ({ tag, value }));
    this.add({ wallTime: wallTime ?? this.now(), step, scalars });
  }

  /** Buffers any event. */
  add(event: TfEvent): void {
    assert(!this.closed, 'E_STATE', () => `'TfEventsWriter.add' called after close on '${this.path}'`);
    const record = frameRecord(encodeEvent(event));
    if (!this.autoFlush) {
      this.pending.push(record);
      return;
    }
    try {
      for (let off = 0; off < record.length;) off += writeSync(this.handle.fd, record, off);
    } catch (e) {
      throw new MmtlError('E_IO', `could not write '${this.path}': ${(e as Error).message}`, { cause: e });
    }
  }

  /** Writes buffered events to the file. */
  async flush(): Promise<void> {
    if (this.pending.length === 0) return;
    const chunks = this.pending;
    this.pending = [];
    try {
      await this.handle.write(Buffer.concat(chunks));
    } catch (e) {
      throw new MmtlError('E_IO', `could not write '${this.path}': ${(e as Error).message}`, { cause: e });
    }
  }

  /** Flushes and closes; closing twice is allowed. */
  async close(): Promise<void> {
    if (this.closed) return;
    await this.flush();
    this.closed = true;
    await this.handle.close();
  }
}

class ProtoReader {
  pos = 0;
  constructor(
    private readonly b: Uint8Array,
    private readonly where: string,
  ) {}
  get done(): boolean {
    return this.pos >= this.b.length;
  }
  varint(): bigint {
    let r = 0n;
    for (let shift = 0n; ; shift += 7n) {
      assert(this.pos < this.b.length && shift < 70n, 'E_DATA', () => `${this.where}: bad varint`);
      const x = this.b[this.pos++]!;
      r |= BigInt(x & 0x7f) << shift;
      if (x < 0x80) return BigInt.asIntN(64, r);
    }
  }
  take(n: number): Uint8Array {
    assert(this.pos + n <= this.b.length, 'E_DATA', () => `${this.where}: truncated field`);
    return this.b.subarray(this.pos, (this.pos += n));
  }
  /** Reads a key and its value; returns [field, wire, value]. */
  field(): [number, number, bigint | Uint8Array] {
    const key = Number(this.varint());
    const wire = key & 7;
    const reads: Record<number, () => bigint | Uint8Array> = {
      0: () => this.varint(),
      1: () => this.take(8),
      2: () => this.take(Number(this.varint())),
      5: () => this.take(4),
    };
    const read = reads[wire];
    assert(read !== undefined, 'E_DATA', () => `${this.where}: unsupported wire type ${wire}`);
    return [key >>> 3, wire, read()];
  }
}

function view(b: Uint8Array): DataView {
  return new DataView(b.buffer, b.byteOffset, b.byteLength);
}

function decodeEvent(data: Uint8Array, where: string): TfEvent {
  const ev: TfEvent = { wallTime: 0, step: 0 };
  const r = new ProtoReader(data, where);
  const text = new TextDecoder();
  while (!r.done) {
    const [field, wire, v] = r.field();
    if (field === 1 && wire === 1) ev.wallTime = view(v as Uint8Array).getFloat64(0, true);
    else if (field === 2 && wire === 0) ev.step = Number(v);
    else if (field === 3 && wire === 2) ev.fileVersion = text.decode(v as Uint8Array);
    else if (field === 5 && wire === 2) {
      const scalars = (ev.scalars ??= []);
      const sr = new ProtoReader(v as Uint8Array, where);
      while (!sr.done) {
        const [sf, sw, sv] = sr.field();
        if (sf !== 1 || sw !== 2) continue;
        const vr = new ProtoReader(sv as Uint8Array, where);
        const s: TfScalar = { tag: '', value: NaN };
        while (!vr.done) {
          const [vf, vw, vv] = vr.field();
          if (vf === 1 && vw === 2) s.tag = text.decode(vv as Uint8Array);
          else if (vf === 2 && vw === 5) s.value = view(vv as Uint8Array).getFloat32(0, true);
        }
        scalars.push(s);
      }
    } else if (field === 6 && wire === 2) {
      const lr = new ProtoReader(v as Uint8Array, where);
      while (!lr.done) {
        const [lf, lw, lv] = lr.field();
        if (lf === 1 && lw === 0 && lv === 1n) ev.sessionStart = true;
      }
    }
  }
  return ev;
}

/**
 * Reads an event file, checking every record's CRCs; scalars other than `simple_value` and unknown fields
 * are skipped. Throws `E_DATA` on a damaged record.
 *
 * @example
 * ```ts
 * const events = await readTfEvents(tb.path);
 * events[0]!.fileVersion; // 'brain.Event:2'
 * events[1]!.scalars; // [{ tag: 'rte/rte/valid/accuracy', value: 0.7099999785423279 }, …]
 * ```
 */
export async function readTfEvents(path: string): Promise<TfEvent[]> {
  const buf = new Uint8Array(await readFile(path));
  const events: TfEvent[] = [];
  let pos = 0;
  while (pos < buf.length) {
    const where = `'${path}' record ${events.length} at byte ${pos}`;
    assert(pos + 12 <= buf.length, 'E_DATA', () => `${where}: truncated header`);
    const header = buf.subarray(pos, pos + 8);
    const len = Number(view(header).getBigUint64(0, true));
    assert(
      maskedCrc32c(header) === view(buf).getUint32(pos + 8, true),
      'E_DATA',
      () => `${where}: bad length CRC`,
    );
    assert(pos + 16 + len <= buf.length, 'E_DATA', () => `${where}: truncated data`);
    const data = buf.subarray(pos + 12, pos + 12 + len);
    assert(
      maskedCrc32c(data) === view(buf).getUint32(pos + 12 + len, true),
      'E_DATA',
      () => `${where}: bad data CRC`,
    );
    events.push(decodeEvent(data, where));
    pos += 16 + len;
  }
  return events;
}
