// Slicing bench: Snorkel's synthetic slice-based-learning setup. x ~ U[-1,1]², y = 1[x1 > x2], labels flipped
// inside the circle of radius 0.25 at (0.5, -0.5) (slice sf_flip, ~5% of rows), benign slice sf_right = x1 > 0.6;
// body Linear(2,16)→ReLU→Linear(16,16)→ReLU, head Linear(16,2); 10,000 train and 10,000 test rows; Adam lr 0.01,
// batch 64. Vanilla vs slice-aware (src/slicing sliceAwareTasks) for each epoch budget and seed; one JSON line
// per cell, then a summary line with the means over seeds.
//
//   npm run bench -- slicing [--epochs 2,5,30] [--seeds 0,1,2] [--n 10000] [--models vanilla,slice_aware]
//     [--confidence max-prob|margin|positive|one-minus-entropy] [--temperature 1] [--threads 1]
//     [--lr-schedule constant|linear|cosine]
//
// With the default constant lr (the and Snorkel's setting) an epoch budget E is scored from one run of
// max(epochs) epochs after its E-th epoch: batch order depends only on the seed and the epoch, so this equals a
// separate E-epoch run. A decaying schedule (--lr-schedule linear|cosine, decaying to 0 over the run) trains
// each budget as its own run.
import { parseArgs } from 'node:util';
import { Rng } from '../src/core/index.js';
import { Activation, Linear, Sequential } from '../src/nn/index.js';
import {
  addSliceAwareLabels,
  sliceAwareTasks,
  sliceMask,
  applySFs,
  slicingFunction,
} from '../src/slicing/index.js';
import { Dataset, MultitaskModel, Payload, chainTask, type Task } from '../src/tasks/index.js';
import { manualSeed, setNumThreads } from '../src/tensor/index.js';
import { Trainer } from '../src/training/index.js';

type Point = { x1: number; x2: number };
const SLICES = [
  slicingFunction<Point>({ name: 'sf_flip' }, ({ x1, x2 }) => Math.hypot(x1 - 0.5, x2 + 0.5) < 0.25),
  slicingFunction<Point>({ name: 'sf_right' }, ({ x1 }) => x1 > 0.6),
];

function makeData(name: string, n: number, rng: Rng): { ds: Dataset; points: Point[] } {
  const points: Point[] = [];
  const x = new Float32Array(2 * n);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const p = { x1: rng.float() * 2 - 1, x2: rng.float() * 2 - 1 };
    points.push(p);
    x[2 * i] = p.x1;
    x[2 * i + 1] = p.x2;
    const label = p.x1 > p.x2 ? 1 : 0;
    y[i] = SLICES[0]!.apply(p) === 1 ? 1 - label : label;
  }
  const ds = new Dataset({
    name,
    inputs: { x: { kind: 'dense', values: x, shape: [n, 2] } },
    labels: { y: { kind: 'class', values: y, cardinality: 2 } },
  });
  return { ds, points };
}

function baseTask(): Task {
  const body = new Sequential([
    new Linear(2, 16),
    new Activation('relu'),
    new Linear(16, 16),
    new Activation('relu'),
  ]);
  return chainTask({
    name: 'y',
    type: 'classification',
    cardinality: 2,
    fields: ['x'],
    chain: [
      { name: 'body', module: body },
      { name: 'y_head', module: new Linear(16, 2) },
    ],
  });
}

function list(v: string | undefined, fallback: string): string[] {
  return (v ?? fallback).split(',').filter(Boolean);
}

interface Row {
  epochs: number;
  seed: number;
  model: string;
  overall: number;
  flip: number;
  right: number;
}

interface RunSpec {
  seed: number;
  kind: string;
  n: number;
  /** Epochs to train. */
  nEpochs: number;
  /** Epoch counts after which the test set is scored. */
  scoreAt: readonly number[];
  lrSchedule: 'constant' | 'linear' | 'cosine';
  confidence: string | undefined;
  temperature: number | undefined;
}

/** Trains one model on the seed's data and returns a row per scored epoch count. */
async function trainOnce(spec: RunSpec): Promise<Row[]> {
  const { seed, kind } = spec;
  const dataRng = new Rng(1000 + seed);
  const train = makeData('synthetic', spec.n, dataRng);
  const test = makeData('synthetic', spec.n, dataRng);
  const trainS = applySFs(SLICES, train.points);
  const testS = applySFs(SLICES, test.points);
  const masks = { sf_flip: sliceMask(testS, 'sf_flip'), sf_right: sliceMask(testS, 'sf_right') };
  manualSeed(seed);
  const task = baseTask();
  const trainPayload = new Payload({
    dataset: train.ds,
    split: 'train',
    batchSize: 64,
    labelsToTasks: { y: 'y' },
  });
  const testPayload = new Payload({
    dataset: test.ds,
    split: 'test',
    batchSize: 1000,
    labelsToTasks: { y: 'y' },
  });
  let model: MultitaskModel;
  if (kind === 'slice_aware') {
    const sa = sliceAwareTasks(task, trainS.names, {
      confidence: spec.confidence,
      temperature: spec.temperature,
    });
    model = new MultitaskModel(sa.tasks);
    addSliceAwareLabels(trainPayload, sa, trainS);
  } else model = new MultitaskModel([task]);
  const rows: Row[] = [];
  await new Trainer({
    nEpochs: spec.nEpochs,
    seed,
    optimizer: { kind: 'adam', lr: 0.01 },
    lrSchedule: { kind: spec.lrSchedule },
    reloadBest: false,
    tensorboard: false,
  }).fit(model, [trainPayload], {
    onEvaluate: (record) => {
      const epochs = Math.round(record.epoch);
      if (!spec.scoreAt.includes(epochs)) return;
      const preds = model.predict(testPayload, { tasks: ['y'] }).get('y')!.preds;
      const gold = test.ds.labelSet('y').values;
      const acc = (mask?: Uint8Array): number => {
        let hit = 0;
        let all = 0;
        for (let i = 0; i < preds.length; i++) {
          if (mask && !mask[i]) continue;
          all++;
          if (preds[i] === gold[i]) hit++;
        }
        return hit / all;
      };
      rows.push({
        epochs,
        seed,
        model: kind,
        overall: acc(),
        flip: acc(masks.sf_flip),
        right: acc(masks.sf_right),
      });
    },
  });
  model.dispose();
  return rows;
}

/** Runs the bench (see the header comment for flags). */
export async function run(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      epochs: { type: 'string' },
      seeds: { type: 'string' },
      n: { type: 'string' },
      models: { type: 'string' },
      confidence: { type: 'string' },
      temperature: { type: 'string' },
      threads: { type: 'string' },
      'lr-schedule': { type: 'string' },
    },
  });
  if (values.threads !== undefined) setNumThreads(Number(values.threads));
  const budgets = list(values.epochs, '2,5,30').map(Number);
  const seeds = list(values.seeds, '0,1,2').map(Number);
  const models = list(values.models, 'vanilla,slice_aware');
  const schedule = values['lr-schedule'] ?? 'constant';
  if (schedule !== 'constant' && schedule !== 'linear' && schedule !== 'cosine') {
    throw new Error(`unknown --lr-schedule '${schedule}'; expected one of constant, linear, cosine`);
  }
  const base = {
    n: Number(values.n ?? 10_000),
    lrSchedule: schedule,
    confidence: values.confidence,
    temperature: values.temperature === undefined ? undefined : Number(values.temperature),
  } as const;
  // A constant lr scores every budget from one run of max(budgets) epochs; a decaying one depends on the
  // run's length, so each budget is its own run.
  const runs: { nEpochs: number; scoreAt: number[] }[] =
    schedule === 'constant'
      ? [{ nEpochs: Math.max(...budgets), scoreAt: budgets }]
      : budgets.map((e) => ({ nEpochs: e, scoreAt: [e] }));
  const rows: Row[] = [];
  for (const seed of seeds) {
    for (const kind of models) {
      for (const r of runs) {
        for (const row of await trainOnce({ ...base, ...r, seed, kind })) {
          rows.push(row);
          console.log(
            JSON.stringify({
              bench: 'slicing',
              epochs: row.epochs,
              seed,
              model: kind,
              lr_schedule: schedule,
              overall_acc: row.overall,
              slice_acc: { sf_flip: row.flip, sf_right: row.right },
            }),
          );
        }
      }
    }
  }
  const mean = (xs: number[]): number => xs.reduce((s, v) => s + v, 0) / xs.length;
  for (const epochs of budgets) {
    for (const kind of models) {
      const cell = rows.filter((r) => r.epochs === epochs && r.model === kind);
      if (cell.length === 0) continue;
      console.log(
        JSON.stringify({
          bench: 'slicing',
          summary: true,
          epochs,
          model: kind,
          seeds: cell.map((r) => r.seed),
          overall_acc: mean(cell.map((r) => r.overall)),
          slice_acc: { sf_flip: mean(cell.map((r) => r.flip)), sf_right: mean(cell.map((r) => r.right)) },
        }),
      );
    }
  }
}
