import { MmtlError } from '../core/index.js';
import { glueTask, type GlueRow } from '../glue/index.js';
import { MultitaskModel, Payload, type Dataset, type MultitaskModelConfig } from '../tasks/index.js';
import { readCheckpoint, type CheckpointFile } from '../training/index.js';
import { experimentTaskNames } from './build.js';
import type { CustomTaskMeta } from './custom-task.js';
import { ENCODERS, type TextEncoding } from './encoder.js';
import { parseExperiment } from './load.js';
import { RunFolder } from './run-folder.js';
import type { ExperimentConfig } from './schema.js';
import { isCustomTask, taskInput } from './task-config.js';

/** Options of {@link restoreRun}. */
export interface RestoreRunOptions {
  /**
   * Which trained model of the run: `'stage1'` (the multi-task model, default), a task name (its stage-2
   * fine-tuned model) or `'member-<i>'` (a member of an `mmtl ensemble` run).
   */
  stage?: string;
}

/** A run folder's trained model, rebuilt, with the way its rows were encoded. */
export interface RestoredRun {
  /** The experiment the run was trained with (its `config.json`). */
  cfg: ExperimentConfig;
  /** The run folder. */
  folder: RunFolder;
  /** The stage restored (`'stage1'`, a task name or `'member-<i>'`). */
  stage: string;
  /** The checkpoint folder the weights came from (`…/checkpoints/best`, or `…/last` without a best). */
  checkpointDir: string;
  /** The model with the checkpoint's weights, in evaluation mode. */
  model: MultitaskModel;
  /** The text encoder's data side (absent when every task is tabular). */
  encoding?: TextEncoding | undefined;
  /** Per custom task: its classes and standardization (the run's `tasks.json`). */
  meta: Record<string, CustomTaskMeta>;
  /** Encodes GLUE rows of `task` the way the training data was encoded. */
  encode(task: string, rows: readonly GlueRow[]): Dataset;
}

const FN = 'restoreRun';

/** The stages a run folder may hold: `stage1`, each task (stage 2) and ensemble members. */
function checkStage(cfg: ExperimentConfig, stage: string): void {
  const tasks = experimentTaskNames(cfg);
  if (stage === 'stage1' || tasks.includes(stage) || /^member-\d+$/.test(stage)) return;
  throw new MmtlError(
    'E_ARG',
    `Argument 'stage' passed to '${FN}' is '${stage}'; expected one of stage1, ${tasks.join(', ')} or member-<i>`,
  );
}

function checkpointFile(dir: string, files: Record<string, CheckpointFile>, name: string): CheckpointFile {
  const f = files[name];
  if (!f) throw new MmtlError('E_CHECKPOINT', `${FN}: checkpoint '${dir}' lacks '${name}'`);
  return f;
}

/** Rebuilds the model of a checkpoint folder from its `model.json` and loads its `model.safetensors`. */
async function modelFromCheckpoint(dir: string): Promise<MultitaskModel> {
  const ck = await readCheckpoint(dir);
  const configFile = checkpointFile(dir, ck.files, 'model.json');
  const weightsFile = checkpointFile(dir, ck.files, 'model.safetensors');
  let config: MultitaskModelConfig;
  try {
    config = JSON.parse(await configFile.text()) as MultitaskModelConfig;
  } catch (e) {
    throw new MmtlError('E_CHECKPOINT', `${FN}: '${configFile.path}' is not valid JSON`, { cause: e });
  }
  return MultitaskModel.fromSafetensors(await weightsFile.bytes(), weightsFile.path, config).eval();
}

/**
 * Reads the experiment a run folder was trained with (its `config.json`, checked against the run's
 * manifest). A missing folder fails with `E_IO`; a missing, unreadable, damaged or edited `config.json` with
 * `E_CHECKPOINT`.
 *
 * @example
 * ```ts
 * (await readRunConfig('runs/rte')).tasks; // ['RTE']
 * ```
 */
export async function readRunConfig(runDir: string): Promise<ExperimentConfig> {
  const folder = new RunFolder(runDir);
  if (!(await folder.isFolder())) {
    throw new MmtlError('E_IO', `Argument 'runDir' passed to 'readRunConfig': no run folder '${runDir}'`, {
      hint: 'pass a folder written by mmtl train (runs/<name>-<time>)',
    });
  }
  const raw = await folder.readJson(
    folder.config,
    'config.json',
    'a run stopped before it was set up has none: start it again with mmtl train <experiment> --run-dir <dir> --overwrite',
  );
  return parseExperiment(raw, folder.config);
}

/** Whether the experiment has a text encoder (GLUE tasks or custom text tasks). */
function hasText(cfg: ExperimentConfig): boolean {
  return cfg.tasks.some((t) => !isCustomTask(t) || taskInput(t).kind === 'text');
}

/**
 * Rebuilds the trained model of a run folder written by `mmtl train` (or `mmtl ensemble`): reads
 * `config.json`, rebuilds the encoder's data side (the word vocabulary from `vocab.json`, or the BERT
 * tokenizer from `encoder.dir`) and the custom tasks' classes and standardization (`tasks.json`), then the
 * model of the stage's best checkpoint (`model.json`, falling back to the last checkpoint only when the run
 * selected none: `selectRunCheckpoint`) with its `model.safetensors`, every file checked against its
 * manifest's SHA-256. A missing folder fails with `E_IO`; a missing or damaged piece
 * with `E_CHECKPOINT` naming it; an unknown stage with `E_ARG`.
 *
 * @example
 * ```ts
 * const run = await restoreRun('runs/rte', { stage: 'stage1' });
 * run.checkpointDir; // 'runs/rte/stage1/checkpoints/best'
 * const { rows } = await loadGlueSplit(run.cfg.glueDir, 'RTE', 'dev');
 * scoreGlueRows(run, 'RTE', rows, 'dev'); // { 'RTE/RTE/dev/accuracy': 0.56 }
 * ```
 */
export async function restoreRun(runDir: string, options: RestoreRunOptions = {}): Promise<RestoredRun> {
  const cfg = await readRunConfig(runDir);
  const folder = new RunFolder(runDir);
  const stage = options.stage ?? 'stage1';
  checkStage(cfg, stage);
  const checkpointDir = await folder.trainedCheckpoint(stage, FN);
  const encoding = hasText(cfg)
    ? await ENCODERS.get(cfg.encoder.kind).restore(cfg.encoder, { maxLength: cfg.maxLength, folder })
    : undefined;
  const meta = cfg.tasks.some(isCustomTask)
    ? ((await folder.readJson(
        folder.tasks,
        'tasks.json',
        'runs with tasks of your own write tasks.json',
      )) as Record<string, CustomTaskMeta>)
    : {};
  const model = await modelFromCheckpoint(checkpointDir);
  const encode = (task: string, rows: readonly GlueRow[]): Dataset => {
    if (!encoding) throw new MmtlError('E_STATE', `${FN}: run '${runDir}' has no text encoder`);
    return encoding.glueDataset(task, rows);
  };
  return { cfg, folder, stage, checkpointDir, model, encoding, meta, encode };
}

/**
 * The stage whose model predicts `task` by default: its stage-2 model when the run fine-tuned per task,
 * else the stage-1 model; `stage` overrides.
 *
 * @example
 * ```ts
 * defaultStage(cfg, 'RTE'); // 'RTE' for a two-stage run, 'stage1' otherwise
 * ```
 */
export function defaultStage(cfg: ExperimentConfig, task: string, stage?: string): string {
  return stage ?? (cfg.stage2 === undefined ? 'stage1' : task);
}

/**
 * Restores the models of a run once per stage, for commands that predict several tasks.
 *
 * @example
 * ```ts
 * const runs = new RunModels('runs/rte');
 * const run = await runs.get('stage1'); // restored once, then cached
 * await runs.dispose();
 * ```
 */
export class RunModels {
  private readonly cache = new Map<string, Promise<RestoredRun>>();

  private cfg: Promise<ExperimentConfig> | undefined;

  constructor(readonly runDir: string) {}

  /** The run's experiment (read once). */
  config(): Promise<ExperimentConfig> {
    this.cfg ??= readRunConfig(this.runDir);
    return this.cfg;
  }

  /** The restored run of `stage`. */
  get(stage: string): Promise<RestoredRun> {
    let r = this.cache.get(stage);
    if (r === undefined) {
      r = restoreRun(this.runDir, { stage });
      this.cache.set(stage, r);
    }
    return r;
  }

  /** Frees every restored model. */
  async dispose(): Promise<void> {
    for (const r of this.cache.values()) {
      const run = await r.catch(() => undefined);
      run?.model.dispose();
    }
    this.cache.clear();
  }
}

/**
 * Predictions of a restored run's model for GLUE rows of `task` (AX is predicted by MNLI's head): class ids,
 * or regression values.
 *
 * @example
 * ```ts
 * predictGlueRows(run, 'RTE', testRows); // Int32Array [1, 0, 0, …]
 * ```
 */
export function predictGlueRows(
  run: RestoredRun,
  task: string,
  rows: readonly GlueRow[],
): Int32Array | Float32Array {
  const spec = glueTask(task);
  const payload = new Payload({
    dataset: run.encode(spec.name, rows),
    split: 'test',
    batchSize: 2 * run.cfg.batchSize,
    labelsToTasks: {},
  });
  return run.model.predict(payload, { tasks: [spec.headTask] }).get(spec.headTask)!.preds;
}

/**
 * Scores a restored run's model on labelled GLUE rows of `task` with the task's metrics, keyed
 * `task/dataset/split/metric` (`split` names the rows, e.g. `'dev'`). Rows without labels fail with `E_DATA`.
 *
 * @example
 * ```ts
 * scoreGlueRows(run, 'MRPC', devRows, 'dev'); // { 'MRPC/MRPC/dev/accuracy': 0.68, 'MRPC/MRPC/dev/f1': 0.81, … }
 * ```
 */
export function scoreGlueRows(
  run: RestoredRun,
  task: string,
  rows: readonly GlueRow[],
  split: string,
): Record<string, number> {
  const spec = glueTask(task);
  if (!rows.some((r) => r.label !== undefined)) {
    throw new MmtlError(
      'E_DATA',
      `Argument 'rows' passed to 'scoreGlueRows' (${spec.name} ${split}) has no gold labels to score against`,
      { hint: 'score a labelled split such as dev; use mmtl predict for test splits' },
    );
  }
  const payload = new Payload({
    dataset: run.encode(spec.name, rows),
    split,
    batchSize: 2 * run.cfg.batchSize,
    labelsToTasks: { [spec.goldLabelSet]: spec.headTask },
  });
  return run.model.score([payload]);
}
