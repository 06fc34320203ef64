import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  TfEventsWriter,
  crc32c,
  encodeEvent,
  frameRecord,
  maskedCrc32c,
  readTfEvents,
} from '../../src/training/index.js';

const GOLDEN = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'tfevents', 'golden.tfevents');

/** Must match EVENTS in scripts/fixtures/make_tfevents_golden.py (after the file_version record). */
const GOLDEN_EVENTS: { wallTime: number; step: number; values: Record<string, number> }[] = [
  { wallTime: 1700000001.5, step: 0, values: { loss: 0.6931471805599453 } },
  {
    wallTime: 1700000002.75,
    step: 200,
    values: { 'rte/rte/valid/accuracy': 0.71, 'model/all/train/loss': 0.52 },
  },
  { wallTime: 1700000003.0, step: 2 ** 33 + 5, values: { 'précision/ü': -1.5 } },
  { wallTime: 1700000004.125, step: 300, values: { big: 3.4e38, zero: 0, inf: Infinity, nan: NaN } },
  { wallTime: 0, step: -3, values: { 'negative-step': 1 } },
  { wallTime: 1700000005.0, step: 1, values: { '': 2 } },
];

let root: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'mmtl-tb-'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

async function writeGoldenSequence(): Promise<string> {
  const w = await TfEventsWriter.open(root, { now: () => 1700000000.25, hostname: 'golden-host' });
  for (const e of GOLDEN_EVENTS) w.addScalars(e.values, e.step, e.wallTime);
  await w.close();
  return w.path;
}

describe('CRC32C', () => {
  it('matches the standard check value and the TFRecord mask', () => {
    expect(crc32c(new TextEncoder().encode('123456789'))).toBe(0xe3069283);
    expect(crc32c(new Uint8Array(0))).toBe(0);
    expect(crc32c(new Uint8Array(32))).toBe(0x8a9136aa); // RFC 3720 B.4: 32 bytes of zeros
    expect(maskedCrc32c(new Uint8Array(0))).toBe(0xa282ead8);
  });

  it('frames a record as length, masked CRC, data, masked CRC', () => {
    const r = frameRecord(new Uint8Array([1, 2, 3]));
    const v = new DataView(r.buffer);
    expect(r.length).toBe(19);
    expect(v.getBigUint64(0, true)).toBe(3n);
    expect(v.getUint32(8, true)).toBe(maskedCrc32c(r.subarray(0, 8)));
    expect([...r.subarray(12, 15)]).toEqual([1, 2, 3]);
    expect(v.getUint32(15, true)).toBe(maskedCrc32c(new Uint8Array([1, 2, 3])));
  });
});

describe('encodeEvent', () => {
  it('writes the protobuf fields, omitting proto3 defaults', () => {
    expect([...encodeEvent({ wallTime: 0, step: 1, scalars: [{ tag: 'a', value: 1 }] })]).toEqual([
      0x10, 0x01, 0x2a, 0x0a, 0x0a, 0x08, 0x0a, 0x01, 0x61, 0x15, 0, 0, 0x80, 0x3f,
    ]);
    expect([...encodeEvent({ wallTime: 0, step: 0, fileVersion: 'v' })]).toEqual([0x1a, 0x01, 0x76]);
    // session_log (field 6, length-delimited) holding status (field 1, varint) = START (1)
    expect([...encodeEvent({ wallTime: 0, step: 5, sessionStart: true })]).toEqual([
      0x10, 0x05, 0x32, 0x02, 0x08, 0x01,
    ]);
    expect(() => encodeEvent({ wallTime: 0, step: 1.5 })).toThrow(/'event.step'/);
  });
});

describe('TfEventsWriter', () => {
  it('matches the golden file byte for byte', async () => {
    const path = await writeGoldenSequence();
    expect(await readdir(root)).toEqual(['events.out.tfevents.1700000000.golden-host']);
    const ours = new Uint8Array(await readFile(path));
    const golden = new Uint8Array(await readFile(GOLDEN));
    expect(ours.length).toBe(golden.length);
    expect(Buffer.from(ours).equals(Buffer.from(golden))).toBe(true);
  });

  it('reads back what it wrote (values rounded to float32)', async () => {
    const events = await readTfEvents(await writeGoldenSequence());
    expect(events[0]).toEqual({ wallTime: 1700000000.25, step: 0, fileVersion: 'brain.Event:2' });
    expect(events.slice(1)).toEqual(
      GOLDEN_EVENTS.map((e) => ({
        wallTime: e.wallTime,
        step: e.step,
        scalars: Object.entries(e.values).map(([tag, value]) => ({ tag, value: Math.fround(value) })),
      })),
    );
    expect(await readTfEvents(GOLDEN)).toEqual(events);
  });

  it('uses the clock, flushes on demand and refuses writes after close', async () => {
    let t = 100.5;
    const w = await TfEventsWriter.open(join(root, 'tb'), {
      now: () => (t += 1),
      hostname: 'h',
      filenameSuffix: '.s1',
    });
    expect(w.path).toBe(join(root, 'tb', 'events.out.tfevents.101.h.s1'));
    w.addScalar('loss', 0.5, 10);
    await w.flush();
    expect((await readTfEvents(w.path)).map((e) => [e.wallTime, e.step])).toEqual([
      [101.5, 0],
      [102.5, 10],
    ]);
    await w.close();
    await w.close();
    expect(() => w.addScalar('loss', 1, 11)).toThrow(/after close/);
    const again = await TfEventsWriter.open(join(root, 'tb'), {
      now: () => 101.9,
      hostname: 'h',
      filenameSuffix: '.s1',
    });
    await again.close();
    expect(again.path).toBe(join(root, 'tb', 'events.out.tfevents.101.h.s1.1')); // never overwrites
  });

  it('detects damaged records', async () => {
    const path = await writeGoldenSequence();
    const bytes = new Uint8Array(await readFile(path));
    bytes[40] = bytes[40]! ^ 0xff;
    await writeFile(path, bytes);
    await expect(readTfEvents(path)).rejects.toThrow(/bad (data|length) CRC/);
    await writeFile(path, bytes.subarray(0, 10));
    await expect(readTfEvents(path)).rejects.toThrow(/truncated/);
  });
});
