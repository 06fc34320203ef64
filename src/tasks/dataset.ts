import { assert, MmtlError } from '../core/index.js';
import type { TypedArray } from '../tensor/index.js';

/**
 * An input field of a dataset, stored column-wise on typed arrays.
 * - `dense`: fixed-shape rows; `shape[0]` is the row count (e.g. features [N, 2], GloVe ids [N, T]).
 * - `sequence`: ragged integer rows (token ids), padded per batch to the longest row in the batch; the batch
 *   also gets `<name>_lengths` [B] (int64) and `<name>_mask` [B, T] (float32, 1 = token, 0 = padding).
 */
export type Field =
  | { kind: 'dense'; values: TypedArray; shape: readonly number[] }
  | { kind: 'sequence'; values: Int32Array; offsets: Int32Array; padValue?: number };

/**
 * A label set: one supervision signal for the rows of a dataset. Missing / abstained rows never count in a
 * loss or a metric.
 * - `class`: class indices 0..k-1, -1 = abstain.
 * - `soft`: class probabilities [N, k] row-major (a label model's predictProba); a row of zeros = missing.
 * - `regression`: real targets; NaN = missing.
 * - `multilabel`: [N, k] of 0/1, -1 = missing entry.
 * - `token`: ragged per-token classes aligned with the sequence field `alignedWith`; -1 = ignored token.
 */
export type LabelSet =
  | { kind: 'class'; values: Int32Array; cardinality: number }
  | { kind: 'soft'; values: Float32Array; cardinality: number }
  | { kind: 'regression'; values: Float32Array }
  | { kind: 'multilabel'; values: Int8Array; cardinality: number }
  | { kind: 'token'; values: Int32Array; offsets: Int32Array; cardinality: number; alignedWith: string };

/** The row count a field or label set describes. */
export function rowCount(x: Field | LabelSet): number {
  switch (x.kind) {
    case 'dense':
      return x.shape[0] ?? 0;
    case 'sequence':
    case 'token':
      return x.offsets.length - 1;
    case 'class':
    case 'regression':
      return x.values.length;
    case 'soft':
    case 'multilabel':
      return x.values.length / x.cardinality;
  }
}

/**
 * Builds a ragged sequence field from arrays of token ids.
 *
 * @example
 * ```ts
 * const f = sequenceField([[5, 6, 7], [8]]); // offsets [0, 3, 4]
 * ```
 */
export function sequenceField(
  rows: readonly ArrayLike<number>[],
  padValue = 0,
): Field & { kind: 'sequence' } {
  const offsets = new Int32Array(rows.length + 1);
  for (let i = 0; i < rows.length; i++) offsets[i + 1] = offsets[i]! + rows[i]!.length;
  const values = new Int32Array(offsets[rows.length]!);
  for (let i = 0; i < rows.length; i++) values.set(Array.from(rows[i]!), offsets[i]);
  return { kind: 'sequence', values, offsets, padValue };
}

/**
 * Builds a token label set aligned with a sequence field.
 *
 * @example
 * ```ts
 * const y = tokenLabels([[0, 2, -1], [1]], 3, 'tokens');
 * ```
 */
export function tokenLabels(
  rows: readonly ArrayLike<number>[],
  cardinality: number,
  alignedWith: string,
): LabelSet & { kind: 'token' } {
  const seq = sequenceField(rows);
  return { kind: 'token', values: seq.values, offsets: seq.offsets, cardinality, alignedWith };
}

/** What a {@link Dataset} is made from. */
export interface DatasetInit {
  /** Dataset name (the `dataset` part of metric keys). */
  name: string;
  /** Input fields by name. */
  inputs: Record<string, Field>;
  /** Label sets by name (may be empty and added later). */
  labels?: Record<string, LabelSet>;
  /** Row ids (default: "0".."N-1"). */
  rowIds?: readonly string[];
}

/**
 * Inputs and label sets for the same rows: a dict of input fields plus a dict of label sets, with row ids.
 * Label sets can be added and removed later (MeTaL's add_labelset), e.g. weak labels beside gold labels.
 *
 * @example
 * ```ts
 * const ds = new Dataset({
 *   name: 'toy',
 *   inputs: { x: { kind: 'dense', values: new Float32Array([0, 1, 1, 0]), shape: [2, 2] } },
 *   labels: { gold: { kind: 'class', values: new Int32Array([1, -1]), cardinality: 2 } },
 * });
 * ds.size; // 2
 * ```
 */
export class Dataset {
  readonly name: string;
  readonly size: number;
  readonly inputs: Readonly<Record<string, Field>>;
  private readonly labelSets = new Map<string, LabelSet>();
  readonly rowIds: readonly string[];

  constructor(init: DatasetInit) {
    this.name = init.name;
    const names = Object.keys(init.inputs);
    assert(
      names.length > 0,
      'E_ARG',
      () => `Argument 'inputs' passed to 'Dataset' (${init.name}) has no fields`,
    );
    this.size = rowCount(init.inputs[names[0]!]!);
    for (const [name, f] of Object.entries(init.inputs)) this.checkRows(`input '${name}'`, rowCount(f));
    this.inputs = { ...init.inputs };
    for (const [name, y] of Object.entries(init.labels ?? {})) this.addLabelSet(name, y);
    this.rowIds = init.rowIds ? [...init.rowIds] : Array.from({ length: this.size }, (_, i) => String(i));
    this.checkRows('rowIds', this.rowIds.length);
  }

  private checkRows(what: string, n: number): void {
    if (n !== this.size) {
      throw new MmtlError('E_DATA', `Dataset '${this.name}': ${what} has ${n} rows, expected ${this.size}`);
    }
  }

  /** Adds (or replaces) a label set. Token label sets must match their sequence field's lengths. */
  addLabelSet(name: string, labels: LabelSet): this {
    this.checkRows(`label set '${name}'`, rowCount(labels));
    if (labels.kind === 'token') {
      const f = this.inputs[labels.alignedWith];
      if (f?.kind !== 'sequence') {
        throw new MmtlError(
          'E_DATA',
          `Dataset '${this.name}': token label set '${name}' is aligned with '${labels.alignedWith}', which is not a sequence field`,
        );
      }
      for (let i = 0; i < this.size; i++) {
        if (labels.offsets[i + 1]! - labels.offsets[i]! !== f.offsets[i + 1]! - f.offsets[i]!) {
          throw new MmtlError(
            'E_DATA',
            `Dataset '${this.name}': token labels '${name}' row ${i} length differs from its tokens`,
          );
        }
      }
    }
    this.labelSets.set(name, labels);
    return this;
  }

  /** Removes a label set; returns whether it existed. */
  removeLabelSet(name: string): boolean {
    return this.labelSets.delete(name);
  }

  /** The label set `name`; throws E_UNKNOWN listing the names when absent. */
  labelSet(name: string): LabelSet {
    const y = this.labelSets.get(name);
    if (!y) {
      throw new MmtlError(
        'E_UNKNOWN',
        `Dataset '${this.name}' has no label set '${name}'; expected one of ${[...this.labelSets.keys()].join(', ') || '(none)'}`,
      );
    }
    return y;
  }

  /** Names of the label sets. */
  labelSetNames(): string[] {
    return [...this.labelSets.keys()];
  }
}
