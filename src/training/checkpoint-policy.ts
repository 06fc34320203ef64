import { z } from 'zod';
import { MmtlError, assert } from '../core/index.js';
import { isBetter, lookupMetric, parseCheckpointMetric } from './metric-key.js';
import type { CheckpointMetric } from './metric-key.js';

/**
 * When to write checkpoints: at every evaluation after the runway the `last` slot is refreshed (for resume),
 * and the `best` slot whenever the checkpoint metric strictly improves (MeTaL/Snorkel semantics).
 */

/**
 * Slot names the policy asks the Trainer to write (folder names under the run's checkpoint folder).
 *
 * @example
 * ```ts
 * if (decision.saveBest) await writeCheckpoint(join(ckptDir, CHECKPOINT_SLOTS.best), content);
 * ```
 */
export const CHECKPOINT_SLOTS = { best: 'best', last: 'last' } as const;

/**
 * Configuration of {@link CheckpointPolicy}.
 *
 * @example
 * ```ts
 * CheckpointPolicyConfig.parse({});
 * // { metric: 'model/all/train/loss:min', runway: 0, keepLast: true }
 * ```
 */
export const CheckpointPolicyConfig = z
  .object({
    /** The selection metric and direction, `task/dataset/split/metric:max|min` (MeTaL's default shown). */
    metric: z.string().default('model/all/train/loss:min'),
    /** No checkpoint before this step, and values before it do not count as best (MeTaL's runway). */
    runway: z.int().min(0).default(0),
    /** Also keep the latest state in the `last` slot at every evaluation (needed to resume). */
    keepLast: z.boolean().default(true),
  })
  .strict();

/** Checkpoint-policy options as written by a user. */
export type CheckpointPolicyOptions = z.input<typeof CheckpointPolicyConfig>;
/** Validated checkpoint-policy options. */
export type CheckpointPolicyConfig = z.output<typeof CheckpointPolicyConfig>;

/** The JSON state of {@link CheckpointPolicy}. */
export interface CheckpointPolicyState {
  /** Best value so far (null when none yet). */
  best: number | null;
  /** Step of the best value (null when none yet). */
  bestStep: number | null;
}

/** What to write after an evaluation. */
export interface CheckpointDecision {
  /** The metric value of this evaluation. */
  value: number;
  /** Write the `best` slot (the value strictly improved on the best, past the runway). */
  saveBest: boolean;
  /** Write the `last` slot. */
  saveLast: boolean;
  /** The best value and its step after this evaluation. */
  best: number | null;
  bestStep: number | null;
}

/**
 * Decides, evaluation by evaluation, which checkpoint slots to write.
 *
 * @example
 * ```ts
 * const p = new CheckpointPolicy({ metric: 'rte/rte/valid/accuracy:max', runway: 100 });
 * p.decide(50, { 'rte/rte/valid/accuracy': 0.9 });  // { saveBest: false, saveLast: false, … } (runway)
 * p.decide(100, { 'rte/rte/valid/accuracy': 0.6 }); // { saveBest: true, saveLast: true, best: 0.6, bestStep: 100 }
 * p.decide(200, { 'rte/rte/valid/accuracy': 0.6 }); // { saveBest: false, saveLast: true, … } (not strictly better)
 * ```
 */
export class CheckpointPolicy {
  /** The validated configuration. */
  readonly config: CheckpointPolicyConfig;
  /** The parsed metric key and mode. */
  readonly metric: CheckpointMetric;
  private best: number | null = null;
  private bestStep: number | null = null;

  constructor(options: CheckpointPolicyOptions = {}) {
    const parsed = CheckpointPolicyConfig.safeParse(options);
    if (!parsed.success) {
      throw new MmtlError(
        'E_CONFIG',
        `Argument 'config' passed to 'CheckpointPolicy' is invalid:\n${z.prettifyError(parsed.error)}`,
        { details: { issues: parsed.error.issues } },
      );
    }
    this.config = parsed.data;
    this.metric = parseCheckpointMetric(this.config.metric);
  }

  /** Records the metrics of the evaluation at `step` and says which slots to write. */
  decide(step: number, metrics: Readonly<Record<string, number>>): CheckpointDecision {
    assert(
      Number.isInteger(step) && step >= 0,
      'E_ARG',
      () => `Argument 'step' passed to 'CheckpointPolicy.decide' must be an integer ≥ 0, got ${step}`,
    );
    const value = lookupMetric(metrics, this.metric.key, 'CheckpointPolicy.decide');
    const live = step >= this.config.runway;
    const saveBest =
      live && !Number.isNaN(value) && (this.best === null || isBetter(value, this.best, this.metric.mode));
    if (saveBest) {
      this.best = value;
      this.bestStep = step;
    }
    return {
      value,
      saveBest,
      saveLast: live && this.config.keepLast,
      best: this.best,
      bestStep: this.bestStep,
    };
  }

  /** The best value so far and its step. */
  get bestSoFar(): CheckpointPolicyState {
    return { best: this.best, bestStep: this.bestStep };
  }

  /** The state as plain JSON. */
  getState(): CheckpointPolicyState {
    return { best: this.best, bestStep: this.bestStep };
  }

  /** Restores {@link CheckpointPolicy.getState}. */
  setState(state: CheckpointPolicyState): void {
    this.best = state.best;
    this.bestStep = state.bestStep;
  }
}
