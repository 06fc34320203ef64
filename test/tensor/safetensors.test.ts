// safetensors: round trips for every dtype the format shares with the engine, the header layout (8-byte length,
// JSON, 8-byte alignment, sorted contiguous offsets), half-precision bit conversion, and corrupt files → E_IO.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  float32ToBfloat16Bits,
  float32ToFloat16Bits,
  loadSafetensors,
  parseSafetensors,
  saveSafetensors,
  serializeSafetensors,
  tensor,
  tidy,
  type DType,
  type Tensor,
} from '../../src/tensor/index.js';

const dir = mkdtempSync(join(tmpdir(), 'mmtl-st-'));
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

function sample(): Map<string, Tensor> {
  return new Map<string, Tensor>([
    [
      'f32',
      tensor([
        [1.5, -2],
        [3.25, 1e-8],
      ]),
    ],
    ['f64', tensor([Math.PI, -1e300], { dtype: 'float64' })],
    ['f16', tensor([1, -2.5, 0.0999755859375, 65504], { dtype: 'float16' })],
    ['bf16', tensor([1, -2.5, 0.0999755859375, 3e38], { dtype: 'bfloat16' })],
    ['i64', tensor(new BigInt64Array([0n, -1n, 2n ** 40n, -(2n ** 60n)]), { shape: [2, 2] })],
    ['i32', tensor([7, -8], { dtype: 'int32' })],
    ['i16', tensor([300, -300], { dtype: 'int16' })],
    ['i8', tensor([-5], { dtype: 'int8' })],
    ['u8', tensor([250], { dtype: 'uint8' })],
    ['flag', tensor([1, 0, 1], { dtype: 'bool' })],
    ['scalar', tensor(4)],
    ['empty', tensor(new Float32Array(0), { shape: [0, 3] })],
  ]);
}

function headerOf(bytes: Uint8Array): { len: number; json: Record<string, unknown> } {
  const len = Number(new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(0, true));
  return {
    len,
    json: JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + len))) as Record<string, unknown>,
  };
}

describe('safetensors round trip', () => {
  it('every dtype survives serialize → parse → tensor bit-exactly, with shapes and metadata', async () => {
    const src = sample();
    const path = join(dir, 'all.safetensors');
    await saveSafetensors(path, src, { format: 'pt', note: 'ünïcode' });
    const back = await loadSafetensors(path);
    expect([...back.keys()].sort()).toEqual([...src.keys()].sort());
    for (const [name, t] of src) {
      const u = back.get(name)!;
      expect(u.dtype, name).toBe(t.dtype);
      expect(u.shape, name).toEqual(t.shape);
      expect(u.toArray(), name).toEqual(t.toArray());
      expect(u.requiresGrad, name).toBe(false);
    }
    const parsed = parseSafetensors(serializeSafetensors(src, { format: 'pt', note: 'ünïcode' }));
    expect(parsed.metadata).toEqual({ format: 'pt', note: 'ünïcode' });
    for (const t of [...src.values(), ...back.values()]) t.dispose();
  });

  it('half-precision files can be widened on load', async () => {
    const t = tensor([0.5, 1.25], { dtype: 'float16' });
    const path = join(dir, 'half.safetensors');
    await saveSafetensors(path, new Map([['h', t]]));
    const back = (await loadSafetensors(path, { dtype: 'float32' })).get('h')!;
    expect(back.dtype).toBe('float32');
    expect(back.toArray()).toEqual([0.5, 1.25]);
    t.dispose();
    back.dispose();
  });

  it('header: little-endian u64 length, JSON, data start 8-byte aligned, sorted contiguous offsets', () => {
    tidy(() => {
      for (const names of [
        ['a'],
        ['a', 'bb'],
        ['ccc', 'a', 'bb', 'dddd'],
        ['wörter', 'é'],
        ['日本語', 'x'],
      ]) {
        const m = new Map(names.map((n, i) => [n, tensor(new Float32Array(i + 1).fill(i))]));
        const bytes = serializeSafetensors(m, names.length === 2 ? { note: 'ünïcode ✓' } : {});
        const { len, json } = headerOf(bytes);
        expect((8 + len) % 8).toBe(0);
        const entries = Object.entries(json) as [
          string,
          { dtype: string; shape: number[]; data_offsets: number[] },
        ][];
        expect(entries.map(([k]) => k).filter((k) => k !== '__metadata__')).toEqual([...names].sort());
        let offset = 0;
        for (const [, e] of entries.filter(([k]) => k !== '__metadata__')) {
          expect(e.dtype).toBe('F32');
          expect(e.data_offsets[0]).toBe(offset);
          offset = e.data_offsets[1]!;
        }
        expect(bytes.byteLength).toBe(8 + len + offset);
      }
    });
  });

  it('reads a file laid out by hand as the Hugging Face format specifies', () => {
    tidy(() => {
      const header = JSON.stringify({
        __metadata__: { format: 'pt' },
        w: { dtype: 'F32', shape: [2], data_offsets: [0, 8] },
        ids: { dtype: 'I64', shape: [1], data_offsets: [8, 16] },
      });
      const h = new TextEncoder().encode(header);
      const buf = new Uint8Array(8 + h.byteLength + 16);
      const view = new DataView(buf.buffer);
      view.setBigUint64(0, BigInt(h.byteLength), true);
      buf.set(h, 8);
      const base = 8 + h.byteLength; // deliberately unaligned: the reader copies
      view.setFloat32(base, 1.5, true);
      view.setFloat32(base + 4, -3, true);
      view.setBigInt64(base + 8, 42n, true);
      const f = parseSafetensors(buf);
      expect(f.entries.get('w')).toMatchObject({ dtype: 'float32', shape: [2] });
      expect(f.metadata).toEqual({ format: 'pt' });
    });
  });
});

describe('corrupt files → E_IO', () => {
  const good = (): Uint8Array => tidy(() => serializeSafetensors(new Map([['w', tensor([1, 2, 3])]])));
  const cases: [string, () => Uint8Array][] = [
    ['shorter than 8 bytes', () => new Uint8Array(5)],
    [
      'header length past the end',
      () => {
        const b = good();
        new DataView(b.buffer).setBigUint64(0, 10_000n, true);
        return b;
      },
    ],
    [
      'header not JSON',
      () => {
        const b = good();
        b[8] = 0x7b + 1;
        return b;
      },
    ],
    ['truncated data', () => good().subarray(0, good().byteLength - 4)],
    [
      'offsets do not fit the shape',
      () => {
        const b = good();
        const text = new TextDecoder().decode(b).replace('"shape":[3]', '"shape":[4]');
        return new TextEncoder().encode(text);
      },
    ],
    ...(
      [
        ['an entry that is not an object', '{"w":null}'],
        ['an entry without shape', '{"w":{"dtype":"F32","data_offsets":[0,12]}}'],
        ['negative offsets', '{"w":{"dtype":"F32","shape":[3],"data_offsets":[-4,8]}}'],
        ['a header that is a JSON array', '[1,2]'],
      ] as const
    ).map(([what, header]): [string, () => Uint8Array] => [
      what,
      () => {
        const h = new TextEncoder().encode(header);
        const b = new Uint8Array(8 + h.byteLength + 12);
        new DataView(b.buffer).setBigUint64(0, BigInt(h.byteLength), true);
        b.set(h, 8);
        return b;
      },
    ]),
    [
      'unsupported dtype',
      () => {
        const b = good();
        const text = new TextDecoder().decode(b.subarray(0, 8 + headerOf(b).len)).replace('"F32"', '"C64"');
        const out = new Uint8Array(b);
        out.set(new TextEncoder().encode(text));
        return out;
      },
    ],
  ];
  for (const [what, make] of cases) {
    it(what, () => {
      expect(() => parseSafetensors(make(), 'x.safetensors')).toThrow(
        expect.objectContaining({
          code: 'E_IO',
          message: expect.stringMatching(/^x\.safetensors: /) as unknown,
        }),
      );
    });
  }
  it('a missing file and a corrupt file on disk', async () => {
    await expect(loadSafetensors(join(dir, 'nope.safetensors'))).rejects.toMatchObject({ code: 'E_IO' });
    const p = join(dir, 'bad.safetensors');
    writeFileSync(p, new Uint8Array([1, 2, 3]));
    await expect(loadSafetensors(p)).rejects.toMatchObject({ code: 'E_IO' });
  });
  it('every engine dtype has a safetensors name', () => {
    const all: DType[] = [
      'float32',
      'float64',
      'float16',
      'bfloat16',
      'int64',
      'int32',
      'int16',
      'int8',
      'uint8',
      'bool',
    ];
    tidy(() => {
      for (const d of all)
        expect(() => serializeSafetensors(new Map([['t', tensor([1], { dtype: d })]]))).not.toThrow();
    });
  });
});

describe('half-precision bit conversion', () => {
  it('float16: exact values, rounding to even, subnormals, overflow, NaN', () => {
    expect(float32ToFloat16Bits(1)).toBe(0x3c00);
    expect(float32ToFloat16Bits(-2)).toBe(0xc000);
    expect(float32ToFloat16Bits(65504)).toBe(0x7bff);
    expect(float32ToFloat16Bits(65520)).toBe(0x7c00); // rounds up to +inf
    expect(float32ToFloat16Bits(Infinity)).toBe(0x7c00);
    expect(float32ToFloat16Bits(-Infinity)).toBe(0xfc00);
    expect(float32ToFloat16Bits(Number.NaN) & 0x7c00).toBe(0x7c00);
    expect(float32ToFloat16Bits(Number.NaN) & 0x3ff).not.toBe(0);
    expect(float32ToFloat16Bits(2 ** -24)).toBe(0x0001); // smallest subnormal
    expect(float32ToFloat16Bits(2 ** -25)).toBe(0x0000); // tie → even (0)
    expect(float32ToFloat16Bits(3 * 2 ** -25)).toBe(0x0002); // tie → even (2)
    expect(float32ToFloat16Bits(1 + 2 ** -11)).toBe(0x3c00); // tie → even
    expect(float32ToFloat16Bits(1 + 3 * 2 ** -11)).toBe(0x3c02);
    expect(float32ToFloat16Bits(-0)).toBe(0x8000);
  });
  it('float16 conversion agrees with the engine for many values', () => {
    tidy(() => {
      const vals = Array.from({ length: 2000 }, (_, i) => (i - 1000) * 0.37 * (i % 7 === 0 ? 1e-5 : 1));
      const eng = tensor(vals, { dtype: 'float16' });
      const viaBits = tensor(
        Int16Array.from(vals, (v) => float32ToFloat16Bits(v)),
        { sourceDtype: 'float16' },
      );
      expect(viaBits.toArray()).toEqual(eng.toArray());
      const engB = tensor(vals, { dtype: 'bfloat16' });
      const viaBitsB = tensor(
        Int16Array.from(vals, (v) => float32ToBfloat16Bits(v)),
        { sourceDtype: 'bfloat16' },
      );
      expect(viaBitsB.toArray()).toEqual(engB.toArray());
    });
  });
  it('bfloat16: rounding to even and NaN', () => {
    expect(float32ToBfloat16Bits(1)).toBe(0x3f80);
    expect(float32ToBfloat16Bits(1 + 2 ** -8)).toBe(0x3f80); // tie → even
    expect(float32ToBfloat16Bits(1 + 3 * 2 ** -8)).toBe(0x3f82);
    expect(float32ToBfloat16Bits(Number.NaN) & 0x7f80).toBe(0x7f80);
    expect(float32ToBfloat16Bits(Number.NaN) & 0x7f).not.toBe(0);
  });
});
