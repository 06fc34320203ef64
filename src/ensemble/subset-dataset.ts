/** Row subsets of a Dataset: dense fields sliced, ragged fields re-offset, label sets likewise. */
import { MmtlError } from '../core/index.js';
import { Dataset, type Field, type LabelSet } from '../tasks/index.js';
import type { TypedArray } from '../tensor/index.js';

/** The typed-array methods row slicing needs, shared by every TypedArray. */
interface RowArray {
  subarray(begin: number, end: number): RowArray;
  set(source: RowArray, offset: number): void;
}

function takeRows<T extends TypedArray>(values: T, rowSize: number, rows: ArrayLike<number>): T {
  const ctor = values.constructor as new (n: number) => T;
  const out = new ctor(rows.length * rowSize);
  const src = values as unknown as RowArray;
  const dst = out as unknown as RowArray;
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    dst.set(src.subarray(r * rowSize, (r + 1) * rowSize), i * rowSize);
  }
  return out;
}

function takeRagged(
  values: Int32Array,
  offsets: Int32Array,
  rows: ArrayLike<number>,
): { values: Int32Array; offsets: Int32Array } {
  const newOffsets = new Int32Array(rows.length + 1);
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    newOffsets[i + 1] = newOffsets[i]! + offsets[r + 1]! - offsets[r]!;
  }
  const out = new Int32Array(newOffsets[rows.length]!);
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    out.set(values.subarray(offsets[r], offsets[r + 1]), newOffsets[i]);
  }
  return { values: out, offsets: newOffsets };
}

function subsetField(f: Field, rows: ArrayLike<number>): Field {
  if (f.kind === 'sequence') return { ...f, ...takeRagged(f.values, f.offsets, rows) };
  const rowSize = f.shape.slice(1).reduce((a, b) => a * b, 1);
  return {
    kind: 'dense',
    values: takeRows(f.values, rowSize, rows),
    shape: [rows.length, ...f.shape.slice(1)],
  };
}

function subsetLabels(y: LabelSet, rows: ArrayLike<number>): LabelSet {
  switch (y.kind) {
    case 'class':
      return { ...y, values: takeRows(y.values, 1, rows) };
    case 'regression':
      return { ...y, values: takeRows(y.values, 1, rows) };
    case 'soft':
      return { ...y, values: takeRows(y.values, y.cardinality, rows) };
    case 'multilabel':
      return { ...y, values: takeRows(y.values, y.cardinality, rows) };
    case 'token':
      return { ...y, ...takeRagged(y.values, y.offsets, rows) };
  }
}

/**
 * A new {@link Dataset} holding rows `rows` of `ds` (in that order; repeats allowed) with the same name,
 * fields and label sets, and the matching row ids. Dense fields and label sets are sliced row by row, ragged
 * fields (token ids, token labels) re-offset.
 *
 * @example
 * ```ts
 * const ds = new Dataset({ name: 'toy', inputs: { tokens: sequenceField([[1, 2], [3], [4, 5, 6]]) } });
 * const sub = subsetDataset(ds, [2, 0]);
 * sub.rowIds; // ['2', '0']
 * sub.inputs.tokens; // { kind: 'sequence', values: Int32Array [4, 5, 6, 1, 2], offsets: Int32Array [0, 3, 5], … }
 * ```
 */
export function subsetDataset(ds: Dataset, rows: ArrayLike<number>, name: string = ds.name): Dataset {
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    if (!Number.isInteger(r) || r < 0 || r >= ds.size) {
      throw new MmtlError(
        'E_ARG',
        `Argument 'rows' passed to 'subsetDataset' has row ${r} at position ${i}, expected an integer in 0..${ds.size - 1}`,
      );
    }
  }
  const inputs: Record<string, Field> = {};
  for (const [k, f] of Object.entries(ds.inputs)) inputs[k] = subsetField(f, rows);
  const labels: Record<string, LabelSet> = {};
  for (const k of ds.labelSetNames()) labels[k] = subsetLabels(ds.labelSet(k), rows);
  return new Dataset({ name, inputs, labels, rowIds: Array.from(rows, (r) => ds.rowIds[r]!) });
}
