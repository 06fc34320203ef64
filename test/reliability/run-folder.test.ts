// The trainer checks its run folder at every evaluation and checkpoint (and between the stages of a two-stage
// run), its logs reach the disk there, and a best checkpoint damaged meanwhile is an error, not kept weights.
import { existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isMmtlError } from '../../src/core/index.js';
import {
  CHECKPOINT_MANIFEST,
  JsonlWriter,
  TfEventsWriter,
  Trainer,
  trainTwoStage,
  readCheckpoint,
  readMetricLog,
  readTfEvents,
  type MetricRecord,
} from '../../src/training/index.js';
import { toyModel, toyPayloads, toyTrainerOptions } from './fixtures/toy-training.js';
import { expectUnchanged, snapshot, tempDir } from './helpers.js';

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

describe('a run folder deleted between stage 1 and stage 2', () => {
  it('stops trainTwoStage with E_IO before stage 2 writes anything; nothing is recreated', async () => {
    const root = tempDir('deleted');
    const runDir = join(root, 'run');
    const model = toyModel();
    const { nEpochs: _, ...options } = toyTrainerOptions(runDir, 1);
    const stages: string[] = [];
    const fit = trainTwoStage(model, toyPayloads(), {
      stage1: { ...options, nEpochs: 1 },
      stage2: { ...options, nEpochs: 1 },
      onProgress: (stage) => {
        stages.push(stage);
        // stage 1 is done and its folder complete: delete the whole run folder now
        if (stage !== 'stage1') {
          expect(existsSync(join(runDir, 'stage1', 'checkpoints', 'best'))).toBe(true);
          rmSync(runDir, { recursive: true });
        }
        return {};
      },
    });
    await expect(fit).rejects.toSatisfy(
      (e) =>
        isMmtlError(e, 'E_IO') &&
        /the run folder '.*run' no longer exists after stage 1 \(deleted or moved while training\?\)/.test(
          String(e),
        ),
    );
    model.dispose();
    expect(stages).toEqual(['stage1', 'side']);
    expect(snapshot(root).size).toBe(0); // no stage-2 folder (and so no run folder) made anew
  });
});

describe('a best checkpoint damaged while training', () => {
  type Damage = (best: string) => void;
  const damages: [string, Damage, RegExp][] = [
    [
      'its manifest removed',
      (best) => rmSync(join(best, CHECKPOINT_MANIFEST), { force: true }),
      /Trainer\.fit \(reloading the best\): the best checkpoint '.*best' has no manifest/,
    ],
    [
      'a weight byte flipped',
      (best) => {
        const path = join(best, 'model.safetensors');
        const b = readFileSync(path);
        b[b.length - 3] = b[b.length - 3]! ^ 0x10;
        writeFileSync(path, b);
      },
      /'model.safetensors' does not match its manifest/,
    ],
    [
      'the folder deleted',
      (best) => rmSync(best, { recursive: true }),
      /Trainer\.fit \(reloading the best\): the best checkpoint '.*best' \(step \d+\) is missing, though the run selected one/,
    ],
  ];
  for (const [what, damage, message] of damages) {
    it(`(${what}) is E_CHECKPOINT when fit reloads the best, never the current weights kept silently`, async () => {
      const runDir = join(tempDir('best'), 'run');
      const model = toyModel();
      let after: Map<string, Buffer> | undefined;
      const fit = new Trainer(toyTrainerOptions(runDir, 1)).fit(model, toyPayloads(), {
        // after each evaluation's checkpoints: the last damage stays, as if the disk changed at the end
        onEvaluate: () => {
          const best = join(runDir, 'checkpoints', 'best');
          if (existsSync(best)) damage(best);
          after = snapshot(runDir);
        },
      });
      await expect(fit).rejects.toSatisfy((e) => isMmtlError(e, 'E_CHECKPOINT') && message.test(String(e)));
      model.dispose();
      expectUnchanged(after!, runDir);
    });
  }
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
