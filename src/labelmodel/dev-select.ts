import { assert } from '../core/index.js';
import type { LabelModelFitOptions } from './config.js';
import { type LabelMatrixLike, validateGold, validateLabelMatrix } from './label-matrix.js';
import { LabelModel } from './label-model.js';
import { type LabelMetric, scorePredictions } from './score.js';
import { MajorityLabelVoter } from './voters.js';

/** A metric that dev selection can maximise. */
export type SelectMetric = 'accuracy' | 'f1' | 'macro_f1';

/** One candidate of {@link selectOnDev}: majority vote, or a label model with these fit options. */
export interface DevCandidate {
  /** Short name, e.g. `lm:dev:e500:lr0.01:l2=0`. */
  name: string;
  /** Fit options of a label model; absent for majority vote. */
  fit?: LabelModelFitOptions;
}

/** Options of {@link selectOnDev}. */
export interface SelectOnDevOptions {
  /**
   * The metric to maximise on dev. Default: binary F1 when k = 2 and class 1 is under 40% of the dev
   * labels (WRENCH scores such sets by F1), accuracy otherwise.
   */
  metric?: SelectMetric;
  /** Seed of every label-model fit (default 0). */
  seed?: number;
  /** Candidates to try; default {@link defaultDevCandidates}. */
  candidates?: readonly DevCandidate[];
  /** Options every label-model candidate shares (e.g. `deps`, `mode`); a candidate's own options win. */
  base?: LabelModelFitOptions;
}

/** What {@link selectOnDev} returns. */
export interface DevSelection {
  /** The chosen model, fitted on the training matrix (majority vote is a model that falls back to it). */
  model: LabelModel;
  /** Name of the chosen candidate. */
  choice: string;
  /** The metric maximised. */
  metric: SelectMetric;
  /** Class balance of the dev labels. */
  devBalance: number[];
  /** Dev score of every candidate, in the order tried. */
  scores: { name: string; dev: number }[];
}

/**
 * The candidates {@link selectOnDev} tries by default: majority vote, then label models with the class
 * balance of the dev labels, uniform and learned, each at 100 and 500 epochs, with and without L2 (0.1).
 *
 * @example
 * ```ts
 * defaultDevCandidates([0.8, 0.2]).map((c) => c.name); // ['majority', 'lm:dev:e100:l2=0', …]
 * ```
 */
export function defaultDevCandidates(devBalance: readonly number[]): DevCandidate[] {
  const out: DevCandidate[] = [{ name: 'majority' }];
  const balances: [string, LabelModelFitOptions][] = [
    ['dev', { classBalance: [...devBalance] }],
    ['uniform', { balance: 'uniform' }],
    ['learned', { balance: 'learned' }],
  ];
  for (const [b, opts] of balances) {
    for (const nEpochs of [100, 500]) {
      for (const l2 of [0, 0.1])
        out.push({ name: `lm:${b}:e${nEpochs}:l2=${l2}`, fit: { ...opts, nEpochs, l2 } });
    }
  }
  return out;
}

/**
 * Uses dev labels as WRENCH and Snorkel users do: the class balance comes from the dev labels, and the
 * labeler is chosen on dev among majority vote and label models with different settings (see
 * {@link defaultDevCandidates}); each is fitted on `L` (unlabeled) and scored on `devL` against `devY`
 * (ties broken by Snorkel's row hash). The first best candidate wins, so majority vote wins ties.
 *
 * @example
 * ```ts
 * const { model, choice, scores } = selectOnDev(Ltrain, Lvalid, Yvalid, 9);
 * choice;              // e.g. 'lm:dev:e500:l2=0.1'
 * model.predict(Ltest, { tieBreakPolicy: 'random' });
 * ```
 */
export function selectOnDev(
  L: LabelMatrixLike,
  devL: LabelMatrixLike,
  devY: ArrayLike<number>,
  k: number,
  opts: SelectOnDevOptions = {},
): DevSelection {
  validateLabelMatrix(devL, k, 'selectOnDev', 'devL');
  validateGold(devY, devL.n, k, 'selectOnDev');
  assert(
    devL.m === L.m,
    'E_ARG',
    () => `Argument 'devL' passed to 'selectOnDev' has ${devL.m} LFs; 'L' has ${L.m}`,
  );
  const counts = new Array<number>(k).fill(0);
  let labeled = 0;
  for (let i = 0; i < devY.length; i++) {
    if (devY[i]! >= 0) {
      counts[devY[i]!]!++;
      labeled++;
    }
  }
  assert(labeled > 0, 'E_DATA', () => "Argument 'devY' passed to 'selectOnDev' has no labels (all -1)");
  // a class missing from dev still gets a little mass, so the prior stays valid
  const floor = 0.5 / labeled;
  const raw = counts.map((c) => Math.max(c / labeled, floor));
  const total = raw.reduce((a, b) => a + b, 0);
  const devBalance = raw.map((v) => v / total);
  const metric: SelectMetric = opts.metric ?? (k === 2 && devBalance[1]! < 0.4 ? 'f1' : 'accuracy');
  const metrics: LabelMetric[] = [metric];
  const tie = { tieBreakPolicy: 'random' as const };
  const scores: { name: string; dev: number }[] = [];
  let best: { model: LabelModel; name: string; dev: number } | undefined;
  for (const c of opts.candidates ?? defaultDevCandidates(devBalance)) {
    const model =
      c.fit === undefined
        ? LabelModel.majorityVote(k, L.m)
        : fitQuiet(L, k, { ...opts.base, ...c.fit, seed: opts.seed ?? 0 });
    const preds =
      c.fit === undefined ? new MajorityLabelVoter(k).predict(devL, tie) : model.predict(devL, tie);
    const dev = scorePredictions(preds, devY, k, metrics)[metric]!;
    scores.push({ name: c.name, dev });
    if (best === undefined || dev > best.dev) best = { model, name: c.name, dev };
  }
  return { model: best!.model, choice: best!.name, metric, devBalance, scores };
}

function fitQuiet(L: LabelMatrixLike, k: number, opts: LabelModelFitOptions): LabelModel {
  const lm = new LabelModel(k);
  lm.fit(L, { ...opts, onWarning: undefined });
  return lm;
}
