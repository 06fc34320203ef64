import { readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { MmtlError, assert } from '../core/index.js';
import type { LabelModelFitOptions } from './config.js';
import type { LabelMatrixLike } from './label-matrix.js';
import { LabelModel } from './label-model.js';
import { type LabelMetric, scorePredictions } from './score.js';
import { MajorityLabelVoter } from './voters.js';

/** One split of a WRENCH dataset. */
export interface WrenchSplit {
  L: LabelMatrixLike & { data: Int16Array };
  /** Gold labels (−1 where missing). */
  Y: Int32Array;
  /** Row ids in file order. */
  ids: string[];
}

/**
 * Reads a WRENCH split file: `{ "<id>": { "label": y, "weak_labels": [..], "data": {..} }, … }`.
 *
 * @example
 * ```ts
 * const { L, Y } = await readWrenchSplit('data/wrench/youtube/train.json'); // L: 1586 × 10
 * ```
 */
export async function readWrenchSplit(path: string): Promise<WrenchSplit> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(path, 'utf8'));
  } catch (e) {
    throw new MmtlError('E_IO', `could not read WRENCH split '${path}': ${(e as Error).message}`, {
      cause: e,
    });
  }
  assert(
    json !== null && typeof json === 'object' && !Array.isArray(json),
    'E_DATA',
    () => `WRENCH split '${path}' must be a JSON object of rows`,
  );
  const entries = Object.entries(json as Record<string, unknown>);
  assert(entries.length > 0, 'E_DATA', () => `WRENCH split '${path}' has no rows`);
  const first = (entries[0]![1] as { weak_labels?: unknown }).weak_labels;
  assert(
    Array.isArray(first),
    'E_DATA',
    () => `WRENCH split '${path}': row '${entries[0]![0]}' has no weak_labels array`,
  );
  const n = entries.length;
  const m = first.length;
  const data = new Int16Array(n * m);
  const Y = new Int32Array(n);
  entries.forEach(([id, row], i) => {
    const r = row as { label?: unknown; weak_labels?: unknown };
    const wl = r.weak_labels;
    assert(
      Array.isArray(wl) && wl.length === m,
      'E_DATA',
      () => `WRENCH split '${path}': row '${id}' must have ${m} weak_labels`,
    );
    wl.forEach((v: unknown, j) => {
      assert(
        Number.isInteger(v) && (v as number) >= -1,
        'E_DATA',
        () => `WRENCH split '${path}': row '${id}' has weak label ${String(v)}`,
      );
      data[i * m + j] = v as number;
    });
    Y[i] = Number.isInteger(r.label) ? (r.label as number) : -1;
  });
  return { L: { n, m, data }, Y, ids: entries.map(([id]) => id) };
}

/** Scores of one labeler on the test split. */
export interface WrenchScores {
  accuracy: number;
  /** Binary F1 of class 1 (k = 2 only). */
  f1?: number;
  macro_f1: number;
}

/** The one-line result of {@link evalWrench}. */
export interface WrenchResult {
  dataset: string;
  mode: 'mmtl' | 'snorkel';
  majority: WrenchScores;
  label_model: WrenchScores & { fit_s: number };
}

/**
 * WRENCH protocol: fits a {@link LabelModel} on `train.json` of a WRENCH folder and scores it and majority
 * vote on `test.json` (ties broken by Snorkel's deterministic hash of the row index, as in the Snorkel
 * tutorial and WRENCH). `k` comes from `label.json` when present, else from
 * the largest label seen.
 *
 * @example
 * ```ts
 * await evalWrench('data/wrench/youtube', { seed: 123, nEpochs: 500 });
 * // { dataset: 'youtube', mode: 'mmtl', majority: { accuracy: 0.84, … }, label_model: { accuracy: 0.87, …, fit_s: 0.05 } }
 * ```
 */
export async function evalWrench(dir: string, opts: LabelModelFitOptions = {}): Promise<WrenchResult> {
  const train = await readWrenchSplit(join(dir, 'train.json'));
  const test = await readWrenchSplit(join(dir, 'test.json'));
  let k = 0;
  try {
    k = Object.keys(JSON.parse(await readFile(join(dir, 'label.json'), 'utf8')) as object).length;
  } catch {
    k = 0;
  }
  if (k < 2) {
    for (const s of [train, test]) {
      for (const v of s.L.data) k = Math.max(k, v + 1);
      for (const v of s.Y) k = Math.max(k, v + 1);
    }
  }
  const seed = opts.seed ?? 0;
  // Snorkel's deterministic 'random' tie break (sha1 of the row index), as in the published numbers
  const tie = { tieBreakPolicy: 'random' as const };
  const metrics: LabelMetric[] = k === 2 ? ['accuracy', 'f1', 'macro_f1'] : ['accuracy', 'macro_f1'];
  const score = (preds: Int32Array): WrenchScores => {
    const s = scorePredictions(preds, test.Y, k, metrics);
    return { accuracy: s.accuracy!, ...(k === 2 ? { f1: s.f1! } : {}), macro_f1: s.macro_f1! };
  };
  const lm = new LabelModel(k);
  const t0 = performance.now();
  lm.fit(train.L, { ...opts, seed });
  const fitS = (performance.now() - t0) / 1000;
  return {
    dataset: basename(dir),
    mode: opts.mode ?? 'mmtl',
    majority: score(new MajorityLabelVoter(k).predict(test.L, tie)),
    label_model: { ...score(lm.predict(test.L, tie)), fit_s: Number(fitS.toFixed(4)) },
  };
}
