// Label-model bench, two modes.
// WRENCH: the WRENCH protocol (fit on train, score on test) on youtube, sms and trec, one JSON line per dataset
//   and mode: `npm run bench -- labelmodel [--data DIR] [--datasets a,b] [--modes mmtl,snorkel] [--epochs N]
//   [--seed S]`.
// Matrix: speed at scale on an int8 row-major label matrix (−1 = abstain), default fit options:
//   `npm run bench -- labelmodel --matrix FILE --n N --m M --k K [--y FILE]` prints
//   {"bench":"labelmodel","fit_s","predict_proba_s","peak_rss_mb","accuracy"} (accuracy null without --y).
//   `… --generate FILE --n N --m M --k K [--seed S] [--coverage lo,hi] [--accuracy lo,hi]` writes such a matrix
//   (and FILE.y.i8 with its labels) from `syntheticLabelData`.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  LabelModel,
  evalWrench,
  probsToPreds,
  syntheticKeywordLabelData,
  syntheticLabelData,
  type WrenchResult,
} from '../src/labelmodel/index.js';

/** Options of {@link benchLabelModel}. */
export interface LabelModelBenchOptions {
  /** Folder holding one WRENCH folder per dataset (default ../shared/data/wrench). */
  dataDir?: string;
  datasets?: string[];
  modes?: ('mmtl' | 'snorkel')[];
  /** SGD steps (default 500, as in the Snorkel spam tutorial). */
  nEpochs?: number;
  seed?: number;
  /** Called with each result line (JSON). */
  onLine?: (line: string) => void;
}

/**
 * Runs the WRENCH protocol for each dataset and mode and returns the results.
 *
 * @example
 * ```ts
 * await benchLabelModel({ dataDir: '../shared/data/wrench', onLine: (l) => console.log(l) });
 * // {"dataset":"youtube","mode":"mmtl","majority":{"accuracy":0.808,…},"label_model":{"accuracy":0.864,…}}
 * ```
 */
export async function benchLabelModel(opts: LabelModelBenchOptions = {}): Promise<WrenchResult[]> {
  const dataDir = opts.dataDir ?? join('..', 'shared', 'data', 'wrench');
  const seed = opts.seed ?? 123;
  const nEpochs = opts.nEpochs ?? 500;
  const results: WrenchResult[] = [];
  for (const ds of opts.datasets ?? ['youtube', 'sms', 'trec']) {
    for (const mode of opts.modes ?? ['mmtl', 'snorkel']) {
      const r = await evalWrench(join(dataDir, ds), { mode, seed, nEpochs });
      results.push(r);
      opts.onLine?.(JSON.stringify(r));
    }
  }
  return results;
}

function flag(argv: string[], name: string): string | undefined {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
}

/**
 * Bench entry point (`BenchModule.run`): prints one JSON line per dataset and mode.
 *
 * @example
 * ```ts
 * await run(['--data', '../shared/data/wrench', '--modes', 'mmtl']);
 * ```
 */
export async function run(argv: string[]): Promise<void> {
  const generate = flag(argv, '--generate');
  const matrix = flag(argv, '--matrix');
  if (generate !== undefined) {
    generateMatrix(generate, argv);
    return;
  }
  if (matrix !== undefined) {
    console.log(JSON.stringify(benchMatrix(matrix, argv)));
    return;
  }
  if (argv.includes('--keyword-sets')) {
    await benchKeywordSets(argv);
    return;
  }
  const list = (s: string | undefined): string[] | undefined => s?.split(',').filter((x) => x !== '');
  const epochs = flag(argv, '--epochs');
  const seed = flag(argv, '--seed');
  await benchLabelModel({
    dataDir: flag(argv, '--data'),
    datasets: list(flag(argv, '--datasets')),
    modes: list(flag(argv, '--modes')) as ('mmtl' | 'snorkel')[] | undefined,
    nEpochs: epochs === undefined ? undefined : Number(epochs),
    seed: seed === undefined ? undefined : Number(seed),
    onLine: (line) => console.log(line),
  });
}

function intFlag(argv: string[], name: string): number {
  const v = Number(flag(argv, name));
  if (!Number.isInteger(v) || v < 1) throw new Error(`labelmodel bench: ${name} must be an integer ≥ 1`);
  return v;
}

function rangeFlag(argv: string[], name: string, dflt: [number, number]): [number, number] {
  const v = flag(argv, name);
  if (v === undefined) return dflt;
  const [lo, hi] = v.split(',').map(Number);
  return [lo!, hi!];
}

/**
 * Writes a synthetic int8 matrix (the 1M × 100 speed set: `--n 1000000 --m 100 --k 2 --seed 1`, coverage
 * 0.05–0.25 and accuracy 0.6–0.9 per LF, balanced classes) and its labels.
 */
function generateMatrix(path: string, argv: string[]): void {
  const seed = flag(argv, '--seed');
  const { L, Y } = syntheticLabelData({
    n: intFlag(argv, '--n'),
    m: intFlag(argv, '--m'),
    k: intFlag(argv, '--k'),
    coverageRange: rangeFlag(argv, '--coverage', [0.05, 0.25]),
    accuracyRange: rangeFlag(argv, '--accuracy', [0.6, 0.9]),
    seed: seed === undefined ? 1 : Number(seed),
  });
  writeFileSync(path, L.data);
  writeFileSync(`${path}.y.i8`, Y);
  console.log(JSON.stringify({ wrote: path, labels: `${path}.y.i8`, n: L.n, m: L.m }));
}

/** Times the default fit and predict_proba on an int8 matrix file; peak RSS of the whole process. */
function benchMatrix(
  path: string,
  argv: string[],
): {
  bench: 'labelmodel';
  fit_s: number;
  predict_proba_s: number;
  peak_rss_mb: number;
  accuracy: number | null;
} {
  const [n, m, k] = [intFlag(argv, '--n'), intFlag(argv, '--m'), intFlag(argv, '--k')];
  const buf = readFileSync(path);
  if (buf.length !== n * m)
    throw new Error(`labelmodel bench: '${path}' has ${buf.length} bytes, expected n·m = ${n * m}`);
  const L = { n, m, data: new Int8Array(buf.buffer, buf.byteOffset, buf.length) };
  const lm = new LabelModel(k);
  const t0 = performance.now();
  lm.fit(L);
  const t1 = performance.now();
  const probs = lm.predictProba(L);
  const t2 = performance.now();
  const yPath = flag(argv, '--y');
  let accuracy: number | null = null;
  if (yPath !== undefined) {
    const y = readFileSync(yPath);
    const preds = probsToPreds(probs, k, { tieBreakPolicy: 'random' });
    let right = 0;
    for (let i = 0; i < n; i++) if (preds[i] === y[i]) right++;
    accuracy = Number((right / n).toFixed(4));
  }
  return {
    bench: 'labelmodel',
    fit_s: Number(((t1 - t0) / 1000).toFixed(4)),
    predict_proba_s: Number(((t2 - t1) / 1000).toFixed(4)),
    peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024),
    accuracy,
  };
}

/**
 * WRENCH-format synthetic keyword sets shaped like the held-out relation sets (`--keyword-sets [--k 9 --m 164
 * --seeds 1,2,3]`: one-class LFs, skewed coverage and balance, 15% near-copies, covered rows only; 1749 train,
 * 200 valid, 600 test rows), written to a temporary folder and run through `evalWrench` in 'mmtl' mode (the
 * defaults) and 'snorkel' mode (Snorkel's defaults); one JSON line per set and mode.
 */
async function benchKeywordSets(argv: string[]): Promise<void> {
  const k = Number(flag(argv, '--k') ?? 9);
  const m = Number(flag(argv, '--m') ?? 164);
  const seeds = (flag(argv, '--seeds') ?? '1,2,3').split(',').map(Number);
  const dir = mkdtempSync(join(tmpdir(), 'mmtl-kw-'));
  try {
    for (const seed of seeds) {
      const all = syntheticKeywordLabelData({ n: 2549, m, k, dropUncovered: true, copyFraction: 0.15, seed });
      const ds = join(dir, `keyword-k${k}-m${m}-seed${seed}`);
      mkdirSync(ds);
      const split = (from: number, to: number, labels: boolean): string =>
        `{${Array.from({ length: to - from }, (_, r) => {
          const i = from + r;
          const weak = Array.from(all.L.data.subarray(i * m, (i + 1) * m)).join(',');
          return `"${r}":{"label":${labels ? all.Y[i] : -1},"weak_labels":[${weak}],"data":{}}`;
        }).join(',')}}`;
      writeFileSync(join(ds, 'train.json'), split(0, 1749, false));
      writeFileSync(join(ds, 'valid.json'), split(1749, 1949, true));
      writeFileSync(join(ds, 'test.json'), split(1949, 2549, true));
      for (const mode of ['mmtl', 'snorkel'] as const) {
        const r = await evalWrench(ds, {
          mode,
          seed: 0,
          ...(mode === 'snorkel' ? { dev: 'off' as const } : {}),
        });
        console.log(JSON.stringify(r));
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
