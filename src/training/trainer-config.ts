import { z } from 'zod';
import { MmtlError } from '../core/index.js';
import { OPTIMIZER_DEFAULTS as D } from '../tensor/index.js';
import { BatchSchedulerConfig } from './batch-scheduler.js';
import { LrScheduleConfig } from './lr-schedule.js';

/**
 * Optimizer settings (SGD / Adam / AdamW with PyTorch's update rules). The defaults are the optimizer's own
 * (OPTIMIZER_DEFAULTS in src/tensor/optim.ts), passed to the engine explicitly.
 */
export const OptimizerConfig = z
  .object({
    /** Which optimizer: sgd, adam or adamw. */
    kind: z.enum(['sgd', 'adam', 'adamw']).default('adam'),
    /** Base learning rate (the schedule scales it). */
    lr: z.number().positive().default(D.lr),
    /** Weight decay: L2 in the gradient for sgd/adam, decoupled for adamw (0 for every kind unless set). */
    weightDecay: z.number().min(0).default(D.weightDecay),
    /** SGD momentum. */
    momentum: z.number().min(0).default(D.momentum),
    /** Adam β₁. */
    beta1: z.number().min(0).max(1).default(D.beta1),
    /** Adam β₂. */
    beta2: z.number().min(0).max(1).default(D.beta2),
    /** Adam ε. */
    eps: z.number().positive().default(D.eps),
  })
  .strict();

/** When something happens: every N optimizer steps, or every N epochs (fractions allowed, e.g. 0.25). */
export const EverySchema = z.union([
  z.object({ steps: z.int().positive() }).strict(),
  z.object({ epochs: z.number().positive() }).strict(),
]);

/** An aggregate metric computed at each evaluation, e.g. a GLUE-style mean over tasks. */
export const AggregateMetricConfig = z
  .object({
    /** Key it is stored under, e.g. 'model/all/valid/glue'. */
    key: z.string(),
    /** Metric keys or patterns with `*` in a part (see aggregateMetrics). */
    of: z.array(z.string()).min(1),
    /** How values combine. */
    how: z.enum(['mean', 'median', 'min', 'max']).default('mean'),
  })
  .strict();

/**
 * Everything the {@link Trainer} does, validated with defaults. Unknown keys are rejected.
 *
 * @example
 * ```ts
 * TrainerConfig.parse({ nEpochs: 3, optimizer: { lr: 0.01 } }).scheduler; // { kind: 'shuffled', seed: 0 }
 * ```
 */
export const TrainerConfig = z
  .object({
    /** Epochs of training (an epoch = one pass of the batch scheduler). */
    nEpochs: z.int().positive().default(1),
    /** Seed of batch order, dropout and initial engine state. */
    seed: z.int().default(0),
    /** The optimizer. */
    optimizer: OptimizerConfig.default(OptimizerConfig.parse({})),
    /** Learning-rate schedule with warmup (constant by default). */
    lrSchedule: LrScheduleConfig.prefault({ kind: 'constant' }),
    /** How batches of several payloads are mixed (every batch of every payload once per epoch by default). */
    scheduler: BatchSchedulerConfig.optional(),
    /** Clip gradients to this global L2 norm (null: no clipping). MeTaL and Snorkel use 1.0. */
    gradClip: z.number().positive().nullable().default(1),
    /** Scheduler steps whose gradients add up into one optimizer update. */
    gradAccumulation: z.int().positive().default(1),
    /** Per-task loss multipliers, overriding each task's own lossWeight. */
    taskWeights: z.record(z.string(), z.number().min(0)).default({}),
    /** How often to evaluate on the valid payloads (and log, checkpoint, early-stop). */
    evaluateEvery: EverySchema.default({ epochs: 1 }),
    /** Also evaluate before the first step, so the starting weights compete for best (stage-2 fine-tuning). */
    evaluateAtStart: z.boolean().default(false),
    /** Split name of the payloads used for evaluation. */
    validSplit: z.string().default('valid'),
    /** Aggregate metrics added at each evaluation. `model/all/<split>/task_mean` is always added. */
    aggregates: z.array(AggregateMetricConfig).default([]),
    /** The selection metric, `task/dataset/split/metric:max|min`. Default: the mean of each task's first metric. */
    checkpointMetric: z.string().default('model/all/valid/task_mean:max'),
    /** No best checkpoint before this many optimizer steps. */
    checkpointRunway: z.int().min(0).default(0),
    /** Reload the best weights at the end (always, unlike MeTaL's verbose-only reload). */
    reloadBest: z.boolean().default(true),
    /** Stop after this many evaluations without improvement of the checkpoint metric (null: never). */
    earlyStoppingPatience: z.int().positive().nullable().default(null),
    /** Folder for metrics.jsonl, TensorBoard events and checkpoints (none: keep the best in memory). */
    runDir: z.string().optional(),
    /**
     * Let the event loop turn when this many milliseconds passed since the last turn (0: after every step).
     * Turns let handle finalizers and the garbage collector run, which keeps memory flat (DESIGN.md "tensor
     * lifetime"); a turn per step costs short steps time. The running losses are checked for NaN/∞ at each turn.
     */
    turnEveryMs: z.number().min(0).default(25),
    /** Write TensorBoard event files in runDir. */
    tensorboard: z.boolean().default(true),
  })
  .strict();

/** Trainer options as a user writes them. */
export type TrainerOptions = z.input<typeof TrainerConfig>;
/** Validated trainer options. */
export type TrainerConfig = z.output<typeof TrainerConfig>;

/** Validates trainer options into a config, with a coded error listing every problem. */
export function parseTrainerConfig(options: TrainerOptions): TrainerConfig {
  const r = TrainerConfig.safeParse(options);
  if (!r.success) {
    throw new MmtlError(
      'E_CONFIG',
      `Argument 'config' passed to 'Trainer' is invalid:\n${z.prettifyError(r.error)}`,
      {
        details: { issues: r.error.issues },
      },
    );
  }
  return r.data;
}
