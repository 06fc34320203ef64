import { z } from 'zod';
import { MmtlError, Registry, Rng, assert } from '../core/index.js';
import type { RngState } from '../core/index.js';

/**
 * Batch schedulers decide which payload's batch the Trainer trains on at each step. They see payloads only
 * as `{name, numBatches}` and yield indices, so they need no data and no tensor engine. Every scheduler is
 * seeded and its position is plain JSON, so a resumed run continues the exact same sequence.
 */

/** What a scheduler knows about a training payload. */
export interface PayloadInfo {
  /** The payload's name (used in error messages). */
  name: string;
  /** Batches of this payload in one pass over its data. */
  numBatches: number;
}

/** One batch to train on: the payload's index in the list given to the scheduler and the batch index. */
export interface ScheduledBatch {
  payload: number;
  batch: number;
}

/**
 * One optimizer step: the batches whose losses are summed into one update.
 *
 * @example
 * ```ts
 * scheduler.next(); // { epoch: 0, index: 3, batches: [{ payload: 1, batch: 0 }] }
 * ```
 */
export interface ScheduleStep {
  /** 0-based epoch this step belongs to. */
  epoch: number;
  /** 0-based position of this step within its epoch. */
  index: number;
  /** One batch for `shuffled`, `sequential` and `ratio`; one batch of every payload for `mixed`. */
  batches: ScheduledBatch[];
}

/**
 * The JSON position of a scheduler, for checkpoints.
 *
 * @example
 * ```ts
 * scheduler.getState();
 * // { kind: 'shuffled', numBatches: [5, 3], epoch: 2, index: 4, rng: { algorithm: 'xoroshiro128plus', state: [...] } }
 * ```
 */
export interface BatchSchedulerState {
  kind: string;
  /** `numBatches` of every payload, checked on restore. */
  numBatches: number[];
  /** Epoch of the next step. */
  epoch: number;
  /** Index of the next step in that epoch's plan. */
  index: number;
  /** RNG state from which that epoch's plan is (re)built. */
  rng: RngState;
}

/**
 * Configuration of a batch scheduler, discriminated on `kind`.
 *
 * @example
 * ```ts
 * BatchSchedulerConfig.parse({ kind: 'ratio' }); // { kind: 'ratio', seed: 0, temperature: 1 }
 * ```
 */
export const BatchSchedulerConfig = z.discriminatedUnion('kind', [
  z
    .object({
      /** Every batch of every payload once per epoch, in a shuffled order (MeTaL's proportional scheduler). */
      kind: z.literal('shuffled'),
      /** Seed of the epoch orders. */
      seed: z.int().default(0),
      /** Also shuffle the batch order inside each payload (by default 0..n-1; datasets shuffle rows). */
      shuffleWithinPayload: z.boolean().default(false),
    })
    .strict(),
  z
    .object({
      /** Payload after payload, each batch once per epoch, in the order given. */
      kind: z.literal('sequential'),
      /** Unused (the order is fixed); accepted so every config can carry a seed. */
      seed: z.int().default(0),
    })
    .strict(),
  z
    .object({
      /**
       * One step takes the next batch of every payload (losses summed into one update, Emmental's `mixed`).
       * An epoch has max(numBatches) steps; shorter payloads cycle, restarting at batch 0.
       */
      kind: z.literal('mixed'),
      /** Unused (the order is fixed); accepted so every config can carry a seed. */
      seed: z.int().default(0),
    })
    .strict(),
  z
    .object({
      /**
       * Each step samples a payload with probability ∝ numBatches^(1/temperature) and takes its next batch
       * (cycling). An epoch has Σ numBatches steps. Temperature 1 is proportional; large values approach
       * uniform over payloads.
       */
      kind: z.literal('ratio'),
      /** Seed of the sampling. */
      seed: z.int().default(0),
      /** Sampling temperature T > 0. */
      temperature: z.number().gt(0).default(1),
    })
    .strict(),
]);

/** A scheduler configuration as written by a user. */
export type BatchSchedulerOptions = z.input<typeof BatchSchedulerConfig>;
/** A validated scheduler configuration. */
export type BatchSchedulerConfig = z.output<typeof BatchSchedulerConfig>;

/** Builds one epoch's plan (its steps' batches) from the payloads, drawing from `rng`. */
export type EpochPlanner = (
  config: BatchSchedulerConfig,
  payloads: readonly PayloadInfo[],
  rng: Rng,
) => ScheduledBatch[][];

/** Batches of one payload in the order they are taken in one epoch. */
function batchOrder(n: number, rng: Rng | undefined): number[] {
  return rng === undefined ? Array.from({ length: n }, (_, i) => i) : Array.from(rng.permutation(n));
}

/**
 * Epoch planners by scheduler kind.
 *
 * @example
 * ```ts
 * const plan = batchSchedulerRegistry.get('sequential')(
 *   { kind: 'sequential', seed: 0 }, [{ name: 'a', numBatches: 2 }, { name: 'b', numBatches: 1 }], new Rng(0));
 * // [[{payload: 0, batch: 0}], [{payload: 0, batch: 1}], [{payload: 1, batch: 0}]]
 * ```
 */
export const batchSchedulerRegistry = new Registry<EpochPlanner>('batch scheduler')
  .register('shuffled', (config, payloads, rng) => {
    const within = config.kind === 'shuffled' && config.shuffleWithinPayload;
    const slots: number[] = [];
    payloads.forEach((p, i) => {
      for (let b = 0; b < p.numBatches; b++) slots.push(i);
    });
    rng.shuffle(slots);
    const orders = payloads.map((p) => batchOrder(p.numBatches, within ? rng : undefined));
    const next = payloads.map(() => 0);
    return slots.map((p) => [{ payload: p, batch: orders[p]![next[p]!++]! }]);
  })
  .register('sequential', (_config, payloads) =>
    payloads.flatMap((p, i) => batchOrder(p.numBatches, undefined).map((b) => [{ payload: i, batch: b }])),
  )
  .register('mixed', (_config, payloads) => {
    const steps = Math.max(...payloads.map((p) => p.numBatches));
    return Array.from({ length: steps }, (_, s) =>
      payloads.flatMap((p, i) => (p.numBatches > 0 ? [{ payload: i, batch: s % p.numBatches }] : [])),
    );
  })
  .register('ratio', (config, payloads, rng) => {
    const t = config.kind === 'ratio' ? config.temperature : 1;
    const weights = payloads.map((p) => (p.numBatches > 0 ? p.numBatches ** (1 / t) : 0));
    const sum = weights.reduce((a, b) => a + b, 0);
    const steps = payloads.reduce((a, p) => a + p.numBatches, 0);
    const next = payloads.map(() => 0);
    const plan: ScheduledBatch[][] = [];
    for (let s = 0; s < steps; s++) {
      let u = rng.float() * sum;
      let p = -1;
      for (let i = 0; i < weights.length; i++) {
        if (weights[i]! === 0) continue;
        p = i; // the last positive weight absorbs float round-off
        if (u < weights[i]!) break;
        u -= weights[i]!;
      }
      const n = payloads[p]!.numBatches;
      plan.push([{ payload: p, batch: next[p]!++ % n }]);
    }
    return plan;
  });

/**
 * A seeded batch scheduler over a fixed list of payloads. Steps run on forever: after the last step of an
 * epoch the next epoch's plan is built. Its position survives {@link BatchScheduler.getState} /
 * {@link BatchScheduler.setState} exactly.
 *
 * @example
 * ```ts
 * const s = new BatchScheduler({ kind: 'shuffled', seed: 1 }, [
 *   { name: 'rte/train', numBatches: 2 },
 *   { name: 'mrpc/train', numBatches: 1 },
 * ]);
 * s.stepsPerEpoch; // 3
 * s.next(); // { epoch: 0, index: 0, batches: [{ payload: 1, batch: 0 }] } (the order depends on the seed)
 * const saved = s.getState(); // JSON; a fresh scheduler given it continues identically
 * ```
 */
export class BatchScheduler {
  /** The validated configuration. */
  readonly config: BatchSchedulerConfig;
  /** Steps in one epoch. */
  readonly stepsPerEpoch: number;
  private readonly payloads: readonly PayloadInfo[];
  private readonly planner: EpochPlanner;
  private rng: Rng;
  private planRng: RngState | undefined;
  private plan: ScheduledBatch[][] | undefined;
  private epoch = 0;
  private index = 0;

  constructor(options: BatchSchedulerOptions, payloads: readonly PayloadInfo[]) {
    const parsed = BatchSchedulerConfig.safeParse(options);
    if (!parsed.success) {
      throw new MmtlError(
        'E_CONFIG',
        `Argument 'config' passed to 'BatchScheduler' is invalid:\n${z.prettifyError(parsed.error)}`,
        { details: { issues: parsed.error.issues } },
      );
    }
    this.config = parsed.data;
    assert(payloads.length > 0, 'E_ARG', () => `Argument 'payloads' passed to 'BatchScheduler' is empty`);
    for (const p of payloads) {
      assert(
        Number.isInteger(p.numBatches) && p.numBatches >= 0,
        'E_ARG',
        () =>
          `Argument 'payloads' passed to 'BatchScheduler': payload '${p.name}' has numBatches ${p.numBatches}; expected an integer ≥ 0`,
      );
    }
    assert(
      payloads.some((p) => p.numBatches > 0),
      'E_ARG',
      () => `Argument 'payloads' passed to 'BatchScheduler' has no batches (every numBatches is 0)`,
    );
    this.payloads = payloads.map((p) => ({ name: p.name, numBatches: p.numBatches }));
    this.planner = batchSchedulerRegistry.get(this.config.kind);
    this.rng = new Rng(this.config.seed);
    this.stepsPerEpoch = this.currentPlan().length;
  }

  /** The scheduler kind. */
  get kind(): BatchSchedulerConfig['kind'] {
    return this.config.kind;
  }

  /** Epoch and in-epoch index of the next step. */
  get position(): { epoch: number; index: number } {
    return { epoch: this.epoch, index: this.index };
  }

  /** Returns the next step and advances. */
  next(): ScheduleStep {
    const plan = this.currentPlan();
    const step: ScheduleStep = {
      epoch: this.epoch,
      index: this.index,
      batches: plan[this.index]!.map((b) => ({ ...b })),
    };
    if (++this.index >= plan.length) {
      this.epoch++;
      this.index = 0;
      this.plan = undefined;
    }
    return step;
  }

  /**
   * The remaining steps of the current epoch (all of them when at its start).
   *
   * @example
   * ```ts
   * for (const step of scheduler.restOfEpoch()) trainOn(step.batches);
   * ```
   */
  *restOfEpoch(): Generator<ScheduleStep, void, undefined> {
    const epoch = this.epoch;
    while (this.epoch === epoch) yield this.next();
  }

  /** The position as plain JSON. */
  getState(): BatchSchedulerState {
    return {
      kind: this.config.kind,
      numBatches: this.payloads.map((p) => p.numBatches),
      epoch: this.epoch,
      index: this.index,
      rng: this.plan === undefined ? this.rng.getState() : this.planRng!,
    };
  }

  /** Restores {@link BatchScheduler.getState}; the payloads and kind must match. */
  setState(state: BatchSchedulerState): void {
    const here = this.payloads.map((p) => p.numBatches).join(',');
    if (state.kind !== this.config.kind || state.numBatches.join(',') !== here) {
      throw new MmtlError(
        'E_CHECKPOINT',
        `Argument 'state' passed to 'BatchScheduler.setState' is for a '${state.kind}' scheduler over ` +
          `[${state.numBatches.join(', ')}] batches, not '${this.config.kind}' over [${here}]`,
      );
    }
    assert(
      Number.isInteger(state.epoch) && state.epoch >= 0 && Number.isInteger(state.index) && state.index >= 0,
      'E_CHECKPOINT',
      () => `Argument 'state' passed to 'BatchScheduler.setState' has a bad position`,
    );
    this.rng = Rng.fromState(state.rng);
    this.plan = undefined;
    this.epoch = state.epoch;
    this.index = state.index;
    assert(
      state.index < this.currentPlan().length,
      'E_CHECKPOINT',
      () =>
        `Argument 'state' passed to 'BatchScheduler.setState' has index ${state.index} past the epoch's end`,
    );
  }

  private currentPlan(): ScheduledBatch[][] {
    if (this.plan === undefined) {
      this.planRng = this.rng.getState();
      this.plan = this.planner(this.config, this.payloads, this.rng);
    }
    return this.plan;
  }
}

/**
 * Builds a scheduler from a configuration (sugar for `new BatchScheduler`).
 *
 * @example
 * ```ts
 * const s = createBatchScheduler({ kind: 'mixed' }, [{ name: 'a', numBatches: 3 }, { name: 'b', numBatches: 2 }]);
 * s.next().batches; // [{ payload: 0, batch: 0 }, { payload: 1, batch: 0 }]
 * ```
 */
export function createBatchScheduler(
  options: BatchSchedulerOptions,
  payloads: readonly PayloadInfo[],
): BatchScheduler {
  return new BatchScheduler(options, payloads);
}
