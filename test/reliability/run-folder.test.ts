// The trainer checks its run folder at every evaluation and checkpoint, and its logs reach the disk there.
import { existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isMmtlError } from '../../src/core/index.js';
import {
  JsonlWriter,
  TfEventsWriter,
  Trainer,
  readCheckpoint,
  readMetricLog,
  readTfEvents,
  type MetricRecord,
} from '../../src/training/index.js';
import { toyModel, toyPayloads, toyTrainerOptions } from './fixtures/toy-training.js';
import { snapshot, tempDir } from './helpers.js';

describe('a run folder deleted while training', () => {
  it('stops the run with E_IO at the next evaluation; nothing is recreated', async () => {
    const root = tempDir('deleted');
    const runDir = join(root, 'run');
    const model = toyModel();
    let deletedAt = -1;
    const fit = new Trainer(toyTrainerOptions(runDir, 4)).fit(model, toyPayloads(), {
      onStep: (s) => {
        if (s.step === 20 && deletedAt < 0) {
          expect(existsSync(join(runDir, 'checkpoints', 'last'))).toBe(true);
          rmSync(runDir, { recursive: true });
          deletedAt = s.step;
        }
      },
    });
    await expect(fit).rejects.toSatisfy(
      (e) =>
        isMmtlError(e, 'E_IO') && /metrics.jsonl' was deleted while it was being written/.test(String(e)),
    );
    model.dispose();
    expect(deletedAt).toBe(20);
    expect(snapshot(root).size).toBe(0); // no partial run folder made anew
  });

  it('a metric log whose file is replaced stops too', async () => {
    const dir = tempDir('replaced');
    const path = join(dir, 'm.jsonl');
    const log = await JsonlWriter.open(path);
    await log.write({ a: 1 });
    rmSync(path);
    await expect(log.write({ a: 2 })).rejects.toSatisfy((e) => isMmtlError(e, 'E_IO'));
    await log.close(); // releases the file quietly
    expect(existsSync(path)).toBe(false);
  });
});

describe('logs reach the disk at every evaluation and checkpoint', () => {
  it('metrics.jsonl and the event file hold every evaluation before the next step runs', async () => {
    const runDir = join(tempDir('flush'), 'run');
    const model = toyModel();
    const seen: number[] = [];
    const eventFiles: Buffer[] = [];
    const result = await new Trainer(toyTrainerOptions(runDir, 2)).fit(model, toyPayloads(), {
      onEvaluate: (record) => {
        // read straight from the file system while the writers are still open
        const lines = readFileSync(join(runDir, 'metrics.jsonl'), 'utf8').trimEnd().split('\n');
        expect(JSON.parse(lines.at(-1)!)).toMatchObject({ step: record.step });
        const tbDir = join(runDir, 'tensorboard');
        eventFiles.push(readFileSync(join(tbDir, readdirSync(tbDir)[0]!)));
        seen.push(lines.length);
      },
    });
    model.dispose();
    expect(seen).toEqual(result.history.map((_, i) => i + 1));
    // the event file as it was at each evaluation ends with that evaluation's scalars
    for (const [i, bytes] of eventFiles.entries()) {
      const copy = join(runDir, `events-${i}`);
      writeFileSync(copy, bytes);
      expect((await readTfEvents(copy)).at(-1)!.step).toBe(result.history[i]!.step);
    }
    const last = await readCheckpoint(join(runDir, 'checkpoints', 'last'));
    const logged = await readMetricLog(join(runDir, 'metrics.jsonl'));
    expect(logged.at(-1)!.step).toBe(last.meta.step);
  });

  it('JsonlWriter hands each record to the OS before write resolves; TfEventsWriter as each event is added', async () => {
    const dir = tempDir('flush');
    const log = await JsonlWriter.open<MetricRecord>(join(dir, 'm.jsonl'));
    const record: MetricRecord = { step: 1, epoch: 0, wallTime: 1, metrics: { loss: 0.5 } };
    await log.write(record);
    expect(await readMetricLog(join(dir, 'm.jsonl'))).toEqual([record]);
    const tb = await TfEventsWriter.open(join(dir, 'tb'));
    tb.addScalars({ loss: 0.5 }, 7, 2);
    const events = await readTfEvents(tb.path);
    expect(events.at(-1)).toMatchObject({ step: 7, scalars: [{ tag: 'loss', value: 0.5 }] });
    await log.close();
    await tb.close();
  });
});
