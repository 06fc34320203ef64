import { z } from 'zod';
import { MmtlError, assert } from '../core/index.js';
import { isBetter, lookupMetric, parseCheckpointMetric } from './metric-key.js';
import type { CheckpointMetric } from './metric-key.js';

/**
 * Early stopping: training stops once the monitored metric has not improved by more than `minDelta` for
 * `patience` evaluations in a row. (MeTaL, Snorkel and Emmental have none.)
 */

/**
 * Configuration of {@link EarlyStopping}.
 *
 * @example
 * ```ts
 * EarlyStoppingConfig.parse({ metric: 'rte/rte/valid/accuracy:max' });
 * // { metric: 'rte/rte/valid/accuracy:max', patience: 3, minDelta: 0 }
 * ```
 */
export const EarlyStoppingConfig = z
  .object({
    /** The monitored metric and its direction, `task/dataset/split/metric:max|min`. */
    metric: z.string(),
    /** Evaluations in a row without improvement after which training stops (≥ 1). */
    patience: z.int().min(1).default(3),
    /** An evaluation improves only when it beats the best by more than this. */
    minDelta: z.number().min(0).default(0),
  })
  .strict();

/** Early-stopping options as written by a user. */
export type EarlyStoppingOptions = z.input<typeof EarlyStoppingConfig>;
/** Validated early-stopping options. */
export type EarlyStoppingConfig = z.output<typeof EarlyStoppingConfig>;

/** The JSON state of {@link EarlyStopping}. */
export interface EarlyStoppingState {
  /** Best value so far (null before the first evaluation). */
  best: number | null;
  /** Evaluations since the last improvement. */
  badEvaluations: number;
}

/** What {@link EarlyStopping.update} concluded. */
export interface EarlyStoppingDecision {
  /** The monitored value of this evaluation. */
  value: number;
  /** Whether it improved on the best. */
  improved: boolean;
  /** The best value so far (after this evaluation). */
  best: number | null;
  /** Evaluations since the last improvement. */
  badEvaluations: number;
  /** Whether training should stop now. */
  stop: boolean;
}

/**
 * Tracks a metric over evaluations and says when to stop.
 *
 * @example
 * ```ts
 * const es = new EarlyStopping({ metric: 'model/all/valid/loss:min', patience: 2 });
 * es.update({ 'model/all/valid/loss': 1.0 }).stop; // false (first value is the best)
 * es.update({ 'model/all/valid/loss': 1.1 }).stop; // false (1 bad evaluation)
 * es.update({ 'model/all/valid/loss': 1.2 }).stop; // true  (2 bad evaluations)
 * ```
 */
export class EarlyStopping {
  /** The validated configuration. */
  readonly config: EarlyStoppingConfig;
  /** The parsed metric key and mode. */
  readonly metric: CheckpointMetric;
  private best: number | null = null;
  private bad = 0;

  constructor(options: EarlyStoppingOptions) {
    const parsed = EarlyStoppingConfig.safeParse(options);
    if (!parsed.success) {
      throw new MmtlError(
        'E_CONFIG',
        `Argument 'config' passed to 'EarlyStopping' is invalid:\n${z.prettifyError(parsed.error)}`,
        { details: { issues: parsed.error.issues } },
      );
    }
    this.config = parsed.data;
    this.metric = parseCheckpointMetric(this.config.metric);
  }

  /** Records one evaluation's metrics (they must hold the monitored key). */
  update(metrics: Readonly<Record<string, number>>): EarlyStoppingDecision {
    const value = lookupMetric(metrics, this.metric.key, 'EarlyStopping.update');
    const improved =
      !Number.isNaN(value) &&
      (this.best === null || isBetter(value, this.best, this.metric.mode, this.config.minDelta));
    if (improved) {
      this.best = value;
      this.bad = 0;
    } else {
      this.bad++;
    }
    return {
      value,
      improved,
      best: this.best,
      badEvaluations: this.bad,
      stop: this.bad >= this.config.patience,
    };
  }

  /** Whether the last update asked to stop. */
  get shouldStop(): boolean {
    return this.bad >= this.config.patience;
  }

  /** The state as plain JSON. */
  getState(): EarlyStoppingState {
    return { best: this.best, badEvaluations: this.bad };
  }

  /** Restores {@link EarlyStopping.getState}. */
  setState(state: EarlyStoppingState): void {
    assert(
      Number.isInteger(state.badEvaluations) && state.badEvaluations >= 0,
      'E_CHECKPOINT',
      () =>
        `Argument 'state' passed to 'EarlyStopping.setState' has bad badEvaluations ${state.badEvaluations}`,
    );
    this.best = state.best;
    this.bad = state.badEvaluations;
  }
}
