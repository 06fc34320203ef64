/** Re-split / k-fold ensemble training as one call: one member per train/valid split, then the ensemble. */
import { join } from 'node:path';
import { z } from 'zod';
import { MmtlError } from '../core/index.js';
import type { Dataset, MultitaskModel, Payload } from '../tasks/index.js';
import { manualSeed } from '../tensor/index.js';
import { Trainer, type TrainerOptions, type TrainResult } from '../training/index.js';
import { COMBINERS } from './combiners.js';
import { Ensemble } from './ensemble.js';
import { evaluateEnsemble, type EnsembleEvaluation } from './evaluate.js';
import { SPLIT_MODES, type RowSplit } from './splits.js';
import { subsetDataset } from './subset-dataset.js';
import { softmaxWeights } from './weights.js';

/**
 * The numeric settings of {@link trainResplits}, validated with defaults.
 *
 * @example
 * ```ts
 * ResplitConfig.parse({}); // { k: 3, mode: 'resplit', validFraction: 0.1, seed: 0, combiner: 'mean', temperature: 1 }
 * ```
 */
export const ResplitConfig = z.object({
  /** Members to train (folds in 'kfold'). */
  k: z.int().min(1).default(3),
  /** How rows are split, from SPLIT_MODES: 'kfold' (disjoint valid folds) or 'resplit' (a random valid share per member). */
  mode: z.string().default('resplit'),
  /** Share of the rows each member validates on in 'resplit' mode. */
  validFraction: z.number().gt(0).lt(1).default(0.1),
  /** Seed of the splits; member i also trains (and is initialized) with trainer seed + i. */
  seed: z.int().default(0),
  /** Task the ensemble predicts (default: the first task of member 0). */
  task: z.string().optional(),
  /** Combiner of the returned ensemble ('weighted' uses softmax weights of each member's best validation score). */
  combiner: z.string().default('mean'),
  /** Softmax temperature of the 'weighted' combiner's weights (1 = MeTaL's wavg). */
  temperature: z.number().positive().default(1),
});

/** Options of {@link trainResplits}: {@link ResplitConfig} plus the model, data and trainer. */
export interface TrainResplitsOptions extends z.input<typeof ResplitConfig> {
  /** Builds a fresh model for member `member` (called under `manualSeed(trainer seed + member)`). */
  build: (member: number) => MultitaskModel;
  /** The training rows to split. */
  dataset: Dataset;
  /**
   * The payloads of one member: a 'train' payload over `train` and a 'valid' one over `valid` (row subsets of
   * `dataset`, made with `subsetDataset`; `split` holds their row indices into `dataset`).
   */
  makePayloads: (train: Dataset, valid: Dataset, member: number, split: RowSplit) => Payload[];
  /** Trainer options of every member (`runDir` gets a `member-<i>` folder per member). */
  trainer?: TrainerOptions;
  /** Held-out rows to evaluate every member and the ensemble on (e.g. a GLUE dev set). */
  dev?: Payload;
  /** Metrics of the dev evaluation (default: accuracy; regression: pearson, spearman). */
  metrics?: readonly string[];
  /** Called after each member has trained (progress; the library never prints). */
  onMember?: (member: ResplitMember, index: number) => void;
}

/** One trained member of {@link trainResplits}. */
export interface ResplitMember {
  /** The model, with its best validation weights reloaded. */
  model: MultitaskModel;
  /** Its rows of the training dataset. */
  split: RowSplit;
  /** Its checkpoint metric's best value on its own valid split (null without evaluation). */
  best: TrainResult['best'];
  /** Scores of its own valid split with the final weights. */
  validMetrics: Record<string, number>;
}

/** What {@link trainResplits} returns. */
export interface ResplitResult {
  /** The members, in split order. */
  members: ResplitMember[];
  /** The members combined (weights set for 'weighted'). */
  ensemble: Ensemble;
  /** Members, mean member and ensemble on `dev` (null without `dev`). */
  evaluation: EnsembleEvaluation | null;
}

/**
 * Trains one member per train/valid split of `dataset` (k-fold or re-split), each selecting its checkpoint
 * on its own valid split, combines them into an {@link Ensemble}, and, given `dev`, scores every member,
 * the mean member and the ensemble on it. No choice looks at `dev`.
 *
 * @example
 * ```ts
 * const r = await trainResplits({
 *   build: () => makeModel(), dataset: trainDs, k: 3, mode: 'resplit', validFraction: 0.1,
 *   makePayloads: (train, valid) => [
 *     new Payload({ dataset: train, split: 'train', batchSize: 32, labelsToTasks: { gold: 'SST2' } }),
 *     new Payload({ dataset: valid, split: 'valid', batchSize: 256, labelsToTasks: { gold: 'SST2' } }),
 *   ],
 *   trainer: { nEpochs: 3, optimizer: { lr: 2e-3 } },
 *   dev: devPayload,
 * });
 * r.evaluation?.gainOverMean.accuracy; // 0.012
 * ```
 */
export async function trainResplits(options: TrainResplitsOptions): Promise<ResplitResult> {
  const parsed = ResplitConfig.safeParse(options);
  if (!parsed.success) {
    throw new MmtlError(
      'E_CONFIG',
      `Argument 'options' passed to 'trainResplits' is invalid:\n${z.prettifyError(parsed.error)}`,
      {
        details: { issues: parsed.error.issues },
      },
    );
  }
  const cfg = parsed.data;
  COMBINERS.get(cfg.combiner);
  const splits = SPLIT_MODES.get(cfg.mode)({
    n: options.dataset.size,
    k: cfg.k,
    validFraction: cfg.validFraction,
    seed: cfg.seed,
  });
  const base = options.trainer ?? {};
  const members: ResplitMember[] = [];
  try {
    for (const [i, split] of splits.entries()) {
      const train = subsetDataset(options.dataset, split.train);
      const valid = subsetDataset(options.dataset, split.valid);
      const seed = (base.seed ?? 0) + i;
      manualSeed(seed);
      const model = options.build(i);
      const member: ResplitMember = { model, split, best: null, validMetrics: {} };
      members.push(member);
      const trainerOptions: TrainerOptions = { ...base, seed };
      if (base.runDir !== undefined) trainerOptions.runDir = join(base.runDir, `member-${i}`);
      const result = await new Trainer(trainerOptions).fit(
        model,
        options.makePayloads(train, valid, i, split),
      );
      member.best = result.best;
      member.validMetrics = result.finalMetrics;
      options.onMember?.(member, i);
    }
  } catch (e) {
    for (const m of members) m.model.dispose();
    throw e;
  }
  const task = cfg.task ?? members[0]!.model.taskNames()[0]!;
  const ensemble = new Ensemble(
    members.map((m) => m.model),
    { task, combiner: cfg.combiner },
  );
  if (COMBINERS.get(cfg.combiner).needsWeights) {
    const scores = members.map((m, i) => {
      if (m.best === null) {
        throw new MmtlError(
          'E_DATA',
          `member ${i} of 'trainResplits' has no validation score for the 'weighted' combiner`,
          {
            hint: "give each member a 'valid' payload in makePayloads",
          },
        );
      }
      return m.best.value;
    });
    const minimize = base.checkpointMetric?.endsWith(':min') ?? false; // lower is better: weight by −value
    ensemble.setWeights(softmaxWeights(minimize ? scores.map((v) => -v) : scores, cfg.temperature));
  }
  const evaluation =
    options.dev === undefined ? null : evaluateEnsemble(ensemble, options.dev, { metrics: options.metrics });
  return { members, ensemble, evaluation };
}
