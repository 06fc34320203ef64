import { gatherRows, tensor, type Tensor, type TypedArray } from '../tensor/index.js';
import type { Dataset, Field, LabelSet } from './dataset.js';

/** One batch as tensors: inputs by field name, labels by label-set name, and the dataset rows it holds. */
export interface Batch {
  /** Input tensors; sequence fields add `<name>_lengths` [B] and `<name>_mask` [B, T]. */
  inputs: Record<string, Tensor>;
  /** Label tensors by label-set name (int64 for class/token, float32 otherwise). */
  labels: Record<string, Tensor>;
  /** Dataset row indices of this batch, in batch order. */
  rows: Int32Array;
}

function isIntegerArray(v: TypedArray): boolean {
  return (
    v instanceof Int32Array || v instanceof Int16Array || v instanceof Int8Array || v instanceof BigInt64Array
  );
}

function padRagged(
  values: Int32Array,
  offsets: Int32Array,
  rows: Int32Array,
  pad: number,
): { padded: Int32Array; lengths: Int32Array; width: number } {
  const lengths = new Int32Array(rows.length);
  let width = 1;
  for (let b = 0; b < rows.length; b++) {
    const r = rows[b]!;
    lengths[b] = offsets[r + 1]! - offsets[r]!;
    width = Math.max(width, lengths[b]!);
  }
  const padded = new Int32Array(rows.length * width).fill(pad);
  for (let b = 0; b < rows.length; b++) {
    const r = rows[b]!;
    padded.set(values.subarray(offsets[r], offsets[r + 1]), b * width);
  }
  return { padded, lengths, width };
}

function collateField(name: string, f: Field, rows: Int32Array, out: Record<string, Tensor>): void {
  if (f.kind === 'dense') {
    const dtype = isIntegerArray(f.values) ? 'int64' : 'float32';
    out[name] = gatherRows(f.values, f.shape.slice(1), rows, { dtype }); // [B, ...]
    return;
  }
  const { padded, lengths, width } = padRagged(f.values, f.offsets, rows, f.padValue ?? 0);
  out[name] = tensor(padded, { shape: [rows.length, width], dtype: 'int64' }); // [B, T]
  out[`${name}_lengths`] = tensor(lengths, { dtype: 'int64' }); // [B]
  const mask = new Float32Array(rows.length * width);
  for (let b = 0; b < rows.length; b++) mask.fill(1, b * width, b * width + lengths[b]!);
  out[`${name}_mask`] = tensor(mask, { shape: [rows.length, width] }); // [B, T]
}

function collateLabels(y: LabelSet, rows: Int32Array): Tensor {
  if (y.kind === 'token') {
    const { padded, width } = padRagged(y.values, y.offsets, rows, -1);
    return tensor(padded, { shape: [rows.length, width], dtype: 'int64' }); // [B, T]
  }
  switch (y.kind) {
    case 'class':
      return gatherRows(y.values, [], rows, { dtype: 'int64' }); // [B]
    case 'regression':
      return gatherRows(y.values, [], rows); // [B]
    case 'soft':
      return gatherRows(y.values, [y.cardinality], rows); // [B, k]
    case 'multilabel':
      return gatherRows(y.values, [y.cardinality], rows, { dtype: 'float32' }); // [B, k]
  }
}

/**
 * Turns dataset rows into a {@link Batch} of tensors (sequence fields padded to the longest row in the
 * batch; token labels padded with -1 to the same length). Dense fields and non-token label sets are one
 * native call each ({@link gatherRows}: the batch's rows copied straight from the dataset's arrays).
 *
 * @example
 * ```ts
 * const batch = collate(ds, new Int32Array([0, 1]), ['gold']);
 * batch.inputs.x.shape; // [2, 2]
 * ```
 */
export function collate(dataset: Dataset, rows: Int32Array, labelSets: readonly string[]): Batch {
  const inputs: Record<string, Tensor> = {};
  for (const [name, f] of Object.entries(dataset.inputs)) collateField(name, f, rows, inputs);
  const labels: Record<string, Tensor> = {};
  for (const name of labelSets) labels[name] = collateLabels(dataset.labelSet(name), rows);
  return { inputs, labels, rows };
}

/** Whether each row of a label set is supervised (not abstained / missing), as 0/1 per row. */
export function activeRows(y: LabelSet, rows: Int32Array): Uint8Array {
  const out = new Uint8Array(rows.length);
  for (let b = 0; b < rows.length; b++) {
    const r = rows[b]!;
    switch (y.kind) {
      case 'class':
        out[b] = y.values[r]! >= 0 ? 1 : 0;
        break;
      case 'regression':
        out[b] = Number.isNaN(y.values[r]!) ? 0 : 1;
        break;
      case 'soft': {
        let s = 0;
        for (let c = 0; c < y.cardinality; c++) s += y.values[r * y.cardinality + c]!;
        out[b] = s > 0 ? 1 : 0;
        break;
      }
      case 'multilabel': {
        let any = 0;
        for (let c = 0; c < y.cardinality; c++) if (y.values[r * y.cardinality + c]! >= 0) any = 1;
        out[b] = any;
        break;
      }
      case 'token': {
        let any = 0;
        for (let i = y.offsets[r]!; i < y.offsets[r + 1]!; i++) if (y.values[i]! >= 0) any = 1;
        out[b] = any;
        break;
      }
    }
  }
  return out;
}
