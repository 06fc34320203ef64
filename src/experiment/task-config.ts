import { z } from 'zod';

/** A field (column) name; YAML numbers (headerless files: `1`, `2`, …) become strings. */
const FieldName = z.union([z.string().min(1), z.int().positive()]).transform(String);

/** The files of a custom task, by split; paths are relative to the experiment file. */
export const TaskDataConfig = z
  .object({
    /** Training rows (required). */
    train: z.string(),
    /** Validation rows: checkpoints are selected on them and stage 2 fine-tunes against them. */
    valid: z.string().optional(),
    /** Held-out rows, scored once with the final model(s) into results.json. */
    test: z.string().optional(),
  })
  .strict();

/**
 * What a task reads from each row: `text` (one text field, by name), `[a, b]` (a text pair), or
 * `{ numeric: [x1, x2, …] }` (tabular: numeric columns, standardized with the train split's mean and sd).
 */
export const TaskInputConfig = z.union([
  FieldName,
  z.array(FieldName).min(1).max(2),
  z.object({ numeric: z.array(FieldName).min(1) }).strict(),
]);

/** The kinds of label a custom task can have (see LABEL_TYPES). */
export const LABEL_TYPE_NAMES = ['class', 'regression', 'multilabel', 'token', 'soft'] as const;

/** Where a task's label is and what it is. */
export const TaskLabelConfig = z
  .object({
    /** The field (column) holding the label. */
    field: FieldName.default('label'),
    /**
     * `class` (one class name per row), `regression` (a number), `multilabel` (several class names, split
     * by `separator`, or a JSON array), `token` (one class per whitespace-separated word of the text), or
     * `soft` (class probabilities, split by `separator` or a JSON array; valid/test rows score their
     * most likely class).
     */
    type: z.enum(LABEL_TYPE_NAMES).default('class'),
    /**
     * The classes, in the order of their ids (labeling functions vote these ids). Default: the sorted
     * distinct values of the train split.
     */
    classes: z
      .array(z.union([z.string(), z.number()]).transform(String))
      .min(1)
      .optional(),
    /** How `multilabel`, `token` and `soft` labels written as text are split (default: a space). */
    separator: z.string().min(1).default(' '),
  })
  .strict();

/**
 * A task over the user's own files.
 *
 * @example
 * ```yaml
 * - name: topic
 *   data: { train: train.csv, valid: valid.csv, test: test.csv }
 *   input: text
 *   label: { field: label, type: class, classes: [sports, weather, finance] }
 *   metrics: [accuracy]
 * ```
 */
export const CustomTaskConfig = z
  .object({
    /** The task's name: metric keys read `<name>/<name>/<split>/<metric>`. */
    name: z
      .string()
      .regex(/^[A-Za-z0-9_.-]+$/, 'use letters, digits, _ . - only (it names metric keys and folders)'),
    /** Its files (.csv, .tsv, .jsonl or .json). */
    data: TaskDataConfig,
    /** The input fields. */
    input: TaskInputConfig,
    /** The label. */
    label: TaskLabelConfig.prefault({}),
    /** Metrics (the metric registry's names); the first selects checkpoints. Default: by label type. */
    metrics: z.array(z.string()).min(1).optional(),
    /** A field whose value identifies a row; `mmtl predict` copies it into each line as `id`. */
    id: FieldName.optional(),
    /** CSV/TSV: whether line 1 holds the column names. */
    header: z.boolean().default(true),
    /** CSV/TSV: names for the columns (headerless files; with a header they replace its names). */
    columns: z.array(z.string().min(1)).optional(),
    /** CSV/TSV: the field delimiter (default `,` for .csv, a tab for .tsv). */
    delimiter: z.string().min(1).optional(),
  })
  .strict();

/** A custom task as written. */
export type CustomTaskOptions = z.input<typeof CustomTaskConfig>;
/** A validated custom task. */
export type CustomTaskConfig = z.output<typeof CustomTaskConfig>;

/** What a task's input is, normalized: text fields (one or a pair), or numeric columns. */
export type TaskInput = { kind: 'text'; fields: string[] } | { kind: 'numeric'; fields: string[] };

/**
 * The normalized input of a custom task.
 *
 * @example
 * ```ts
 * taskInput({ ...task, input: ['premise', 'hypothesis'] }); // { kind: 'text', fields: ['premise', 'hypothesis'] }
 * taskInput({ ...task, input: { numeric: ['x1', 'x2'] } }); // { kind: 'numeric', fields: ['x1', 'x2'] }
 * ```
 */
export function taskInput(task: Pick<CustomTaskConfig, 'input'>): TaskInput {
  const input = task.input;
  if (typeof input === 'string') return { kind: 'text', fields: [input] };
  if (Array.isArray(input)) return { kind: 'text', fields: [...input] };
  return { kind: 'numeric', fields: [...input.numeric] };
}

/** Whether a `tasks:` entry is a custom task (not a GLUE name). */
export function isCustomTask(t: string | CustomTaskConfig): t is CustomTaskConfig {
  return typeof t !== 'string';
}
