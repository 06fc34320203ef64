/**
 * What a GLUE task is, as data: its TSV files and columns, label map, head, loss, metrics, GLUE-score
 * metrics and submission files. Each task file (`cola.ts`, `rte.ts`, …) declares only what differs, through
 * the shared builders of `task-base.ts`; {@link GLUE_TASKS} holds them by name.
 */

/** A split of a GLUE task, named as its file in `glue_data/<TASK>/` (MNLI has matched and mismatched ones). */
export type GlueSplit =
  'train' | 'dev' | 'test' | 'dev_matched' | 'dev_mismatched' | 'test_matched' | 'test_mismatched';

/** A TSV column: its 0-based position, or its name in the file's header row. */
export type GlueColumn = number | string;

/** Where one split's rows are and how its columns are read. */
export interface GlueFileSpec {
  /** Path relative to the `glue_data` folder, e.g. `'CoLA/train.tsv'`. */
  path: string;
  /** Whether line 1 holds column names (every GLUE file except CoLA train/dev). */
  header: boolean;
  /** Columns every row must have; files with a header default to the header's length. */
  columns?: number;
  /** The row id column (test files: `index`, QQP: `id`); absent when the file has none. */
  index?: GlueColumn;
  /** The first (or only) text. */
  textA: GlueColumn;
  /** The second text of sentence-pair tasks. */
  textB?: GlueColumn;
  /** The gold label; absent in test files. */
  label?: GlueColumn;
  /** The official number of rows of this split (GLUE's published sizes), header excluded. */
  rows: number;
}

/**
 * The head a task needs: `classification` over `cardinality` classes (cross-entropy), or `regression` with
 * one output (MSE). STS-B targets stay on their raw `[min, max]` = [0, 5] scale (MeTaL divided them by 5;
 * Pearson and Spearman do not change under scaling, only the MSE's magnitude does), and submissions clip
 * predictions to `[min, max]`.
 */
export type GlueHead =
  { kind: 'classification'; cardinality: number } | { kind: 'regression'; min: number; max: number };

/** One file of a GLUE server submission. */
export interface GlueSubmissionSpec {
  /** The file name GLUE expects, e.g. `'MNLI-m.tsv'`. */
  file: string;
  /** The split whose rows it predicts, e.g. `'test_matched'`. */
  split: GlueSplit;
}

/** A GLUE task: everything the loaders, dataset builders, GLUE score and submission writer need. */
export interface GlueTaskSpec {
  /** The task's name as GLUE spells it (`'CoLA'`, `'SST-2'`, …); also its folder in `glue_data`. */
  readonly name: string;
  /** The splits shipped in `glue_data`, by name. */
  readonly splits: Readonly<Partial<Record<GlueSplit, GlueFileSpec>>>;
  /** The split evaluated as `valid` (MNLI: `dev_matched`); absent for AX, which is test-only. */
  readonly validSplit: GlueSplit | undefined;
  /** Output head and label kind. */
  readonly head: GlueHead;
  /** Training loss: cross-entropy for classification, mean squared error for regression. */
  readonly loss: 'cross_entropy' | 'mse';
  /** GLUE's label strings by class id (the label map and its inverse); empty for regression. */
  readonly labels: readonly string[];
  /** Metric names (see the `metrics` registry) reported for this task. */
  readonly metrics: readonly string[];
  /** The task's single headline metric (`acc_f1` for MRPC/QQP, `pearson_spearman` for STS-B). */
  readonly primaryMetric: string;
  /** Metrics averaged into the task's GLUE score, e.g. `['accuracy', 'f1']`; empty = not scored (AX). */
  readonly scoreMetrics: readonly string[];
  /** Datasets whose metrics make up the task's GLUE score (MNLI: matched, and mismatched when present). */
  readonly scoreDatasets: readonly string[];
  /** The submission files this task fills. */
  readonly submissions: readonly GlueSubmissionSpec[];
  /** The task whose head predicts this one (itself; `'MNLI'` for the AX diagnostic). */
  readonly headTask: string;
  /** The label set name of the gold labels, `<TASK>_gold`. */
  readonly goldLabelSet: string;
  /** A raw label string → class id (or regression target); `undefined` when it is not a valid label. */
  parseLabel(raw: string): number | undefined;
  /** A prediction (class id or regression output) → GLUE's label string for a submission. */
  formatLabel(pred: number): string;
}
