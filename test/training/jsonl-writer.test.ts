import { appendFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isMmtlError } from '../../src/core/index.js';
import { JsonlWriter, readJsonl, readMetricLog } from '../../src/training/index.js';
import type { MetricRecord } from '../../src/training/index.js';

let root: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'mmtl-jsonl-'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

const rec = (step: number, loss: number): MetricRecord => ({
  step,
  epoch: step / 10,
  wallTime: 1700000000 + step,
  metrics: { 'model/all/train/loss': loss, 'rte/rte/valid/accuracy': 0.5 },
});

describe('JsonlWriter', () => {
  it('writes one JSON object per line and reads them back', async () => {
    const path = join(root, 'sub', 'metrics.jsonl');
    const w = await JsonlWriter.open<MetricRecord>(path);
    await w.write(rec(1, 0.7));
    await w.write(rec(2, 0.6));
    await w.close();
    await w.close(); // idempotent
    const text = await readFile(path, 'utf8');
    expect(text.split('\n')[0]).toBe(
      '{"step":1,"epoch":0.1,"wallTime":1700000001,"metrics":{"model/all/train/loss":0.7,"rte/rte/valid/accuracy":0.5}}',
    );
    expect(await readMetricLog(path)).toEqual([rec(1, 0.7), rec(2, 0.6)]);
    expect(await readJsonl(path)).toHaveLength(2);
  });

  it('round-trips non-finite values and appends across writers', async () => {
    const path = join(root, 'm.jsonl');
    const a = await JsonlWriter.open<MetricRecord>(path);
    await a.write(rec(1, NaN));
    await a.close();
    const b = await JsonlWriter.open<MetricRecord>(path);
    await b.write(rec(2, Infinity));
    await b.write(rec(3, -Infinity));
    await b.close();
    const losses = (await readMetricLog(path)).map((r) => r.metrics['model/all/train/loss']);
    expect(losses).toEqual([NaN, Infinity, -Infinity]);
    const c = await JsonlWriter.open<MetricRecord>(path, { append: false });
    await c.write(rec(4, 1));
    await c.close();
    expect((await readMetricLog(path)).map((r) => r.step)).toEqual([4]);
  });

  it('keeps a bounded buffer and loses no line', async () => {
    const path = join(root, 'm.jsonl');
    const w = await JsonlWriter.open<{ i: number; pad: string }>(path, { maxBufferedBytes: 1024 });
    for (let i = 0; i < 2000; i++) await w.write({ i, pad: 'x'.repeat(50) });
    await w.flush();
    expect((await readJsonl(path)).length).toBe(2000);
    await w.write({ i: 2000, pad: '' });
    await w.close();
    const all = (await readJsonl(path)) as { i: number }[];
    expect(all.map((r) => r.i)).toEqual(Array.from({ length: 2001 }, (_, i) => i));
    await expect(w.write({ i: 0, pad: '' })).rejects.toThrow(/after close/);
  });

  it('fails to open an unwritable path with E_IO', async () => {
    await writeFile(join(root, 'file'), 'x');
    const e = await JsonlWriter.open(join(root, 'file', 'm.jsonl')).catch((err: unknown) => err);
    expect(isMmtlError(e, 'E_IO')).toBe(true);
  });
});

describe('readJsonl', () => {
  it('drops a torn last line but not a bad middle line', async () => {
    const path = join(root, 'm.jsonl');
    await writeFile(path, '{"a":1}\n\n{"a":2}\n{"a":');
    expect(await readJsonl(path)).toEqual([{ a: 1 }, { a: 2 }]);
    await appendFile(path, '\n{"a":3}\n');
    await expect(readJsonl(path)).rejects.toThrow(/line 4 is not valid JSON/);
    const e = await readJsonl(join(root, 'missing.jsonl')).catch((err: unknown) => err);
    expect(isMmtlError(e, 'E_IO')).toBe(true);
  });

  it('readMetricLog rejects records that are not metric records', async () => {
    const path = join(root, 'm.jsonl');
    await writeFile(path, '{"step":1}\n');
    await expect(readMetricLog(path)).rejects.toThrow(/record 1 is not a metric record/);
  });
});
