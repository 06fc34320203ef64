import { MmtlError, Registry, type LineRecord } from '../core/index.js';
import { tokenLabels, type LabelSet } from '../tasks/index.js';

/** Where labels are read from, for error messages: the file, the field and the setting that names it. */
export interface LabelSource {
  /** The data file. */
  path: string;
  /** The label field. */
  field: string;
  /** The setting that names the field and classes, e.g. `tasks[0].label`. */
  setting: string;
  /** What is being read, e.g. `task 'topic' train`. */
  what: string;
  /** How list labels written as text are split. */
  separator: string;
}

/** What {@link LabelType.parse} is given besides the rows. */
export interface LabelParseContext {
  /** The task's classes (absent for regression). */
  classes: readonly string[];
  /** Word counts per row (token tasks: one label per word). */
  words?: readonly number[];
  /** Train split (soft labels stay soft) or an evaluation split (soft labels score their argmax). */
  training: boolean;
}

/** One kind of custom-task label: its task type, default metrics, and parser. */
export interface LabelType {
  /** The Task type it trains (TASK_TYPES). */
  taskType: 'classification' | 'regression' | 'multilabel' | 'token';
  /** Metrics when the task names none; the first selects checkpoints (higher is better). */
  defaultMetrics: readonly string[];
  /** Whether the label names classes (every type but regression). */
  hasClasses: boolean;
  /** The class names a raw value mentions (to infer `classes` from the train split). */
  classNames(value: unknown, src: LabelSource, line: number): string[];
  /** The label set of `rows`; missing values (empty, null, absent) are unsupervised rows. */
  parse(rows: readonly LineRecord[], src: LabelSource, ctx: LabelParseContext): LabelSet;
}

function isMissing(v: unknown): boolean {
  return v === undefined || v === null || (typeof v === 'string' && v.trim() === '');
}

function bad(src: LabelSource, line: number, message: string, hint: string): MmtlError {
  return new MmtlError(
    'E_DATA',
    `${src.what}: '${src.path}' line ${line}, field '${src.field}': ${message}`,
    {
      hint,
      details: { path: src.path, line, field: src.field },
    },
  );
}

/** A list label: a JSON array, or text split by the separator. */
function listOf(v: unknown, src: LabelSource): unknown[] {
  if (Array.isArray(v)) return v;
  if (isMissing(v)) return [];
  const text = String(v).trim();
  if (text.startsWith('[')) {
    try {
      const parsed = JSON.parse(text) as unknown;
      if (Array.isArray(parsed)) return parsed;
    } catch {
      // not JSON: split below
    }
  }
  return text.split(src.separator).filter((s) => s.trim() !== '');
}

function classId(v: unknown, classes: readonly string[], src: LabelSource, line: number): number {
  const name = String(v).trim();
  const id = classes.indexOf(name);
  if (id < 0) {
    throw bad(
      src,
      line,
      `label '${name}' is not one of the classes (${classes.join(', ')})`,
      `fix the row, or add '${name}' to ${src.setting}.classes`,
    );
  }
  return id;
}

function classLabels(rows: readonly LineRecord[], src: LabelSource, classes: readonly string[]): Int32Array {
  return Int32Array.from(rows, ({ record, line }) => {
    const v = record[src.field];
    return isMissing(v) ? -1 : classId(v, classes, src, line);
  });
}

function softRow(v: unknown, k: number, src: LabelSource, line: number): number[] {
  const values = listOf(v, src).map((x) => (typeof x === 'string' ? Number(x.trim()) : x));
  const ok =
    values.length === k &&
    values.every((x): x is number => typeof x === 'number' && Number.isFinite(x) && x >= 0) &&
    values.reduce((a, b) => a + b, 0) > 0;
  if (!ok) {
    throw bad(
      src,
      line,
      `soft label ${JSON.stringify(v)} is not ${k} non-negative numbers with a positive sum`,
      `write one probability per class in the order of ${src.setting}.classes, split by '${src.separator}' or as a JSON array`,
    );
  }
  const sum = values.reduce((a, b) => a + b, 0);
  return values.map((x) => x / sum);
}

const single = (v: unknown): string[] => (isMissing(v) ? [] : [String(v).trim()]);

/**
 * The label types of custom tasks by name (`label.type`); the keys make the error message for an unknown type.
 *
 * | type | file value | trains | default metrics |
 * |---|---|---|---|
 * | class | a class name | classification (cross-entropy) | accuracy, f1_macro |
 * | regression | a number | regression (MSE) | pearson, spearman, mse |
 * | multilabel | class names split by `separator` (or a JSON array) | multilabel (BCE) | accuracy, f1 (per class and row) |
 * | token | one class per whitespace-separated word of the text | token (cross-entropy) | accuracy, f1_macro |
 * | soft | one probability per class | classification on soft targets | accuracy, f1_macro (of the most likely class) |
 *
 * @example
 * ```ts
 * LABEL_TYPES.get('class').defaultMetrics; // ['accuracy', 'f1_macro']
 * ```
 */
export const LABEL_TYPES = new Registry<LabelType>('label type')
  .register('class', {
    taskType: 'classification',
    defaultMetrics: ['accuracy', 'f1_macro'],
    hasClasses: true,
    classNames: single,
    parse: (rows, src, { classes }) => ({
      kind: 'class',
      values: classLabels(rows, src, classes),
      cardinality: classes.length,
    }),
  })
  .register('regression', {
    taskType: 'regression',
    defaultMetrics: ['pearson', 'spearman', 'mse'],
    hasClasses: false,
    classNames: () => [],
    parse: (rows, src) => ({
      kind: 'regression',
      values: Float32Array.from(rows, ({ record, line }) => {
        const v = record[src.field];
        if (isMissing(v)) return Number.NaN;
        const x = typeof v === 'number' ? v : Number(String(v).trim());
        if (!Number.isFinite(x)) {
          throw bad(
            src,
            line,
            `label ${JSON.stringify(v)} is not a number`,
            'regression labels are numbers; fix the row, or use label.type: class',
          );
        }
        return x;
      }),
    }),
  })
  .register('multilabel', {
    taskType: 'multilabel',
    defaultMetrics: ['accuracy', 'f1'],
    hasClasses: true,
    classNames: (v, src) => listOf(v, src).map((x) => String(x).trim()),
    parse: (rows, src, { classes }) => {
      const k = classes.length;
      const values = new Int8Array(rows.length * k);
      rows.forEach(({ record, line }, i) => {
        const v = record[src.field];
        if (isMissing(v)) {
          values.fill(-1, i * k, (i + 1) * k);
          return;
        }
        for (const c of listOf(v, src)) values[i * k + classId(c, classes, src, line)] = 1;
      });
      return { kind: 'multilabel', values, cardinality: k };
    },
  })
  .register('token', {
    taskType: 'token',
    defaultMetrics: ['accuracy', 'f1_macro'],
    hasClasses: true,
    classNames: (v, src) => listOf(v, src).map((x) => String(x).trim()),
    parse: (rows, src, { classes, words }) => {
      const tags = rows.map(({ record, line }, i) => {
        const n = words?.[i] ?? 0;
        const v = record[src.field];
        if (isMissing(v)) return new Int32Array(Math.max(1, n)).fill(-1);
        const list = listOf(v, src);
        if (list.length !== n) {
          throw bad(
            src,
            line,
            `${list.length} tags for ${n} words`,
            `give one tag per whitespace-separated word of the text, split by '${src.separator}'`,
          );
        }
        const ids = Int32Array.from(list, (c) => classId(c, classes, src, line));
        return ids.length === 0 ? Int32Array.of(-1) : ids;
      });
      return tokenLabels(tags, classes.length, 'tokens');
    },
  })
  .register('soft', {
    taskType: 'classification',
    defaultMetrics: ['accuracy', 'f1_macro'],
    hasClasses: true,
    classNames: () => [],
    parse: (rows, src, { classes, training }) => {
      const k = classes.length;
      if (!training) {
        // evaluation splits: a class name, or the most likely class of a probability row
        return {
          kind: 'class',
          values: Int32Array.from(rows, ({ record, line }) => {
            const v = record[src.field];
            if (isMissing(v)) return -1;
            if (classes.includes(String(v).trim())) return classes.indexOf(String(v).trim());
            const p = softRow(v, k, src, line);
            return p.indexOf(Math.max(...p));
          }),
          cardinality: k,
        };
      }
      const values = new Float32Array(rows.length * k);
      rows.forEach(({ record, line }, i) => {
        const v = record[src.field];
        if (!isMissing(v)) values.set(softRow(v, k, src, line), i * k);
      });
      return { kind: 'soft', values, cardinality: k };
    },
  });

/**
 * The classes of a label field: the sorted distinct class names of the train rows (numbers in numeric order).
 * Fails with `E_DATA` when the rows name fewer than two classes.
 *
 * @example
 * ```ts
 * inferClasses(LABEL_TYPES.get('class'), rows, src); // ['finance', 'sports', 'weather']
 * ```
 */
export function inferClasses(type: LabelType, rows: readonly LineRecord[], src: LabelSource): string[] {
  const seen = new Set<string>();
  for (const { record, line } of rows)
    for (const c of type.classNames(record[src.field], src, line)) seen.add(c);
  const names = [...seen];
  const numeric = names.every((n) => n !== '' && Number.isFinite(Number(n)));
  names.sort(numeric ? (a, b) => Number(a) - Number(b) : undefined);
  if (names.length < 2) {
    throw new MmtlError(
      'E_DATA',
      `${src.what}: '${src.path}' field '${src.field}' has ${names.length === 0 ? 'no labels' : `one class only ('${names[0]}')`}; a task needs at least two classes`,
      { hint: `list them in ${src.setting}.classes, or check the label field`, details: { path: src.path } },
    );
  }
  return names;
}
