import { MmtlError } from '../core/index.js';

/** One file of a {@link zipStored} archive. */
export interface ZipEntry {
  /** The file's name inside the archive (UTF-8; use `/` for folders). */
  name: string;
  /** Its bytes (a string is written as UTF-8). */
  data: Uint8Array | string;
}

/** Options of {@link zipStored}. */
export interface ZipOptions {
  /** Modification time recorded for every entry (default: now). */
  date?: Date;
}

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/**
 * The CRC-32 of `data` (the IEEE / zlib / ZIP polynomial 0xEDB88320, reflected, initial and final XOR
 * 0xFFFFFFFF), as an unsigned 32-bit integer.
 *
 * @example
 * ```ts
 * crc32(new TextEncoder().encode('123456789')); // 3421780262 (0xCBF43926, the standard check value)
 * ```
 */
export function crc32(data: Uint8Array): number {
  let c = 0xffffffff;
  for (const byte of data) c = CRC_TABLE[(c ^ byte) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** MS-DOS time and date fields (local time, 2-second resolution, years 1980–2107). */
function dosDateTime(d: Date): { time: number; date: number } {
  const year = Math.min(2107, Math.max(1980, d.getFullYear()));
  return {
    time: (d.getHours() << 11) | (d.getMinutes() << 5) | (d.getSeconds() >> 1),
    date: ((year - 1980) << 9) | ((d.getMonth() + 1) << 5) | d.getDate(),
  };
}

const LOCAL_HEADER = 30;
const CENTRAL_HEADER = 46;
const END_RECORD = 22;
const UTF8_FLAG = 0x0800;
const VERSION = 20; // 2.0: the lowest version that knows folders and stored entries

/**
 * A ZIP archive of `entries`, stored without compression: for each entry a local file header (CRC-32,
 * sizes, UTF-8 name) and its bytes, then the central directory and the end-of-central-directory record.
 * No ZIP64, so every size and offset must stay under 4 GiB and there may be at most 65535 entries; names
 * must be unique and non-empty (`E_ARG` otherwise). Readable by `unzip`, Python's `zipfile`, and the GLUE
 * submission server.
 *
 * @example
 * ```ts
 * const zip = zipStored([{ name: 'RTE.tsv', data: 'index\tprediction\n0\tentailment\n' }]);
 * zip.length; // 142 = local header 30 + name 7 + data 30, central header 46 + name 7, end record 22
 * await writeFileAtomic('submission.zip', zip);
 * ```
 */
export function zipStored(entries: readonly ZipEntry[], options: ZipOptions = {}): Uint8Array {
  const fn = 'zipStored';
  const { time, date } = dosDateTime(options.date ?? new Date());
  const encoder = new TextEncoder();
  const seen = new Set<string>();
  const files = entries.map((e) => {
    if (e.name === '' || seen.has(e.name)) {
      throw new MmtlError(
        'E_ARG',
        `Argument 'entries' passed to '${fn}' has ${e.name === '' ? 'an empty' : `a repeated`} name '${e.name}'`,
      );
    }
    seen.add(e.name);
    const data = typeof e.data === 'string' ? encoder.encode(e.data) : e.data;
    return { name: encoder.encode(e.name), data, crc: crc32(data) };
  });
  if (files.length > 0xffff) {
    throw new MmtlError(
      'E_ARG',
      `Argument 'entries' passed to '${fn}' has ${files.length} entries; at most 65535`,
    );
  }
  const localSize = files.reduce((n, f) => n + LOCAL_HEADER + f.name.length + f.data.length, 0);
  const centralSize = files.reduce((n, f) => n + CENTRAL_HEADER + f.name.length, 0);
  const total = localSize + centralSize + END_RECORD;
  if (localSize + centralSize > 0xffffffff) {
    throw new MmtlError(
      'E_ARG',
      `Argument 'entries' passed to '${fn}' holds ${total} bytes; at most 4 GiB (no ZIP64)`,
    );
  }
  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  let at = 0;
  const u16 = (v: number) => {
    view.setUint16(at, v, true);
    at += 2;
  };
  const u32 = (v: number) => {
    view.setUint32(at, v, true);
    at += 4;
  };
  const bytes = (b: Uint8Array) => {
    out.set(b, at);
    at += b.length;
  };
  const offsets: number[] = [];
  for (const f of files) {
    offsets.push(at);
    u32(0x04034b50); // local file header signature
    u16(VERSION); // version needed to extract
    u16(UTF8_FLAG); // general purpose flags: names are UTF-8
    u16(0); // compression method: stored
    u16(time);
    u16(date);
    u32(f.crc);
    u32(f.data.length); // compressed size
    u32(f.data.length); // uncompressed size
    u16(f.name.length);
    u16(0); // extra field length
    bytes(f.name);
    bytes(f.data);
  }
  const centralStart = at;
  files.forEach((f, i) => {
    u32(0x02014b50); // central directory header signature
    u16(VERSION); // version made by (MS-DOS attributes)
    u16(VERSION); // version needed to extract
    u16(UTF8_FLAG);
    u16(0); // stored
    u16(time);
    u16(date);
    u32(f.crc);
    u32(f.data.length);
    u32(f.data.length);
    u16(f.name.length);
    u16(0); // extra field length
    u16(0); // comment length
    u16(0); // disk number start
    u16(0); // internal attributes
    u32(0); // external attributes
    u32(offsets[i]!); // offset of the local header
    bytes(f.name);
  });
  const centralBytes = at - centralStart;
  u32(0x06054b50); // end of central directory signature
  u16(0); // this disk
  u16(0); // disk with the central directory
  u16(files.length); // entries on this disk
  u16(files.length); // entries in all
  u32(centralBytes); // central directory size
  u32(centralStart);
  u16(0); // comment length
  return out;
}
