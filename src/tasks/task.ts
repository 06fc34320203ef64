import { assert, MmtlError } from '../core/index.js';
import type { Module } from '../nn/index.js';
import { TASK_TYPES } from './task-types.js';

/**
 * Where an operation reads an input from:
 * - `'_input_.<field>'`: a field of the batch (`'_input_.tokens'`, `'_input_.tokens_lengths'`);
 * - `'<op>'`: the whole output of an earlier operation;
 * - `['<op>', '<key>']`: one key of an earlier operation's object output (`['encoder', 'pooled']`).
 */
export type InputRef = string | readonly [string, string];

/** One step of a task's op graph: run module `module` on `inputs`, store the result under `name`. */
export interface Operation {
  /** Output name; operations with the same name in several tasks are computed once per batch. */
  name: string;
  /** Module name in the task's module pool. */
  module: string;
  /** Positional inputs of the module's forward. */
  inputs: readonly InputRef[];
}

/** What a {@link Task} is made from. */
export interface TaskInit {
  /** Task name (the `task` part of metric keys). */
  name: string;
  /** Task type: classification, regression, multilabel or token (see TASK_TYPES). */
  type: string;
  /** Number of classes (1 for regression). */
  cardinality: number;
  /** Modules by name; modules shared between tasks must have the same name and be the same object. */
  modules: Record<string, Module>;
  /** The op graph in execution order; the last op (or `output`) is the head. */
  ops: readonly Operation[];
  /** The op (or op key) whose output is the head's logits (default: the last op). */
  output?: InputRef;
  /** Metric names for scoring (default: the task type's). */
  metrics?: readonly string[];
  /** Multiplier of this task's loss (default 1). */
  lossWeight?: number;
}

/**
 * A task: a named op graph over a module pool, ending in a head, with its type (loss and output), metrics
 * and loss weight. Tasks sharing an encoder name the same module (and op) so it runs once per batch.
 *
 * @example
 * ```ts
 * const encoder = new BiLSTM({ inputSize: 100, hiddenSize: 64 });
 * const rte = new Task({
 *   name: 'RTE', type: 'classification', cardinality: 2,
 *   modules: { embed, encoder, RTE_head: new Linear(128, 2) },
 *   ops: [
 *     { name: 'embed', module: 'embed', inputs: ['_input_.tokens'] },
 *     { name: 'encoder', module: 'encoder', inputs: ['embed', '_input_.tokens_lengths'] },
 *     { name: 'RTE_head', module: 'RTE_head', inputs: [['encoder', 'pooled']] },
 *   ],
 * });
 * ```
 */
export class Task {
  readonly name: string;
  readonly type: string;
  readonly cardinality: number;
  readonly modules: Readonly<Record<string, Module>>;
  readonly ops: readonly Operation[];
  readonly output: InputRef;
  readonly metrics: readonly string[];
  readonly lossWeight: number;

  constructor(init: TaskInit) {
    const type = TASK_TYPES.get(init.type);
    assert(init.ops.length > 0, 'E_ARG', () => `Argument 'ops' passed to 'Task' (${init.name}) is empty`);
    assert(
      Number.isInteger(init.cardinality) && init.cardinality >= 1,
      'E_ARG',
      () =>
        `Argument 'cardinality' passed to 'Task' (${init.name}) must be a positive integer, got ${init.cardinality}`,
    );
    const seen = new Set<string>();
    for (const op of init.ops) {
      if (!(op.module in init.modules)) {
        throw new MmtlError(
          'E_ARG',
          `Task '${init.name}': op '${op.name}' uses module '${op.module}', which is not in its modules (${Object.keys(init.modules).join(', ')})`,
        );
      }
      for (const ref of op.inputs) {
        const src = typeof ref === 'string' ? ref : ref[0];
        if (!src.startsWith('_input_.') && !seen.has(src)) {
          throw new MmtlError(
            'E_ARG',
            `Task '${init.name}': op '${op.name}' reads '${src}', which no earlier op produces`,
          );
        }
      }
      if (seen.has(op.name))
        throw new MmtlError('E_ARG', `Task '${init.name}': op name '${op.name}' is used twice`);
      seen.add(op.name);
    }
    this.name = init.name;
    this.type = init.type;
    this.cardinality = init.cardinality;
    this.modules = { ...init.modules };
    this.ops = init.ops.map((o) => ({ ...o, inputs: [...o.inputs] }));
    this.output = init.output ?? init.ops[init.ops.length - 1]!.name;
    this.metrics = [...(init.metrics ?? type.defaultMetrics)];
    this.lossWeight = init.lossWeight ?? 1;
  }
}

/** One link of a {@link chainTask}: a named module fed by the previous link (or by batch fields). */
export interface ChainLink {
  /** Module (and op) name; reuse a name across tasks to share the module. */
  name: string;
  module: Module;
  /** Which key of the previous link's object output to read (e.g. 'pooled'); default: the whole output. */
  inputKey?: string;
}

/**
 * MeTaL's input → middle → (attention) → head chain as a {@link Task}: the first link reads the batch fields
 * `fields`, every later link reads the previous link's output.
 *
 * @example
 * ```ts
 * const task = chainTask({
 *   name: 'SST2', type: 'classification', cardinality: 2, fields: ['tokens', 'tokens_lengths'],
 *   chain: [{ name: 'encoder', module: encoder }, { name: 'SST2_head', module: head, inputKey: 'pooled' }],
 * });
 * ```
 */
export function chainTask(
  init: Omit<TaskInit, 'modules' | 'ops' | 'output'> & {
    fields: readonly string[];
    chain: readonly ChainLink[];
  },
): Task {
  const modules: Record<string, Module> = {};
  const ops: Operation[] = [];
  init.chain.forEach((link, i) => {
    modules[link.name] = link.module;
    const prev = init.chain[i - 1];
    const inputs: InputRef[] =
      i === 0
        ? init.fields.map((f) => `_input_.${f}`)
        : [link.inputKey === undefined ? prev!.name : [prev!.name, link.inputKey]];
    ops.push({ name: link.name, module: link.name, inputs });
  });
  const { fields: _f, chain: _c, ...rest } = init;
  return new Task({ ...rest, modules, ops });
}
