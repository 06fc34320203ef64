// Predicting and scoring the user's own files with a trained run.
import { MmtlError } from '../core/index.js';
import { glueTask, loadGlueSplit, type GlueSplit } from '../glue/index.js';
import { Dataset, Payload, tokenLabels, type TaskPredictions } from '../tasks/index.js';
import { experimentTaskNames } from './build.js';
import {
  customDataset,
  customInputs,
  goldLabelSet,
  rowIdsOf,
  tableOptions,
  textOf,
  wordsOf,
  type LoadedCustomTask,
} from './custom-task.js';
import { LABEL_TYPES } from './labels.js';
import { defaultStage, RunModels, scoreGlueRows, type RestoredRun } from './restore.js';
import type { ExperimentConfig } from './schema.js';
import { readTable, requireFields, type Table, type TableOptions } from './table.js';
import { isCustomTask, taskInput, type CustomTaskConfig } from './task-config.js';

/**
 * One predicted row, as `mmtl predict` writes it (one JSON line each, in file order):
 * `prediction` is a class name (class/soft tasks), a number (regression), a list of class names
 * (multilabel: those with probability ≥ 0.5) or one class name per word (token); `probabilities` follows
 * the task's classes (token tasks: one list per word; absent for regression); `id` is the row's id field.
 */
export interface PredictionLine {
  id?: string;
  prediction: string | number | string[];
  probabilities?: number[] | number[][];
}

/** Options of {@link predictFile} and {@link evaluateFile}. */
export interface FileRunOptions {
  /** The task (default: the run's first task). */
  task?: string | undefined;
  /** `stage1`, or a task name for its stage-2 model (default: the best for the task). */
  stage?: string | undefined;
  /** How the file is read, where it differs from the task's own files (header, columns, delimiter). */
  table?: TableOptions | undefined;
}

/** The task's file options with the caller's overrides. */
function fileOptions(task: CustomTaskConfig, over: TableOptions = {}): TableOptions {
  const base = tableOptions(task);
  return {
    header: over.header ?? base.header,
    columns: over.columns ?? (over.header === undefined ? base.columns : undefined),
    delimiter: over.delimiter ?? base.delimiter,
  };
}

/** The custom task `name` of a run, or an `E_ARG` naming the tasks there are. */
function customTaskOf(
  cfg: ExperimentConfig,
  name: string | undefined,
  fn: string,
): { task: CustomTaskConfig; index: number } {
  const names = experimentTaskNames(cfg);
  const index = name === undefined ? 0 : names.indexOf(name);
  if (index < 0) {
    throw new MmtlError(
      'E_ARG',
      `Argument 'task' passed to '${fn}' is '${name}'; the run's tasks are ${names.join(', ')}`,
    );
  }
  const task = cfg.tasks[index]!;
  if (!isCustomTask(task)) {
    throw new MmtlError(
      'E_ARG',
      `Argument 'task' passed to '${fn}': '${names[index]}' is a GLUE task, which predicts GLUE splits`,
      { hint: 'use mmtl predict <run> --task <GLUE task> --split test' },
    );
  }
  return { task, index };
}

function loadedOf(task: CustomTaskConfig, index: number, table: Table): LoadedCustomTask {
  return {
    cfg: task,
    setting: `tasks[${index}]`,
    input: taskInput(task),
    labelType: LABEL_TYPES.get(task.label.type),
    splits: { train: table },
  };
}

function round(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}

/** The prediction lines of a task's predictions (rows in order). */
function lines(
  t: LoadedCustomTask,
  classes: readonly string[],
  pr: TaskPredictions,
  n: number,
  ids: readonly string[] | undefined,
  wordCounts: readonly number[] | undefined,
): PredictionLine[] {
  const k = pr.k;
  const out: PredictionLine[] = [];
  const type = t.labelType.taskType;
  let token = 0;
  for (let i = 0; i < n; i++) {
    let line: PredictionLine;
    if (type === 'regression') {
      line = { prediction: round(pr.preds[i]!) };
    } else if (type === 'multilabel') {
      const p = Array.from(pr.probs.subarray(i * k, (i + 1) * k), round);
      line = { prediction: classes.filter((_, c) => p[c]! >= 0.5), probabilities: p };
    } else if (type === 'token') {
      const len = wordCounts![i]!;
      const tags: string[] = [];
      const probs: number[][] = [];
      for (let w = 0; w < len; w++, token++) {
        tags.push(classes[pr.preds[token]!]!);
        probs.push(Array.from(pr.probs.subarray(token * k, (token + 1) * k), round));
      }
      line = { prediction: tags, probabilities: probs };
    } else {
      line = {
        prediction: classes[pr.preds[i]!]!,
        probabilities: Array.from(pr.probs.subarray(i * k, (i + 1) * k), round),
      };
    }
    out.push(ids ? { id: ids[i]!, ...line } : line);
  }
  return out;
}

/**
 * Predicts a custom task of a trained run on a file of new rows (only the task's input fields are needed;
 * labels are never read), with the run's vocabulary and tabular standardization: one
 * {@link PredictionLine} per row, in file order, with `id` when the task has an id field and the file has
 * it. A missing input field fails with `E_DATA` listing the file's columns.
 *
 * @example
 * ```ts
 * const { lines } = await predictFile('runs/topic', 'new.csv', { task: 'topic' });
 * lines[0]; // { id: 'n1', prediction: 'sports', probabilities: [0.91, 0.05, 0.04] }
 * ```
 */
export async function predictFile(
  runDir: string,
  data: string,
  options: FileRunOptions = {},
): Promise<{ task: string; lines: PredictionLine[] }> {
  const runs = new RunModels(runDir);
  try {
    const cfg = await runs.config();
    const { task, index } = customTaskOf(cfg, options.task, 'predictFile');
    const run = await runs.get(defaultStage(cfg, task.name, options.stage));
    const what = `predict task '${task.name}'`;
    const table = await readTable(data, fileOptions(task, options.table), what);
    const t = loadedOf(task, index, table);
    requireFields(
      table,
      t.input.fields,
      t.input.kind === 'numeric' ? `the task's input.numeric` : `the task's input`,
      what,
    );
    const meta = run.meta[task.name] ?? {};
    const inputs = customInputs(t, meta, table, 'predict', {
      encoding: run.encoding,
      maxLength: cfg.maxLength,
    });
    const isToken = t.labelType.taskType === 'token';
    let wordCounts: number[] | undefined;
    const labels: Record<string, ReturnType<typeof tokenLabels>> = {};
    if (isToken) {
      // the model reads per-word predictions through a token label set: an all-ignored one marks the words
      const f = inputs.tokens as { offsets: Int32Array };
      const words = table.rows.map(({ record }) => wordsOf(textOf(record[t.input.fields[0]!])).length);
      wordCounts = words.map((w) => Math.max(1, Math.min(w, cfg.maxLength)));
      const rows = wordCounts.map((_, i) => new Int32Array(f.offsets[i + 1]! - f.offsets[i]!).fill(-1));
      labels[goldLabelSet(task.name)] = tokenLabels(rows, meta.classes!.length, 'tokens');
    }
    const hasIds = task.id !== undefined && table.columns.includes(task.id);
    const dataset = new Dataset({
      name: task.name,
      inputs,
      labels,
      rowIds: rowIdsOf(hasIds ? task : {}, table),
    });
    const payload = new Payload({
      dataset,
      split: 'predict',
      batchSize: 2 * cfg.batchSize,
      labelsToTasks: isToken ? { [goldLabelSet(task.name)]: task.name } : {},
    });
    const pr = run.model.predict(payload, { tasks: [task.name] }).get(task.name)!;
    const ids = hasIds ? dataset.rowIds : undefined;
    return { task: task.name, lines: lines(t, meta.classes ?? [], pr, table.rows.length, ids, wordCounts) };
  } finally {
    await runs.dispose();
  }
}

/** The metrics of a restored model on a custom task's labelled rows, keyed `task/task/<split>/metric`. */
function scoreTable(
  run: RestoredRun,
  task: CustomTaskConfig,
  index: number,
  table: Table,
  split: string,
): Record<string, number> {
  const t = loadedOf(task, index, table);
  const what = `evaluate task '${task.name}'`;
  requireFields(table, t.input.fields, `tasks[${index}].input`, what);
  requireFields(table, [task.label.field], `tasks[${index}].label.field`, what);
  const meta = run.meta[task.name] ?? {};
  const ds = customDataset(t, meta, table, 'valid', { encoding: run.encoding, maxLength: run.cfg.maxLength });
  const payload = new Payload({
    dataset: ds,
    split,
    batchSize: 2 * run.cfg.batchSize,
    labelsToTasks: { [goldLabelSet(task.name)]: task.name },
  });
  return run.model.score([payload]);
}

/**
 * Scores a custom task of a trained run on a labelled file (the task's input and label fields), keyed
 * `<task>/<task>/<split>/<metric>` with split `eval`. Labels outside the run's classes fail with `E_DATA`
 * naming the file, line and field.
 *
 * @example
 * ```ts
 * await evaluateFile('runs/topic', 'labelled.csv'); // { 'topic/topic/eval/accuracy': 0.93, 'topic/topic/eval/f1_macro': 0.92 }
 * ```
 */
export async function evaluateFile(
  runDir: string,
  data: string,
  options: FileRunOptions = {},
): Promise<Record<string, number>> {
  const runs = new RunModels(runDir);
  try {
    const cfg = await runs.config();
    const { task, index } = customTaskOf(cfg, options.task, 'evaluateFile');
    const run = await runs.get(defaultStage(cfg, task.name, options.stage));
    const table = await readTable(data, fileOptions(task, options.table), `evaluate task '${task.name}'`);
    return scoreTable(run, task, index, table, 'eval');
  } finally {
    await runs.dispose();
  }
}

/** Options of {@link evaluateRun}. */
export interface EvaluateRunOptions {
  /** `stage1`, a task name (its stage-2 model, that task only) or `member-<i>` (default: the best per task). */
  stage?: string | undefined;
  /** GLUE split to score (default each GLUE task's dev split); custom tasks score `valid` and `test`. */
  split?: string | undefined;
  /** glue_data folder (default: the run's `glueDir`). */
  glueDir?: string | undefined;
}

/**
 * Scores every task of a run with its trained model(s): GLUE tasks on their dev split (or `split`), custom
 * tasks on their `valid` and `test` files; keys `task/dataset/split/metric`. Without `stage`, a two-stage run
 * scores each task with its fine-tuned model.
 *
 * @example
 * ```ts
 * await evaluateRun('runs/rte-mrpc'); // { 'RTE/RTE/dev/accuracy': 0.5776, 'MRPC/MRPC/dev/accuracy': 0.68, … }
 * ```
 */
export async function evaluateRun(
  runDir: string,
  options: EvaluateRunOptions = {},
): Promise<Record<string, number>> {
  const runs = new RunModels(runDir);
  try {
    const cfg = await runs.config();
    const names = experimentTaskNames(cfg);
    const stage = options.stage;
    const only =
      stage !== undefined && stage !== 'stage1' && !stage.startsWith('member-') ? stage : undefined;
    if (only !== undefined && !names.includes(only)) {
      // restoreRun names the valid stages
      await runs.get(only);
    }
    const scores: Record<string, number> = {};
    for (const [index, t] of cfg.tasks.entries()) {
      const name = names[index]!;
      if (only !== undefined && only !== name) continue;
      const run = await runs.get(defaultStage(cfg, name, stage));
      if (isCustomTask(t)) {
        for (const split of ['valid', 'test'] as const) {
          const path = t.data[split];
          if (path === undefined) continue;
          const table = await readTable(path, tableOptions(t), `task '${name}' ${split}`);
          Object.assign(scores, scoreTable(run, t, index, table, split));
        }
        continue;
      }
      const spec = glueTask(t);
      const split = (options.split ?? spec.validSplit ?? 'dev') as GlueSplit;
      const { rows } = await loadGlueSplit(options.glueDir ?? cfg.glueDir, spec.name, split);
      Object.assign(scores, scoreGlueRows(run, spec.name, rows, split));
    }
    return scores;
  } finally {
    await runs.dispose();
  }
}
