import { ABSTAIN, MmtlError, assert, type IntLabelArray } from '../core/index.js';

/**
 * The shape every label model reads: a row-major `n × m` matrix of LF votes, `-1` = abstain, classes
 * `0..k-1`. `LabelMatrix` from `src/labeling` has exactly these fields, so it can be passed directly.
 *
 * @example
 * ```ts
 * const L: LabelMatrixLike = { n: 2, m: 3, data: Int8Array.from([0, -1, 1, 1, 1, -1]) };
 * ```
 */
export interface LabelMatrixLike {
  /** Number of rows (data points). */
  n: number;
  /** Number of columns (labeling functions). */
  m: number;
  /** Row-major votes, length `n·m`; `-1` = abstain. */
  data: IntLabelArray;
}

/**
 * Checks that `L` is a well-formed label matrix whose votes lie in `-1..k-1`. Throws `MmtlError`
 * `E_ARG` for bad shapes or arguments and `E_DATA` for out-of-range values or an empty matrix. With
 * `values: false` only the shape is checked (for callers that check each vote in their own pass).
 *
 * @example
 * ```ts
 * validateLabelMatrix({ n: 1, m: 2, data: Int8Array.from([0, 2]) }, 2, 'LabelModel.fit');
 * // throws E_DATA: Argument 'L' passed to 'LabelModel.fit' has value 2 at row 0, column 1; expected -1..1
 * ```
 */
export function validateLabelMatrix(
  L: LabelMatrixLike,
  k: number,
  fn: string,
  name = 'L',
  opts: { values?: boolean } = {},
): void {
  assert(
    L !== null && typeof L === 'object' && ArrayBuffer.isView(L.data),
    'E_ARG',
    () => `Argument '${name}' passed to '${fn}' must be { n, m, data: Int8Array | Int16Array | Int32Array }`,
  );
  assert(
    Number.isInteger(L.n) && Number.isInteger(L.m) && L.n >= 0 && L.m >= 0,
    'E_ARG',
    () => `Argument '${name}' passed to '${fn}' has invalid shape ${L.n}×${L.m}`,
  );
  assert(
    L.data.length === L.n * L.m,
    'E_ARG',
    () =>
      `Argument '${name}' passed to '${fn}' has ${L.data.length} values; shape ${L.n}×${L.m} needs ${L.n * L.m}`,
  );
  assert(L.n > 0 && L.m > 0, 'E_DATA', () => `Argument '${name}' passed to '${fn}' is empty (${L.n}×${L.m})`);
  if (opts.values === false) return;
  const { data } = L;
  for (let idx = 0; idx < data.length; idx++) {
    const v = data[idx]!;
    if (v < ABSTAIN || v >= k) badValue(L, idx, k, fn, name);
  }
}

/**
 * Throws the `E_DATA` error for the out-of-range vote at flat index `idx` of `L`.
 *
 * @example
 * ```ts
 * badValue({ n: 1, m: 2, data: Int8Array.from([0, 2]) }, 1, 2, 'LabelModel.fit');
 * // throws E_DATA: Argument 'L' passed to 'LabelModel.fit' has value 2 at row 0, column 1; expected -1..1
 * ```
 */
export function badValue(L: LabelMatrixLike, idx: number, k: number, fn: string, name = 'L'): never {
  const row = Math.floor(idx / L.m);
  throw new MmtlError(
    'E_DATA',
    `Argument '${name}' passed to '${fn}' has value ${L.data[idx]} at row ${row}, column ${idx - row * L.m}; expected -1..${k - 1}`,
  );
}

/**
 * Checks that `k` is an integer number of classes ≥ 2.
 *
 * @example
 * ```ts
 * validateCardinality(1, 'LabelModel'); // throws E_ARG
 * ```
 */
export function validateCardinality(k: number, fn: string): void {
  assert(
    Number.isInteger(k) && k >= 2,
    'E_ARG',
    () => `Argument 'k' passed to '${fn}' must be an integer ≥ 2, got ${k}`,
  );
}

/**
 * Checks gold labels: length `n`, values in `-1..k-1` (`-1` rows are ignored by scoring).
 *
 * @example
 * ```ts
 * validateGold(Int8Array.from([0, 1]), 2, 2, 'score');
 * ```
 */
export function validateGold(Y: ArrayLike<number>, n: number, k: number, fn: string): void {
  assert(
    Y !== null && typeof Y === 'object' && typeof Y.length === 'number',
    'E_ARG',
    () => `Argument 'Y' passed to '${fn}' must be an array of labels`,
  );
  assert(
    Y.length === n,
    'E_ARG',
    () => `Argument 'Y' passed to '${fn}' has length ${Y.length}, expected ${n}`,
  );
  for (let i = 0; i < Y.length; i++) {
    const v = Y[i]!;
    assert(
      Number.isInteger(v) && v >= ABSTAIN && v < k,
      'E_DATA',
      () => `Argument 'Y' passed to '${fn}' has value ${v} at index ${i}; expected -1..${k - 1}`,
    );
  }
}

/**
 * Builds a label matrix from nested arrays (rows of votes), as Int32Array storage.
 *
 * @example
 * ```ts
 * labelMatrixFromRows([[0, -1], [1, 1]]); // { n: 2, m: 2, data: Int32Array [0, -1, 1, 1] }
 * ```
 */
export function labelMatrixFromRows(rows: readonly (readonly number[])[]): LabelMatrixLike {
  const n = rows.length;
  const m = n === 0 ? 0 : rows[0]!.length;
  const data = new Int32Array(n * m);
  rows.forEach((r, i) => {
    assert(
      r.length === m,
      'E_ARG',
      () => `Argument 'rows' passed to 'labelMatrixFromRows' is ragged at row ${i}`,
    );
    data.set(r, i * m);
  });
  return { n, m, data };
}
