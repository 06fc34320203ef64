import { access, readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { MmtlError, assert, entriesInFileOrder } from '../core/index.js';
import type { LabelModelFitOptions } from './config.js';
import type { LabelMatrixLike } from './label-matrix.js';
import { type SelectMetric, selectOnDev } from './dev-select.js';
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
  let text: string;
  let json: unknown;
  try {
    text = await readFile(path, 'utf8');
    json = JSON.parse(text.replace(/^\uFEFF/, ''));
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
  // file order, not JavaScript's key order (which sorts number-like ids): ties are broken by row position
  const entries = entriesInFileOrder(text, json as Record<string, unknown>);
  assert(entries.length > 0, 'E_DATA', () => `WRENCH split '${path}' has no rows`);
  const first = (entries[0]![1] as { weak_labels?: unknown } | null)?.weak_labels;
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
    const r = (row ?? {}) as { label?: unknown; weak_labels?: unknown };
    const wl = r.weak_labels;
    assert(
      Array.isArray(wl) && wl.length === m,
      'E_DATA',
      () => `WRENCH split '${path}': row '${id}' must have ${m} weak_labels`,
    );
    wl.forEach((v: unknown, j) => {
      assert(
        Number.isInteger(v) && (v as number) >= -1 && (v as number) < 32768,
        'E_DATA',
        () => `WRENCH split '${path}': row '${id}' has weak label ${String(v)}`,
      );
      data[i * m + j] = v as number;
    });
    Y[i] = Number.isInteger(r.label) && (r.label as number) >= 0 ? (r.label as number) : -1;
  });
  return { L: { n, m, data }, Y, ids: entries.map(([id]) => id) };
}

/** Scores of one labeler on the test split. */
export interface WrenchScores {
  accuracy: number;
  /** Binary F1 of class 1 (k = 2 only). */
  f1?: number;
  macro_f1: number;
  /** Seconds to fit (0 for majority vote; for `dev_tuned`, the whole selection). */
  fit_s: number;
}

/** The one-line result of {@link evalWrench}. */
export interface WrenchResult {
  dataset: string;
  k: number;
  mode: 'mmtl' | 'snorkel';
  majority: WrenchScores;
  /** The unsupervised label model (the fit options given, no labels used). */
  label_model: WrenchScores & { class_balance: number[] };
  /** Present when the valid split has labels: the labeler chosen on it (see `selectOnDev`). */
  dev_tuned?: WrenchScores & { choice: string; select_metric: SelectMetric; dev_score: number };
}

/** Options of {@link evalWrench}: label-model fit options plus how to use the valid split. */
export interface EvalWrenchOptions extends LabelModelFitOptions {
  /** `'auto'` (default): tune on `valid.json` when it has labels; `'off'`: never. */
  dev?: 'auto' | 'off';
  /** Metric maximised on dev (see `selectOnDev`). */
  selectMetric?: SelectMetric;
}

/**
 * WRENCH protocol: fits a {@link LabelModel} on `train.json` of a WRENCH folder (no labels used) and scores
 * it and majority vote on `test.json`, ties broken by Snorkel's deterministic hash of the row index (as in
 * the Snorkel tutorial and WRENCH). When `valid.json` has labels, also `dev_tuned`: class balance from those
 * labels and the labeler chosen on them among majority vote and label-model settings ({@link selectOnDev}).
 * `k` comes from `label.json` when present, else from the largest label seen.
 *
 * @example
 * ```ts
 * await evalWrench('data/wrench/youtube', { seed: 123 });
 * // { dataset: 'youtube', k: 2, mode: 'mmtl', majority: { accuracy: 0.84, …, fit_s: 0 },
 * //   label_model: { accuracy: 0.864, …, fit_s: 0.01 }, dev_tuned: { accuracy: 0.88, …, choice: 'lm:dev:e500:l2=0' } }
 * ```
 */
export async function evalWrench(dir: string, opts: EvalWrenchOptions = {}): Promise<WrenchResult> {
  const { dev: devMode = 'auto', selectMetric, ...fitOpts } = opts;
  const train = await readWrenchSplit(join(dir, 'train.json'));
  const test = await readWrenchSplit(join(dir, 'test.json'));
  let valid: WrenchSplit | undefined;
  if (devMode === 'auto' && (await exists(join(dir, 'valid.json')))) {
    valid = await readWrenchSplit(join(dir, 'valid.json'));
    if (!valid.Y.some((y) => y >= 0)) valid = undefined;
  }
  let k = 0;
  try {
    k = Object.keys(JSON.parse(await readFile(join(dir, 'label.json'), 'utf8')) as object).length;
  } catch {
    k = 0;
  }
  if (k < 2) {
    for (const s of [train, test, ...(valid ? [valid] : [])]) {
      for (const v of s.L.data) k = Math.max(k, v + 1);
      for (const v of s.Y) k = Math.max(k, v + 1);
    }
  }
  for (const s of [test, ...(valid ? [valid] : [])]) {
    assert(
      s.L.m === train.L.m,
      'E_DATA',
      () => `WRENCH folder '${dir}': splits have different numbers of LFs (${train.L.m} vs ${s.L.m})`,
    );
  }
  const seed = fitOpts.seed ?? 0;
  // Snorkel's deterministic 'random' tie break (sha1 of the row index), as in the published numbers
  const tie = { tieBreakPolicy: 'random' as const };
  const metrics: LabelMetric[] = k === 2 ? ['accuracy', 'f1', 'macro_f1'] : ['accuracy', 'macro_f1'];
  const score = (preds: Int32Array, fitS: number): WrenchScores => {
    const s = scorePredictions(preds, test.Y, k, metrics);
    return {
      accuracy: round(s.accuracy!),
      ...(k === 2 ? { f1: round(s.f1!) } : {}),
      macro_f1: round(s.macro_f1!),
      fit_s: Number(fitS.toFixed(4)),
    };
  };
  const lm = new LabelModel(k);
  const t0 = performance.now();
  const fit = lm.fit(train.L, { ...fitOpts, seed });
  const fitS = (performance.now() - t0) / 1000;
  const result: WrenchResult = {
    dataset: basename(dir),
    k,
    mode: fitOpts.mode ?? 'mmtl',
    majority: score(new MajorityLabelVoter(k).predict(test.L, tie), 0),
    label_model: { ...score(lm.predict(test.L, tie), fitS), class_balance: fit.classBalance.map(round) },
  };
  if (valid !== undefined) {
    const t1 = performance.now();
    const { onWarning: _quiet, classBalance: _given, ...base } = fitOpts;
    const sel = selectOnDev(train.L, valid.L, valid.Y, k, { seed, base, metric: selectMetric });
    const selS = (performance.now() - t1) / 1000;
    const best = sel.scores.find((c) => c.name === sel.choice)!;
    result.dev_tuned = {
      ...score(sel.model.predict(test.L, tie), selS),
      choice: sel.choice,
      select_metric: sel.metric,
      dev_score: round(best.dev),
    };
  }
  return result;
}

function round(v: number): number {
  return Number(v.toFixed(4));
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}
