import { join } from 'node:path';
import { writeRunLFs, writeRunReport } from '../report/index.js';
import type { MultitaskModel, Payload } from '../tasks/index.js';
import { Trainer, trainTwoStage, type FitOptions, type TrainResult } from '../training/index.js';
import { buildExperiment, experimentTaskNames, type BuiltExperiment } from './build.js';
import { experimentInputs } from './inputs.js';
import { RunFolder } from './run-folder.js';
import { readRunConfig } from './restore.js';
import type { ExperimentConfig } from './schema.js';

/** One task's headline result. */
export interface TaskResult {
  /** Its selection metric on the valid split, e.g. 'RTE/RTE/valid/accuracy'. */
  metric: string;
  /** Value after stage 1 (the multi-task best). */
  stage1: number;
  /** Value after stage 2 (per-task fine-tuning), when the experiment has a stage 2. */
  stage2?: number;
  /** Scores on the task's `test` file (custom tasks with one), with its final model. */
  test?: Record<string, number>;
}

/** What {@link runExperiment} returns (and writes as `<runDir>/results.json`). */
export interface ExperimentResult {
  runDir: string;
  tasks: Record<string, TaskResult>;
  /** Every valid metric of the stage-1 model. */
  stage1Metrics: Record<string, number>;
  seconds: number;
  /** Whether the run continued from its last checkpoints (`mmtl train --resume`). */
  resumed: boolean;
  /**
   * What the user should know but that did not stop the run, e.g. a BERT checkpoint without pooler weights
   * (`BuiltExperiment.warnings`; the label model's own are in `weak.warnings`). `mmtl train` prints them.
   */
  warnings: string[];
  /** With `weak`: the weak source's size, the rows its LFs labeled, and the label model's class balance. */
  weak?: {
    lfs: string;
    task: string;
    rows: number;
    covered: number;
    classBalance: number[];
    warnings: string[];
  };
  /** The trained model (stage-1 best) and, per task, the stage-2 model. */
  model: MultitaskModel;
  finetuned: Map<string, MultitaskModel>;
  built: BuiltExperiment;
}

/** Hooks and controls of {@link runExperiment}. */
export interface RunExperimentOptions {
  /** Callbacks of each fit; `stage` says which ('stage1' or a task name in stage 2). */
  fit?: (stage: string) => FitOptions;
  /** Replace an existing, non-empty run folder (refused with E_ARG otherwise). */
  overwrite?: boolean;
}

/** Default run folder of an experiment. */
export function defaultRunDir(cfg: ExperimentConfig): string {
  return cfg.runDir ?? join('runs', `${cfg.name}-${new Date().toISOString().replace(/[:.]/g, '-')}`);
}

/**
 * Runs an experiment: builds data and model (all input errors come before anything is written), claims the
 * run folder (an existing, non-empty one is refused unless `overwrite`), trains stage 1 (and stage 2 when
 * configured) into it, scores test files, and writes `config.json`, `vocab.json`, `tasks.json`,
 * `results.json` and a report per stage (see {@link RunFolder}).
 *
 * @example
 * ```ts
 * const r = await runExperiment(await loadExperiment('exp.yaml'));
 * r.tasks.RTE; // { metric: 'RTE/RTE/valid/accuracy', stage1: 0.58, stage2: 0.6 }
 * ```
 */
export async function runExperiment(
  cfg: ExperimentConfig,
  options: RunExperimentOptions = {},
): Promise<ExperimentResult> {
  const t0 = Date.now();
  const folder = new RunFolder(defaultRunDir(cfg));
  const built = await buildExperiment(cfg);
  try {
    await folder.claim(options, 'runExperiment', experimentInputs(cfg));
    // config.json last: a run folder with one is set up and can be resumed
    if (built.vocab) await folder.writeJson(folder.vocab, built.vocab.toConfig());
    if (built.custom.length > 0) await folder.writeJson(folder.tasks, built.meta);
    await folder.writeJson(folder.config, cfg);
  } catch (e) {
    built.model.dispose();
    throw e;
  }
  return train(cfg, folder, built, false, options, t0);
}

/**
 * Continues a run folder from its last checkpoints, exactly: rebuilds the experiment from the folder's
 * `config.json` (the vocabulary and the custom tasks' classes and standardization from the folder), then
 * each stage resumes from its `checkpoints/last` (model, optimizer, batch order, LR schedule and RNG state),
 * so the weights end as an uninterrupted run's. A finished stage is only reloaded. A missing folder or
 * config fails with `E_IO` / `E_CHECKPOINT`.
 *
 * @example
 * ```ts
 * const r = await resumeExperiment('runs/topic'); // after a crash or a kill
 * r.resumed; // true
 * ```
 */
export async function resumeExperiment(
  runDir: string,
  options: Pick<RunExperimentOptions, 'fit'> = {},
): Promise<ExperimentResult> {
  const t0 = Date.now();
  const cfg = { ...(await readRunConfig(runDir)), runDir };
  const folder = new RunFolder(runDir);
  const built = await buildExperiment(cfg, { saved: folder });
  return train(cfg, folder, built, true, options, t0);
}

async function train(
  cfg: ExperimentConfig,
  folder: RunFolder,
  built: BuiltExperiment,
  resume: boolean,
  options: RunExperimentOptions,
  t0: number,
): Promise<ExperimentResult> {
  const runDir = folder.dir;
  const fit = (stage: string): FitOptions => ({ ...options.fit?.(stage), resume });
  const names = experimentTaskNames(cfg);
  const stage1Options = { ...cfg.stage1, seed: cfg.seed, runDir };
  let stage1: TrainResult;
  const finetuned = new Map<string, MultitaskModel>();
  const tasks: Record<string, TaskResult> = {};
  try {
    if (cfg.stage2) {
      const r = await trainTwoStage(built.model, built.payloads, {
        stage1: stage1Options,
        stage2: { ...cfg.stage2, seed: cfg.seed, runDir },
        stage1Only: cfg.weak && !cfg.weak.inStage2 && built.weak ? [built.weak.payload] : [],
        tasks: names,
        onProgress: fit,
      });
      stage1 = r.stage1;
      for (const [name, t] of r.tasks) {
        tasks[name] = { metric: t.metric, stage1: t.stage1, stage2: t.stage2 };
        finetuned.set(name, t.model);
      }
    } else {
      stage1 = await new Trainer({ ...stage1Options, runDir: folder.stage('stage1') }).fit(
        built.model,
        built.payloads,
        fit('stage1'),
      );
      for (const name of names) {
        const valid = built.payloads.find((p) => p.split === 'valid' && p.tasks.includes(name));
        const dataset = valid?.dataset.name ?? name;
        const metric = `${name}/${dataset}/valid/${built.model.task(name).metrics[0]!}`;
        tasks[name] = { metric, stage1: stage1.finalMetrics[metric] ?? Number.NaN };
      }
    }
  } catch (e) {
    built.model.dispose();
    for (const m of finetuned.values()) m.dispose();
    throw e;
  }
  for (const p of built.tests) {
    for (const name of p.tasks) {
      const t = tasks[name];
      if (t) t.test = scoreWith(finetuned.get(name) ?? built.model, p);
    }
  }
  const weak = built.weak;
  const result = {
    runDir,
    tasks,
    stage1Metrics: stage1.finalMetrics,
    seconds: (Date.now() - t0) / 1000,
    resumed: resume,
    warnings: built.warnings,
    ...(weak === undefined
      ? {}
      : {
          weak: {
            lfs: weak.lfs,
            task: weak.task,
            rows: weak.rows,
            covered: weak.covered,
            classBalance: weak.classBalance,
            warnings: weak.warnings,
          },
        }),
  };
  await folder.writeJson(folder.results, result);
  const lfs = weak && {
    lfSummary: weak.lfSummary,
    labelModel: { weights: weak.weights, classBalance: weak.classBalance },
  };
  const info = weak && { 'weak rows': weak.rows, 'weak rows labeled': weak.covered, 'weak LF set': weak.lfs };
  for (const sub of ['stage1', ...finetuned.keys()]) {
    if (lfs) await writeRunLFs(folder.stage(sub), lfs);
    await writeRunReport(folder.stage(sub), {
      title: `${cfg.name}: ${sub}`,
      config: cfg,
      ...lfs,
      ...(info ? { info } : {}),
    });
  }
  return { ...result, model: built.model, finetuned, built };
}

/** A test payload's scores, keyed `task/dataset/test/metric`. */
function scoreWith(model: MultitaskModel, payload: Payload): Record<string, number> {
  return model.score([payload]);
}
