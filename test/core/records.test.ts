import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  objectKeysInFileOrder,
  readRecords,
  recordFormatOf,
  type LineRecord,
  type RecordFormat,
} from '../../src/core/index.js';

const fixtures = join(import.meta.dirname, '..', 'fixtures', 'youtube');
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mmtl-rec-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function collect(path: string, format?: RecordFormat): Promise<LineRecord[]> {
  const out: LineRecord[] = [];
  for await (const r of readRecords(path, { format })) out.push(r);
  return out;
}

describe('readRecords', () => {
  it('picks the format from the extension', () => {
    expect(recordFormatOf('a/b.jsonl')).toBe('jsonl');
    expect(recordFormatOf('a/b.NDJSON')).toBe('jsonl');
    expect(recordFormatOf('a/b.csv')).toBe('csv');
    expect(recordFormatOf('a/b.tsv')).toBe('tsv');
    expect(() => recordFormatOf('a/b.txt')).toThrow(/unknown extension/);
  });

  it('streams JSONL, CSV and TSV of the same rows identically', async () => {
    const jsonl = (await collect(join(fixtures, 'train-200.jsonl'))).slice(0, 50);
    const csv = await collect(join(fixtures, 'train-50.csv'));
    const tsv = await collect(join(fixtures, 'train-50.tsv'));
    expect(jsonl).toHaveLength(50);
    expect(csv).toHaveLength(50);
    expect(tsv).toHaveLength(50);
    expect(jsonl[0]!.line).toBe(1);
    expect(csv[0]!.line).toBe(2); // after the header
    for (let i = 0; i < 50; i++) {
      const text = jsonl[i]!.record.text as string;
      expect(csv[i]!.record.id).toBe(jsonl[i]!.record.id);
      expect(csv[i]!.record.text).toBe(text);
      expect(tsv[i]!.record.text).toBe(text.replace(/[\t\r\n]/g, ' '));
      expect(csv[i]!.record.label).toBe(String(jsonl[i]!.record.label));
    }
  });

  it('keeps quotes literally in TSV and skips empty lines', async () => {
    const path = join(dir, 'q.tsv');
    await writeFile(path, 'a\tb\n1\t"x\n\n3\t4\n');
    expect(await collect(path)).toEqual([
      { record: { a: '1', b: '"x' }, line: 2 },
      { record: { a: '3', b: '4' }, line: 4 },
    ]);
  });

  it('reads whole-file JSON: an array of objects, or WRENCH-style objects keyed by id', async () => {
    expect(recordFormatOf('a/train.json')).toBe('json');
    const wrench = await collect(
      join(import.meta.dirname, '..', 'fixtures', 'wrench-youtube-mini', 'train.json'),
    );
    expect(wrench.length).toBeGreaterThan(10);
    expect(wrench[0]!.line).toBe(1);
    expect(wrench[0]!.record).toHaveProperty('weak_labels');
    expect(typeof (wrench[0]!.record.data as { text: unknown }).text).toBe('string');
    const arr = join(dir, 'rows.json');
    await writeFile(arr, '\uFEFF[{"a": 1}, {"a": 2}]');
    expect(await collect(arr)).toEqual([
      { record: { a: 1 }, line: 1 },
      { record: { a: 2 }, line: 2 },
    ]);
    await writeFile(arr, '{"0": {"a": 1}, "1": 7}');
    await expect(collect(arr)).rejects.toThrow(/item "1": expected a JSON object, got 7/);
    await writeFile(arr, '"text"');
    await expect(collect(arr)).rejects.toThrow(/expected an array of objects or an object of objects/);
    await writeFile(arr, '[{"a": 1}');
    await expect(collect(arr)).rejects.toThrow(/rows.json': invalid JSON/);
    await expect(collect(join(dir, 'missing.json'))).rejects.toThrow(/E_IO|could not read/);
  });

  it('honours an explicit format', async () => {
    const path = join(dir, 'data.txt');
    await writeFile(path, '{"a":1}\n');
    expect(await collect(path, 'jsonl')).toEqual([{ record: { a: 1 }, line: 1 }]);
  });

  it('names file and line on bad JSON, non-objects and wrong column counts', async () => {
    const bad = join(dir, 'bad.jsonl');
    await writeFile(bad, '{"a":1}\n\n{"a":\n');
    await expect(collect(bad)).rejects.toMatchObject({ code: 'E_DATA', details: { path: bad, line: 3 } });
    await expect(collect(bad)).rejects.toThrow(`'${bad}' line 3: invalid JSON`);
    const arr = join(dir, 'arr.jsonl');
    await writeFile(arr, '[1,2]\n');
    await expect(collect(arr)).rejects.toThrow(/line 1: expected a JSON object/);
    const csv = join(dir, 'bad.csv');
    await writeFile(csv, 'a,b\n1,2\n3\n');
    await expect(collect(csv)).rejects.toMatchObject({ code: 'E_DATA', details: { path: csv, line: 3 } });
    const tsv = join(dir, 'bad.tsv');
    await writeFile(tsv, 'a\tb\n1\t2\t3\n');
    await expect(collect(tsv)).rejects.toThrow(`'${tsv}' line 2`);
  });

  it('reads headerless files, renames columns and takes other delimiters', async () => {
    const path = join(dir, 'semi.csv');
    await writeFile(path, 'hello;1\n"a;b";0\n');
    const rows = async (options: Parameters<typeof readRecords>[1]) => {
      const out: Record<string, unknown>[] = [];
      for await (const { record } of readRecords(path, options)) out.push(record);
      return out;
    };
    expect(await rows({ header: false, delimiter: ';' })).toEqual([
      { '1': 'hello', '2': '1' },
      { '1': 'a;b', '2': '0' },
    ]);
    expect(await rows({ header: false, delimiter: ';', columns: ['text', 'label'] })).toEqual([
      { text: 'hello', label: '1' },
      { text: 'a;b', label: '0' },
    ]);
    // with a header, `columns` replaces its names
    expect(await rows({ delimiter: ';', columns: ['text', 'label'] })).toEqual([{ text: 'a;b', label: '0' }]);
  });

  it('fails with E_IO on a missing file', async () => {
    await expect(collect(join(dir, 'nope.jsonl'))).rejects.toMatchObject({ code: 'E_IO' });
  });

  it('stops reading when the consumer stops early', async () => {
    const seen: number[] = [];
    for await (const { line } of readRecords(join(fixtures, 'train-200.jsonl'))) {
      seen.push(line);
      if (line === 3) break;
    }
    expect(seen).toEqual([1, 2, 3]);
  });
});

describe('JSON objects in file order', () => {
  it('lists keys as written, not with integer-like keys sorted first', async () => {
    const text =
      '{"10": {"a": 1}, "2": {"a": "x\\\\\\"}, {"}, "b": {"0": 3, "1": [1, {"9": 2}]}, "-1": {"a": 4}}';
    expect(objectKeysInFileOrder(text)).toEqual(['10', '2', 'b', '-1']);
    const tmp = await mkdtemp(join(tmpdir(), 'mmtl-order-'));
    try {
      const path = join(tmp, 'rows.json');
      await writeFile(path, '{"10": {"t": "a"}, "2": {"t": "b"}, "1": {"t": "c"}}');
      const rows: unknown[] = [];
      for await (const { record } of readRecords(path)) rows.push(record.t);
      expect(rows).toEqual(['a', 'b', 'c']);
    } finally {
      await rm(tmp, { recursive: true, force: true });
    }
  });
});
