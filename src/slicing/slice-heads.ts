/** MeTaL's slice heads: per slice a copy of a task's head over the shared body, trained on the slice's rows. */
import { assert } from '../core/index.js';
import type { LabelMatrix } from '../labeling/index.js';
import { moduleFromConfig, type Module } from '../nn/index.js';
import { Task, type MultitaskModel, type Payload } from '../tasks/index.js';
import { maskLabelSet } from './slice-labels.js';
import { sliceMask } from './slicing-function.js';
import { modulesOf, taskHead } from './task-head.js';

/** A payload with the slice membership of its dataset's rows (from {@link applySFs} or {@link sliceMatrix}). */
export interface SlicedPayload {
  /** The payload whose label sets get slice copies. */
  payload: Payload;
  /** n × s membership matrix over the payload's dataset rows. */
  membership: LabelMatrix;
}

/** Options of {@link addSliceHeads}. */
export interface SliceHeadsOptions {
  /** Payloads to supervise the slice heads: see {@link addSliceLabels}. */
  payloads?: readonly SlicedPayload[] | undefined;
  /** Start each slice head from the base head's current weights (default false: fresh weights). */
  copyWeights?: boolean | undefined;
}

/**
 * Routes slice copies of `baseTask`'s labels in `payload`: for every label set `L` routed to `baseTask` and
 * every slice `s`, adds `L:s` (L masked to missing outside `s`, see {@link maskLabelSet}) to the dataset and
 * routes it to task `<baseTask>:<s>`. Returns the added label-set names.
 *
 * @example
 * ```ts
 * addSliceLabels(train, 'RTE', applySFs([negationSF()], trainRows)); // ['gold:negation']
 * train.labelsToTasks; // [['gold', 'RTE'], ['gold:negation', 'RTE:negation']]
 * ```
 */
export function addSliceLabels(
  payload: Payload,
  baseTask: string,
  membership: LabelMatrix,
  slices: readonly string[] = membership.names,
): string[] {
  assert(
    membership.n === payload.dataset.size,
    'E_SHAPE',
    () =>
      `Argument 'membership' passed to 'addSliceLabels' has ${membership.n} rows, but payload '${payload.name}' has ${payload.dataset.size}`,
  );
  const added: string[] = [];
  const base = payload.labelsToTasks.filter(([, t]) => t === baseTask).map(([l]) => l);
  for (const s of slices) {
    const mask = sliceMask(membership, s);
    for (const labelSet of base) {
      const name = `${labelSet}:${s}`;
      payload.dataset.addLabelSet(name, maskLabelSet(payload.dataset.labelSet(labelSet), mask));
      payload.addLabelSet(name, `${baseTask}:${s}`);
      added.push(name);
    }
  }
  return added;
}

/**
 * MeTaL's slice heads in one call: for each slice `s`, adds task `<task>:<s>` to `model` — the base task's
 * body ops (shared, hard parameter sharing) plus a new head module `<head>:<s>` of the same config
 * (`moduleFromConfig(head.toConfig())`), fresh or copied weights — and, for each given payload, the slice's
 * label copies (see {@link addSliceLabels}). Each slice head trains only on its slice's rows, so the shared
 * body gets extra gradient where the slice lies; the base task still predicts. Returns the new tasks.
 *
 * @example
 * ```ts
 * const S = applySFs([negationSF(), questionSF()], trainRows);
 * const tasks = addSliceHeads(model, 'RTE', S.names, { payloads: [{ payload: train, membership: S }] });
 * tasks.map((t) => t.name); // ['RTE:negation', 'RTE:question']
 * await new Trainer({ nEpochs: 3 }).fit(model, [train, valid]);
 * ```
 */
export function addSliceHeads(
  model: MultitaskModel,
  baseTask: string | Task,
  slices: readonly string[],
  options: SliceHeadsOptions = {},
): Task[] {
  const task = typeof baseTask === 'string' ? model.task(baseTask) : baseTask;
  assert(
    slices.length > 0 && new Set(slices).size === slices.length,
    'E_ARG',
    () =>
      `Argument 'slices' passed to 'addSliceHeads' must be distinct slice names, got [${slices.join(', ')}]`,
  );
  const head = taskHead(task, 'addSliceHeads');
  const tasks = slices.map((s) => {
    const module: Module = moduleFromConfig(head.module.toConfig());
    if (options.copyWeights) module.loadStateDict(head.module.stateDict());
    const moduleName = `${head.op.module}:${s}`;
    const opName = `${head.op.name}:${s}`;
    const sliceTask = new Task({
      name: `${task.name}:${s}`,
      type: task.type,
      cardinality: task.cardinality,
      modules: { ...modulesOf(task, head.body), [moduleName]: module },
      ops: [...head.body, { name: opName, module: moduleName, inputs: head.op.inputs }],
      output: head.key === undefined ? opName : [opName, head.key],
      metrics: task.metrics,
      lossWeight: task.lossWeight,
    });
    model.addTask(sliceTask);
    return sliceTask;
  });
  for (const { payload, membership } of options.payloads ?? [])
    addSliceLabels(payload, task.name, membership, slices);
  return tasks;
}
