import { join } from 'node:path';
import { writeFileAtomic } from '../core/index.js';
import { glueTask } from '../glue/index.js';
import { writeRunLFs, writeRunReport } from '../report/index.js';
import type { MultitaskModel } from '../tasks/index.js';
import { Trainer, trainTwoStage, type FitOptions, type TrainResult } from '../training/index.js';
import { buildExperiment, defaultRunDir, type BuiltExperiment } from './build.js';
import type { ExperimentConfig } from './schema.js';

/** One task's headline result. */
export interface TaskResult {
  /** Its selection metric on the valid split, e.g. 'RTE/RTE/valid/accuracy'. */
  metric: string;
  /** Value after stage 1 (the multi-task best). */
  stage1: number;
  /** Value after stage 2 (per-task fine-tuning), when the experiment has a stage 2. */
  stage2?: number;
}

/** What {@link runExperiment} returns (and writes as `<runDir>/results.json`). */
export interface ExperimentResult {
  runDir: string;
  tasks: Record<string, TaskResult>;
  /** Every valid metric of the stage-1 model. */
  stage1Metrics: Record<string, number>;
  seconds: number;
  /** With `weak`: the weak source's size, the rows its LFs labeled, and the label model's class balance. */
  weak?: { lfs: string; rows: number; covered: number; classBalance: number[] };
  /** The trained model (stage-1 best) and, per task, the stage-2 model. */
  model: MultitaskModel;
  finetuned: Map<string, MultitaskModel>;
  built: BuiltExperiment;
}

/**
 * Runs an experiment: builds data and model, trains stage 1 (and stage 2 when configured) into the run
 * folder (`config.json`, `stage1/…`, `<task>/…` for stage 2, `results.json`), and returns the results.
 *
 * @example
 * ```ts
 * const r = await runExperiment(await loadExperiment('exp.yaml'));
 * r.tasks.RTE; // { metric: 'RTE/RTE/valid/accuracy', stage1: 0.58, stage2: 0.6 }
 * ```
 */
export async function runExperiment(
  cfg: ExperimentConfig,
  hooks: { fit?: (stage: string) => FitOptions } = {},
): Promise<ExperimentResult> {
  const t0 = Date.now();
  const runDir = defaultRunDir(cfg);
  await writeFileAtomic(join(runDir, 'config.json'), JSON.stringify(cfg, null, 2));
  const built = await buildExperiment(cfg);
  if (built.vocab) await writeFileAtomic(join(runDir, 'vocab.json'), JSON.stringify(built.vocab.toConfig()));
  const stage1Options = { ...cfg.stage1, seed: cfg.seed, runDir };
  let stage1: TrainResult;
  const finetuned = new Map<string, MultitaskModel>();
  const tasks: Record<string, TaskResult> = {};
  if (cfg.stage2) {
    const r = await trainTwoStage(built.model, built.payloads, {
      stage1: stage1Options,
      stage2: { ...cfg.stage2, seed: cfg.seed, runDir },
      stage1Only: cfg.weak && !cfg.weak.inStage2 && built.weak ? [built.weak.payload] : [],
      tasks: cfg.tasks.map((t) => glueTask(t).name),
      onProgress: hooks.fit,
    });
    stage1 = r.stage1;
    for (const [name, t] of r.tasks) {
      tasks[name] = { metric: t.metric, stage1: t.stage1, stage2: t.stage2 };
      finetuned.set(name, t.model);
    }
  } else {
    stage1 = await new Trainer({ ...stage1Options, runDir: join(runDir, 'stage1') }).fit(
      built.model,
      built.payloads,
      hooks.fit?.('stage1'),
    );
    for (const name of cfg.tasks.map((t) => glueTask(t).name)) {
      const metric = `${name}/${name}/valid/${built.model.task(name).metrics[0]!}`;
      tasks[name] = { metric, stage1: stage1.finalMetrics[metric] ?? Number.NaN };
    }
  }
  const weak = built.weak;
  const result = {
    runDir,
    tasks,
    stage1Metrics: stage1.finalMetrics,
    seconds: (Date.now() - t0) / 1000,
    ...(weak === undefined
      ? {}
      : { weak: { lfs: weak.lfs, rows: weak.rows, covered: weak.covered, classBalance: weak.classBalance } }),
  };
  await writeFileAtomic(join(runDir, 'results.json'), JSON.stringify(result, null, 2));
  const lfs = weak && {
    lfSummary: weak.lfSummary,
    labelModel: { weights: weak.weights, classBalance: weak.classBalance },
  };
  const info = weak && { 'weak rows': weak.rows, 'weak rows labeled': weak.covered, 'weak LF set': weak.lfs };
  for (const sub of ['stage1', ...finetuned.keys()]) {
    if (lfs) await writeRunLFs(join(runDir, sub), lfs);
    await writeRunReport(join(runDir, sub), {
      title: `${cfg.name}: ${sub}`,
      config: cfg,
      ...lfs,
      ...(info ? { info } : {}),
    });
  }
  return { ...result, model: built.model, finetuned, built };
}
