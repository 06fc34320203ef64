import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { MmtlError } from '../core/index.js';
import { MultitaskModel, Payload } from '../tasks/index.js';
import { keep, noGrad, type Tensor } from '../tensor/index.js';
import { Trainer, type FitOptions, type TrainResult } from './trainer.js';
import type { TrainerOptions } from './trainer-config.js';

/** Options of {@link trainTwoStage}. */
export interface TwoStageOptions {
  /** Stage 1: multi-task training of every task (selects on `checkpointMetric`, by default the task mean). */
  stage1: TrainerOptions;
  /** Stage 2: per-task fine-tuning from the stage-1 best (each task selects on its own first metric). */
  stage2: TrainerOptions;
  /** Tasks to fine-tune in stage 2 (default: every task). */
  tasks?: readonly string[];
  /**
   * Names of payloads that train in stage 1 only (e.g. weakly labeled data: pretrain on it with the gold
   * labels, then fine-tune on gold alone).
   */
  stage1Only?: readonly string[];
  /** Callbacks forwarded to every fit; `stage` says which run it is ('stage1' or the task name). */
  onProgress?: (stage: string) => FitOptions;
}

/** One task's scores after each stage. */
export interface TwoStageTaskResult {
  /** The task's selection metric key (valid split). */
  metric: string;
  /** Its value with the stage-1 best weights. */
  stage1: number;
  /** Its value after stage-2 fine-tuning (best stage-2 weights). */
  stage2: number;
  /** The stage-2 fine-tuned model (holds only this task). */
  model: MultitaskModel;
}

/** What {@link trainTwoStage} returns. */
export interface TwoStageResult {
  stage1: TrainResult;
  tasks: Map<string, TwoStageTaskResult>;
}

/**
 * MeTaL's GLUE recipe as one call: stage 1 trains all tasks together and keeps the best checkpoint on an
 * aggregate metric; stage 2 starts each task from that checkpoint (non-strict: only the task's own modules
 * are loaded) and fine-tunes it alone, selecting on the task's metric, with the starting weights as the first
 * candidate (so stage 2 never reports worse than stage 1 on the selection split). `model` ends with the
 * stage-1 best.
 *
 * @example
 * ```ts
 * const r = await trainTwoStage(model, payloads, { stage1: { nEpochs: 10 }, stage2: { nEpochs: 5 } });
 * r.tasks.get('RTE'); // { metric: 'RTE/RTE/valid/accuracy', stage1: 0.58, stage2: 0.61, model }
 * ```
 */
export async function trainTwoStage(
  model: MultitaskModel,
  payloads: readonly Payload[],
  options: TwoStageOptions,
): Promise<TwoStageResult> {
  const stage1 = await new Trainer(withRunDir(options.stage1, 'stage1')).fit(
    model,
    payloads,
    options.onProgress?.('stage1'),
  );
  const best = new Map(
    [...model.stateDict()].map(([k, t]) => [k, keep(noGrad(() => t.clone()))] as [string, Tensor]),
  );
  const validSplit = options.stage2.validSplit ?? 'valid';
  const stage1Only = new Set(options.stage1Only ?? []);
  const stage2Payloads = payloads.filter((p) => !stage1Only.has(p.name));
  const tasks = new Map<string, TwoStageTaskResult>();
  try {
    for (const name of options.tasks ?? model.taskNames()) {
      const task = model.task(name);
      const own = stage2Payloads.flatMap((p) => restrict(p, name));
      const valid = own.find((p) => p.split === validSplit);
      if (!valid)
        throw new MmtlError(
          'E_ARG',
          `trainTwoStage: task '${name}' has no '${validSplit}' payload to select on`,
        );
      const metric = `${name}/${valid.dataset.name}/${validSplit}/${task.metrics[0]!}`;
      const stage1Value = stage1.finalMetrics[metric];
      if (stage1Value === undefined)
        throw new MmtlError('E_DATA', `trainTwoStage: stage 1 did not report '${metric}'`);
      const fitOptions = options.onProgress?.(name);
      await checkRunFolder(options);
      const single = MultitaskModel.fromConfig(model.toConfig());
      for (const other of single.taskNames()) {
        if (other === name) continue;
        for (const [moduleName, m] of Object.entries(single.removeTask(other).modules)) {
          if (!single.modules.has(moduleName)) m.dispose(); // the other tasks' heads
        }
      }
      single.loadStateDict(best, { strict: false });
      // the stage-1 weights are evaluated first, so fine-tuning that only hurts keeps them
      const r = await new Trainer({
        ...withRunDir(options.stage2, name),
        checkpointMetric: `${metric}:max`,
        evaluateAtStart: true,
      }).fit(single, own, fitOptions);
      tasks.set(name, { metric, stage1: stage1Value, stage2: r.finalMetrics[metric]!, model: single });
    }
  } finally {
    for (const t of best.values()) t.dispose();
  }
  return { stage1, tasks };
}

/**
 * Stage 2 writes into the run folder stage 1 wrote in: when that folder was deleted or moved meanwhile, the
 * run stops with `E_IO` (a stage-2 log would otherwise make the folder anew, without stage 1's files).
 */
async function checkRunFolder(options: TwoStageOptions): Promise<void> {
  const dir = options.stage2.runDir;
  if (dir === undefined || dir !== options.stage1.runDir) return;
  if ((await stat(dir).catch(() => undefined))?.isDirectory()) return;
  throw new MmtlError(
    'E_IO',
    `trainTwoStage: the run folder '${dir}' no longer exists after stage 1 (deleted or moved while training?)`,
    { hint: 'the run was stopped and nothing was recreated; start it again with a run folder that stays' },
  );
}

function withRunDir(o: TrainerOptions, sub: string): TrainerOptions {
  return o.runDir === undefined ? o : { ...o, runDir: join(o.runDir, sub) };
}

/** The payload with only the label sets that feed `task` (none: no payload). */
function restrict(p: Payload, task: string): Payload[] {
  const map = Object.fromEntries(p.labelsToTasks.filter(([, t]) => t === task));
  if (Object.keys(map).length === 0) return [];
  return [
    new Payload({
      dataset: p.dataset,
      split: p.split,
      batchSize: p.batchSize,
      labelsToTasks: map,
      shuffle: p.shuffle,
      name: p.name,
    }),
  ];
}
