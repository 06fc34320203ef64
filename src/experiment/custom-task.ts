// Custom tasks: the user's own files → datasets (texts through the shared encoder, numbers standardized) and
// tasks (a head over the shared text encoder, or an MLP over the numeric columns).
import { MmtlError } from '../core/index.js';
import { metrics as METRICS } from '../metrics/index.js';
import { Linear, MLP, SoftAttention, type Module } from '../nn/index.js';
import { Dataset, Task, type Field, type InputRef, type LabelSet, type Operation } from '../tasks/index.js';
import type { SharedEncoder, TextEncoding } from './encoder.js';
import { LABEL_TYPES, inferClasses, type LabelSource, type LabelType } from './labels.js';
import type { ExperimentConfig } from './schema.js';
import { readTable, requireFields, type Table } from './table.js';
import { fitStandardizer, numericMatrix, standardize, type StandardizerState } from './tabular.js';
import { taskInput, type CustomTaskConfig, type TaskInput } from './task-config.js';

/** The data-side state of a custom task, fixed by its train split (saved as the run's `tasks.json`). */
export interface CustomTaskMeta {
  /** The classes by id (every label type but regression). */
  classes?: string[];
  /** Tabular tasks: the train split's column means and sds. */
  standardizer?: StandardizerState;
}

/** The splits of a custom task, read and checked. */
export interface LoadedCustomTask {
  /** The task as configured. */
  cfg: CustomTaskConfig;
  /** Its setting path, e.g. `tasks[1]` (for error messages). */
  setting: string;
  /** Its input, normalized. */
  input: TaskInput;
  /** Its label type. */
  labelType: LabelType;
  /** Its files' rows. */
  splits: { train: Table; valid?: Table | undefined; test?: Table | undefined };
}

/** The splits a custom task may have. */
export type CustomSplit = 'train' | 'valid' | 'test';

/** The label set name of a custom task's gold labels. */
export function goldLabelSet(task: string): string {
  return `${task}_gold`;
}

/** The words of a token task's text (whitespace-separated). */
export function wordsOf(text: string): string[] {
  return text.split(/\s+/).filter((w) => w !== '');
}

/** The text of a row's field ('' when absent; JSON values as JSON). */
export function textOf(v: unknown): string {
  return v === undefined || v === null ? '' : typeof v === 'string' ? v : JSON.stringify(v);
}

/** The file options of a custom task. */
export function tableOptions(cfg: CustomTaskConfig): {
  header: boolean;
  columns?: string[];
  delimiter?: string;
} {
  return {
    header: cfg.header,
    ...(cfg.columns === undefined ? {} : { columns: cfg.columns }),
    ...(cfg.delimiter === undefined ? {} : { delimiter: cfg.delimiter }),
  };
}

/** Checks a custom task's settings that the schema cannot (metrics, input shape for token tasks). */
function checkTaskConfig(cfg: CustomTaskConfig, setting: string, input: TaskInput, type: LabelType): void {
  for (const m of cfg.metrics ?? []) {
    if (!METRICS.has(m)) {
      throw new MmtlError(
        'E_CONFIG',
        `${setting}.metrics: unknown metric '${m}'; expected one of ${METRICS.names().join(', ')}`,
      );
    }
  }
  const first = cfg.metrics?.[0];
  if (first === 'mse' || first === 'mae') {
    throw new MmtlError(
      'E_CONFIG',
      `${setting}.metrics: the first metric selects checkpoints and must be higher-is-better, but '${first}' is an error`,
      { hint: `put a correlation first, e.g. metrics: [pearson, ${first}]` },
    );
  }
  if (type.taskType === 'token' && !(input.kind === 'text' && input.fields.length === 1)) {
    throw new MmtlError('E_CONFIG', `${setting}: a token task reads one text field; set input to its name`);
  }
  if (input.kind === 'numeric' && type.taskType === 'token') {
    throw new MmtlError('E_CONFIG', `${setting}: token labels need a text input`);
  }
  if (cfg.label.type === 'soft' && cfg.label.classes === undefined) {
    throw new MmtlError('E_CONFIG', `${setting}.label: soft labels need classes`, {
      hint: 'list the classes in the order of the probabilities, e.g. classes: [ham, spam]',
    });
  }
}

/**
 * Reads a custom task's files (at most `maxTrainRows` train rows) and checks that each split has the input
 * fields, the label field and the id field. Errors are `E_IO` (missing file) and `E_DATA` (empty split,
 * unknown field with the columns that exist), each naming the file.
 *
 * @example
 * ```ts
 * const t = await loadCustomTask(cfg.tasks[0], 'tasks[0]');
 * t.splits.train.rows.length; // 300
 * ```
 */
export async function loadCustomTask(
  cfg: CustomTaskConfig,
  setting: string,
  maxTrainRows?: number,
): Promise<LoadedCustomTask> {
  const input = taskInput(cfg);
  const labelType = LABEL_TYPES.get(cfg.label.type);
  checkTaskConfig(cfg, setting, input, labelType);
  const read = async (split: CustomSplit, path: string | undefined): Promise<Table | undefined> => {
    if (path === undefined) return undefined;
    const what = `task '${cfg.name}' ${split}`;
    const table = await readTable(
      path,
      tableOptions(cfg),
      what,
      split === 'train' ? maxTrainRows : undefined,
    );
    requireFields(
      table,
      input.fields,
      input.kind === 'numeric' ? `${setting}.input.numeric` : `${setting}.input`,
      what,
    );
    requireFields(table, [cfg.label.field], `${setting}.label.field`, what);
    if (cfg.id !== undefined) requireFields(table, [cfg.id], `${setting}.id`, what);
    return table;
  };
  const [train, valid, test] = await Promise.all([
    read('train', cfg.data.train),
    read('valid', cfg.data.valid),
    read('test', cfg.data.test),
  ]);
  return { cfg, setting, input, labelType, splits: { train: train!, valid, test } };
}

function labelSource(t: LoadedCustomTask, table: Table, split: string): LabelSource {
  return {
    path: table.path,
    field: t.cfg.label.field,
    setting: `${t.setting}.label`,
    what: `task '${t.cfg.name}' ${split}`,
    separator: t.cfg.label.separator,
  };
}

/**
 * The texts of a task's train split that a word vocabulary should know (token tasks: their words).
 *
 * @example
 * ```ts
 * vocabularyTexts(topic); // ['rain all day', 'stocks fell', …]
 * ```
 */
export function vocabularyTexts(t: LoadedCustomTask): string[] {
  if (t.input.kind !== 'text') return [];
  return t.splits.train.rows.flatMap(({ record }) =>
    t.input.fields.map((f) =>
      t.labelType.taskType === 'token' ? wordsOf(textOf(record[f])).join(' ') : textOf(record[f]),
    ),
  );
}

/**
 * The task's data-side state: its classes (as configured, else inferred from the train labels) and, for
 * tabular tasks, the train split's standardization; `saved` (a resumed run's `tasks.json` entry) wins.
 */
export function customTaskMeta(t: LoadedCustomTask, saved?: CustomTaskMeta): CustomTaskMeta {
  if (saved) return saved;
  const meta: CustomTaskMeta = {};
  const train = t.splits.train;
  if (t.labelType.hasClasses) {
    meta.classes =
      t.cfg.label.classes ?? inferClasses(t.labelType, train.rows, labelSource(t, train, 'train'));
  }
  if (t.input.kind === 'numeric') {
    const x = numericMatrix(train.rows, t.input.fields, {
      path: train.path,
      what: `task '${t.cfg.name}' train`,
      setting: `${t.setting}.input.numeric`,
    });
    meta.standardizer = fitStandardizer(x, t.input.fields);
  }
  return meta;
}

/** What {@link customDataset} needs to encode rows. */
export interface CustomEncodeContext {
  /** The text encoder's data side (text tasks). */
  encoding?: TextEncoding | undefined;
  /** Longest text in tokens (token tasks: words kept). */
  maxLength: number;
}

/**
 * The input fields of a custom task's rows: the encoder's text fields, the words of a token task, or the
 * standardized numeric columns (`features`, [n, d]).
 */
export function customInputs(
  t: Pick<LoadedCustomTask, 'cfg' | 'input' | 'labelType' | 'setting'>,
  meta: CustomTaskMeta,
  table: Table,
  split: string,
  ctx: CustomEncodeContext,
): Record<string, Field> {
  const rows = table.rows;
  if (t.input.kind === 'numeric') {
    const x = numericMatrix(rows, t.input.fields, {
      path: table.path,
      what: `task '${t.cfg.name}' ${split}`,
      setting: `${t.setting}.input.numeric`,
    });
    return {
      features: {
        kind: 'dense',
        values: standardize(x, meta.standardizer!),
        shape: [rows.length, t.input.fields.length],
      },
    };
  }
  const enc = ctx.encoding;
  if (!enc) throw new MmtlError('E_STATE', `task '${t.cfg.name}': no text encoder was prepared`);
  const columns = t.input.fields.map((f) => rows.map(({ record }) => textOf(record[f])));
  if (t.labelType.taskType === 'token') {
    if (!enc.wordFields) {
      throw new MmtlError('E_CONFIG', `${t.setting}: token tasks need a word encoder`, {
        hint: 'set encoder.kind: bilstm',
      });
    }
    return enc.wordFields(columns[0]!.map(wordsOf));
  }
  return enc.fields(columns[0]!, columns[1]);
}

/**
 * A {@link Dataset} of a custom task's split, named after the task (metric keys read
 * `<task>/<task>/<split>/<metric>`): its inputs, its gold label set `<task>_gold` when `labels`, and the
 * id field's values (else the row numbers) as row ids.
 *
 * @example
 * ```ts
 * const ds = customDataset(topic, meta, topic.splits.valid!, 'valid', { encoding, maxLength: 64 });
 * ds.labelSet('topic_gold').kind; // 'class'
 * ```
 */
export function customDataset(
  t: LoadedCustomTask,
  meta: CustomTaskMeta,
  table: Table,
  split: CustomSplit,
  ctx: CustomEncodeContext,
  options: { labels?: boolean } = {},
): Dataset {
  const inputs = customInputs(t, meta, table, split, ctx);
  const labels: Record<string, LabelSet> = {};
  if (options.labels ?? true) {
    const words =
      t.labelType.taskType === 'token'
        ? table.rows.map(({ record }) => wordsOf(textOf(record[t.input.fields[0]!])).length)
        : undefined;
    const y = t.labelType.parse(table.rows, labelSource(t, table, split), {
      classes: meta.classes ?? [],
      training: split === 'train',
      ...(words ? { words } : {}),
    });
    labels[goldLabelSet(t.cfg.name)] =
      t.labelType.taskType === 'token' ? truncateTokens(y, ctx.maxLength) : y;
  }
  return new Dataset({ name: t.cfg.name, inputs, labels, rowIds: rowIdsOf(t.cfg, table) });
}

/** The row ids of a table: the id field's values, else the 0-based row numbers. */
export function rowIdsOf(cfg: Pick<CustomTaskConfig, 'id'>, table: Table): string[] {
  return table.rows.map(({ record }, i) => (cfg.id === undefined ? String(i) : textOf(record[cfg.id])));
}

/** Token labels cut to the first `max` words (as the encoder cuts the words). */
function truncateTokens(y: LabelSet, max: number): LabelSet {
  if (y.kind !== 'token') return y;
  const rows: Int32Array[] = [];
  for (let i = 0; i + 1 < y.offsets.length; i++)
    rows.push(y.values.subarray(y.offsets[i], Math.min(y.offsets[i + 1]!, y.offsets[i]! + max)));
  const offsets = new Int32Array(rows.length + 1);
  rows.forEach((r, i) => (offsets[i + 1] = offsets[i]! + r.length));
  const values = new Int32Array(offsets[rows.length]!);
  rows.forEach((r, i) => values.set(r, offsets[i]));
  return { ...y, values, offsets };
}

/**
 * The task of a custom task: a head over the shared text encoder (pairs combine both texts; token tasks read
 * per-word features), or an MLP over the standardized numeric columns. Metrics: the task's, else its label
 * type's defaults.
 *
 * @example
 * ```ts
 * model.addTask(customTask(topic, meta, shared, cfg));
 * ```
 */
export function customTask(
  t: Pick<LoadedCustomTask, 'cfg' | 'input' | 'labelType'>,
  meta: CustomTaskMeta,
  shared: SharedEncoder | undefined,
  cfg: Pick<ExperimentConfig, 'tabular'>,
): Task {
  const name = t.cfg.name;
  const k = t.labelType.hasClasses ? meta.classes!.length : 1;
  const common = {
    name,
    type: t.labelType.taskType,
    cardinality: k,
    metrics: t.cfg.metrics ?? t.labelType.defaultMetrics,
  };
  if (t.input.kind === 'numeric') {
    const d = t.input.fields.length;
    const sizes = [d, ...cfg.tabular.hidden, k];
    const mlp = sizes.length > 2 ? new MLP(sizes, { dropout: cfg.tabular.dropout }) : new Linear(d, k);
    return new Task({
      ...common,
      modules: { [`${name}_mlp`]: mlp },
      ops: [{ name: `${name}_mlp`, module: `${name}_mlp`, inputs: ['_input_.features'] }],
    });
  }
  if (!shared) throw new MmtlError('E_STATE', `task '${name}': no text encoder was built`);
  const token = t.labelType.taskType === 'token';
  const f = token ? shared.tokenFeatures?.() : shared.features(t.input.fields.length === 2);
  if (!f)
    throw new MmtlError('E_CONFIG', `task '${name}': token tasks need a word encoder (encoder.kind: bilstm)`);
  const modules: Record<string, Module> = { ...f.modules };
  const ops: Operation[] = [...f.ops];
  let features: InputRef = f.output;
  if (shared.attention && !token) {
    modules[`${name}_attention`] = new SoftAttention(f.width);
    ops.push({ name: `${name}_attention`, module: `${name}_attention`, inputs: [features] });
    features = `${name}_attention`;
  }
  const hidden = token ? 0 : shared.head.hidden;
  modules[`${name}_head`] =
    hidden > 0 ? new MLP([f.width, hidden, k], { dropout: shared.head.dropout }) : new Linear(f.width, k);
  ops.push({ name: `${name}_head`, module: `${name}_head`, inputs: [features] });
  return new Task({ ...common, modules, ops });
}
