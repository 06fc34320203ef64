// Weak supervision in experiments: labeling functions vote on unlabeled rows, the label model turns the votes
// into soft labels, and those train the task as one more payload.
import { MmtlError } from '../core/index.js';
import { WEAK_LF_SETS, glueTask, loadGlueSplit, type GlueRow, type GlueSplit } from '../glue/index.js';
import {
  LFAnalysis,
  applyLFs,
  loadLFModule,
  type LabelMatrix,
  type LFSummaryRow,
  type LabelingFunction,
} from '../labeling/index.js';
import { LabelModel, softLabels, type LabelModelFitOptions } from '../labelmodel/index.js';
import { Dataset, Payload, type Field } from '../tasks/index.js';
import { customInputs, type CustomTaskMeta, type LoadedCustomTask, tableOptions } from './custom-task.js';
import type { TextEncoding } from './encoder.js';
import type { ExperimentConfig, FileWeakConfig, GlueWeakConfig } from './schema.js';
import { readTable, requireFields, type Table } from './table.js';

/** The weak payload's labeling, for results.json and the run report. */
export interface WeakSummary {
  /** The LF set (a WEAK_LF_SETS name) or the LF module's path. */
  lfs: string;
  /** The task the weak rows train. */
  task: string;
  /** Name of the weak train payload. */
  payload: string;
  /** Rows of the weak source. */
  rows: number;
  /** Rows at least one LF voted on (the rows that train). */
  covered: number;
  /** `LFAnalysis.lfSummary()` of the LFs on those rows (no gold: the rows are used as unlabeled). */
  lfSummary: LFSummaryRow[];
  /** The label model's estimated accuracy per LF, in `lfSummary` order. */
  weights: number[];
  /** The class balance the label model learned. */
  classBalance: number[];
  /** The label model's warnings (e.g. LFs it estimates worse than random). */
  warnings: string[];
}

/** A weak train payload and what made it. */
export interface WeakPayload {
  payload: Payload;
  summary: WeakSummary;
}

/** Label model → soft labels → a train payload of `task` (rows no LF voted on have all-zero labels). */
function weakFromVotes(
  task: string,
  k: number,
  L: LabelMatrix,
  lfs: readonly LabelingFunction<unknown, object>[] | undefined,
  inputs: Record<string, Field>,
  batchSize: number,
  fit: LabelModelFitOptions,
  lfsName: string,
): WeakPayload {
  const lm = new LabelModel(k);
  const { warnings } = lm.fit(L, fit);
  const probs = softLabels(lm.predictProba(L), L, k);
  const dataset = new Dataset({
    name: `${task}-weak`,
    inputs,
    labels: { weak: { kind: 'soft', values: probs, cardinality: k } },
  });
  const payload = new Payload({ dataset, split: 'train', batchSize, labelsToTasks: { weak: task } });
  const analysis = lfs ? new LFAnalysis(L, lfs) : new LFAnalysis(L);
  return {
    payload,
    summary: {
      lfs: lfsName,
      task,
      payload: payload.name,
      rows: L.n,
      covered: Math.round(analysis.labelCoverage() * L.n),
      lfSummary: analysis.lfSummary(),
      weights: [...lm.getWeights()],
      classBalance: lm.getClassBalance(),
      warnings,
    },
  };
}

/**
 * The unlabeled rows of a GLUE weak source (labels dropped; pairs premise first), rows
 * `skipRows … skipRows + maxRows` of its file. Rows must have the main task's shape (pair or single sentence),
 * and when the source is the main task's own train file they must not overlap the labeled rows.
 */
export async function loadGlueWeakRows(
  cfg: ExperimentConfig,
  w: GlueWeakConfig,
  main: string,
): Promise<GlueRow[]> {
  const mainSpec = glueTask(main);
  const source = glueTask(w.fromTask);
  const isPair = (t: typeof mainSpec) => Object.values(t.splits).some((f) => f.textB !== undefined);
  if (isPair(mainSpec) !== isPair(source)) {
    const shape = (t: typeof mainSpec) => (isPair(t) ? 'sentence pairs' : 'single sentences');
    throw new MmtlError(
      'E_CONFIG',
      `weak: ${source.name} rows are ${shape(source)} but ${mainSpec.name} takes ${shape(mainSpec)}; pick a weak.fromTask of the same shape`,
    );
  }
  if (
    source.name === mainSpec.name &&
    w.fromSplit === 'train' &&
    w.skipRows < (cfg.maxTrainRows ?? Infinity)
  ) {
    throw new MmtlError(
      'E_CONFIG',
      `weak: rows ${w.skipRows}… of ${mainSpec.name} train are also labeled training rows (maxTrainRows ${cfg.maxTrainRows ?? 'unset: all'}); set maxTrainRows and weak.skipRows ≥ it`,
    );
  }
  const rows = (
    await loadGlueSplit(cfg.glueDir, source.name, w.fromSplit as GlueSplit, {
      maxRows: w.skipRows + w.maxRows,
    })
  ).rows.slice(w.skipRows);
  return rows.map((r) =>
    r.textB === undefined
      ? { line: r.line, textA: r.textA }
      : { line: r.line, textA: w.swap ? r.textB : r.textA, textB: w.swap ? r.textA : r.textB },
  );
}

/**
 * Labels GLUE weak rows with the shipped LF set for the main task, turns the votes into soft labels with the
 * label model, and returns a train payload of them for the main task with a summary of the labeling.
 */
export function glueWeakPayload(
  cfg: ExperimentConfig,
  w: GlueWeakConfig,
  main: string,
  rows: readonly GlueRow[],
  encoding: TextEncoding,
): WeakPayload {
  const spec = glueTask(main);
  if (spec.head.kind !== 'classification')
    throw new MmtlError('E_CONFIG', `weak: the main task ${spec.name} is not a classification task`);
  const k = spec.head.cardinality;
  const lfs = WEAK_LF_SETS.get(w.lfs)(spec.name);
  const { L } = applyLFs(
    lfs,
    rows.map((r) => ({ textA: r.textA, textB: r.textB })),
    { cardinality: k },
  );
  const encoded = encoding.glueDataset(spec.name, rows);
  return weakFromVotes(spec.name, k, L, lfs, { ...encoded.inputs }, cfg.batchSize, { seed: cfg.seed }, w.lfs);
}

/** Where a task's LFs vote on a file: the LF module's LFs and the votes. */
async function applyFileLFs(
  w: FileWeakConfig,
  records: readonly Record<string, unknown>[],
  k: number,
): Promise<{ L: LabelMatrix; lfs: LabelingFunction<unknown, object>[] }> {
  const mod = await loadLFModule(w.lfs);
  if (mod.cardinality !== undefined && mod.cardinality !== k) {
    throw new MmtlError(
      'E_CONFIG',
      `weak.lfs: module '${w.lfs}' exports cardinality ${mod.cardinality}, but task '${w.task}' has ${k} classes`,
      { hint: "make the LFs vote the task's class ids 0..k-1 (in the order of label.classes)" },
    );
  }
  const { L } = applyLFs(mod.lfs, records, { cardinality: k, faultTolerant: w.faultTolerant });
  return { L, lfs: mod.lfs };
}

/**
 * Reads the unlabeled rows of a file-weak source with the task's file options (only the task's input fields
 * are required; labels are never read).
 */
export async function readWeakTable(w: FileWeakConfig, task: LoadedCustomTask): Promise<Table> {
  const what = `weak data for task '${task.cfg.name}'`;
  const table = await readTable(w.data, tableOptions(task.cfg), what, w.maxRows);
  requireFields(
    table,
    task.input.fields,
    task.input.kind === 'numeric' ? `${task.setting}.input.numeric` : `${task.setting}.input`,
    what,
  );
  return table;
}

/**
 * Weak supervision from the user's own LF module on the user's own rows (see {@link readWeakTable}): applies
 * the LFs (votes are class ids in the order of the task's classes), fits the label model with
 * `weak.labelModel`, and returns a train payload of soft labels for the task.
 *
 * @example
 * ```ts
 * const w = await fileWeakPayload(cfg, cfg.weak, topic, meta, await readWeakTable(cfg.weak, topic), encoding);
 * w.summary.covered; // rows at least one LF voted on
 * ```
 */
export async function fileWeakPayload(
  cfg: ExperimentConfig,
  w: FileWeakConfig,
  task: LoadedCustomTask,
  meta: CustomTaskMeta,
  table: Table,
  encoding: TextEncoding | undefined,
): Promise<WeakPayload> {
  if (task.labelType.taskType !== 'classification') {
    throw new MmtlError(
      'E_CONFIG',
      `weak: task '${task.cfg.name}' has ${task.cfg.label.type} labels; weak labels train class (or soft) tasks`,
    );
  }
  const k = meta.classes!.length;
  const { L, lfs } = await applyFileLFs(
    w,
    table.rows.map((r) => r.record),
    k,
  );
  const inputs = customInputs(task, meta, table, 'weak', { encoding, maxLength: cfg.maxLength });
  return weakFromVotes(
    task.cfg.name,
    k,
    L,
    lfs,
    inputs,
    cfg.batchSize,
    { seed: cfg.seed, ...(w.labelModel as LabelModelFitOptions) },
    w.lfs,
  );
}
