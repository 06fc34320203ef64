// GLUE submissions: one index<TAB>prediction TSV per file with GLUE's label strings, STS-B clipping, size
// checks, and the stored ZIP read back byte by byte (end record, central directory, local headers, CRC-32).
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MmtlError } from '../../src/core/index.js';
import { crc32, loadGlueSplit, writeGlueSubmission, zipStored } from '../../src/glue/index.js';

const glueDir = join(import.meta.dirname, '..', '..', 'data', 'glue');
const tempDir = () => mkdtempSync(join(tmpdir(), 'mmtl-glue-'));

interface ZipFile {
  name: string;
  data: Uint8Array;
  crc: number;
  method: number;
}

/** Reads a ZIP the way unzip does: end record → central directory → local headers. */
function readZip(zip: Uint8Array): ZipFile[] {
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  const end = zip.length - 22;
  expect(view.getUint32(end, true)).toBe(0x06054b50);
  const count = view.getUint16(end + 10, true);
  expect(view.getUint16(end + 8, true)).toBe(count);
  const cdSize = view.getUint32(end + 12, true);
  const cdStart = view.getUint32(end + 16, true);
  expect(cdStart + cdSize).toBe(end);
  const decoder = new TextDecoder();
  const files: ZipFile[] = [];
  let at = cdStart;
  for (let i = 0; i < count; i++) {
    expect(view.getUint32(at, true)).toBe(0x02014b50);
    const method = view.getUint16(at + 10, true);
    const crc = view.getUint32(at + 16, true);
    const size = view.getUint32(at + 20, true);
    expect(view.getUint32(at + 24, true)).toBe(size);
    const nameLen = view.getUint16(at + 28, true);
    const extraLen = view.getUint16(at + 30, true);
    const commentLen = view.getUint16(at + 32, true);
    const local = view.getUint32(at + 42, true);
    const name = decoder.decode(zip.subarray(at + 46, at + 46 + nameLen));
    expect(view.getUint32(local, true)).toBe(0x04034b50);
    expect(view.getUint32(local + 14, true)).toBe(crc);
    expect(view.getUint32(local + 18, true)).toBe(size);
    const localName = view.getUint16(local + 26, true);
    const localExtra = view.getUint16(local + 28, true);
    expect(decoder.decode(zip.subarray(local + 30, local + 30 + localName))).toBe(name);
    const start = local + 30 + localName + localExtra;
    files.push({ name, data: zip.subarray(start, start + size), crc, method });
    at += 46 + nameLen + extraLen + commentLen;
  }
  expect(at).toBe(end);
  return files;
}

describe('crc32 and zipStored', () => {
  it('computes the standard CRC-32 check value', () => {
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
    expect(crc32(new Uint8Array(0))).toBe(0);
  });

  it('writes stored entries that read back', () => {
    const date = new Date(2024, 5, 15, 13, 45, 30);
    const zip = zipStored(
      [
        { name: 'a.tsv', data: 'index\tprediction\n0\t1\n' },
        { name: 'é.txt', data: new Uint8Array([0, 255, 7]) },
        { name: 'empty', data: '' },
      ],
      { date },
    );
    const files = readZip(zip);
    expect(files.map((f) => f.name)).toEqual(['a.tsv', 'é.txt', 'empty']);
    expect(new TextDecoder().decode(files[0]!.data)).toBe('index\tprediction\n0\t1\n');
    expect(Array.from(files[1]!.data)).toEqual([0, 255, 7]);
    for (const f of files) {
      expect(f.method).toBe(0);
      expect(f.crc).toBe(crc32(f.data));
    }
    const view = new DataView(zip.buffer);
    expect(view.getUint16(10, true)).toBe((13 << 11) | (45 << 5) | 15); // DOS time
    expect(view.getUint16(12, true)).toBe((44 << 9) | (6 << 5) | 15); // DOS date
    expect(zipStored([], { date }).length).toBe(22);
  });

  it('rejects empty and repeated names', () => {
    expect(() => zipStored([{ name: '', data: '' }])).toThrow(/empty/);
    expect(() =>
      zipStored([
        { name: 'a', data: '' },
        { name: 'a', data: 'x' },
      ]),
    ).toThrow(/repeated name 'a'/);
  });
});

describe('writeGlueSubmission', () => {
  it('writes GLUE label strings and a flat zip of the files', async () => {
    const dir = tempDir();
    const { rows } = await loadGlueSplit(glueDir, 'RTE', 'test');
    const index = rows.map((r) => r.index!);
    const preds = Int32Array.from(index, (_, i) => i % 2);
    const result = await writeGlueSubmission(
      dir,
      new Map([
        ['RTE.tsv', { index, preds }],
        ['STS-B', { index: ['0', '1', '2'], preds: [5.4, -1, 2.5] }],
        ['MNLI-mm.tsv', { index: ['0', '1', '2'], preds: [0, 1, 2] }],
        ['AX.tsv', { index: ['7'], preds: [2] }],
      ]),
      { allowPartial: true },
    );
    expect(result.files.map((f) => f.slice(dir.length + 1))).toEqual([
      'STS-B.tsv',
      'MNLI-mm.tsv',
      'RTE.tsv',
      'AX.tsv',
    ]);
    expect(result.zip).toBe(join(dir, 'submission.zip'));
    expect(readdirSync(dir).sort()).toEqual([
      'AX.tsv',
      'MNLI-mm.tsv',
      'RTE.tsv',
      'STS-B.tsv',
      'submission.zip',
    ]);

    const rte = readFileSync(join(dir, 'RTE.tsv'), 'utf8').split('\n');
    expect(rte.slice(0, 3)).toEqual(['index\tprediction', '0\tentailment', '1\tnot_entailment']);
    expect(rte).toHaveLength(3000 + 2); // header, rows, final newline
    expect(readFileSync(join(dir, 'STS-B.tsv'), 'utf8')).toBe(
      'index\tprediction\n0\t5.000\n1\t0.000\n2\t2.500\n',
    );
    expect(readFileSync(join(dir, 'MNLI-mm.tsv'), 'utf8')).toBe(
      'index\tprediction\n0\tentailment\n1\tcontradiction\n2\tneutral\n',
    );
    expect(readFileSync(join(dir, 'AX.tsv'), 'utf8')).toBe('index\tprediction\n7\tneutral\n');

    const zipped = readZip(readFileSync(result.zip));
    expect(zipped.map((f) => f.name)).toEqual(['STS-B.tsv', 'MNLI-mm.tsv', 'RTE.tsv', 'AX.tsv']);
    for (const f of zipped) {
      expect(Buffer.from(f.data).equals(readFileSync(join(dir, f.name)))).toBe(true);
      expect(f.crc).toBe(crc32(f.data));
    }
  });

  it('checks row counts against GLUE test sizes unless allowPartial', async () => {
    const dir = tempDir();
    const p = new Map([['CoLA.tsv', { index: ['0'], preds: [1] }]]);
    const e = await writeGlueSubmission(dir, p).catch((err: unknown) => err as MmtlError);
    expect(e).toBeInstanceOf(MmtlError);
    expect((e as MmtlError).code).toBe('E_DATA');
    expect((e as MmtlError).message).toContain('CoLA.tsv has 1 rows; GLUE expects 1063');
    expect(readdirSync(dir)).toEqual([]);
  });

  it('rejects unknown files, bad lengths, bad predictions and bad indexes', async () => {
    const dir = tempDir();
    const write = (key: string, index: string[], preds: number[]) =>
      writeGlueSubmission(dir, new Map([[key, { index, preds }]]), { allowPartial: true }).catch(
        (err: unknown) => err as MmtlError,
      );
    const unknown = (await write('MNLI.tsv', ['0'], [0])) as MmtlError;
    expect(unknown.code).toBe('E_UNKNOWN');
    expect(unknown.message).toContain(
      'CoLA.tsv, SST-2.tsv, MRPC.tsv, QQP.tsv, STS-B.tsv, MNLI-m.tsv, MNLI-mm.tsv',
    );
    expect(((await write('RTE', ['0', '1'], [0])) as MmtlError).code).toBe('E_SHAPE');
    const pred = (await write('RTE', ['0'], [2])) as MmtlError;
    expect(pred.code).toBe('E_DATA');
    expect(pred.message).toContain('RTE.tsv row 0 (index 0)');
    expect(((await write('STS-B', ['0'], [NaN])) as MmtlError).code).toBe('E_DATA');
    expect(((await write('RTE', ['a\tb'], [0])) as MmtlError).message).toContain('without tabs');
    const empty = await writeGlueSubmission(dir, new Map()).catch((err: unknown) => err as MmtlError);
    expect((empty as MmtlError).code).toBe('E_ARG');
    expect(readdirSync(dir)).toEqual([]);
  });
});
