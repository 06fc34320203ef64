// LF-applier bench on the reference workload (../shared/reference/lf-applier: 100k review texts, 10 keyword
// and regex LFs, the expected label matrix): `npm run bench -- lf-applier --data DIR [--workers N] [--repeat R]`
// prints {"bench":"lf-applier","rows_per_s","matches_reference",…}. rows_per_s is the applier alone on rows
// already in memory (as Snorkel's PandasLFApplier was timed on a DataFrame), median of R runs, with N threads
// (default 1 = in process: here the pool's structured cloning costs more than a second core gains). Worker
// start-up is timed separately (workers_start_s).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { LFApplierPool, applyLFs } from '../src/labeling/index.js';
import { lfs } from './lf-applier-lfs.js';

function flag(argv: string[], name: string): string | undefined {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

/**
 * Bench entry point (`BenchModule.run`).
 *
 * @example
 * ```ts
 * await run(['--data', '../shared/reference/lf-applier', '--workers', '2']);
 * ```
 */
export async function run(argv: string[]): Promise<void> {
  const dir = flag(argv, '--data') ?? join('..', 'shared', 'reference', 'lf-applier');
  const workers = Number(flag(argv, '--workers') ?? 1);
  const repeat = Number(flag(argv, '--repeat') ?? 5);
  const text = gunzipSync(readFileSync(join(dir, 'reviews-100k.jsonl.gz'))).toString('utf8');
  const items = text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as { text: string });
  const ref = new Int8Array(readFileSync(join(dir, 'L-reference.i8.bin')));
  const times: number[] = [];
  let data: ArrayLike<number> = new Int8Array(0);
  let startS = 0;
  if (workers <= 1) {
    for (let r = 0; r < repeat; r++) {
      const t0 = performance.now();
      data = applyLFs(lfs, items, { cardinality: 2 }).L.data;
      times.push((performance.now() - t0) / 1000);
    }
  } else {
    const t0 = performance.now();
    const pool = await LFApplierPool.start(fileURLToPath(new URL('./lf-applier-lfs.ts', import.meta.url)), {
      workers,
    });
    startS = (performance.now() - t0) / 1000;
    try {
      await pool.apply(items.slice(0, 2000)); // warm-up
      for (let r = 0; r < repeat; r++) {
        const t1 = performance.now();
        data = (await pool.apply(items)).L.data;
        times.push((performance.now() - t1) / 1000);
      }
    } finally {
      await pool.close();
    }
  }
  let matches = data.length === ref.length;
  for (let i = 0; matches && i < ref.length; i++) if (data[i] !== ref[i]) matches = false;
  const s = median(times);
  console.log(
    JSON.stringify({
      bench: 'lf-applier',
      rows_per_s: Math.round(items.length / s),
      matches_reference: matches,
      rows: items.length,
      workers: Math.max(1, workers),
      apply_s: Number(s.toFixed(4)),
      workers_start_s: Number(startS.toFixed(3)),
    }),
  );
}
