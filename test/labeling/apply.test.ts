import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ABSTAIN, MmtlError } from '../../src/core/index.js';
import {
  applyLFs,
  applyLFsParallel,
  applyLFsToFile,
  LFApplierPool,
  keywordLF,
  lowerCased,
  labelingFunction,
  lfsFromExports,
  loadLFModule,
  type ApplyProgress,
} from '../../src/labeling/index.js';
import { lfs as youtubeLFs } from '../fixtures/lfs/youtube-lfs.js';

const fixtures = join(import.meta.dirname, '..', 'fixtures');
const jsonl = join(fixtures, 'youtube', 'train-200.jsonl');
const tsModule = join(fixtures, 'lfs', 'youtube-lfs.ts');
const jsModule = join(fixtures, 'lfs', 'flaky-lfs.mjs');
interface Row {
  id: string;
  text: string;
  label: number;
  weak_labels: number[];
}
const rows = readFileSync(jsonl, 'utf8')
  .trim()
  .split('\n')
  .map((l) => JSON.parse(l) as Row);

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mmtl-apply-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const flaky = [
  keywordLF({ name: 'has_link', keywords: ['http'], label: 1, wholeWord: false }),
  labelingFunction({ name: 'flaky' }, (x: { text: string }) => {
    if (x.text.length % 7 === 0) throw new Error('boom');
    return x.text.length < 30 ? 0 : ABSTAIN;
  }),
];

describe('applyLFs', () => {
  it("reproduces WRENCH's YouTube keyword and regex LF columns", () => {
    const { L, failures } = applyLFs(youtubeLFs, rows, { cardinality: 2, idField: 'id' });
    expect([L.n, L.m]).toEqual([200, 7]);
    expect(L.names.slice(0, 3)).toEqual(['keyword_my', 'keyword_subscribe', 'keyword_link']);
    expect(L.rowIds![5]).toBe('yt-5');
    for (let i = 0; i < L.n; i++) {
      expect(Array.from(L.row(i)).slice(0, 6), `row ${i}`).toEqual(rows[i]!.weak_labels.slice(0, 6));
    }
    expect(Object.values(failures)).toEqual([0, 0, 0, 0, 0, 0, 0]);
  });

  it('fails with E_LF naming the LF and row, keeping the original error as cause', () => {
    try {
      applyLFs(flaky, rows);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(MmtlError);
      const err = e as MmtlError;
      const row = rows.findIndex((r) => r.text.length % 7 === 0);
      expect(err.code).toBe('E_LF');
      expect(err.message).toContain(`LF 'flaky' failed on row ${row}: boom`);
      expect((err.cause as Error).message).toBe('boom');
    }
  });

  it('counts failures as abstains in fault-tolerant mode', () => {
    const { L, failures } = applyLFs(flaky, rows, { faultTolerant: true });
    const bad = rows.map((r, i) => (r.text.length % 7 === 0 ? i : -1)).filter((i) => i >= 0);
    expect(failures).toEqual({ has_link: 0, flaky: bad.length });
    for (const i of bad) expect(L.get(i, 1)).toBe(ABSTAIN);
  });

  it('rejects votes outside -1..k-1 even in fault-tolerant mode', () => {
    const three = labelingFunction({ name: 'three' }, () => 3);
    expect(() => applyLFs([three], [{}], { cardinality: 3, faultTolerant: true })).toThrow(
      "LF 'three' returned 3 on row 0; expected an integer in -1..2 (cardinality 3)",
    );
    const half = labelingFunction({ name: 'half' }, () => 0.5);
    expect(() => applyLFs([half], [{}])).toThrow(/LF 'half' returned 0.5 on row 0/);
    const none = labelingFunction({ name: 'none' }, () => undefined as unknown as number);
    expect(() => applyLFs([none], [{}])).toThrow(/returned undefined on row 0.*return ABSTAIN/);
  });

  it('stores Int16 votes above 127 classes', () => {
    const lf = labelingFunction({ name: 'big' }, (x: { v: number }) => x.v);
    const { L } = applyLFs([lf], [{ v: 150 }, { v: -1 }], { cardinality: 200 });
    expect(L.data).toBeInstanceOf(Int16Array);
    expect(Array.from(L.data)).toEqual([150, -1]);
  });

  it('validates its arguments', () => {
    expect(() => applyLFs([], rows)).toThrow(/Argument 'lfs' passed to 'applyLFs' must be a non-empty array/);
    expect(() => applyLFs([flaky[0]!, flaky[0]!], rows)).toThrow(/duplicate LF name 'has_link'/);
    expect(() => applyLFs(flaky, rows, { cardinality: 0 })).toThrow(/'cardinality' passed to 'applyLFs'/);
    expect(() => applyLFs(flaky, [{ text: 'a' }], { idField: 'id' })).toThrow(/row 0 has no id field 'id'/);
  });
});

describe('applyLFsToFile', () => {
  it('gives the same matrix as applyLFs for JSONL, CSV and TSV', async () => {
    const expected = applyLFs(youtubeLFs, rows, { idField: 'id' }).L;
    const fromJsonl = await applyLFsToFile(youtubeLFs, jsonl, { idField: 'id' });
    expect(fromJsonl.L.data).toEqual(expected.data);
    expect(fromJsonl.L.rowIds).toEqual(expected.rowIds);
    const first50 = expected.data.slice(0, 50 * 7);
    for (const ext of ['csv', 'tsv']) {
      const { L } = await applyLFsToFile(youtubeLFs, join(fixtures, 'youtube', `train-50.${ext}`));
      expect(L.n).toBe(50);
      expect(L.data, ext).toEqual(first50);
    }
  });

  it('grows its storage past the initial capacity and reports progress', async () => {
    const path = join(dir, 'many.jsonl');
    const texts = Array.from({ length: 2500 }, (_, i) =>
      JSON.stringify({ text: i % 3 === 0 ? 'http x' : 'song' }),
    );
    await writeFile(path, texts.join('\n') + '\n');
    const progress: ApplyProgress[] = [];
    const { L } = await applyLFsToFile(youtubeLFs, path, {
      onProgress: (p) => progress.push(p),
      progressEvery: 1000,
    });
    expect(L.n).toBe(2500);
    expect(L.data.length).toBe(2500 * 7);
    expect(L.get(2498, 4)).toBe(0); // 'song'
    expect(L.get(2499, 2)).toBe(1); // 'http x'
    expect(progress.map((p) => p.rows)).toEqual([1000, 2000, 2500]);
    expect(progress.at(-1)!.bytesRead).toBe(progress.at(-1)!.totalBytes);
  });

  it('names the file line in LF errors and counts failures when fault-tolerant', async () => {
    const bad = rows.findIndex((r) => r.text.length % 7 === 0);
    await expect(applyLFsToFile(flaky, jsonl)).rejects.toThrow(
      `LF 'flaky' failed on row ${bad} (line ${bad + 1} of '${jsonl}'): boom`,
    );
    const { failures } = await applyLFsToFile(flaky, jsonl, { faultTolerant: true });
    expect(failures.flaky).toBe(rows.filter((r) => r.text.length % 7 === 0).length);
  });
});

describe('LF modules and applyLFsParallel', () => {
  it('loads LFs from a module (named lfs, default array, named exports)', async () => {
    const ts = await loadLFModule(tsModule);
    expect(ts.lfs.map((lf) => lf.name)).toEqual(youtubeLFs.map((lf) => lf.name));
    expect(ts.cardinality).toBe(2);
    const js = await loadLFModule(jsModule);
    expect(js.lfs.map((lf) => lf.name)).toEqual(['has_link', 'flaky']);
    expect(lfsFromExports({ b: flaky[1], a: flaky[0], other: 3 }, 'm').lfs.map((lf) => lf.name)).toEqual([
      'has_link',
      'flaky',
    ]);
    expect(() => lfsFromExports({ x: 1 }, 'm.ts')).toThrow(/module 'm.ts' exports no labeling functions/);
    await expect(loadLFModule(join(dir, 'nope.ts'))).rejects.toMatchObject({ code: 'E_IO' });
  });

  it('matches the serial applier on a .ts LF module over a file', async () => {
    const serial = await applyLFsToFile(youtubeLFs, jsonl, { idField: 'id' });
    const parallel = await applyLFsParallel(tsModule, jsonl, { workers: 3, chunkSize: 17, idField: 'id' });
    expect(parallel.L.names).toEqual(serial.L.names);
    expect(parallel.L.data).toEqual(serial.L.data);
    expect(parallel.L.rowIds).toEqual(serial.L.rowIds);
    expect(parallel.failures).toEqual(serial.failures);
    const tsv = join(fixtures, 'youtube', 'train-50.tsv');
    const serialTsv = await applyLFsToFile(youtubeLFs, tsv);
    const parallelTsv = await applyLFsParallel(tsModule, tsv, { workers: 2, chunkSize: 8 });
    expect(parallelTsv.L.data).toEqual(serialTsv.L.data);
  });

  it('matches the serial applier on a .js LF module over items, fault-tolerant', async () => {
    const items = rows.map((r) => ({ text: r.text }));
    const serial = applyLFs(flaky, items, { faultTolerant: true });
    const parallel = await applyLFsParallel(jsModule, items, {
      workers: 2,
      chunkSize: 30,
      faultTolerant: true,
    });
    expect(parallel.L.data).toEqual(serial.L.data);
    expect(parallel.failures).toEqual(serial.failures);
    expect(parallel.failures.flaky).toBeGreaterThan(0);
  });

  it('reports the same error as the serial applier (earliest failing row)', async () => {
    let serialError: unknown;
    try {
      await applyLFsToFile(flaky, jsonl);
    } catch (e) {
      serialError = e;
    }
    const err = await applyLFsParallel(jsModule, jsonl, { workers: 3, chunkSize: 5 }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(MmtlError);
    expect((err as MmtlError).code).toBe('E_LF');
    expect((err as MmtlError).message).toBe((serialError as MmtlError).message);
    expect(((err as MmtlError).cause as Error).message).toBe('boom');
  });

  it('parses JSONL in the workers with the same data errors and row ids as the serial applier', async () => {
    const path = join(dir, 'bad-line.jsonl');
    const lines = rows.slice(0, 40).map((r) => JSON.stringify({ id: r.id, text: r.text }));
    lines[33] = '{"id": "broken", "text": ';
    await writeFile(path, lines.join('\n') + '\n');
    const serial = await applyLFsToFile(youtubeLFs, path).catch((e: unknown) => e);
    const parallel = await applyLFsParallel(tsModule, path, { workers: 2, chunkSize: 4 }).catch(
      (e: unknown) => e,
    );
    expect(serial).toMatchObject({ code: 'E_DATA', details: { line: 34 } });
    expect((parallel as MmtlError).message).toBe((serial as MmtlError).message);
    expect((parallel as MmtlError).code).toBe('E_DATA');

    const items = rows.slice(0, 25).map((r) => ({ key: r.id, text: r.text }));
    const inMemory = await applyLFsParallel(tsModule, items, { workers: 2, chunkSize: 4, idField: 'key' });
    expect(inMemory.L.rowIds).toEqual(items.map((x) => x.key));
    const noId = await applyLFsParallel(tsModule, [{ text: 'a' }], { workers: 1, idField: 'key' }).catch(
      (e: unknown) => e,
    );
    expect((noId as MmtlError).message).toBe(
      "Argument 'data' passed to 'applyLFsParallel': row 0 has no id field 'key'",
    );
  });

  it('fails clearly on a module without LFs', async () => {
    const path = join(dir, 'empty-lfs.mjs');
    await writeFile(path, 'export const x = 1;\n');
    await expect(applyLFsParallel(path, [{ text: 'a' }], { workers: 1 })).rejects.toThrow(
      /exports no labeling functions/,
    );
    const broken = join(dir, 'broken-lfs.mjs');
    await writeFile(broken, "throw new Error('cannot load lexicon');\n");
    await expect(applyLFsParallel(broken, [{ text: 'a' }], { workers: 2 })).rejects.toThrow(
      /could not import LF module '.*broken-lfs.mjs': cannot load lexicon/,
    );
  });
});

describe('LFApplierPool', () => {
  it('labels batch after batch with the module loaded once, as the serial applier does', async () => {
    const items = rows.map((r) => ({ text: r.text }));
    const pool = await LFApplierPool.start(jsModule, { workers: 2, faultTolerant: true });
    try {
      expect(pool.names).toEqual(['has_link', 'flaky']);
      for (const batch of [items, items.slice(0, 3), items.slice(0, 1)]) {
        const { L, failures } = await pool.apply(batch);
        const expected = applyLFs(flaky, batch, { faultTolerant: true });
        expect(L.data).toEqual(expected.L.data);
        expect(failures).toEqual(expected.failures);
      }
    } finally {
      await pool.close();
    }
    await expect(pool.apply(items)).rejects.toThrow(/after 'close'/);
  });

  it('reports the error of the earliest failing row', async () => {
    const pool = await LFApplierPool.start(jsModule, { workers: 2 });
    try {
      const err = await pool.apply(rows.map((r) => ({ text: r.text }))).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(MmtlError);
      expect((err as MmtlError).message).toMatch(/LF 'flaky' failed on row \d+/);
    } finally {
      await pool.close();
    }
  });
});

describe('keyword LFs share per-row work', () => {
  it('match substrings case-insensitively on one lower-cased copy of the text', () => {
    const great = keywordLF({ name: 'great', keywords: ['GREAT'], label: 1, wholeWord: false });
    const love = keywordLF({
      name: 'love',
      keywords: ['love'],
      label: 1,
      wholeWord: false,
      caseSensitive: true,
    });
    const { L } = applyLFs(
      [great, love],
      [{ text: 'Greatest LOVE' }, { text: 'i love it' }, { text: 'meh' }],
    );
    expect(L.toRows()).toEqual([
      [1, -1],
      [-1, 1],
      [-1, -1],
    ]);
    const s = 'MiXeD';
    expect(lowerCased(s)).toBe('mixed');
    expect(lowerCased(s)).toBe(lowerCased('MiXeD'));
  });
});
