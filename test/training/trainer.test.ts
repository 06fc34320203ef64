import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MmtlError, Rng } from '../../src/core/index.js';
import { Activation, Dropout, Linear, Sequential } from '../../src/nn/index.js';
import { Dataset, MultitaskModel, Payload, chainTask } from '../../src/tasks/index.js';
import { manualSeed } from '../../src/tensor/index.js';
import { Trainer, readMetricLog, readTfEvents } from '../../src/training/index.js';

/** x ~ U[-1,1]², task 'side': 1[x1 > x2] (some labels abstained), task 'sum': x1 + x2. */
function data(name: string, n: number, seed: number): Dataset {
  const rng = new Rng(seed);
  const x = new Float32Array(n * 2);
  const side = new Int32Array(n);
  const sum = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const a = rng.float() * 2 - 1;
    const b = rng.float() * 2 - 1;
    x[2 * i] = a;
    x[2 * i + 1] = b;
    side[i] = i % 7 === 0 ? -1 : a > b ? 1 : 0;
    sum[i] = a + b;
  }
  return new Dataset({
    name,
    inputs: { x: { kind: 'dense', values: x, shape: [n, 2] } },
    labels: {
      side: { kind: 'class', values: side, cardinality: 2 },
      sum: { kind: 'regression', values: sum },
    },
  });
}

function buildModel(): MultitaskModel {
  manualSeed(3);
  const body = new Sequential([new Linear(2, 16), new Activation('relu'), new Dropout(0.1)]);
  const side = chainTask({
    name: 'side',
    type: 'classification',
    cardinality: 2,
    fields: ['x'],
    chain: [
      { name: 'body', module: body },
      { name: 'side_head', module: new Linear(16, 2) },
    ],
  });
  const sum = chainTask({
    name: 'sum',
    type: 'regression',
    cardinality: 1,
    fields: ['x'],
    chain: [
      { name: 'body', module: body },
      { name: 'sum_head', module: new Linear(16, 1) },
    ],
  });
  return new MultitaskModel([side, sum]);
}

function payloads(): Payload[] {
  const train = data('toy', 400, 1);
  const valid = data('toy', 200, 2);
  return [
    new Payload({ dataset: train, split: 'train', batchSize: 32, labelsToTasks: { side: 'side' } }),
    new Payload({
      dataset: train,
      split: 'train',
      batchSize: 32,
      labelsToTasks: { sum: 'sum' },
      name: 'toy_train_sum',
    }),
    new Payload({
      dataset: valid,
      split: 'valid',
      batchSize: 100,
      labelsToTasks: { side: 'side', sum: 'sum' },
    }),
  ];
}

describe('Trainer', () => {
  it('trains two tasks over a shared body, logs per-task losses, and reloads the best', async () => {
    const model = buildModel();
    const runDir = mkdtempSync(join(tmpdir(), 'mmtl-train-'));
    const trainer = new Trainer({ nEpochs: 6, optimizer: { lr: 0.01 }, runDir });
    const result = await trainer.fit(model, payloads());
    expect(result.steps).toBe(6 * 26);
    expect(result.history).toHaveLength(6);
    const last = result.history[5]!.metrics;
    expect(Object.keys(last)).toEqual(
      expect.arrayContaining([
        'side/toy/train/loss',
        'sum/toy/train/loss',
        'model/all/train/loss',
        'side/toy/valid/accuracy',
        'model/all/valid/task_mean',
      ]),
    );
    expect(result.finalMetrics['side/toy/valid/accuracy']).toBeGreaterThan(0.9);
    expect(result.finalMetrics['sum/toy/valid/pearson']).toBeGreaterThan(0.95);
    expect(result.best!.key).toBe('model/all/valid/task_mean');
    // the reloaded weights are the best evaluation's
    const bestRecord = result.history.find((r) => r.step === result.best!.step)!;
    expect(result.finalMetrics['side/toy/valid/accuracy']).toBeCloseTo(
      bestRecord.metrics['side/toy/valid/accuracy']!,
      10,
    );
    const logged = await readMetricLog(join(runDir, 'metrics.jsonl'));
    expect(logged.map((r) => r.step)).toEqual(result.history.map((r) => r.step));
    const { readdirSync } = await import('node:fs');
    const tbFile = readdirSync(join(runDir, 'tensorboard'))[0]!;
    const events = await readTfEvents(join(runDir, 'tensorboard', tbFile));
    expect(events.length).toBe(7); // file_version + one per evaluation
  });

  it('resumes a killed run and reproduces the uninterrupted run exactly', async () => {
    const options = { nEpochs: 4, optimizer: { lr: 0.01 }, evaluateEvery: { epochs: 0.5 } } as const;
    const full = await new Trainer({ ...options, runDir: mkdtempSync(join(tmpdir(), 'mmtl-full-')) }).fit(
      buildModel(),
      payloads(),
    );

    const runDir = mkdtempSync(join(tmpdir(), 'mmtl-resume-'));
    const abort = new AbortController();
    let evaluations = 0;
    const first = await new Trainer({ ...options, runDir }).fit(buildModel(), payloads(), {
      signal: abort.signal,
      onStep: (s) => {
        if (evaluations === 3 && s.step % 13 === 5) abort.abort(); // a few steps past the 3rd evaluation
      },
      onEvaluate: () => {
        evaluations++;
      },
    });
    expect(first.interrupted).toBe(true);
    const resumed = await new Trainer({ ...options, runDir }).fit(buildModel(), payloads(), { resume: true });
    expect(resumed.interrupted).toBe(false);
    expect(resumed.history.map((r) => r.step)).toEqual(full.history.map((r) => r.step));
    expect(resumed.finalMetrics).toEqual(full.finalMetrics);
    const strip = (m: Record<string, number>) => Object.fromEntries(Object.entries(m));
    expect(strip(resumed.history.at(-1)!.metrics)).toEqual(strip(full.history.at(-1)!.metrics));

    // TensorBoard: the resumed run's file starts with a SessionLog START at the step it continues from; reading
    // the files in order and purging as TensorBoard does leaves each evaluation step exactly once.
    const tbDir = join(runDir, 'tensorboard');
    const files = readdirSync(tbDir).sort();
    expect(files).toHaveLength(2);
    const second = await readTfEvents(join(tbDir, files[1]!));
    expect(second[1]!.sessionStart).toBe(true);
    let steps: number[] = [];
    for (const f of files) {
      for (const e of await readTfEvents(join(tbDir, f))) {
        if (e.sessionStart === true) steps = steps.filter((s) => s < e.step);
        if (e.scalars) steps.push(e.step);
      }
    }
    expect(steps).toEqual(full.history.map((r) => r.step));
  });

  it('identical runs write identical checkpoints, optimizer.bin included', async () => {
    const once = async (): Promise<Record<string, Buffer>> => {
      const runDir = mkdtempSync(join(tmpdir(), 'mmtl-same-'));
      await new Trainer({ nEpochs: 2, optimizer: { lr: 0.01 }, runDir, tensorboard: false }).fit(
        buildModel(),
        payloads(),
      );
      const last = join(runDir, 'checkpoints', 'last');
      return Object.fromEntries(
        ['optimizer.bin', 'model.safetensors'].map((f) => [f, readFileSync(join(last, f))]),
      );
    };
    const [a, b] = [await once(), await once()];
    expect(a['optimizer.bin']!.length).toBeGreaterThan(1000);
    expect(a['optimizer.bin']!.equals(b['optimizer.bin']!)).toBe(true);
    expect(a['model.safetensors']!.equals(b['model.safetensors']!)).toBe(true);
  });

  it('a NaN loss stops the run with E_NUMERIC, read per step or at the next check', async () => {
    const bad = (): Payload[] => {
      const ds = data('bad', 64, 4);
      (ds.inputs.x as { values: Float32Array }).values[5] = Number.NaN;
      return [new Payload({ dataset: ds, split: 'train', batchSize: 64, labelsToTasks: { sum: 'sum' } })];
    };
    const errorOf = async (run: () => Promise<unknown>): Promise<MmtlError> => {
      try {
        await run();
      } catch (e) {
        return e as MmtlError;
      }
      throw new Error('the run did not fail');
    };
    const perStep = await errorOf(() =>
      new Trainer({ nEpochs: 2 }).fit(buildModel(), bad(), { onStep: () => undefined }),
    );
    expect(perStep.code).toBe('E_NUMERIC');
    expect(perStep.message).toContain('NaN at step 0');
    const deferred = await errorOf(() =>
      new Trainer({ nEpochs: 2, turnEveryMs: 0 }).fit(buildModel(), bad()),
    );
    expect(deferred.code).toBe('E_NUMERIC');
    expect(deferred.message).toContain('NaN within steps 1–1');
  });

  it('stops early when the metric stops improving, and rejects bad configs', async () => {
    const r = await new Trainer({
      nEpochs: 30,
      optimizer: { lr: 1e-6 },
      earlyStoppingPatience: 2,
      checkpointMetric: 'side/toy/valid/accuracy:max',
    }).fit(buildModel(), payloads());
    expect(r.stoppedEarly).toBe(true);
    expect(r.history.length).toBeLessThan(30);
    expect(() => new Trainer({ nEpochs: 0 })).toThrow(/nEpochs/);
    expect(() => new Trainer({ nEpoch: 1 } as never)).toThrow(/Unrecognized key/);
  });
});

describe('trainTwoStage', () => {
  it('fine-tunes each task from the stage-1 best and reports both stages', async () => {
    const { trainTwoStage } = await import('../../src/training/index.js');
    const model = buildModel();
    const r = await trainTwoStage(model, payloads(), {
      stage1: { nEpochs: 2, optimizer: { lr: 0.01 } },
      stage2: { nEpochs: 2, optimizer: { lr: 0.005 } },
    });
    expect([...r.tasks.keys()]).toEqual(['side', 'sum']);
    const side = r.tasks.get('side')!;
    expect(side.metric).toBe('side/toy/valid/accuracy');
    expect(side.model.taskNames()).toEqual(['side']);
    expect(side.stage1).toBe(r.stage1.finalMetrics['side/toy/valid/accuracy']);
    expect(side.stage2).toBeGreaterThan(0.8);
    expect(side.stage2).toBeGreaterThanOrEqual(side.stage1); // the stage-1 weights are stage 2's first candidate
    expect(r.tasks.get('sum')!.metric).toBe('sum/toy/valid/pearson');
  });

  it('keeps stage1Only payloads out of stage 2', async () => {
    const { trainTwoStage } = await import('../../src/training/index.js');
    const extra = new Payload({
      dataset: data('extra', 200, 5),
      split: 'train',
      batchSize: 32,
      labelsToTasks: { side: 'side' },
    });
    const runDir = mkdtempSync(join(tmpdir(), 'mmtl-two-stage-'));
    await trainTwoStage(buildModel(), [...payloads(), extra], {
      stage1: { nEpochs: 1, runDir },
      stage2: { nEpochs: 1, runDir },
      tasks: ['side'],
      stage1Only: [extra.name],
    });
    const keys = async (sub: string) =>
      new Set(
        (await readMetricLog(join(runDir, sub, 'metrics.jsonl'))).flatMap((r) => Object.keys(r.metrics)),
      );
    expect((await keys('stage1')).has('side/extra/train/loss')).toBe(true);
    const stage2 = await keys('side');
    expect(stage2.has('side/toy/train/loss')).toBe(true);
    expect(stage2.has('side/extra/train/loss')).toBe(false);
  });
});
