/** One ensemble member's outputs for a set of rows, and their alignment with other members by row id. */
import { MmtlError } from '../core/index.js';
import type { MultitaskModel, Payload, TiePolicy } from '../tasks/index.js';

/** The output kind an ensemble combines: class probabilities or regression values. */
export type EnsembleOutputType = 'classification' | 'regression';

/**
 * What one member says about a set of rows: class probabilities [n, k] row-major (classification) or one
 * value per row (regression, k = 1), keyed by row id. Precomputed members are plain objects of this shape.
 */
export interface MemberOutputs {
  /** Row ids, one per row; members are aligned by these, not by position. */
  rowIds: readonly string[];
  /** Probabilities [n, k] row-major, or the regression values [n]. */
  probs: Float32Array;
  /** Columns of `probs` (1 for regression). */
  k: number;
  /** Classification or regression. */
  type: EnsembleOutputType;
}

/** Task types of {@link MultitaskModel} an ensemble can combine, by the output type they give. */
const OUTPUT_TYPES: Readonly<Record<string, EnsembleOutputType>> = {
  classification: 'classification',
  regression: 'regression',
};

/**
 * Runs `model` on its own `payload` and returns its outputs for task `task` keyed by the payload's row ids.
 * Members with different tokenizations each get their own payload over the same row ids.
 *
 * @example
 * ```ts
 * const out = memberOutputs(model, devPayload, 'SST2');
 * out.k; // 2
 * out.rowIds.slice(0, 2); // ['0', '1']
 * ```
 */
export function memberOutputs(
  model: MultitaskModel,
  payload: Payload,
  task: string,
  options: { tiePolicy?: TiePolicy } = {},
): MemberOutputs {
  const type = OUTPUT_TYPES[model.task(task).type];
  if (type === undefined) {
    throw new MmtlError(
      'E_ARG',
      `Argument 'task' passed to 'memberOutputs' is '${task}' of type '${model.task(task).type}'; ensembles combine ${Object.keys(OUTPUT_TYPES).join(', ')} tasks`,
    );
  }
  const pred = model.predict(payload, { tasks: [task], ...options }).get(task)!;
  return { rowIds: payload.dataset.rowIds, probs: pred.probs, k: pred.k, type };
}

/** Checks one member's outputs: shape, type and unique row ids. */
export function checkMemberOutputs(out: MemberOutputs, what: string, fn: string): void {
  if (!Number.isInteger(out.k) || out.k < 1 || out.probs.length !== out.rowIds.length * out.k) {
    throw new MmtlError(
      'E_SHAPE',
      `Argument '${what}' passed to '${fn}' has ${out.probs.length} probabilities for ${out.rowIds.length} rows and k=${out.k}`,
    );
  }
  if (out.type === 'regression' && out.k !== 1) {
    throw new MmtlError(
      'E_SHAPE',
      `Argument '${what}' passed to '${fn}' is regression with k=${out.k}, expected 1`,
    );
  }
  if (new Set(out.rowIds).size !== out.rowIds.length) {
    throw new MmtlError('E_DATA', `Argument '${what}' passed to '${fn}' has duplicate row ids`);
  }
}

/**
 * Puts every member's probabilities in the row order of the first member, matching rows by id. Throws
 * E_DATA when a member lacks a row of the first member (or has extra rows), and E_SHAPE when members differ
 * in type or class count.
 *
 * @example
 * ```ts
 * const a = { rowIds: ['r1', 'r2'], probs: Float32Array.of(0.9, 0.1, 0.2, 0.8), k: 2, type: 'classification' } as const;
 * const b = { rowIds: ['r2', 'r1'], probs: Float32Array.of(0.4, 0.6, 0.7, 0.3), k: 2, type: 'classification' } as const;
 * alignMembers([a, b], 'demo')[1]; // Float32Array [0.7, 0.3, 0.4, 0.6]
 * ```
 */
export function alignMembers(outputs: readonly MemberOutputs[], fn: string): Float32Array[] {
  if (outputs.length === 0) throw new MmtlError('E_ARG', `Argument 'outputs' passed to '${fn}' is empty`);
  outputs.forEach((o, i) => checkMemberOutputs(o, `outputs[${i}]`, fn));
  const first = outputs[0]!;
  const position = new Map(first.rowIds.map((id, i) => [id, i]));
  return outputs.map((o, m) => {
    if (o.type !== first.type || o.k !== first.k) {
      throw new MmtlError(
        'E_SHAPE',
        `Argument 'outputs' passed to '${fn}': member ${m} is ${o.type} with k=${o.k}, member 0 is ${first.type} with k=${first.k}`,
      );
    }
    const ids = new Set(o.rowIds);
    const missing = first.rowIds.filter((id) => !ids.has(id));
    const extra = o.rowIds.filter((id) => !position.has(id));
    if (missing.length > 0 || extra.length > 0) {
      throw new MmtlError(
        'E_DATA',
        `Argument 'outputs' passed to '${fn}': member ${m}'s row ids differ from member 0's (missing [${missing.slice(0, 5).join(', ')}${missing.length > 5 ? ', …' : ''}], extra [${extra.slice(0, 5).join(', ')}${extra.length > 5 ? ', …' : ''}])`,
        { hint: 'every member must score the same rows; give each member a payload over the same row ids' },
      );
    }
    if (o.rowIds.every((id, i) => id === first.rowIds[i])) return o.probs;
    const out = new Float32Array(o.probs.length);
    o.rowIds.forEach((id, i) => out.set(o.probs.subarray(i * o.k, (i + 1) * o.k), position.get(id)! * o.k));
    return out;
  });
}
