/** Finding a task's head: the op that produces its output, the module it runs and what it reads. */
import { MmtlError } from '../core/index.js';
import type { Module } from '../nn/index.js';
import type { Operation, Task } from '../tasks/index.js';

/** A task split into its body ops and its head op. */
export interface TaskHead {
  /** The ops before the head, in order (the shared body). */
  body: Operation[];
  /** The head op (the one producing the task's output). */
  op: Operation;
  /** The head module. */
  module: Module;
  /** The output key of the head op, when the task's output is `[op, key]`. */
  key: string | undefined;
}

/**
 * Splits `task` into body and head: the head is the op named by the task's output, and must be the last op
 * (ops after the output would have no effect). `fn` names the caller in errors.
 *
 * @example
 * ```ts
 * const { body, op, module } = taskHead(task, 'addSliceHeads');
 * op.name;        // 'side_head'
 * body.length;    // 1 ('body')
 * ```
 */
export function taskHead(task: Task, fn: string): TaskHead {
  const [name, key] = typeof task.output === 'string' ? [task.output, undefined] : task.output;
  const last = task.ops[task.ops.length - 1]!;
  if (last.name !== name) {
    throw new MmtlError(
      'E_ARG',
      `Argument 'baseTask' passed to '${fn}': task '${task.name}' outputs op '${name}', which is not its last op ('${last.name}')`,
      { hint: 'slicing copies the head op, so it must be the last op of the task' },
    );
  }
  return { body: task.ops.slice(0, -1), op: last, module: task.modules[last.module]!, key };
}

/**
 * The modules the given ops use, by name, taken from `task`.
 *
 * @example
 * ```ts
 * Object.keys(modulesOf(task, taskHead(task, 'f').body)); // ['body']
 * ```
 */
export function modulesOf(task: Task, ops: readonly Operation[]): Record<string, Module> {
  const out: Record<string, Module> = {};
  for (const op of ops) out[op.module] = task.modules[op.module]!;
  return out;
}
