import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { MmtlError } from '../core/index.js';
import { aggregateMetrics } from '../metrics/index.js';
import { collate, type MultitaskModel, type Payload } from '../tasks/index.js';
import {
  getEngineRngState,
  keep,
  manualSeed,
  nextTurn,
  noGrad,
  Optimizer,
  serializeSafetensors,
  setEngineRngState,
  tidy,
  zeros,
  type Tensor,
} from '../tensor/index.js';
import { BatchScheduler, type BatchSchedulerState } from './batch-scheduler.js';
import { CheckpointPolicy, type CheckpointPolicyState } from './checkpoint-policy.js';
import { checkpointExists, readCheckpoint, writeCheckpoint } from './checkpoint-store.js';
import { EarlyStopping, type EarlyStoppingState } from './early-stopping.js';
import { JsonlWriter, readMetricLog, type MetricRecord } from './jsonl-writer.js';
import { selectRunCheckpoint } from './select-checkpoint.js';
import { createLrSchedule, type LrScheduleState } from './lr-schedule.js';
import { TfEventsWriter } from './tfevents-writer.js';
import { parseTrainerConfig, type TrainerConfig, type TrainerOptions } from './trainer-config.js';

/** Progress after one scheduler step. */
export interface StepInfo {
  /** Scheduler steps done. */
  step: number;
  /** Scheduler steps in the run. */
  totalSteps: number;
  /** Current epoch (0-based). */
  epoch: number;
  /**
   * Sum of this step's batch losses (NaN when no batch had labels). Reading it back from the engine is the
   * only per-step sync of a run, done only for runs that pass `onStep`.
   */
  loss: number;
  /** Learning rate of the last update. */
  lr: number;
}

/** Callbacks and controls of {@link Trainer.fit}. */
export interface FitOptions {
  /** Continue from `<runDir>/checkpoints/last` when it exists. */
  resume?: boolean;
  /** Stop (after the current step) when aborted; the result has `interrupted: true`. */
  signal?: AbortSignal;
  /** Called after every scheduler step (progress bars). */
  onStep?: (info: StepInfo) => void;
  /** Called after every evaluation with its metric record. */
  onEvaluate?: (record: MetricRecord) => void;
}

/** What {@link Trainer.fit} returns. */
export interface TrainResult {
  /** Optimizer updates done. */
  updates: number;
  /** Scheduler steps done. */
  steps: number;
  /** Every evaluation's record, in order. */
  history: MetricRecord[];
  /** The checkpoint metric's best value and its update step (null without any evaluation). */
  best: { key: string; value: number; step: number } | null;
  /** Scores of the valid payloads with the final (reloaded best) weights. */
  finalMetrics: Record<string, number>;
  /** Early stopping ended the run. */
  stoppedEarly: boolean;
  /** The signal aborted the run. */
  interrupted: boolean;
}

interface TrainerState {
  steps: number;
  updates: number;
  scheduler: BatchSchedulerState;
  lr: LrScheduleState;
  policy: CheckpointPolicyState;
  early: EarlyStoppingState | null;
}

const CKPT = { best: 'best', last: 'last' } as const;

/** A task's running training loss: the sum stays on the engine, read once per check or evaluation. */
interface RunningLoss {
  /** Σ loss × rows (float64, 0-d, kept). */
  sum: Tensor;
  /** Σ rows. */
  count: number;
}

/**
 * Trains a {@link MultitaskModel} on train payloads: batches of all tasks mixed by a seeded batch scheduler
 * (every batch of every payload once per epoch by default), loss = weighted sum over supervised rows,
 * gradient clipping and accumulation, LR schedule with warmup, evaluation on the valid payloads with
 * per-task losses and aggregate metrics, checkpointing of the best and last states (atomic), early
 * stopping, exact resume, and the best weights reloaded at the end.
 *
 * Fast and flat: batches are gathered on the engine, clipping and the update are one native call, the
 * running losses stay on the engine (read at each evaluation), unchanged learning rates are not rewritten,
 * and the event loop turns every `turnEveryMs` (25 ms) rather than every step; each step runs in a `tidy`
 * scope.
 *
 * @example
 * ```ts
 * const trainer = new Trainer({ nEpochs: 5, optimizer: { lr: 1e-3 }, runDir: 'runs/rte' });
 * const result = await trainer.fit(model, [rteTrain, rteValid]);
 * result.best; // { key: 'model/all/valid/task_mean', value: 0.62, step: 390 }
 * ```
 */
export class Trainer {
  readonly config: TrainerConfig;

  constructor(options: TrainerOptions = {}) {
    this.config = parseTrainerConfig(options);
  }

  /** Trains `model` on the payloads whose split is 'train', evaluating on those of `validSplit`. */
  async fit(
    model: MultitaskModel,
    payloads: readonly Payload[],
    options: FitOptions = {},
  ): Promise<TrainResult> {
    const cfg = this.config;
    const train = payloads.filter((p) => p.split === 'train');
    const valid = payloads.filter((p) => p.split === cfg.validSplit);
    if (train.length === 0) {
      throw new MmtlError(
        'E_ARG',
        `Argument 'payloads' passed to 'Trainer.fit' has no payload with split 'train'`,
      );
    }
    for (const p of payloads) for (const t of p.tasks) model.task(t); // unknown tasks fail early
    manualSeed(cfg.seed);
    const scheduler = new BatchScheduler(
      cfg.scheduler ?? { kind: 'shuffled', seed: cfg.seed },
      train.map((p) => ({ name: p.name, numBatches: p.numBatches })),
    );
    const stepsPerEpoch = scheduler.stepsPerEpoch;
    const totalSteps = cfg.nEpochs * stepsPerEpoch;
    const updatesPerEpoch = Math.ceil(stepsPerEpoch / cfg.gradAccumulation);
    const params = model.trainableParameters();
    const optimizer = new Optimizer(cfg.optimizer.kind, params, cfg.optimizer);
    const lr = createLrSchedule(cfg.lrSchedule, {
      baseLr: cfg.optimizer.lr,
      totalSteps: cfg.nEpochs * updatesPerEpoch,
      stepsPerEpoch: updatesPerEpoch,
    });
    const metricSpec =
      valid.length === 0 && cfg.checkpointMetric === 'model/all/valid/task_mean:max'
        ? 'model/all/train/loss:min'
        : cfg.checkpointMetric;
    const policy = new CheckpointPolicy({
      metric: metricSpec,
      runway: cfg.checkpointRunway,
      keepLast: cfg.runDir !== undefined,
    });
    const early =
      cfg.earlyStoppingPatience === null
        ? null
        : new EarlyStopping({ metric: metricSpec, patience: cfg.earlyStoppingPatience });
    const evalEvery =
      'steps' in cfg.evaluateEvery
        ? cfg.evaluateEvery.steps * cfg.gradAccumulation
        : Math.max(1, Math.round(cfg.evaluateEvery.epochs * stepsPerEpoch));
    const ckptDir = cfg.runDir === undefined ? undefined : join(cfg.runDir, 'checkpoints');

    let steps = 0;
    let updates = 0;
    const history: MetricRecord[] = [];
    const resumed =
      options.resume === true && ckptDir !== undefined && (await checkpointExists(join(ckptDir, CKPT.last)));
    if (resumed) {
      const state = await this.restore(join(ckptDir, CKPT.last), model, optimizer);
      steps = state.steps;
      updates = state.updates;
      scheduler.setState(state.scheduler);
      lr.setState(state.lr);
      policy.setState(state.policy);
      if (early && state.early) early.setState(state.early);
      const logPath = join(cfg.runDir!, 'metrics.jsonl');
      if (existsSync(logPath))
        history.push(...(await readMetricLog(logPath)).filter((r) => r.step <= updates));
    }
    const log = cfg.runDir
      ? await JsonlWriter.open<MetricRecord>(join(cfg.runDir, 'metrics.jsonl'), { replaceWith: history })
      : undefined;
    const tb =
      cfg.runDir && cfg.tensorboard
        ? await TfEventsWriter.open(join(cfg.runDir, 'tensorboard'), {
            purgeStep: resumed ? updates + 1 : undefined,
          })
        : undefined;
    let bestInMemory: Map<string, Tensor> | undefined;
    const running = new Map<string, RunningLoss>();
    let lastLr: number | undefined;
    let checkedUpTo = steps;
    /** Throws E_NUMERIC when a running loss is NaN/∞ (reads every sum: a sync). */
    const checkFinite = (): void => {
      for (const r of running.values()) {
        const v = r.sum.item();
        if (!Number.isFinite(v)) {
          throw new MmtlError(
            'E_NUMERIC',
            `the training loss is ${v} within steps ${checkedUpTo + 1}–${steps}`,
            { hint: 'lower the learning rate or check the inputs' },
          );
        }
      }
      checkedUpTo = steps;
    };
    const clearRunning = (): void => {
      for (const r of running.values()) r.sum.dispose();
      running.clear();
    };
    let stoppedEarly = false;
    let interrupted = false;
    const rowCache = new Map<string, Int32Array[]>();
    const rowsFor = (p: Payload, epoch: number, b: number): Int32Array => {
      const key = `${p.name}@${epoch}`;
      let rows = rowCache.get(key);
      if (!rows) {
        for (const k of rowCache.keys()) if (!k.endsWith(`@${epoch}`)) rowCache.delete(k);
        rows = p.batchRows(epoch, cfg.seed);
        rowCache.set(key, rows);
      }
      return rows[b]!;
    };

    const evaluate = async (): Promise<void> => {
      const metrics: Record<string, number> = {};
      let sum = 0;
      let count = 0;
      checkFinite();
      for (const [key, v] of running) {
        const s = v.sum.item();
        metrics[key] = s / v.count;
        sum += s;
        count += v.count;
      }
      if (count > 0) metrics['model/all/train/loss'] = sum / count;
      metrics['model/all/train/lr'] = optimizer.getLr()[0]!;
      clearRunning();
      Object.assign(metrics, model.score(valid));
      addAggregates(model, valid, cfg, metrics);
      const record: MetricRecord = {
        step: updates,
        epoch: steps / stepsPerEpoch,
        wallTime: Date.now() / 1000,
        metrics,
      };
      history.push(record);
      await log?.write(record);
      tb?.addScalars(metrics, updates, record.wallTime);
      const decision = policy.decide(updates, metrics);
      if (decision.saveBest) {
        if (ckptDir) await this.save(join(ckptDir, CKPT.best), model, optimizer, stateOf());
        else {
          for (const t of bestInMemory?.values() ?? []) t.dispose();
          bestInMemory = new Map([...model.stateDict()].map(([k, t]) => [k, keep(noGrad(() => t.clone()))]));
        }
      }
      if (decision.saveLast && ckptDir)
        await this.save(join(ckptDir, CKPT.last), model, optimizer, stateOf());
      if (early?.update(metrics).stop) stoppedEarly = true;
      options.onEvaluate?.(record);
    };
    const stateOf = (): TrainerState => ({
      steps,
      updates,
      scheduler: scheduler.getState(),
      lr: lr.getState(),
      policy: policy.getState(),
      early: early?.getState() ?? null,
    });

    try {
      model.train();
      if (cfg.evaluateAtStart && steps === 0) await evaluate();
      let lastTurn = performance.now();
      while (steps < totalSteps && !stoppedEarly) {
        const step = scheduler.next();
        let supervised = false;
        const stepLoss = tidy(() => {
          let lossSum: Tensor | null = null;
          for (const b of step.batches) {
            const payload = train[b.payload]!;
            const rows = rowsFor(payload, step.epoch, b.batch);
            const batch = collate(
              payload.dataset,
              rows,
              payload.labelsToTasks.map(([l]) => l),
            );
            // an inner scope drops the forward intermediates' handles before backward, so libtorch can free
            // activations as the backward pass releases them (peak memory as PyTorch's)
            const { total, parts } = tidy(() => model.calculateLoss(batch, payload, cfg.taskWeights));
            if (!total) continue;
            (cfg.gradAccumulation === 1 ? total : total.div(cfg.gradAccumulation)).backward();
            supervised = true;
            if (options.onStep) lossSum = lossSum === null ? total.detach() : lossSum.add(total.detach());
            for (const [key, part] of parts) {
              let r = running.get(key);
              if (!r) {
                r = { sum: keep(zeros([], { dtype: 'float64', device: part.loss.device })), count: 0 };
                running.set(key, r);
              }
              r.sum.addScaled_(part.loss, part.count); // no grad; stays on the engine
              r.count += part.count;
            }
          }
          // the only per-step read-back, for callers that watch every step
          return lossSum === null ? Number.NaN : lossSum.item();
        });
        if (options.onStep && supervised && !Number.isFinite(stepLoss)) {
          throw new MmtlError('E_NUMERIC', `the training loss is ${stepLoss} at step ${steps}`, {
            hint: 'lower the learning rate or check the inputs',
          });
        }
        steps++;
        const epochEnd = steps % stepsPerEpoch === 0;
        if (steps % cfg.gradAccumulation === 0 || epochEnd) {
          const rate = lr.current();
          if (rate !== lastLr) {
            optimizer.setLr(rate);
            lastLr = rate;
          }
          optimizer.step({ clipNorm: cfg.gradClip });
          optimizer.zeroGrad();
          lr.step();
          updates++;
        }
        options.onStep?.({
          step: steps,
          totalSteps,
          epoch: step.epoch,
          loss: stepLoss,
          lr: lastLr ?? optimizer.getLr()[0]!,
        });
        if (performance.now() - lastTurn >= cfg.turnEveryMs) {
          checkFinite();
          await nextTurn();
          lastTurn = performance.now();
        }
        if (steps % evalEvery === 0 || steps === totalSteps) {
          await evaluate();
          const last = history[history.length - 1]!;
          const monitored = policy.metric.key in last.metrics ? last.metrics[policy.metric.key]! : undefined;
          if (monitored !== undefined) lr.reportMetric(monitored);
        }
        if (options.signal?.aborted) {
          interrupted = true;
          break;
        }
      }
      if (cfg.reloadBest && !interrupted) {
        // a best the run selected must load: one damaged or gone meanwhile is E_CHECKPOINT, not kept weights
        if (ckptDir && policy.getState().bestStep !== null)
          await this.restore(
            await selectRunCheckpoint(ckptDir, 'Trainer.fit (reloading the best)'),
            model,
            null,
          );
        else if (bestInMemory) model.loadStateDict(bestInMemory);
      }
    } finally {
      clearRunning();
      for (const t of bestInMemory?.values() ?? []) t.dispose();
      optimizer.dispose();
      await log?.close();
      await tb?.close();
    }
    const best = policy.getState();
    return {
      updates,
      steps,
      history,
      best: best.best === null ? null : { key: policy.metric.key, value: best.best, step: best.bestStep! },
      finalMetrics: interrupted ? {} : model.score(valid),
      stoppedEarly,
      interrupted,
    };
  }

  private async save(
    dir: string,
    model: MultitaskModel,
    optimizer: Optimizer,
    state: TrainerState,
  ): Promise<void> {
    await writeCheckpoint(dir, {
      files: {
        'model.safetensors': serializeSafetensors(model.stateDict()),
        'model.json': JSON.stringify(model.toConfig()),
        'optimizer.bin': optimizer.saveState(),
        'engine-rng.bin': getEngineRngState(),
        'trainer.json': JSON.stringify({ state, config: this.config }),
      },
      meta: { step: state.updates },
    });
  }

  private async restore(
    dir: string,
    model: MultitaskModel,
    optimizer: Optimizer | null,
  ): Promise<TrainerState> {
    const ck = await readCheckpoint(dir);
    const file = (name: string) => {
      const f = ck.files[name];
      if (!f) throw new MmtlError('E_CHECKPOINT', `checkpoint '${dir}' lacks '${name}'`);
      return f;
    };
    model.loadSafetensorsBytes(await file('model.safetensors').bytes(), join(dir, 'model.safetensors'));
    const saved = JSON.parse(await file('trainer.json').text()) as { state: TrainerState };
    if (optimizer) {
      optimizer.loadState(await file('optimizer.bin').bytes());
      setEngineRngState(await file('engine-rng.bin').bytes());
    }
    return saved.state;
  }
}

function addAggregates(
  model: MultitaskModel,
  valid: readonly Payload[],
  cfg: TrainerConfig,
  metrics: Record<string, number>,
): void {
  const primary: number[] = [];
  for (const p of valid) {
    for (const t of p.tasks) {
      const key = `${t}/${p.dataset.name}/${p.split}/${model.task(t).metrics[0]!}`;
      if (key in metrics) primary.push(metrics[key]!);
    }
  }
  if (primary.length > 0)
    metrics[`model/all/${cfg.validSplit}/task_mean`] = primary.reduce((a, b) => a + b, 0) / primary.length;
  for (const a of cfg.aggregates) metrics[a.key] = aggregateMetrics(metrics, a.of, a.how);
}
