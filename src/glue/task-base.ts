import { MmtlError } from '../core/index.js';
import type { GlueColumn, GlueFileSpec, GlueSplit, GlueSubmissionSpec, GlueTaskSpec } from './task-spec.js';

/** Column names and official sizes of the usual GLUE layout, for {@link glueSplits}. */
export interface GlueLayout {
  /** The task's folder in `glue_data` (usually its name). */
  dir: string;
  /** Header name of text A. */
  textA: string;
  /** Header name of text B (sentence-pair tasks). */
  textB?: string;
  /** Header name of the label in train/dev files. */
  label: string;
  /** Header name of the row id in train/dev files, when they have one. */
  trainIndex?: string;
  /** Header name of the row id in test files (default `'index'`). */
  testIndex?: string;
  /** Official row counts by split; each split listed here gets a file `<dir>/<split>.tsv`. */
  rows: Partial<Record<GlueSplit, number>>;
}

/**
 * The split table of a task in the usual GLUE layout: `<dir>/<split>.tsv` with a header row, text and label
 * columns found by name, and `index` (or `testIndex`) as the row id of test files. Splits whose name starts
 * with `test` get no label column.
 *
 * @example
 * ```ts
 * glueSplits({ dir: 'RTE', textA: 'sentence1', textB: 'sentence2', label: 'label', rows: { train: 2490 } });
 * // { train: { path: 'RTE/train.tsv', header: true, textA: 'sentence1', textB: 'sentence2', label: 'label', rows: 2490 } }
 * ```
 */
export function glueSplits(layout: GlueLayout): Partial<Record<GlueSplit, GlueFileSpec>> {
  const out: Partial<Record<GlueSplit, GlueFileSpec>> = {};
  for (const [split, rows] of Object.entries(layout.rows) as [GlueSplit, number][]) {
    const isTest = split.startsWith('test');
    const index: GlueColumn | undefined = isTest ? (layout.testIndex ?? 'index') : layout.trainIndex;
    out[split] = {
      path: `${layout.dir}/${split}.tsv`,
      header: true,
      ...(index === undefined ? {} : { index }),
      textA: layout.textA,
      ...(layout.textB === undefined ? {} : { textB: layout.textB }),
      ...(isTest ? {} : { label: layout.label }),
      rows,
    };
  }
  return out;
}

/** What a task declares beyond the shared defaults (see {@link classificationTask}, {@link regressionTask}). */
export interface GlueTaskDefinition {
  /** GLUE's name of the task. */
  name: string;
  /** The split table (see {@link glueSplits}). */
  splits: Partial<Record<GlueSplit, GlueFileSpec>>;
  /** Split evaluated as `valid` (default `'dev'`; `null` for test-only tasks). */
  validSplit?: GlueSplit | null;
  /** Metrics reported (default `['accuracy']` / the regression trio). */
  metrics?: readonly string[];
  /** Headline metric (default the first of `metrics`). */
  primaryMetric?: string;
  /** Metrics averaged into the GLUE score (default `[primaryMetric]`; `[]` = not scored). */
  scoreMetrics?: readonly string[];
  /** Datasets scored (default `[name]`). */
  scoreDatasets?: readonly string[];
  /** Submission files (default `[{ file: '<name>.tsv', split: 'test' }]`). */
  submissions?: readonly GlueSubmissionSpec[];
  /** The task whose head predicts this one (default itself). */
  headTask?: string;
}

function finish(
  def: GlueTaskDefinition,
  rest: Pick<GlueTaskSpec, 'head' | 'loss' | 'labels' | 'parseLabel' | 'formatLabel'> & {
    metrics: readonly string[];
  },
): GlueTaskSpec {
  const metrics = def.metrics ?? rest.metrics;
  const primaryMetric = def.primaryMetric ?? metrics[0]!;
  return {
    name: def.name,
    splits: def.splits,
    validSplit: def.validSplit === null ? undefined : (def.validSplit ?? 'dev'),
    head: rest.head,
    loss: rest.loss,
    labels: rest.labels,
    metrics,
    primaryMetric,
    scoreMetrics: def.scoreMetrics ?? [primaryMetric],
    scoreDatasets: def.scoreDatasets ?? [def.name],
    submissions: def.submissions ?? [{ file: `${def.name}.tsv`, split: 'test' }],
    headTask: def.headTask ?? def.name,
    goldLabelSet: `${def.name}_gold`,
    parseLabel: rest.parseLabel,
    formatLabel: rest.formatLabel,
  };
}

/**
 * A classification task: `labels` are GLUE's label strings by class id (the label map is `labels[i] → i`,
 * its inverse gives submission strings); cross-entropy loss; metrics default to accuracy.
 *
 * @example
 * ```ts
 * const rte = classificationTask({ name: 'RTE', splits }, ['entailment', 'not_entailment']);
 * rte.parseLabel('not_entailment'); // 1
 * rte.formatLabel(0);               // 'entailment'
 * rte.head;                         // { kind: 'classification', cardinality: 2 }
 * ```
 */
export function classificationTask(def: GlueTaskDefinition, labels: readonly string[]): GlueTaskSpec {
  const ids = new Map(labels.map((l, i) => [l, i]));
  return finish(def, {
    head: { kind: 'classification', cardinality: labels.length },
    loss: 'cross_entropy',
    labels,
    metrics: ['accuracy'],
    parseLabel: (raw) => ids.get(raw.trim()),
    formatLabel: (pred) => {
      const label = Number.isInteger(pred) ? labels[pred] : undefined;
      if (label === undefined) {
        throw new MmtlError(
          'E_DATA',
          `Argument 'pred' passed to '${def.name}.formatLabel' must be a class id in 0..${labels.length - 1}, got ${pred}`,
        );
      }
      return label;
    },
  });
}

/**
 * A regression task (STS-B): targets parsed as numbers on the raw `[min, max]` scale (no rescaling), MSE
 * loss, Pearson/Spearman metrics; submissions print predictions clipped to `[min, max]` with 3 decimals.
 *
 * @example
 * ```ts
 * const stsb = regressionTask({ name: 'STS-B', splits }, 0, 5);
 * stsb.parseLabel('3.800'); // 3.8
 * stsb.parseLabel('7');     // undefined (outside [0, 5])
 * stsb.formatLabel(5.31);   // '5.000'
 * ```
 */
export function regressionTask(def: GlueTaskDefinition, min: number, max: number): GlueTaskSpec {
  return finish(def, {
    head: { kind: 'regression', min, max },
    loss: 'mse',
    labels: [],
    metrics: ['pearson_spearman', 'pearson', 'spearman'],
    parseLabel: (raw) => {
      const text = raw.trim();
      const value = text === '' ? NaN : Number(text);
      return Number.isFinite(value) && value >= min && value <= max ? value : undefined;
    },
    formatLabel: (pred) => {
      if (!Number.isFinite(pred)) {
        throw new MmtlError(
          'E_DATA',
          `Argument 'pred' passed to '${def.name}.formatLabel' must be a finite number, got ${pred}`,
        );
      }
      return Math.min(max, Math.max(min, pred)).toFixed(3);
    },
  });
}
