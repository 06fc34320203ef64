// Label-model bench: the WRENCH protocol (fit on train, score on test) on youtube, sms and trec, one JSON
// line per dataset and mode. Wire as `npm run bench -- labelmodel [--data DIR] [--datasets a,b]
// [--modes mmtl,snorkel] [--epochs N] [--seed S]`.
import { join } from 'node:path';
import { evalWrench, type WrenchResult } from '../src/labelmodel/index.js';

/** Snorkel's init scale for seed 123 (numpy's first `random()` draw), so 'snorkel' rows match Snorkel. */
const SNORKEL_SEED123_INIT_SCALE = 0.6964691855978616;

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
      const r = await evalWrench(join(dataDir, ds), {
        mode,
        seed,
        nEpochs,
        ...(mode === 'snorkel' && seed === 123 ? { initScale: SNORKEL_SEED123_INIT_SCALE } : {}),
      });
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
