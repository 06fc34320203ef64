/** Label sets restricted to a slice: the base labels, abstained / missing outside the slice. */
import { MmtlError } from '../core/index.js';
import { rowCount, type LabelSet } from '../tasks/index.js';

type Masker<K extends LabelSet['kind']> = (
  y: LabelSet & { kind: K },
  inSlice: Uint8Array,
) => LabelSet & { kind: K };

/** How each label-set kind marks a row as unsupervised. */
const MASKERS: { [K in LabelSet['kind']]: Masker<K> } = {
  class: (y, s) => ({ ...y, values: y.values.map((v, i) => (s[i] ? v : -1)) }),
  regression: (y, s) => ({ ...y, values: y.values.map((v, i) => (s[i] ? v : NaN)) }),
  soft: (y, s) => ({ ...y, values: y.values.map((v, j) => (s[Math.floor(j / y.cardinality)] ? v : 0)) }),
  multilabel: (y, s) => ({
    ...y,
    values: y.values.map((v, j) => (s[Math.floor(j / y.cardinality)] ? v : -1)),
  }),
  token: (y, s) => {
    const values = y.values.slice();
    for (let i = 0; i + 1 < y.offsets.length; i++) if (!s[i]) values.fill(-1, y.offsets[i], y.offsets[i + 1]);
    return { ...y, values };
  },
};

/**
 * A copy of label set `y` supervised only on the rows where `inSlice` is 1: outside the slice class labels
 * become -1, soft rows zero rows, regression targets NaN, multilabel entries -1 and token labels -1 — the
 * "missing" mark of each kind, so losses and metrics skip those rows (MeTaL's slice label sets).
 *
 * @example
 * ```ts
 * maskLabelSet({ kind: 'class', values: Int32Array.of(2, 0, 1), cardinality: 3 }, Uint8Array.of(1, 0, 1)).values;
 * // Int32Array [2, -1, 1]
 * maskLabelSet({ kind: 'regression', values: Float32Array.of(0.5, 2) }, Uint8Array.of(0, 1)).values;
 * // Float32Array [NaN, 2]
 * ```
 */
export function maskLabelSet(y: LabelSet, inSlice: ArrayLike<number>): LabelSet {
  const n = rowCount(y);
  if (inSlice.length !== n) {
    throw new MmtlError(
      'E_SHAPE',
      `Argument 'inSlice' passed to 'maskLabelSet' has ${inSlice.length} rows, but the label set has ${n}`,
    );
  }
  const mask = Uint8Array.from(inSlice, (v) => (v === 1 ? 1 : 0));
  return (MASKERS[y.kind] as Masker<LabelSet['kind']>)(y, mask);
}

/**
 * Slice membership as a class label set (1 = in the slice, 0 = out): the supervision of a slice indicator head.
 *
 * @example
 * ```ts
 * indicatorLabelSet(Uint8Array.of(1, 0)); // { kind: 'class', values: Int32Array [1, 0], cardinality: 2 }
 * ```
 */
export function indicatorLabelSet(inSlice: ArrayLike<number>): LabelSet & { kind: 'class' } {
  return { kind: 'class', values: Int32Array.from(inSlice, (v) => (v === 1 ? 1 : 0)), cardinality: 2 };
}
