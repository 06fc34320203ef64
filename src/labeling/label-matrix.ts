import { ABSTAIN, MmtlError, assert } from '../core/index.js';

/** The typed arrays a {@link LabelMatrix} stores its votes in (Int16 when the cardinality exceeds 127). */
export type LabelData = Int8Array | Int16Array;

/** Fields of a {@link LabelMatrix}, as passed to its constructor. */
export interface LabelMatrixInit {
  /** Number of rows (data points). */
  n: number;
  /** Number of columns (labeling functions). */
  m: number;
  /** Votes, row-major `n × m`; -1 means abstain. */
  data: LabelData;
  /** One name per column (the LF names). */
  names: string[];
  /** Optional id of each row (from the data's id field). */
  rowIds?: string[] | undefined;
}

/** Options of {@link LabelMatrix.fromRows}. */
export interface FromRowsOptions {
  /** Number of classes `k`; votes must lie in `-1..k-1`. Inferred from the largest vote when left out. */
  cardinality?: number | undefined;
  /** Optional id of each row. */
  rowIds?: string[] | undefined;
}

/**
 * The largest cardinality an Int8 label matrix holds; above it {@link LabelMatrix} stores Int16.
 *
 * @example
 * ```ts
 * INT8_MAX_CARDINALITY; // 127
 * ```
 */
export const INT8_MAX_CARDINALITY = 127;

/**
 * The largest cardinality any label matrix holds (Int16 votes).
 *
 * @example
 * ```ts
 * MAX_CARDINALITY; // 32767
 * ```
 */
export const MAX_CARDINALITY = 32767;

/**
 * Allocates vote storage for `length` votes of a task with `cardinality` classes, filled with abstains:
 * an `Int8Array` up to 127 classes, an `Int16Array` above.
 *
 * @example
 * ```ts
 * allocateLabelData(4, 2);   // Int8Array [-1, -1, -1, -1]
 * allocateLabelData(2, 300); // Int16Array [-1, -1]
 * ```
 */
export function allocateLabelData(length: number, cardinality: number): LabelData {
  assert(
    Number.isInteger(cardinality) && cardinality >= 1 && cardinality <= MAX_CARDINALITY,
    'E_ARG',
    () =>
      `Argument 'cardinality' passed to 'allocateLabelData' must be an integer in 1..${MAX_CARDINALITY}, got ${cardinality}`,
  );
  const data = cardinality > INT8_MAX_CARDINALITY ? new Int16Array(length) : new Int8Array(length);
  data.fill(ABSTAIN);
  return data;
}

/**
 * The label matrix `L` of weak supervision: `n` rows (data points) × `m` columns (labeling functions), each
 * entry a class `0..k-1` or `-1` (abstain). Stored row-major in one typed array (`Int8Array`, or `Int16Array`
 * when the cardinality exceeds 127), so millions of rows stay compact.
 *
 * @example
 * ```ts
 * const L = LabelMatrix.fromRows([[0, -1], [1, 1]], ['lf_a', 'lf_b']);
 * L.n;            // 2
 * L.m;            // 2
 * L.get(1, 0);    // 1
 * L.column(1);    // Int8Array [-1, 1]
 * L.data;         // Int8Array [0, -1, 1, 1]
 * ```
 */
export class LabelMatrix {
  /** Number of rows (data points). */
  readonly n: number;
  /** Number of columns (labeling functions). */
  readonly m: number;
  /** Votes, row-major `n × m`; -1 means abstain. */
  readonly data: LabelData;
  /** One name per column (the LF names). */
  readonly names: string[];
  /** Optional id of each row. */
  readonly rowIds?: string[];

  /**
   * Wraps existing vote storage (not copied).
   *
   * @example
   * ```ts
   * new LabelMatrix({ n: 1, m: 2, data: Int8Array.of(0, -1), names: ['a', 'b'] }).get(0, 0); // 0
   * ```
   */
  constructor(init: LabelMatrixInit) {
    const { n, m, data, names, rowIds } = init;
    assert(
      Number.isInteger(n) && n >= 0 && Number.isInteger(m) && m >= 0,
      'E_ARG',
      () => `Arguments 'n' and 'm' passed to 'LabelMatrix' must be integers ≥ 0, got n=${n}, m=${m}`,
    );
    assert(
      data instanceof Int8Array || data instanceof Int16Array,
      'E_ARG',
      () => `Argument 'data' passed to 'LabelMatrix' must be an Int8Array or Int16Array`,
    );
    assert(
      data.length === n * m,
      'E_SHAPE',
      () => `Argument 'data' passed to 'LabelMatrix' has ${data.length} entries, expected n*m = ${n}*${m}`,
    );
    assert(
      names.length === m,
      'E_SHAPE',
      () => `Argument 'names' passed to 'LabelMatrix' has ${names.length} names, expected m = ${m}`,
    );
    assert(
      rowIds === undefined || rowIds.length === n,
      'E_SHAPE',
      () => `Argument 'rowIds' passed to 'LabelMatrix' has ${rowIds!.length} ids, expected n = ${n}`,
    );
    this.n = n;
    this.m = m;
    this.data = data;
    this.names = names;
    if (rowIds !== undefined) this.rowIds = rowIds;
  }

  /**
   * Builds a label matrix from plain rows, checking every vote.
   *
   * @example
   * ```ts
   * const L = LabelMatrix.fromRows([[0, 1], [-1, 2]], ['a', 'b'], { cardinality: 3, rowIds: ['x', 'y'] });
   * L.data; // Int8Array [0, 1, -1, 2]
   * LabelMatrix.fromRows([[0, 3]], ['a', 'b'], { cardinality: 3 }); // throws E_DATA: vote 3 at row 0, column 'b'
   * ```
   */
  static fromRows(
    rows: readonly (readonly number[])[],
    names: string[],
    options: FromRowsOptions = {},
  ): LabelMatrix {
    const m = names.length;
    let k = options.cardinality;
    if (k === undefined) {
      let max = 0;
      // votes that are no class (1e400, 2.5, 1e20) are left to the per-vote check below, which names them
      for (const r of rows)
        for (const v of r) if (Number.isInteger(v) && v > max && v < MAX_CARDINALITY) max = v;
      k = Math.max(2, max + 1);
    }
    assert(
      Number.isInteger(k) && k >= 1 && k <= MAX_CARDINALITY,
      'E_ARG',
      () =>
        `Argument 'cardinality' passed to 'LabelMatrix.fromRows' must be an integer in 1..${MAX_CARDINALITY}, got ${k}`,
    );
    const data = allocateLabelData(rows.length * m, k);
    rows.forEach((r, i) => {
      assert(
        r.length === m,
        'E_SHAPE',
        () =>
          `Argument 'rows' passed to 'LabelMatrix.fromRows' has ${r.length} votes in row ${i}, expected ${m}`,
      );
      for (let j = 0; j < m; j++) {
        const v = r[j]!;
        if (!Number.isInteger(v) || v < ABSTAIN || v >= k) {
          throw new MmtlError(
            'E_DATA',
            `Argument 'rows' passed to 'LabelMatrix.fromRows' has vote ${v} at row ${i}, column '${names[j]}'; expected an integer in -1..${k - 1}`,
          );
        }
        data[i * m + j] = v;
      }
    });
    return new LabelMatrix({ n: rows.length, m, data, names: [...names], rowIds: options.rowIds });
  }

  /**
   * The vote of LF `j` on row `i`.
   *
   * @example
   * ```ts
   * LabelMatrix.fromRows([[0, -1]], ['a', 'b']).get(0, 1); // -1
   * ```
   */
  get(i: number, j: number): number {
    return this.data[i * this.m + j]!;
  }

  /**
   * The votes of row `i`: a view into {@link LabelMatrix.data} (no copy; do not write to it).
   *
   * @example
   * ```ts
   * LabelMatrix.fromRows([[0, -1], [1, 1]], ['a', 'b']).row(1); // Int8Array [1, 1]
   * ```
   */
  row(i: number): LabelData {
    assert(
      i >= 0 && i < this.n,
      'E_ARG',
      () => `Argument 'i' passed to 'LabelMatrix.row' must be in 0..${this.n - 1}, got ${i}`,
    );
    return this.data.subarray(i * this.m, (i + 1) * this.m);
  }

  /**
   * The votes of LF `j` on every row (a copy).
   *
   * @example
   * ```ts
   * LabelMatrix.fromRows([[0, -1], [1, 1]], ['a', 'b']).column(0); // Int8Array [0, 1]
   * ```
   */
  column(j: number): LabelData {
    assert(
      j >= 0 && j < this.m,
      'E_ARG',
      () => `Argument 'j' passed to 'LabelMatrix.column' must be in 0..${this.m - 1}, got ${j}`,
    );
    const out = this.data instanceof Int16Array ? new Int16Array(this.n) : new Int8Array(this.n);
    for (let i = 0, p = j; i < this.n; i++, p += this.m) out[i] = this.data[p]!;
    return out;
  }

  /**
   * The largest vote in the matrix plus one (at least 2): the smallest cardinality consistent with it.
   *
   * @example
   * ```ts
   * LabelMatrix.fromRows([[0, 2]], ['a', 'b']).inferCardinality(); // 3
   * ```
   */
  inferCardinality(): number {
    let max = 0;
    for (const v of this.data) if (v > max) max = v;
    return Math.max(2, max + 1);
  }

  /**
   * The matrix as plain rows of numbers.
   *
   * @example
   * ```ts
   * LabelMatrix.fromRows([[0, -1]], ['a', 'b']).toRows(); // [[0, -1]]
   * ```
   */
  toRows(): number[][] {
    const rows: number[][] = [];
    for (let i = 0; i < this.n; i++) rows.push(Array.from(this.row(i)));
    return rows;
  }
}
