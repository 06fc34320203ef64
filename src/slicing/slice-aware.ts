/** Slice-based learning (Chen et al., NeurIPS 2019) as tasks over the Task / MultitaskModel API. */
import { assert, MmtlError } from '../core/index.js';
import type { LabelMatrix } from '../labeling/index.js';
import { Linear, moduleFromConfig, type Module } from '../nn/index.js';
import { Task, type Operation, type Payload } from '../tasks/index.js';
import { SliceCombiner } from './slice-combiner.js';
import { indicatorLabelSet, maskLabelSet } from './slice-labels.js';
import { sliceMask } from './slicing-function.js';
import { modulesOf, taskHead } from './task-head.js';

/** The slice every row belongs to; its expert sees all rows. */
export const BASE_SLICE = 'base';

/** Default predictor confidence (a {@link SLICE_CONFIDENCE} name) per task type that slice-aware learning supports. */
export const DEFAULT_SLICE_CONFIDENCE: Readonly<Record<string, string>> = {
  classification: 'max-prob',
  regression: 'none',
};

/** Options of {@link sliceAwareTasks}. */
export interface SliceAwareOptions {
  /** Size h of the neck (the base head's input); read from a Linear or MLP head when left out. */
  hiddenSize?: number | undefined;
  /** Predictor confidence, a name in SLICE_CONFIDENCE (default: {@link DEFAULT_SLICE_CONFIDENCE} of the type). */
  confidence?: string | undefined;
  /** Attention temperature τ (default 1, as Snorkel). */
  temperature?: number | undefined;
  /** Metrics of the indicator tasks (default ['f1'], as Snorkel). */
  indicatorMetrics?: readonly string[] | undefined;
}

/** What {@link sliceAwareTasks} builds. */
export interface SliceAware {
  /** The base task's name: its predictions come from the original head over the combined representation. */
  base: string;
  /** Slices in combiner order, {@link BASE_SLICE} first. */
  slices: string[];
  /** Indicator task per slice (`<task>:ind:<slice>`, classification, k = 2). */
  indicatorTasks: Record<string, string>;
  /** Slice predictor task per slice (`<task>:pred:<slice>`, the base task's type). */
  predictorTasks: Record<string, string>;
  /** All tasks, base first: pass them to `new MultitaskModel(tasks)`. */
  tasks: Task[];
}

function neckSize(head: Module, options: SliceAwareOptions, task: string): number {
  if (options.hiddenSize !== undefined) return options.hiddenSize;
  const c = head.toConfig();
  const h = typeof c.inFeatures === 'number' ? c.inFeatures : Array.isArray(c.sizes) ? c.sizes[0] : undefined;
  if (typeof h !== 'number') {
    throw new MmtlError(
      'E_ARG',
      `Argument 'options.hiddenSize' passed to 'sliceAwareTasks' is needed: the head of task '${task}' (${c.kind}) does not say its input size`,
    );
  }
  return h;
}

/**
 * Turns a task into a slice-aware model (Snorkel's `convert_to_slice_tasks`, made correct for k > 2 and for
 * regression). With the base task's body ops producing the neck n [B, h], for every slice s (plus
 * {@link BASE_SLICE}, covering every row):
 * - an indicator head `<task>:ind:<s>` = Linear(h, 2) on n, trained on slice membership (cross-entropy);
 * - an expert `<task>:expert:<s>` = Linear(h, h): r_s = expert_s(n);
 * - the shared predictor `<task>:pred` (a fresh module of the base head's config, Linear(h, k)) on each r_s,
 *   trained on the base labels of the slice's rows only (task `<task>:pred:<s>`);
 * - a {@link SliceCombiner}: a = softmax_s(q_s · c_s / τ), q_s = P(in s), c_s the predictor's confidence
 *   (max class probability for classification, constant 1 for regression; see SLICE_CONFIDENCE), z = Σ a_s r_s;
 * - the original base head predicts the base task from z.
 * Training sums the base, indicator and predictor losses unweighted, as Snorkel (the Trainer's loss over all
 * label sets of a payload); indicators are not class-weighted (Emmental's option), so with a rare slice the
 * indicator heads rely on their own signal — set task loss weights if a slice's indicator underfits.
 * Supervise with {@link addSliceAwareLabels}. Supports classification and regression base tasks.
 *
 * @example
 * ```ts
 * const sa = sliceAwareTasks(task, ['sf_flip', 'sf_right']); // head Linear(16, 3) → h = 16
 * sa.tasks.map((t) => t.name);
 * // ['y', 'y:ind:base', 'y:ind:sf_flip', 'y:ind:sf_right', 'y:pred:base', 'y:pred:sf_flip', 'y:pred:sf_right']
 * const model = new MultitaskModel(sa.tasks);
 * addSliceAwareLabels(train, sa, applySFs(sfs, rows));
 * await new Trainer({ nEpochs: 5 }).fit(model, [train]);
 * model.predict(test, { tasks: ['y'] }); // the base head over the combined representation
 * ```
 */
export function sliceAwareTasks(
  baseTask: Task,
  sliceNames: readonly string[],
  options: SliceAwareOptions = {},
): SliceAware {
  const T = baseTask.name;
  assert(
    sliceNames.length > 0 &&
      new Set(sliceNames).size === sliceNames.length &&
      !sliceNames.includes(BASE_SLICE),
    'E_ARG',
    () =>
      `Argument 'sliceNames' passed to 'sliceAwareTasks' must be distinct slice names other than '${BASE_SLICE}', got [${sliceNames.join(', ')}]`,
  );
  const confidence = options.confidence ?? DEFAULT_SLICE_CONFIDENCE[baseTask.type];
  if (confidence === undefined) {
    throw new MmtlError(
      'E_ARG',
      `Argument 'baseTask' passed to 'sliceAwareTasks' has type '${baseTask.type}'; expected one of ${Object.keys(DEFAULT_SLICE_CONFIDENCE).join(', ')}`,
    );
  }
  const head = taskHead(baseTask, 'sliceAwareTasks');
  assert(
    head.op.inputs.length === 1,
    'E_ARG',
    () =>
      `Argument 'baseTask' passed to 'sliceAwareTasks': head op '${head.op.name}' must read one input (the neck), reads ${head.op.inputs.length}`,
  );
  const neck = head.op.inputs[0]!;
  const h = neckSize(head.module, options, T);
  const slices = [BASE_SLICE, ...sliceNames];
  const body = head.body;
  const bodyModules = modulesOf(baseTask, body);

  const predictor = moduleFromConfig(head.module.toConfig());
  const modules: Record<string, Module> = { ...bodyModules, [`${T}:pred`]: predictor };
  const indOps: Operation[] = [];
  const expertOps: Operation[] = [];
  const predOps: Operation[] = [];
  for (const s of slices) {
    modules[`${T}:ind:${s}`] = new Linear(h, 2);
    modules[`${T}:expert:${s}`] = new Linear(h, h);
    indOps.push({ name: `${T}:ind:${s}`, module: `${T}:ind:${s}`, inputs: [neck] });
    expertOps.push({ name: `${T}:expert:${s}`, module: `${T}:expert:${s}`, inputs: [neck] });
    predOps.push({ name: `${T}:pred:${s}`, module: `${T}:pred`, inputs: [`${T}:expert:${s}`] });
  }
  modules[`${T}:combiner`] = new SliceCombiner(slices.length, {
    confidence,
    temperature: options.temperature,
  });
  modules[head.op.module] = head.module;
  const combineOp: Operation = {
    name: `${T}:combine`,
    module: `${T}:combiner`,
    inputs: [...indOps, ...predOps, ...expertOps].map((o) => o.name),
  };
  const headOp: Operation = { name: `${T}:head`, module: head.op.module, inputs: [combineOp.name] };

  const pick = (ops: readonly Operation[]): Record<string, Module> => {
    const out: Record<string, Module> = {};
    for (const op of ops) out[op.module] = modules[op.module]!;
    return out;
  };
  const allOps = [...body, ...indOps, ...expertOps, ...predOps, combineOp, headOp];
  const tasks: Task[] = [
    new Task({
      name: T,
      type: baseTask.type,
      cardinality: baseTask.cardinality,
      modules: pick(allOps),
      ops: allOps,
      output: head.key === undefined ? headOp.name : [headOp.name, head.key],
      metrics: baseTask.metrics,
      lossWeight: baseTask.lossWeight,
    }),
  ];
  const indicatorTasks: Record<string, string> = {};
  const predictorTasks: Record<string, string> = {};
  slices.forEach((s, i) => {
    const ops = [...body, indOps[i]!];
    indicatorTasks[s] = `${T}:ind:${s}`;
    tasks.push(
      new Task({
        name: indicatorTasks[s],
        type: 'classification',
        cardinality: 2,
        modules: pick(ops),
        ops,
        metrics: options.indicatorMetrics ?? ['f1'],
      }),
    );
  });
  slices.forEach((s, i) => {
    const ops = [...body, expertOps[i]!, predOps[i]!];
    predictorTasks[s] = `${T}:pred:${s}`;
    tasks.push(
      new Task({
        name: predictorTasks[s],
        type: baseTask.type,
        cardinality: baseTask.cardinality,
        modules: pick(ops),
        ops,
        metrics: baseTask.metrics,
      }),
    );
  });
  return { base: T, slices, indicatorTasks, predictorTasks, tasks };
}

/**
 * Supervises a slice-aware model on `payload`: for every label set `L` routed to the base task and every slice
 * `s` (with {@link BASE_SLICE} covering every row), adds `L:ind:<s>` (membership, 1 = in) routed to the
 * indicator task and `L:pred:<s>` (L masked to missing outside s) routed to the predictor task. `membership`
 * covers the payload's rows and must hold every slice of `sa`. Returns the added label-set names.
 *
 * @example
 * ```ts
 * addSliceAwareLabels(train, sa, sliceMatrix({ sf_flip: flip, sf_right: right }));
 * // ['y:ind:base', 'y:pred:base', 'y:ind:sf_flip', 'y:pred:sf_flip', 'y:ind:sf_right', 'y:pred:sf_right']
 * ```
 */
export function addSliceAwareLabels(payload: Payload, sa: SliceAware, membership: LabelMatrix): string[] {
  const n = payload.dataset.size;
  assert(
    membership.n === n,
    'E_SHAPE',
    () =>
      `Argument 'membership' passed to 'addSliceAwareLabels' has ${membership.n} rows, but payload '${payload.name}' has ${n}`,
  );
  const base = payload.labelsToTasks.filter(([, t]) => t === sa.base).map(([l]) => l);
  assert(
    base.length > 0,
    'E_ARG',
    () => `Argument 'payload' passed to 'addSliceAwareLabels' routes no label set to task '${sa.base}'`,
  );
  const added: string[] = [];
  for (const s of sa.slices) {
    const mask = s === BASE_SLICE ? new Uint8Array(n).fill(1) : sliceMask(membership, s);
    for (const labelSet of base) {
      const ind = `${labelSet}:ind:${s}`;
      const pred = `${labelSet}:pred:${s}`;
      payload.dataset.addLabelSet(ind, indicatorLabelSet(mask));
      payload.addLabelSet(ind, sa.indicatorTasks[s]!);
      payload.dataset.addLabelSet(pred, maskLabelSet(payload.dataset.labelSet(labelSet), mask));
      payload.addLabelSet(pred, sa.predictorTasks[s]!);
      added.push(ind, pred);
    }
  }
  return added;
}
