/** Per-slice scoring of any model: every metric of every task on every slice, and a slice report. */
import { assert, MmtlError } from '../core/index.js';
import type { LabelMatrix } from '../labeling/index.js';
import { Scorer } from '../metrics/index.js';
import type { MultitaskModel, Payload, TaskPredictions } from '../tasks/index.js';
import { sliceMask } from './slicing-function.js';

/** Options of {@link scoreSlices} and {@link sliceReport}. */
export interface ScoreSlicesOptions {
  /** Tasks to score (default: the payload's tasks). */
  tasks?: readonly string[] | undefined;
  /** Slices to score (default: every column of the membership matrix). */
  slices?: readonly string[] | undefined;
}

/**
 * The metric key of `metric` for `task` on slice `slice` of `dataset`'s `split`: `task/dataset:slice/split/metric`.
 * The slice qualifies the dataset part because a slice is a subset of the dataset's rows: the key keeps the
 * four parts `parseMetricKey` needs, the split stays a plain split name (so split filters such as the
 * trainer's `validSplit` and aggregate patterns keep working), and the task part stays the task — it does not
 * collide with the keys of a slice-head task `task:slice` scored on the whole split.
 *
 * @example
 * ```ts
 * sliceMetricKey('RTE', 'RTE', 'valid', 'negation', 'accuracy'); // 'RTE/RTE:negation/valid/accuracy'
 * ```
 */
export function sliceMetricKey(
  task: string,
  dataset: string,
  split: string,
  slice: string,
  metric: string,
): string {
  return `${task}/${dataset}:${slice}/${split}/${metric}`;
}

interface Scored {
  /** `task`, or `task@labelSet` when several label sets feed the task. */
  task: string;
  slice: string | null;
  size: number;
  scores: Record<string, number>;
}

function take<A extends Int32Array | Float32Array>(a: A, rows: readonly number[], width: number): A {
  const out = new (a.constructor as new (n: number) => A)(rows.length * width);
  rows.forEach((r, i) => out.set(a.subarray(r * width, (r + 1) * width), i * width));
  return out;
}

function scoreRows(
  model: MultitaskModel,
  payload: Payload,
  membership: LabelMatrix,
  options: ScoreSlicesOptions,
  fn: string,
): Scored[] {
  const n = payload.dataset.size;
  assert(
    membership.n === n,
    'E_SHAPE',
    () =>
      `Argument 'sliceMembership' passed to '${fn}' has ${membership.n} rows, but payload '${payload.name}' has ${n}`,
  );
  const slices = options.slices ?? membership.names;
  const masks = slices.map((s) => sliceMask(membership, s));
  const preds = model.predict(payload, { tasks: options.tasks });
  const out: Scored[] = [];
  for (const [task, pr] of preds) {
    const t = model.task(task);
    if (t.type === 'token') {
      throw new MmtlError(
        'E_ARG',
        `Argument 'tasks' passed to '${fn}' holds token task '${task}'; slices select rows, not tokens`,
      );
    }
    const scorer = new Scorer({ metrics: [...t.metrics] });
    const many = pr.golds.size > 1;
    for (const [labelSet, golds] of pr.golds) {
      const name = many ? `${task}@${labelSet}` : task;
      if (payload.dataset.labelSet(labelSet).kind === 'soft') continue;
      const score = (rows: readonly number[]): Record<string, number> => {
        const w = golds.length / n;
        const g = take(golds, rows, w);
        const labeled = t.type === 'regression' ? (v: number) => Number.isFinite(v) : (v: number) => v >= 0;
        if (!g.some(labeled)) return {};
        return scorer.score(g, take(pr.preds, rows, w), probsFor(t.type, pr, rows));
      };
      const all = Array.from({ length: n }, (_, i) => i);
      out.push({ task: name, slice: null, size: n, scores: score(all) });
      slices.forEach((s, j) => {
        const rows = all.filter((i) => masks[j]![i] === 1);
        out.push({ task: name, slice: s, size: rows.length, scores: rows.length === 0 ? {} : score(rows) });
      });
    }
  }
  return out;
}

function probsFor(type: string, pr: TaskPredictions, rows: readonly number[]): Float32Array | undefined {
  if (type !== 'classification') return undefined;
  if (pr.k !== 2) return take(pr.probs, rows, pr.k);
  return Float32Array.from(rows, (r) => pr.probs[2 * r + 1]!); // positive-class column, as model.score
}

/**
 * Scores `model` on each slice of `payload`: every metric of every task (default: the payload's) on the rows
 * of every slice of `sliceMembership`, keyed `task/dataset:slice/split/metric` (see {@link sliceMetricKey};
 * a task fed by several label sets gets `task@labelSet/…`, as `MultitaskModel.score`). Slices without a
 * labeled row are left out. Works for any model, slice-aware or not.
 *
 * @example
 * ```ts
 * scoreSlices(model, test, applySFs([negationSF(), questionSF()], testRows));
 * // { 'RTE/RTE:negation/test/accuracy': 0.58, 'RTE/RTE:question/test/accuracy': 0.66 }
 * ```
 */
export function scoreSlices(
  model: MultitaskModel,
  payload: Payload,
  sliceMembership: LabelMatrix,
  options: ScoreSlicesOptions = {},
): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of scoreRows(model, payload, sliceMembership, options, 'scoreSlices')) {
    if (r.slice === null) continue;
    for (const [metric, v] of Object.entries(r.scores)) {
      out[sliceMetricKey(r.task, payload.dataset.name, payload.split, r.slice, metric)] = v;
    }
  }
  return out;
}

/** One row of a {@link sliceReport}. */
export interface SliceReportRow {
  /** Task name (`task@labelSet` when several label sets feed it). */
  task: string;
  /** Slice name. */
  slice: string;
  /** Rows in the slice. */
  size: number;
  /** Metric name. */
  metric: string;
  /** The metric on the slice's rows. */
  score: number;
  /** The metric on all rows of the payload. */
  overall: number;
  /** score − overall: negative where the model is weaker on the slice. */
  gap: number;
}

/**
 * Error analysis by slice: for every task, slice and metric a row {task, slice, size, metric, score, overall,
 * gap}, sorted by gap (worst slices first). Slices without a labeled row are left out.
 *
 * @example
 * ```ts
 * sliceReport(model, test, S)[0];
 * // { task: 'y', slice: 'sf_flip', size: 498, metric: 'accuracy', score: 0.23, overall: 0.97, gap: -0.74 }
 * ```
 */
export function sliceReport(
  model: MultitaskModel,
  payload: Payload,
  sliceMembership: LabelMatrix,
  options: ScoreSlicesOptions = {},
): SliceReportRow[] {
  const rows: SliceReportRow[] = [];
  const overall = new Map<string, Record<string, number>>();
  for (const r of scoreRows(model, payload, sliceMembership, options, 'sliceReport')) {
    if (r.slice === null) {
      overall.set(r.task, r.scores);
      continue;
    }
    const all = overall.get(r.task) ?? {};
    for (const [metric, score] of Object.entries(r.scores)) {
      const o = all[metric] ?? NaN;
      rows.push({ task: r.task, slice: r.slice, size: r.size, metric, score, overall: o, gap: score - o });
    }
  }
  return rows.sort((a, b) => a.gap - b.gap);
}
