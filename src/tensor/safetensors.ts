import { readFile } from 'node:fs/promises';
import { MmtlError, writeFileAtomic } from '../core/index.js';
import { tensor } from './creation.js';
import type { DType } from './dtype.js';
import { noGrad } from './autograd.js';
import type { Tensor } from './tensor.js';

/** safetensors dtype names and what they map to. */
const ST_DTYPES: Record<string, { dtype: DType; bytes: number }> = {
  F32: { dtype: 'float32', bytes: 4 },
  F64: { dtype: 'float64', bytes: 8 },
  F16: { dtype: 'float16', bytes: 2 },
  BF16: { dtype: 'bfloat16', bytes: 2 },
  I64: { dtype: 'int64', bytes: 8 },
  I32: { dtype: 'int32', bytes: 4 },
  I16: { dtype: 'int16', bytes: 2 },
  I8: { dtype: 'int8', bytes: 1 },
  U8: { dtype: 'uint8', bytes: 1 },
  BOOL: { dtype: 'bool', bytes: 1 },
};
const ST_NAME: Partial<Record<DType, string>> = Object.fromEntries(
  Object.entries(ST_DTYPES).map(([k, v]) => [v.dtype, k]),
);

/** One entry of a safetensors file, before it becomes a tensor. */
export interface SafetensorsEntry {
  dtype: DType;
  shape: number[];
  /** The raw little-endian bytes. */
  bytes: Uint8Array;
}

/** A parsed safetensors file. */
export interface SafetensorsFile {
  entries: Map<string, SafetensorsEntry>;
  metadata: Record<string, string>;
}

const LFS_POINTER = 'version https://git-lfs.github.com/spec/';

/**
 * Whether `buf` is a Git LFS pointer (the small text file a clone without `git lfs` leaves in place of a
 * large file) rather than the file itself.
 *
 * @example
 * ```ts
 * isGitLfsPointer(new TextEncoder().encode('version https://git-lfs.github.com/spec/v1\noid sha256:…')); // true
 * ```
 */
export function isGitLfsPointer(buf: Uint8Array): boolean {
  if (buf.byteLength > 1024 || buf.byteLength < LFS_POINTER.length) return false;
  return new TextDecoder().decode(buf.subarray(0, LFS_POINTER.length)) === LFS_POINTER;
}

/**
 * Parses safetensors bytes (8-byte little-endian header length, JSON header, raw data). Pure TypeScript.
 * The header is checked as the format requires: UTF-8 JSON object, known dtypes, offsets that fit the
 * shapes and cover the data exactly, without gaps or overlaps. A damaged file is an `E_IO` error that says
 * so (never a later "weights do not match" error); a Git LFS pointer is named as such.
 *
 * @example
 * ```ts
 * const f = parseSafetensors(await readFile('model.safetensors'));
 * f.entries.get('embeddings.word_embeddings.weight')?.shape; // [30522, 128]
 * ```
 */
export function parseSafetensors(buf: Uint8Array, source = 'safetensors data'): SafetensorsFile {
  if (isGitLfsPointer(buf)) {
    throw new MmtlError('E_IO', `${source}: is a Git LFS pointer, not the weights`, {
      hint: "the repository was cloned without Git LFS: run 'git lfs install && git lfs pull' in its folder",
    });
  }
  const fail = (msg: string): never => {
    throw new MmtlError('E_IO', `${source}: not a valid .safetensors file: ${msg}`, {
      hint: 'the file is damaged or of another format; download or save it again',
    });
  };
  if (buf.byteLength < 8) fail('file is shorter than its 8-byte header length');
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const headerLen = Number(view.getBigUint64(0, true));
  if (headerLen > buf.byteLength - 8) fail(`header length ${headerLen} exceeds the file size`);
  let header: Record<string, unknown>;
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(buf.subarray(8, 8 + headerLen));
    header = JSON.parse(text) as Record<string, unknown>;
  } catch {
    return fail('header is not valid UTF-8 JSON');
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header))
    fail('header is not a JSON object');
  const data = buf.subarray(8 + headerLen);
  const entries = new Map<string, SafetensorsEntry>();
  let metadata: Record<string, string> = {};
  const spans: [number, number, string][] = [];
  for (const [name, raw] of Object.entries(header)) {
    if (name === '__metadata__') {
      if (
        typeof raw !== 'object' ||
        raw === null ||
        Array.isArray(raw) ||
        !Object.values(raw).every((v) => typeof v === 'string')
      ) {
        fail('__metadata__ is not an object of strings');
      }
      metadata = raw as Record<string, string>;
      continue;
    }
    const e = raw as { dtype: string; shape: number[]; data_offsets: [number, number] };
    const isInts = (v: unknown, n?: number): boolean =>
      Array.isArray(v) &&
      (n === undefined || v.length === n) &&
      v.every((x) => Number.isSafeInteger(x) && (x as number) >= 0);
    if (
      typeof raw !== 'object' ||
      raw === null ||
      typeof e.dtype !== 'string' ||
      !isInts(e.shape) ||
      !isInts(e.data_offsets, 2)
    ) {
      fail(`tensor '${name}' has a malformed header entry ${JSON.stringify(raw)}`);
    }
    const spec = ST_DTYPES[e.dtype] ?? fail(`tensor '${name}' has unsupported dtype '${e.dtype}'`);
    const [begin, end] = e.data_offsets;
    const count = e.shape.reduce((a, b) => a * b, 1);
    if (end - begin !== count * spec.bytes || end > data.byteLength) {
      fail(
        `tensor '${name}' has offsets [${begin}, ${end}] that do not fit its shape [${e.shape.join(', ')}]`,
      );
    }
    spans.push([begin, end, name]);
    entries.set(name, { dtype: spec.dtype, shape: e.shape, bytes: data.subarray(begin, end) });
  }
  spans.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let pos = 0;
  for (const [begin, end, name] of spans) {
    if (begin !== pos)
      fail(`tensor '${name}' starts at byte ${begin} of the data, expected ${pos} (a gap or an overlap)`);
    pos = end;
  }
  if (pos !== data.byteLength) fail(`the tensors cover ${pos} of the ${data.byteLength} data bytes`);
  return { entries, metadata };
}

/**
 * Serializes named tensors to safetensors bytes. Entries are laid out in name order, 8-byte aligned header.
 *
 * @example
 * ```ts
 * const bytes = serializeSafetensors(new Map([['w', tensor([1, 2])]]), { format: 'pt' });
 * ```
 */
export function serializeSafetensors(
  tensors: Map<string, Tensor>,
  metadata: Record<string, string> = {},
): Uint8Array {
  const names = [...tensors.keys()].sort();
  const header: Record<string, unknown> = {};
  if (Object.keys(metadata).length > 0) header.__metadata__ = metadata;
  const chunks: Uint8Array[] = [];
  let offset = 0;
  for (const name of names) {
    const t = tensors.get(name)!;
    const st = ST_NAME[t.dtype];
    if (st === undefined)
      throw new MmtlError('E_DTYPE', `cannot write dtype '${t.dtype}' of '${name}' to safetensors`);
    const bytes = tensorBytes(t);
    header[name] = { dtype: st, shape: [...t.shape], data_offsets: [offset, offset + bytes.byteLength] };
    chunks.push(bytes);
    offset += bytes.byteLength;
  }
  const json = JSON.stringify(header);
  // pad the UTF-8 bytes (not the UTF-16 length: names and metadata may be non-ASCII) so the data starts 8-aligned
  const pad = (8 - ((8 + Buffer.byteLength(json, 'utf8')) % 8)) % 8;
  const headerBytes = new TextEncoder().encode(json + ' '.repeat(pad));
  const out = new Uint8Array(8 + headerBytes.byteLength + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(headerBytes.byteLength), true);
  out.set(headerBytes, 8);
  let pos = 8 + headerBytes.byteLength;
  for (const c of chunks) {
    out.set(c, pos);
    pos += c.byteLength;
  }
  return out;
}

function tensorBytes(t: Tensor): Uint8Array {
  if (t.dtype === 'float16' || t.dtype === 'bfloat16') {
    // the engine reads half types back as float32: narrow the bits here
    const f = t.data<'float32'>();
    const out = new Uint16Array(f.length);
    const conv = t.dtype === 'float16' ? float32ToFloat16Bits : float32ToBfloat16Bits;
    for (let i = 0; i < f.length; i++) out[i] = conv(f[i]!);
    return new Uint8Array(out.buffer);
  }
  const d = t.data();
  return new Uint8Array(d.buffer, d.byteOffset, d.byteLength);
}

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** IEEE half bits of a float (round to nearest even). */
export function float32ToFloat16Bits(v: number): number {
  f32[0] = v;
  const x = u32[0]!;
  const sign = (x >>> 16) & 0x8000;
  const exp = (x >>> 23) & 0xff;
  let mant = x & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant !== 0 ? 0x200 : 0);
  const e = exp - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00;
  if (e <= 0) {
    if (e < -10) return sign;
    mant |= 0x800000;
    const shift = 14 - e;
    let half = mant >>> shift;
    const rem = mant & ((1 << shift) - 1);
    const mid = 1 << (shift - 1);
    if (rem > mid || (rem === mid && (half & 1) !== 0)) half++;
    return sign | half;
  }
  let half = (e << 10) | (mant >>> 13);
  const rem = mant & 0x1fff;
  if (rem > 0x1000 || (rem === 0x1000 && (half & 1) !== 0)) half++; // may carry into the exponent: correct
  return sign | half;
}

/** bfloat16 bits of a float (round to nearest even). */
export function float32ToBfloat16Bits(v: number): number {
  f32[0] = v;
  const x = u32[0]!;
  if ((x & 0x7fffffff) > 0x7f800000) return (x >>> 16) | 0x40;
  return ((x + 0x7fff + ((x >>> 16) & 1)) >>> 16) & 0xffff;
}

/** Makes a tensor from a parsed entry (bytes copied; half types keep their dtype unless `dtype` is given). */
export function entryToTensor(entry: SafetensorsEntry, dtype?: DType): Tensor {
  const { bytes } = entry;
  const aligned = new Uint8Array(bytes); // copy: typed views need aligned offsets
  const view = (() => {
    switch (entry.dtype) {
      case 'float32':
        return new Float32Array(aligned.buffer);
      case 'float64':
        return new Float64Array(aligned.buffer);
      case 'int64':
        return new BigInt64Array(aligned.buffer);
      case 'int32':
        return new Int32Array(aligned.buffer);
      case 'int16':
      case 'float16':
      case 'bfloat16':
        return new Int16Array(aligned.buffer);
      case 'int8':
        return new Int8Array(aligned.buffer);
      default:
        return aligned;
    }
  })();
  return noGrad(() =>
    tensor(view, { shape: entry.shape, dtype: dtype ?? entry.dtype, sourceDtype: entry.dtype }),
  );
}

/**
 * Reads a .safetensors file into tensors (optionally converted to `dtype`, e.g. float32 for F16/BF16 files).
 *
 * @example
 * ```ts
 * const weights = await loadSafetensors('bert/model.safetensors', { dtype: 'float32' });
 * ```
 */
export async function loadSafetensors(
  path: string,
  options: { dtype?: DType } = {},
): Promise<Map<string, Tensor>> {
  let buf: Uint8Array;
  try {
    buf = await readFile(path);
  } catch (e) {
    throw new MmtlError('E_IO', `could not read '${path}': ${(e as Error).message}`, { cause: e });
  }
  const f = parseSafetensors(buf, path);
  const out = new Map<string, Tensor>();
  for (const [name, entry] of f.entries) out.set(name, entryToTensor(entry, options.dtype));
  return out;
}

/** Writes named tensors to a .safetensors file atomically. @example `await saveSafetensors('w.safetensors', new Map([['w', w]]));` */
export async function saveSafetensors(
  path: string,
  tensors: Map<string, Tensor>,
  metadata: Record<string, string> = {},
): Promise<void> {
  await writeFileAtomic(path, serializeSafetensors(tensors, metadata));
}
