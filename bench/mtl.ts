// Trainer bench: the reference multi-task workload trained through the real API (Dataset, Payload, Task,
// MultitaskModel, Trainer), beside the plain PyTorch loop of bench/reference/mtl_pytorch.py.
//
//   npm run bench -- mtl --batch 32 --threads 1
//   {"bench":"mtl","batch":32,"examples_per_s":…,"seconds":…,"cpu_seconds":…,…}
//
//   npm run bench -- mtl --batch 32 --threads 1 --compare --repeats 5
//   alternates mmtl and PyTorch runs (each in its own process), one JSON line per run, then a summary line
//   with the medians and the ratios (wall time and CPU time).
//
// Workload (as issue 15 specifies it): 20,000 rows per task of 300-d N(0,1) inputs; task a binary
// y = 1[x·w > 0] with 5% of labels flipped, task b 3-class argmax(xW) with 5% replaced by a uniform class; a
// shared encoder Linear(300,128)-ReLU-Linear(128,64)-ReLU, heads Linear(64,2) and Linear(64,3); Adam lr 0.01,
// clipping at norm 1.0; every batch of both tasks once per epoch in a shuffled order; 3 epochs. The data is
// drawn from the engine's generator in the same order as the PyTorch script, so both see the same numbers.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Linear, MLP } from '../src/nn/index.js';
import { chainTask, Dataset, MultitaskModel, Payload } from '../src/tasks/index.js';
import { manualSeed, rand, randint, randn, setNumThreads, tidy, where } from '../src/tensor/index.js';
import { Trainer } from '../src/training/index.js';

const ROWS = 20_000;
const DIM = 300;
const EPOCHS = 3;

/** One result line of the bench. */
export interface MtlBenchResult {
  bench: 'mtl';
  impl: 'mmtl' | 'pytorch';
  batch: number;
  /** Training examples per second of wall time (EPOCHS × rows of both tasks / seconds). */
  examples_per_s: number;
  /** Wall time of the training loop. */
  seconds: number;
  /** CPU time of the process during the training loop (the fair measure on a loaded machine). */
  cpu_seconds: number;
  /** Mean training loss of each epoch. */
  epoch_losses: number[];
  /** Resident set size after training, MiB. */
  rss_mb?: number;
  /** Resident set size at the end of each epoch, MiB (mmtl only). */
  rss_mb_by_epoch?: number[];
}

/** Both tasks' inputs [ROWS, DIM] and labels, drawn through the engine in the PyTorch script's order. */
function makeData(seed: number): { x: Float32Array; y: Int32Array }[] {
  manualSeed(seed);
  return tidy(() => {
    const xa = randn([ROWS, DIM]);
    const w = randn([DIM]);
    const ya = xa.matmul(w).gt(0).to('int64');
    const flip = rand([ROWS]).lt(0.05);
    const yaFlipped = where(flip, ya.rsub(1), ya);
    const xb = randn([ROWS, DIM]);
    const wb = randn([DIM, 3]);
    const yb = xb.matmul(wb).argmax(1);
    const replace = rand([ROWS]).lt(0.05);
    const ybReplaced = where(replace, randint(0, 3, [ROWS]), yb);
    return [
      { x: xa.data<'float32'>(), y: Int32Array.from(yaFlipped.data<'int64'>(), Number) },
      { x: xb.data<'float32'>(), y: Int32Array.from(ybReplaced.data<'int64'>(), Number) },
    ];
  });
}

/**
 * Trains the reference workload with the Trainer and measures the training loop.
 *
 * @example
 * ```ts
 * const r = await benchMtl({ batch: 32, threads: 1 });
 * r.examples_per_s; // e.g. 15000
 * ```
 */
export async function benchMtl(opts: {
  batch: number;
  threads: number;
  seed?: number;
  /** Epochs (default 3, the reference workload; more for memory runs). */
  epochs?: number;
  /** The trainer's `turnEveryMs` (default: the trainer's). */
  turnEveryMs?: number;
}): Promise<MtlBenchResult> {
  const seed = opts.seed ?? 0;
  const epochs = opts.epochs ?? EPOCHS;
  setNumThreads(opts.threads);
  const data = makeData(seed);
  manualSeed(seed);
  const encoder = new MLP([DIM, 128, 64], { activateLast: true });
  const names = ['a', 'b'];
  const cards = [2, 3];
  const tasks = names.map((name, i) =>
    chainTask({
      name,
      type: 'classification',
      cardinality: cards[i]!,
      fields: ['x'],
      chain: [
        { name: 'encoder', module: encoder },
        { name: `${name}_head`, module: new Linear(64, cards[i]!) },
      ],
    }),
  );
  const model = new MultitaskModel(tasks);
  const payloads = data.map(
    ({ x, y }, i) =>
      new Payload({
        dataset: new Dataset({
          name: names[i]!,
          inputs: { x: { kind: 'dense', values: x, shape: [ROWS, DIM] } },
          labels: { gold: { kind: 'class', values: y, cardinality: cards[i]! } },
        }),
        split: 'train',
        batchSize: opts.batch,
        labelsToTasks: { gold: names[i]! },
      }),
  );
  const trainer = new Trainer({
    nEpochs: epochs,
    seed,
    ...(opts.turnEveryMs === undefined ? {} : { turnEveryMs: opts.turnEveryMs }),
    optimizer: { kind: 'adam', lr: 0.01 },
    gradClip: 1,
    tensorboard: false,
    reloadBest: false,
  });
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const rss: number[] = [];
  const result = await trainer.fit(model, payloads, {
    onEvaluate: () => rss.push(round(process.memoryUsage().rss / 2 ** 20, 1)),
  });
  const cpu = process.cpuUsage(c0);
  const seconds = (performance.now() - t0) / 1000;
  model.dispose();
  return {
    bench: 'mtl',
    impl: 'mmtl',
    batch: opts.batch,
    examples_per_s: round((epochs * ROWS * names.length) / seconds, 1),
    seconds: round(seconds, 3),
    cpu_seconds: round((cpu.user + cpu.system) / 1e6, 3),
    epoch_losses: result.history.map((r) => round(r.metrics['model/all/train/loss']!, 4)),
    rss_mb: round(process.memoryUsage().rss / 2 ** 20, 1),
    rss_mb_by_epoch: rss,
  };
}

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

const HERE = dirname(fileURLToPath(import.meta.url));

/** Runs one bench process (this bench without --compare, or the PyTorch script) and parses its JSON line. */
function runOnce(impl: 'mmtl' | 'pytorch', batch: number, threads: number, python: string): MtlBenchResult {
  const args = ['--batch', String(batch), '--threads', String(threads)];
  const r =
    impl === 'pytorch'
      ? spawnSync(python, [join(HERE, 'reference', 'mtl_pytorch.py'), ...args], { encoding: 'utf8' })
      : spawnSync(process.execPath, [...process.execArgv, join(HERE, 'run.ts'), 'mtl', ...args], {
          encoding: 'utf8',
        });
  const line = r.stdout.trim().split('\n').pop() ?? '';
  if (r.status !== 0 || !line.startsWith('{')) {
    throw new Error(`${impl} run failed (exit ${r.status}): ${r.stderr || r.stdout}`);
  }
  return JSON.parse(line) as MtlBenchResult;
}

/**
 * `npm run bench -- mtl --batch B --threads T [--seed S] [--epochs E] [--turn-every-ms MS]
 * [--compare [--repeats N] [--python PATH]]`.
 * Without --compare: one JSON line for mmtl. With it: N alternating runs of mmtl and PyTorch (Debian's
 * /usr/bin/python3 with python3-torch by default), one line each, then the medians and the ratios.
 */
export async function run(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      batch: { type: 'string', default: '32' },
      threads: { type: 'string', default: '1' },
      seed: { type: 'string', default: '0' },
      compare: { type: 'boolean', default: false },
      repeats: { type: 'string', default: '3' },
      python: { type: 'string', default: '/usr/bin/python3' },
      epochs: { type: 'string', default: String(EPOCHS) },
      'turn-every-ms': { type: 'string' },
    },
  });
  const int = (name: string, v: string, min: number): number => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < min) throw new Error(`--${name} must be an integer ≥ ${min}, got '${v}'`);
    return n;
  };
  const batch = int('batch', values.batch, 1);
  const threads = int('threads', values.threads, 1);
  if (!values.compare) {
    const turn = values['turn-every-ms'];
    const r = await benchMtl({
      batch,
      threads,
      seed: int('seed', values.seed, 0),
      epochs: int('epochs', values.epochs, 1),
      turnEveryMs: turn === undefined ? undefined : int('turn-every-ms', turn, 0),
    });
    console.log(JSON.stringify(r));
    return;
  }
  const repeats = int('repeats', values.repeats, 1);
  const runs: Record<'mmtl' | 'pytorch', MtlBenchResult[]> = { mmtl: [], pytorch: [] };
  for (let i = 0; i < repeats; i++) {
    for (const impl of i % 2 === 0 ? (['mmtl', 'pytorch'] as const) : (['pytorch', 'mmtl'] as const)) {
      const r = runOnce(impl, batch, threads, values.python);
      runs[impl].push(r);
      console.log(JSON.stringify(r));
    }
  }
  const med = (impl: 'mmtl' | 'pytorch', key: 'examples_per_s' | 'cpu_seconds'): number =>
    median(runs[impl].map((r) => r[key]));
  console.log(
    JSON.stringify({
      bench: 'mtl-compare',
      batch,
      threads,
      repeats,
      mmtl_examples_per_s: med('mmtl', 'examples_per_s'),
      pytorch_examples_per_s: med('pytorch', 'examples_per_s'),
      wall_ratio: round(med('mmtl', 'examples_per_s') / med('pytorch', 'examples_per_s'), 3),
      mmtl_cpu_seconds: med('mmtl', 'cpu_seconds'),
      pytorch_cpu_seconds: med('pytorch', 'cpu_seconds'),
      cpu_ratio: round(med('pytorch', 'cpu_seconds') / med('mmtl', 'cpu_seconds'), 3),
    }),
  );
}
