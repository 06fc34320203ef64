import { MmtlError } from '../core/index.js';
import { Scorer } from '../metrics/index.js';
import { moduleFromConfig, type Module, type ModuleConfig } from '../nn/index.js';
import { readFile } from 'node:fs/promises';
import {
  entryToTensor,
  noGrad,
  parseSafetensors,
  saveSafetensors,
  tidy,
  type Tensor,
} from '../tensor/index.js';
import { activeRows, collate, type Batch } from './collate.js';
import type { LabelSet } from './dataset.js';
import type { Payload } from './payload.js';
import { predsFromProbs, type TiePolicy } from './predict-utils.js';
import { activeIndex, checkLabelKind, TASK_TYPES } from './task-types.js';
import { Task, type InputRef, type Operation } from './task.js';

/** safetensors metadata key under which {@link MultitaskModel.save} stores the model config. */
export const MODEL_METADATA_KEY = 'mmtl.model';

/** Per-label-set losses of one batch. */
export interface BatchLoss {
  /** Weighted sum over label sets (null when no label set had a supervised row). */
  total: Tensor | null;
  /** `task/dataset/split/loss` → {loss (unweighted mean), supervised row count}. */
  parts: Map<string, { loss: Tensor; count: number }>;
}

/** Predictions of one task on one payload, in dataset row order (token tasks: one entry per token). */
export interface TaskPredictions {
  /** Probabilities [n, k] row-major (regression: the values, k = 1). */
  probs: Float32Array;
  /** Predicted classes (regression: the values). */
  preds: Int32Array | Float32Array;
  /** Gold labels per label set feeding this task (-1 / NaN where missing). */
  golds: Map<string, Int32Array | Float32Array>;
  /** Columns of `probs`. */
  k: number;
}

/** The JSON form of a model: the module pool and the tasks (weights live in safetensors). */
export interface MultitaskModelConfig {
  modules: Record<string, ModuleConfig>;
  tasks: {
    name: string;
    type: string;
    cardinality: number;
    ops: Operation[];
    output: InputRef;
    metrics: string[];
    lossWeight: number;
  }[];
}

function callModule(m: Module, args: unknown[]): unknown {
  return (m.forward as (...a: unknown[]) => unknown).apply(m, args);
}

/**
 * Several tasks over one shared module pool. Modules and ops with the same name are shared: a shared encoder
 * runs once per batch for all tasks. Computes losses on supervised rows only, predicts, scores payloads into
 * `task/dataset/split/metric` keys, and saves/loads (config JSON + safetensors, non-strict loading for a
 * stage-2 start from a checkpoint with other heads).
 *
 * @example
 * ```ts
 * const model = new MultitaskModel([rteTask, mrpcTask]);
 * const metrics = model.score([rteValid, mrpcValid]); // { 'RTE/RTE/valid/accuracy': 0.61, … }
 * ```
 */
export class MultitaskModel {
  private readonly taskMap = new Map<string, Task>();
  private readonly moduleMap = new Map<string, Module>();
  private readonly opMap = new Map<string, Operation>();

  constructor(tasks: readonly Task[] = []) {
    for (const t of tasks) this.addTask(t);
  }

  /** Adds a task; its modules join the pool (same name must mean the same module object). */
  addTask(task: Task): this {
    if (this.taskMap.has(task.name))
      throw new MmtlError('E_ARG', `MultitaskModel already has a task '${task.name}'`);
    for (const [name, m] of Object.entries(task.modules)) {
      const have = this.moduleMap.get(name);
      if (have && have !== m) {
        throw new MmtlError(
          'E_ARG',
          `Task '${task.name}' has a module '${name}' that differs from the pool's module of that name`,
          {
            hint: 'share a module by passing the same object, or give the task its own module name',
          },
        );
      }
    }
    for (const op of task.ops) {
      const have = this.opMap.get(op.name);
      if (have && (have.module !== op.module || JSON.stringify(have.inputs) !== JSON.stringify(op.inputs))) {
        throw new MmtlError(
          'E_ARG',
          `Task '${task.name}' defines op '${op.name}' differently from an existing task`,
        );
      }
    }
    for (const [name, m] of Object.entries(task.modules)) this.moduleMap.set(name, m);
    for (const op of task.ops) this.opMap.set(op.name, op);
    this.taskMap.set(task.name, task);
    return this;
  }

  /** Removes a task; modules and ops no other task uses leave the pool (they are not disposed). */
  removeTask(name: string): Task {
    const task = this.task(name);
    this.taskMap.delete(name);
    const usedModules = new Set<string>();
    const usedOps = new Set<string>();
    for (const t of this.taskMap.values()) {
      for (const m of Object.keys(t.modules)) usedModules.add(m);
      for (const o of t.ops) usedOps.add(o.name);
    }
    for (const m of Object.keys(task.modules)) if (!usedModules.has(m)) this.moduleMap.delete(m);
    for (const o of task.ops) if (!usedOps.has(o.name)) this.opMap.delete(o.name);
    return task;
  }

  /** The task `name`; E_UNKNOWN listing the tasks when absent. */
  task(name: string): Task {
    const t = this.taskMap.get(name);
    if (!t)
      throw new MmtlError(
        'E_UNKNOWN',
        `unknown task '${name}'; expected one of ${this.taskNames().join(', ')}`,
      );
    return t;
  }

  /** Task names in insertion order. */
  taskNames(): string[] {
    return [...this.taskMap.keys()];
  }

  /** The module pool by name. */
  get modules(): ReadonlyMap<string, Module> {
    return this.moduleMap;
  }

  /** Every parameter as `<module>.<param>`. */
  namedParameters(): Map<string, Tensor> {
    const out = new Map<string, Tensor>();
    for (const [name, m] of this.moduleMap) for (const [k, p] of m.namedParameters(name)) out.set(k, p);
    return out;
  }

  /** Every parameter (each once, even when shared). */
  parameters(): Tensor[] {
    return [...new Set(this.namedParameters().values())];
  }

  /** Parameters that record gradients. */
  trainableParameters(): Tensor[] {
    return this.parameters().filter((p) => p.requiresGrad);
  }

  /** Training mode on every module. */
  train(on = true): this {
    for (const m of this.moduleMap.values()) m.train(on);
    return this;
  }

  /** Evaluation mode on every module. */
  eval(): this {
    return this.train(false);
  }

  /** Whether the model is in training mode. */
  get training(): boolean {
    return [...this.moduleMap.values()].some((m) => m.training);
  }

  /** Runs the op graphs of `tasks` on a batch (shared ops once) → head outputs by task. */
  forward(batch: Batch, tasks: readonly string[] = this.taskNames()): Map<string, Tensor> {
    const cache = new Map<string, unknown>();
    const resolve = (ref: InputRef, task: Task): unknown => {
      if (typeof ref === 'string' && ref.startsWith('_input_.')) {
        const field = ref.slice('_input_.'.length);
        const v = batch.inputs[field];
        if (!v) {
          throw new MmtlError(
            'E_DATA',
            `Task '${task.name}' reads batch field '${field}', which the batch lacks (has ${Object.keys(batch.inputs).join(', ')})`,
          );
        }
        return v;
      }
      const [op, key] = typeof ref === 'string' ? [ref, undefined] : ref;
      const out = cache.get(op);
      if (key === undefined) return out;
      const v = (out as Record<string, unknown> | undefined)?.[key];
      if (v === undefined)
        throw new MmtlError('E_DATA', `Task '${task.name}': op '${op}' has no output key '${key}'`);
      return v;
    };
    const outputs = new Map<string, Tensor>();
    for (const name of tasks) {
      const task = this.task(name);
      for (const op of task.ops) {
        if (cache.has(op.name)) continue;
        cache.set(
          op.name,
          callModule(
            this.moduleMap.get(op.module)!,
            op.inputs.map((r) => resolve(r, task)),
          ),
        );
      }
      outputs.set(name, resolve(task.output, task) as Tensor);
    }
    return outputs;
  }

  /**
   * Losses of one batch of `payload`: each label set's task loss over its supervised rows, times the task's
   * loss weight (or `taskWeights[task]` when given); label sets without a supervised row in this batch are
   * skipped (and their tasks not run).
   */
  calculateLoss(
    batch: Batch,
    payload: Payload,
    taskWeights: Readonly<Record<string, number>> = {},
  ): BatchLoss {
    const active: [string, string, LabelSet, Uint8Array, number][] = [];
    for (const [labelSet, taskName] of payload.labelsToTasks) {
      const y = payload.dataset.labelSet(labelSet);
      checkLabelKind(this.task(taskName).type, y.kind, taskName, labelSet);
      const a = activeRows(y, batch.rows);
      const count = a.reduce((s, v) => s + v, 0);
      if (count > 0) active.push([labelSet, taskName, y, a, count]);
    }
    const parts = new Map<string, { loss: Tensor; count: number }>();
    if (active.length === 0) return { total: null, parts };
    const outputs = this.forward(batch, [...new Set(active.map((x) => x[1]))]);
    let total: Tensor | null = null;
    const many = new Set(active.map((x) => x[1])).size < active.length;
    for (const [labelSet, taskName, y, a, count] of active) {
      const task = this.task(taskName);
      const labels = batch.labels[labelSet];
      if (!labels) throw new MmtlError('E_DATA', `batch lacks label set '${labelSet}'`);
      const loss = TASK_TYPES.get(task.type).loss(outputs.get(taskName)!, labels, y.kind, activeIndex(a));
      const key = `${many ? `${taskName}@${labelSet}` : taskName}/${payload.dataset.name}/${payload.split}/loss`;
      parts.set(key, { loss, count });
      const w = taskWeights[taskName] ?? task.lossWeight;
      const weighted = w === 1 ? loss : loss.mul(w);
      total = total === null ? weighted : total.add(weighted);
    }
    return { total, parts };
  }

  /** Predictions of `tasks` (default: the payload's) on every row of a payload, in eval mode without gradients. */
  predict(
    payload: Payload,
    options: { tasks?: readonly string[]; tiePolicy?: TiePolicy } = {},
  ): Map<string, TaskPredictions> {
    const tasks = options.tasks ?? payload.tasks;
    const wasTraining = this.training;
    this.eval();
    const chunks = new Map<string, { probs: Float32Array[]; k: number }>(
      tasks.map((t) => [t, { probs: [], k: 0 }]),
    );
    const n = payload.dataset.size;
    try {
      for (let s = 0; s < n; s += payload.batchSize) {
        const rows = Int32Array.from({ length: Math.min(payload.batchSize, n - s) }, (_, i) => s + i);
        tidy(() =>
          noGrad(() => {
            const batch = collate(payload.dataset, rows, []);
            const out = this.forward(batch, tasks);
            for (const t of tasks) {
              const task = this.task(t);
              const probs = TASK_TYPES.get(task.type).output(out.get(t)!);
              const c = chunks.get(t)!;
              if (task.type === 'token') {
                const [B, T, k] = probs.shape as [number, number, number];
                const data = probs.data<'float32'>();
                const seqField = this.tokenField(payload, t);
                for (let b = 0; b < B; b++) {
                  const r = rows[b]!;
                  const len = seqField.offsets[r + 1]! - seqField.offsets[r]!;
                  c.probs.push(data.slice(b * T * k, (b * T + len) * k));
                }
                c.k = k;
              } else {
                c.probs.push(probs.data<'float32'>());
                c.k = probs.rank === 1 ? 1 : probs.shape[1]!;
              }
            }
          }),
        );
      }
    } finally {
      this.train(wasTraining);
    }
    const result = new Map<string, TaskPredictions>();
    for (const t of tasks) {
      const { probs: parts, k } = chunks.get(t)!;
      const probs = concat(parts);
      const type = this.task(t).type;
      const preds =
        type === 'regression'
          ? probs
          : type === 'multilabel'
            ? Int32Array.from(probs, (p) => (p >= 0.5 ? 1 : 0))
            : predsFromProbs(probs, k, options.tiePolicy);
      const golds = new Map<string, Int32Array | Float32Array>();
      for (const [labelSet, task] of payload.labelsToTasks)
        if (task === t) golds.set(labelSet, goldsOf(payload.dataset.labelSet(labelSet)));
      result.set(t, { probs, preds, golds, k });
    }
    return result;
  }

  private tokenField(payload: Payload, task: string): { offsets: Int32Array } {
    for (const [labelSet, t] of payload.labelsToTasks) {
      const y = payload.dataset.labelSet(labelSet);
      if (t === task && y.kind === 'token')
        return payload.dataset.inputs[y.alignedWith] as { offsets: Int32Array };
    }
    throw new MmtlError('E_DATA', `payload '${payload.name}' has no token label set for task '${task}'`);
  }

  /**
   * Scores payloads with each task's metrics → `task/dataset/split/metric` (a task fed by several label sets
   * in one payload gets `task@labelSet/…`). Label sets that are soft (no hard gold) are skipped.
   */
  score(payloads: readonly Payload[], options: { tiePolicy?: TiePolicy } = {}): Record<string, number> {
    const out: Record<string, number> = {};
    for (const p of payloads) {
      const preds = this.predict(p, options);
      for (const [taskName, pr] of preds) {
        const task = this.task(taskName);
        const scorer = new Scorer({ metrics: [...task.metrics] });
        const many = pr.golds.size > 1;
        for (const [labelSet, golds] of pr.golds) {
          if (p.dataset.labelSet(labelSet).kind === 'soft') continue;
          const scores = scorer.score(
            golds,
            pr.preds,
            task.type === 'regression' ? undefined : pr.k === 2 ? everyOther(pr.probs) : pr.probs,
          );
          for (const [metric, v] of Object.entries(scores)) {
            out[`${many ? `${taskName}@${labelSet}` : taskName}/${p.dataset.name}/${p.split}/${metric}`] = v;
          }
        }
      }
    }
    return out;
  }

  /** Config (module pool + tasks) as plain JSON. */
  toConfig(): MultitaskModelConfig {
    const modules: Record<string, ModuleConfig> = {};
    for (const [name, m] of this.moduleMap) modules[name] = m.toConfig();
    const tasks = [...this.taskMap.values()].map((t) => ({
      name: t.name,
      type: t.type,
      cardinality: t.cardinality,
      ops: t.ops.map((o) => ({ ...o, inputs: [...o.inputs] })),
      output: t.output,
      metrics: [...t.metrics],
      lossWeight: t.lossWeight,
    }));
    return { modules, tasks };
  }

  /** Rebuilds a model (fresh weights) from {@link toConfig} output. */
  static fromConfig(config: MultitaskModelConfig): MultitaskModel {
    const pool = new Map<string, Module>();
    for (const [name, c] of Object.entries(config.modules)) pool.set(name, moduleFromConfig(c));
    const model = new MultitaskModel();
    for (const t of config.tasks) {
      const modules: Record<string, Module> = {};
      for (const op of t.ops) {
        const m = pool.get(op.module);
        if (m === undefined) {
          throw new MmtlError(
            'E_CONFIG',
            `Argument 'config' passed to 'MultitaskModel.fromConfig': task '${t.name}' uses module '${op.module}', which 'modules' does not define; expected one of ${[...pool.keys()].join(', ')}`,
            { hint: 'a config read from a file that was changed or damaged; save the model again' },
          );
        }
        modules[op.module] = m;
      }
      model.addTask(new Task({ ...t, modules }));
    }
    return model;
  }

  /** The weights by `<module>.<param>` (the model's own tensors). */
  stateDict(): Map<string, Tensor> {
    return this.namedParameters();
  }

  /** Loads weights by `<module>.<param>`; `strict: false` ignores other heads (stage-2 starts). */
  loadStateDict(
    state: ReadonlyMap<string, Tensor>,
    options: { strict?: boolean } = {},
  ): { missing: string[]; unexpected: string[] } {
    const missing: string[] = [];
    const used = new Set<string>();
    for (const [name, m] of this.moduleMap) {
      const sub = new Map<string, Tensor>();
      for (const [k, v] of state) {
        if (k.startsWith(`${name}.`)) {
          sub.set(k.slice(name.length + 1), v);
          used.add(k);
        }
      }
      const r = m.loadStateDict(sub, { strict: false });
      missing.push(...r.missing.map((k) => `${name}.${k}`));
    }
    const unexpected = [...state.keys()].filter((k) => !used.has(k));
    if ((options.strict ?? true) && (missing.length > 0 || unexpected.length > 0)) {
      throw new MmtlError(
        'E_CHECKPOINT',
        `weights do not match the model: missing [${missing.join(', ')}], unexpected [${unexpected.join(', ')}]`,
        {
          hint:
            unexpected.length > 0
              ? 'the file holds names this model lacks: it belongs to another model, or it was changed or damaged ' +
                'after it was saved; pass { strict: false } only to load a partial state on purpose (another head)'
              : 'pass { strict: false } to load a partial state (e.g. a stage-1 checkpoint with other heads)',
          details: { missing, unexpected },
        },
      );
    }
    return { missing, unexpected };
  }

  /** Frees every module's parameters; the model cannot be used afterwards. */
  dispose(): void {
    for (const m of this.moduleMap.values()) m.dispose();
  }

  /** Writes the weights to a .safetensors file (atomically), with the config in its metadata. */
  async save(path: string): Promise<void> {
    await saveSafetensors(path, this.stateDict(), { [MODEL_METADATA_KEY]: JSON.stringify(this.toConfig()) });
  }

  /** Loads weights from safetensors bytes (`source` names them in errors); `strict` as {@link loadStateDict}. */
  loadSafetensorsBytes(
    bytes: Uint8Array,
    source = 'weights',
    options: { strict?: boolean } = {},
  ): { missing: string[]; unexpected: string[] } {
    const state = new Map(
      [...parseSafetensors(bytes, source).entries].map(([k, e]) => [k, entryToTensor(e)] as const),
    );
    try {
      return this.loadStateDict(state, options);
    } finally {
      for (const t of state.values()) t.dispose();
    }
  }

  /**
   * Rebuilds a model from safetensors bytes: the architecture from `config`, or from the metadata {@link save}
   * writes; then every weight (strict).
   *
   * @example
   * ```ts
   * const copy = MultitaskModel.fromSafetensors(await readFile('m.safetensors'), 'm.safetensors');
   * ```
   */
  static fromSafetensors(
    bytes: Uint8Array,
    source = 'weights',
    config?: MultitaskModelConfig,
  ): MultitaskModel {
    let cfg = config;
    if (cfg === undefined) {
      const json = parseSafetensors(bytes, source).metadata[MODEL_METADATA_KEY];
      if (json === undefined) {
        throw new MmtlError('E_CHECKPOINT', `'${source}' has no '${MODEL_METADATA_KEY}' metadata`, {
          hint: 'save models with MultitaskModel.save, which stores the config beside the weights',
        });
      }
      try {
        cfg = JSON.parse(json) as MultitaskModelConfig;
      } catch (e) {
        throw new MmtlError('E_CHECKPOINT', `'${source}': metadata '${MODEL_METADATA_KEY}' is not JSON`, {
          cause: e,
        });
      }
    }
    const model = MultitaskModel.fromConfig(cfg);
    try {
      model.loadSafetensorsBytes(bytes, source);
    } catch (e) {
      model.dispose();
      throw e;
    }
    return model;
  }

  /** Loads weights from {@link save} output (or any safetensors with matching names). */
  async load(
    path: string,
    options: { strict?: boolean } = {},
  ): Promise<{ missing: string[]; unexpected: string[] }> {
    let bytes: Uint8Array;
    try {
      bytes = await readFile(path);
    } catch (e) {
      throw new MmtlError('E_IO', `could not read '${path}': ${(e as Error).message}`, { cause: e });
    }
    return this.loadSafetensorsBytes(bytes, path, options);
  }
}

function concat(parts: Float32Array[]): Float32Array {
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

function everyOther(probs: Float32Array): Float32Array {
  // binary tasks: the positive-class probability column, as ROC-AUC expects
  const out = new Float32Array(probs.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = probs[2 * i + 1]!;
  return out;
}

function goldsOf(y: LabelSet): Int32Array | Float32Array {
  switch (y.kind) {
    case 'class':
    case 'regression':
      return y.values;
    case 'token':
      return y.values;
    case 'multilabel':
      return Int32Array.from(y.values);
    case 'soft':
      return predsFromProbs(y.values, y.cardinality);
  }
}
