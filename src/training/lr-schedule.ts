import { z } from 'zod';
import { MmtlError, Registry, assert } from '../core/index.js';

/**
 * Learning-rate schedules: a warmup phase followed by one of constant, linear, exponential, step, cosine or
 * plateau, with a `minLr` floor. A schedule is a small state machine the Trainer steps once per update; its
 * state is plain JSON so a resumed run continues with the same rates.
 */

/**
 * A duration given in optimizer steps, in epochs (× `stepsPerEpoch`) or as a fraction of `totalSteps`.
 * Epochs and fractions are rounded up to whole steps.
 *
 * @example
 * ```ts
 * durationSchema.parse({ epochs: 0.5 }); // { epochs: 0.5 } → ceil(0.5 × stepsPerEpoch) steps
 * durationSchema.parse({ steps: 1, epochs: 1 }); // throws (exactly one unit)
 * ```
 */
export const durationSchema = z.union([
  z.object({ /** Number of optimizer steps. */ steps: z.int().min(0) }).strict(),
  z.object({ /** Number of epochs; needs `stepsPerEpoch`. */ epochs: z.number().min(0) }).strict(),
  z
    .object({ /** Fraction of `totalSteps`; needs `totalSteps`. */ fraction: z.number().min(0).max(1) })
    .strict(),
]);

/** A duration in steps, epochs or a fraction of the run; see {@link durationSchema}. */
export type Duration = z.output<typeof durationSchema>;

const common = {
  /**
   * Linear warmup before the schedule proper: the rate goes from `warmupStartFactor × baseLr` at step 0 to
   * `baseLr` at the first step after warmup. Default: no warmup.
   */
  warmup: durationSchema.default({ steps: 0 }),
  /** Where warmup starts, as a fraction of the base rate (0 = from zero, as in MeTaL and Hugging Face). */
  warmupStartFactor: z.number().min(0).max(1).default(0),
  /** Floor of the rate after warmup (MeTaL/Snorkel `min_lr`). */
  minLr: z.number().min(0).default(0),
};

/**
 * Configuration of a learning-rate schedule, discriminated on `kind`. Defaults live in the schema.
 *
 * @example
 * ```ts
 * LrScheduleConfig.parse({ kind: 'linear', warmup: { fraction: 0.1 } });
 * // { kind: 'linear', warmup: { fraction: 0.1 }, warmupStartFactor: 0, minLr: 0 }
 * ```
 */
export const LrScheduleConfig = z.discriminatedUnion('kind', [
  /** The base rate throughout (after warmup). */
  z.object({ kind: z.literal('constant'), ...common }).strict(),
  /** Linear decay from the base rate after warmup to `minLr` at step `totalSteps` (the end of training). */
  z.object({ kind: z.literal('linear'), ...common }).strict(),
  z
    .object({
      kind: z.literal('exponential'),
      ...common,
      /** Factor applied every step after warmup: `lr = baseLr × gamma^(step − warmup)`. */
      gamma: z.number().gt(0).max(1).default(0.999),
    })
    .strict(),
  z
    .object({
      kind: z.literal('step'),
      ...common,
      /** Length of each constant stretch after warmup. */
      stepSize: durationSchema.default({ epochs: 1 }),
      /** Factor applied at the end of every stretch. */
      gamma: z.number().gt(0).max(1).default(0.1),
    })
    .strict(),
  /** Half-cosine decay from the base rate after warmup to `minLr` at step `totalSteps`. */
  z.object({ kind: z.literal('cosine'), ...common }).strict(),
  z
    .object({
      kind: z.literal('plateau'),
      ...common,
      /** Whether the reported metric should go down (`'min'`, e.g. a loss) or up (`'max'`, e.g. accuracy). */
      mode: z.enum(['min', 'max']).default('min'),
      /** Factor applied to the rate after `patience` reports without improvement. */
      factor: z.number().gt(0).lt(1).default(0.1),
      /** Reports (evaluations) without improvement tolerated before reducing the rate. */
      patience: z.int().min(0).default(10),
      /** Smallest change that counts as an improvement (see `thresholdMode`). */
      threshold: z.number().min(0).default(1e-4),
      /** `'rel'`: improvement beyond `best × (1 ± threshold)`; `'abs'`: beyond `best ± threshold`. */
      thresholdMode: z.enum(['rel', 'abs']).default('rel'),
    })
    .strict(),
]);

/** A schedule configuration as written by a user (defaults optional). */
export type LrScheduleOptions = z.input<typeof LrScheduleConfig>;
/** A validated schedule configuration, defaults filled in. */
export type LrScheduleConfig = z.output<typeof LrScheduleConfig>;
/** The schedule kinds: constant, linear, exponential, step, cosine, plateau. */
export type LrScheduleKind = LrScheduleConfig['kind'];

/** What a schedule needs to know about the run. */
export interface LrScheduleContext {
  /** The optimizer's base learning rate. */
  baseLr: number;
  /** Optimizer steps in the whole run; needed by linear, cosine and fraction durations. */
  totalSteps?: number;
  /** Optimizer steps per epoch; needed by durations in epochs. */
  stepsPerEpoch?: number;
}

/**
 * The JSON state of a schedule, for checkpoints.
 *
 * @example
 * ```ts
 * schedule.getState(); // { kind: 'plateau', stepCount: 120, best: 0.41, badReports: 2, reductions: 1 }
 * ```
 */
export interface LrScheduleState {
  kind: string;
  /** Steps taken so far (the next update is step `stepCount`). */
  stepCount: number;
  /** Best metric seen by a plateau schedule (null before the first report). */
  best: number | null;
  /** Reports since the last improvement. */
  badReports: number;
  /** Rate reductions so far (plateau). */
  reductions: number;
}

/** The curve after warmup, built by a registered factory. `t` counts steps since warmup ended. */
export interface LrCurve {
  /** The rate `t` steps after warmup, before the `minLr` clamp. */
  lrAfterWarmup(t: number): number;
}

/** Resolved numbers handed to curve factories. */
export interface LrCurveContext {
  baseLr: number;
  warmupSteps: number;
  totalSteps: number | undefined;
  stepsPerEpoch: number | undefined;
  /** Resolves a duration to steps (throws E_ARG when the context lacks what it needs). */
  toSteps(d: Duration, what: string): number;
  /** The current plateau state (the number of reductions so far is read at every call). */
  reductions(): number;
}

/** Builds the post-warmup curve of one schedule kind. */
export type LrCurveFactory = (config: LrScheduleConfig, ctx: LrCurveContext) => LrCurve;

function curve<K extends LrScheduleKind>(
  kind: K,
  build: (config: Extract<LrScheduleConfig, { kind: K }>, ctx: LrCurveContext) => LrCurve,
): LrCurveFactory {
  return (config, ctx) => {
    assert(config.kind === kind, 'E_ARG', () => `schedule factory '${kind}' got a '${config.kind}' config`);
    return build(config as Extract<LrScheduleConfig, { kind: K }>, ctx);
  };
}

function needTotal(ctx: LrCurveContext, kind: string): number {
  const total = ctx.totalSteps;
  if (total === undefined) {
    throw new MmtlError(
      'E_ARG',
      `Argument 'totalSteps' passed to 'createLrSchedule' is required by the '${kind}' schedule`,
    );
  }
  return Math.max(1, total - ctx.warmupSteps);
}

/**
 * The schedule kinds by name. Each entry builds the post-warmup curve; warmup, the `minLr` floor and state
 * are handled by {@link createLrSchedule}.
 *
 * @example
 * ```ts
 * lrScheduleRegistry.names(); // ['constant', 'linear', 'exponential', 'step', 'cosine', 'plateau']
 * ```
 */
export const lrScheduleRegistry = new Registry<LrCurveFactory>('learning-rate schedule')
  .register(
    'constant',
    curve('constant', (_c, ctx) => ({ lrAfterWarmup: () => ctx.baseLr })),
  )
  .register(
    'linear',
    curve('linear', (c, ctx) => {
      const span = needTotal(ctx, 'linear');
      return { lrAfterWarmup: (t) => ctx.baseLr + (c.minLr - ctx.baseLr) * Math.min(1, t / span) };
    }),
  )
  .register(
    'exponential',
    curve('exponential', (c, ctx) => ({ lrAfterWarmup: (t) => ctx.baseLr * c.gamma ** t })),
  )
  .register(
    'step',
    curve('step', (c, ctx) => {
      const size = Math.max(1, ctx.toSteps(c.stepSize, 'stepSize'));
      return { lrAfterWarmup: (t) => ctx.baseLr * c.gamma ** Math.floor(t / size) };
    }),
  )
  .register(
    'cosine',
    curve('cosine', (c, ctx) => {
      const span = needTotal(ctx, 'cosine');
      return {
        lrAfterWarmup: (t) =>
          c.minLr + (ctx.baseLr - c.minLr) * 0.5 * (1 + Math.cos(Math.PI * Math.min(1, t / span))),
      };
    }),
  )
  .register(
    'plateau',
    curve('plateau', (c, ctx) => ({ lrAfterWarmup: () => ctx.baseLr * c.factor ** ctx.reductions() })),
  );

/**
 * A learning-rate schedule: see {@link createLrSchedule}. The Trainer sets the optimizer's rate to
 * `current()` before each update, calls `step()` after it, and `reportMetric(v)` after each evaluation.
 *
 * @example
 * ```ts
 * optimizer.setLr(schedule.current());
 * optimizer.step();
 * schedule.step();
 * ```
 */
export interface LrSchedule {
  /** The validated configuration. */
  readonly config: LrScheduleConfig;
  /** Warmup length in steps, resolved from the configuration. */
  readonly warmupSteps: number;
  /** Steps taken so far; the next update is step `stepCount`. */
  readonly stepCount: number;
  /** The rate for the update at (0-based) step `step`, given the current plateau state. */
  lrAt(step: number): number;
  /** The rate for the next update (`lrAt(stepCount)`). */
  current(): number;
  /**
   * Records one finished update and returns the rate for the next one. `metric`, when given, is the
   * monitored value of an evaluation that just ran (see {@link LrSchedule.reportMetric}).
   */
  step(metric?: number): number;
  /**
   * Feeds an evaluation's metric to a plateau schedule (no effect on other kinds, nor during warmup, as in
   * MeTaL). A non-finite value counts as no improvement. Returns true when the rate was reduced.
   */
  reportMetric(value: number): boolean;
  /** The state as plain JSON. */
  getState(): LrScheduleState;
  /** Restores {@link LrSchedule.getState}; the configuration must be the same kind. */
  setState(state: LrScheduleState): void;
}

/**
 * Builds a learning-rate schedule. Warmup is linear from `warmupStartFactor × baseLr` at step 0 to `baseLr`
 * at step `warmupSteps`; after it the kind's curve applies, floored at `minLr`.
 *
 * @example
 * ```ts
 * const s = createLrSchedule({ kind: 'linear', warmup: { steps: 2 } }, { baseLr: 0.1, totalSteps: 10 });
 * [0, 1, 2, 6, 10].map((t) => s.lrAt(t)); // [0, 0.05, 0.1, 0.05, 0]
 * s.step(); // 0.05 (the rate of step 1)
 * ```
 */
export function createLrSchedule(options: LrScheduleOptions, context: LrScheduleContext): LrSchedule {
  const parsed = LrScheduleConfig.safeParse(options);
  if (!parsed.success) {
    throw new MmtlError(
      'E_CONFIG',
      `Argument 'config' passed to 'createLrSchedule' is invalid:\n${z.prettifyError(parsed.error)}`,
      { details: { issues: parsed.error.issues } },
    );
  }
  const config = parsed.data;
  const { baseLr, totalSteps, stepsPerEpoch } = context;
  assert(
    Number.isFinite(baseLr) && baseLr > 0,
    'E_ARG',
    () => `Argument 'baseLr' passed to 'createLrSchedule' must be > 0, got ${baseLr}`,
  );
  for (const [name, v] of [
    ['totalSteps', totalSteps],
    ['stepsPerEpoch', stepsPerEpoch],
  ] as const) {
    assert(
      v === undefined || (Number.isInteger(v) && v > 0),
      'E_ARG',
      () => `Argument '${name}' passed to 'createLrSchedule' must be a positive integer, got ${v}`,
    );
  }
  const toSteps = (d: Duration, what: string): number => {
    if ('steps' in d) return d.steps;
    if ('epochs' in d) {
      if (stepsPerEpoch === undefined) {
        throw new MmtlError(
          'E_ARG',
          `Argument 'stepsPerEpoch' passed to 'createLrSchedule' is required: '${what}' is given in epochs`,
        );
      }
      return Math.ceil(d.epochs * stepsPerEpoch - 1e-9);
    }
    if (totalSteps === undefined) {
      throw new MmtlError(
        'E_ARG',
        `Argument 'totalSteps' passed to 'createLrSchedule' is required: '${what}' is given as a fraction`,
      );
    }
    return Math.ceil(d.fraction * totalSteps - 1e-9);
  };
  const warmupSteps = toSteps(config.warmup, 'warmup');
  const st: LrScheduleState = { kind: config.kind, stepCount: 0, best: null, badReports: 0, reductions: 0 };
  const plateau = config.kind === 'plateau' ? config : undefined;
  const curveOf = lrScheduleRegistry.get(config.kind)(config, {
    baseLr,
    warmupSteps,
    totalSteps,
    stepsPerEpoch,
    toSteps,
    reductions: () => st.reductions,
  });

  const lrAt = (step: number): number => {
    assert(
      Number.isInteger(step) && step >= 0,
      'E_ARG',
      () => `Argument 'step' passed to 'LrSchedule.lrAt' must be an integer ≥ 0, got ${step}`,
    );
    if (step < warmupSteps) {
      const f = config.warmupStartFactor;
      return baseLr * (f + ((1 - f) * step) / warmupSteps);
    }
    return Math.max(config.minLr, curveOf.lrAfterWarmup(step - warmupSteps));
  };

  const improves = (value: number, best: number, p: NonNullable<typeof plateau>): boolean => {
    const sign = p.mode === 'min' ? -1 : 1;
    const margin = p.thresholdMode === 'rel' ? Math.abs(best) * p.threshold : p.threshold;
    return sign * (value - best) > margin;
  };

  const reportMetric = (value: number): boolean => {
    if (plateau === undefined || st.stepCount < warmupSteps) return false;
    if (Number.isFinite(value) && (st.best === null || improves(value, st.best, plateau))) {
      st.best = value;
      st.badReports = 0;
      return false;
    }
    st.badReports++;
    if (st.badReports > plateau.patience) {
      st.badReports = 0;
      if (baseLr * plateau.factor ** st.reductions > config.minLr) {
        st.reductions++;
        return true;
      }
    }
    return false;
  };

  return {
    config,
    warmupSteps,
    get stepCount() {
      return st.stepCount;
    },
    lrAt,
    current: () => lrAt(st.stepCount),
    step(metric?: number) {
      if (metric !== undefined) reportMetric(metric);
      st.stepCount++;
      return lrAt(st.stepCount);
    },
    reportMetric,
    getState: () => ({ ...st }),
    setState(state: LrScheduleState) {
      if (state.kind !== config.kind) {
        throw new MmtlError(
          'E_CHECKPOINT',
          `Argument 'state' passed to 'LrSchedule.setState' is for a '${state.kind}' schedule, not '${config.kind}'`,
        );
      }
      assert(
        Number.isInteger(state.stepCount) && state.stepCount >= 0,
        'E_CHECKPOINT',
        () => `Argument 'state' passed to 'LrSchedule.setState' has a bad stepCount ${state.stepCount}`,
      );
      Object.assign(st, {
        stepCount: state.stepCount,
        best: state.best,
        badReports: state.badReports,
        reductions: state.reductions,
      });
    },
  };
}
