import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isMmtlError } from '../../src/core/index.js';
import {
  LabelMatrix,
  allocateLabelData,
  encodeNpy,
  loadLabelMatrix,
  saveLabelMatrix,
} from '../../src/labeling/index.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mmtl-lm-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const rows = [
  [0, -1, 1],
  [1, 1, -1],
  [-1, -1, -1],
];

describe('LabelMatrix', () => {
  it('stores rows row-major in an Int8Array with accessors', () => {
    const L = LabelMatrix.fromRows(rows, ['a', 'b', 'c'], { rowIds: ['x', 'y', 'z'] });
    expect([L.n, L.m]).toEqual([3, 3]);
    expect(L.data).toBeInstanceOf(Int8Array);
    expect(Array.from(L.data)).toEqual(rows.flat());
    expect(L.get(1, 0)).toBe(1);
    expect(Array.from(L.row(0))).toEqual([0, -1, 1]);
    expect(Array.from(L.column(2))).toEqual([1, -1, -1]);
    expect(L.toRows()).toEqual(rows);
    expect(L.rowIds).toEqual(['x', 'y', 'z']);
    expect(L.inferCardinality()).toBe(2);
  });
  it('uses Int16Array above 127 classes', () => {
    const L = LabelMatrix.fromRows([[200, -1]], ['a', 'b'], { cardinality: 300 });
    expect(L.data).toBeInstanceOf(Int16Array);
    expect(L.column(0)).toBeInstanceOf(Int16Array);
    expect(L.get(0, 0)).toBe(200);
    expect(allocateLabelData(2, 127)).toBeInstanceOf(Int8Array);
    expect(allocateLabelData(2, 128)).toBeInstanceOf(Int16Array);
  });
  it('rejects bad votes and shapes with coded errors', () => {
    expect(() => LabelMatrix.fromRows([[0, 3]], ['a', 'b'], { cardinality: 3 })).toThrow(
      /vote 3 at row 0, column 'b'; expected an integer in -1..2/,
    );
    expect(() => LabelMatrix.fromRows([[0, 0.5]], ['a', 'b'])).toThrow(/vote 0.5/);
    expect(() => LabelMatrix.fromRows([[0]], ['a', 'b'])).toThrow(/has 1 votes in row 0, expected 2/);
    try {
      new LabelMatrix({ n: 2, m: 2, data: new Int8Array(3), names: ['a', 'b'] });
      expect.unreachable();
    } catch (e) {
      expect(isMmtlError(e, 'E_SHAPE')).toBe(true);
    }
  });
});

describe('saveLabelMatrix / loadLabelMatrix', () => {
  const L = LabelMatrix.fromRows(rows, ['lf,a', 'b', 'c'], { rowIds: ['r"1', 'r2', 'r3'] });

  it.each(['npy', 'json', 'csv'])('round-trips through .%s', async (ext) => {
    const path = join(dir, `L.${ext}`);
    await saveLabelMatrix(path, L);
    const back = await loadLabelMatrix(path);
    expect(back.toRows()).toEqual(rows);
    expect(back.names).toEqual(L.names);
    expect(back.rowIds).toEqual(L.rowIds);
    expect(back.data).toBeInstanceOf(Int8Array);
  });

  it('writes a NumPy v1.0 header that numpy.load reads', async () => {
    const path = join(dir, 'h.npy');
    await saveLabelMatrix(path, L);
    const bytes = await readFile(path);
    expect(Array.from(bytes.subarray(0, 8))).toEqual([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]);
    const headerLen = bytes.readUInt16LE(8);
    expect((10 + headerLen) % 64).toBe(0);
    const header = bytes.subarray(10, 10 + headerLen).toString('latin1');
    expect(header).toMatch(/^\{'descr': '<i1', 'fortran_order': False, 'shape': \(3, 3\), \} *\n$/);
    expect(Array.from(new Int8Array(bytes.buffer, bytes.byteOffset + 10 + headerLen, 9))).toEqual(
      rows.flat(),
    );
    expect(JSON.parse(await readFile(`${path}.names.json`, 'utf8'))).toEqual({
      names: L.names,
      rowIds: L.rowIds,
    });
  });

  it('writes <i2 for more than 127 classes', async () => {
    const big = LabelMatrix.fromRows([[300, -1]], ['a', 'b'], { cardinality: 500 });
    const bytes = encodeNpy(big);
    expect(Buffer.from(bytes).toString('latin1')).toContain("'descr': '<i2'");
    const path = join(dir, 'big.npy');
    await saveLabelMatrix(path, big);
    const back = await loadLabelMatrix(path);
    expect(back.data).toBeInstanceOf(Int16Array);
    expect(back.toRows()).toEqual([[300, -1]]);
  });

  it('reads .npy files written by NumPy (int64, Fortran order) and names missing sidecars', async () => {
    // np.save(f, np.asfortranarray(np.array([[0, 1, -1], [1, -1, 0]], dtype=np.int64)))
    const header = "{'descr': '<i8', 'fortran_order': True, 'shape': (2, 3), }";
    const padded = header + ' '.repeat(128 - 10 - header.length - 1) + '\n';
    const head = Buffer.concat([
      Buffer.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, padded.length, 0]),
      Buffer.from(padded, 'latin1'),
    ]);
    const body = Buffer.from(BigInt64Array.from([0n, 1n, 1n, -1n, -1n, 0n]).buffer);
    const path = join(dir, 'numpy.npy');
    await writeFile(path, Buffer.concat([head, body]));
    const back = await loadLabelMatrix(path);
    expect(back.toRows()).toEqual([
      [0, 1, -1],
      [1, -1, 0],
    ]);
    expect(back.names).toEqual(['lf_0', 'lf_1', 'lf_2']);
  });

  it('fails with coded errors on bad files and extensions', async () => {
    await expect(saveLabelMatrix(join(dir, 'L.txt'), L)).rejects.toThrow(/expected one of .npy, .json, .csv/);
    await expect(loadLabelMatrix(join(dir, 'missing.npy'))).rejects.toMatchObject({ code: 'E_IO' });
    const bad = join(dir, 'bad.npy');
    await writeFile(bad, 'not numpy');
    await expect(loadLabelMatrix(bad)).rejects.toMatchObject({ code: 'E_DATA' });
    const badCsv = join(dir, 'bad.csv');
    await writeFile(badCsv, 'a,b\n0,x\n');
    await expect(loadLabelMatrix(badCsv)).rejects.toThrow(/line 2: vote 'x' is not an integer/);
    const badJson = join(dir, 'bad.json');
    await writeFile(badJson, '{"names":["a"],"rows":[[5.5]]}');
    await expect(loadLabelMatrix(badJson)).rejects.toMatchObject({ code: 'E_DATA' });
  });
});
