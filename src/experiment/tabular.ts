import { MmtlError, type LineRecord } from '../core/index.js';

/** Column means and standard deviations of a train split (saved in the run, reused by predict). */
export interface StandardizerState {
  /** The numeric columns, in input order. */
  columns: string[];
  /** Mean per column. */
  mean: number[];
  /** Standard deviation per column (1 where a column is constant). */
  std: number[];
}

/**
 * The numeric input columns of `rows` as a row-major [n, d] matrix. A value that is not a number (text, an
 * empty cell) fails with `E_DATA` naming the file, line, field and value.
 *
 * @example
 * ```ts
 * numericMatrix(rows, ['age', 'income'], { path: 'train.csv', what: "task 'churn' train", setting: 'tasks[1].input.numeric' });
 * // Float32Array [34, 52000, 29, 31000, …]
 * ```
 */
export function numericMatrix(
  rows: readonly LineRecord[],
  columns: readonly string[],
  src: { path: string; what: string; setting: string },
): Float32Array {
  const d = columns.length;
  const out = new Float32Array(rows.length * d);
  rows.forEach(({ record, line }, i) => {
    columns.forEach((c, j) => {
      const v = record[c];
      const x =
        typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v.trim()) : Number.NaN;
      if (!Number.isFinite(x)) {
        const empty = v === undefined || v === null || (typeof v === 'string' && v.trim() === '');
        throw new MmtlError(
          'E_DATA',
          `${src.what}: '${src.path}' line ${line}, field '${c}': ${empty ? 'the value is empty' : `${JSON.stringify(v)} is not a number`}; ${src.setting} takes numeric columns only`,
          {
            hint: empty
              ? 'fill in the missing value (or drop the row)'
              : `fix the row, or move '${c}' out of ${src.setting} (text belongs in a text input)`,
            details: { path: src.path, line, field: c },
          },
        );
      }
      out[i * d + j] = x;
    });
  });
  return out;
}

/**
 * Mean and standard deviation (population) of each column of a row-major [n, d] matrix.
 *
 * @example
 * ```ts
 * fitStandardizer(Float32Array.of(1, 10, 3, 10), ['a', 'b']); // { columns: ['a', 'b'], mean: [2, 10], std: [1, 1] }
 * ```
 */
export function fitStandardizer(x: Float32Array, columns: readonly string[]): StandardizerState {
  const d = columns.length;
  const n = x.length / d;
  const mean = new Array<number>(d).fill(0);
  const std = new Array<number>(d).fill(0);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j]! += x[i * d + j]! / n;
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) std[j]! += (x[i * d + j]! - mean[j]!) ** 2 / n;
  return { columns: [...columns], mean, std: std.map((v) => (v > 0 ? Math.sqrt(v) : 1)) };
}

/**
 * `(x − mean) / std` per column, as a new matrix.
 *
 * @example
 * ```ts
 * standardize(Float32Array.of(1, 3), { columns: ['a'], mean: [2], std: [1] }); // Float32Array [-1, 1]
 * ```
 */
export function standardize(x: Float32Array, s: StandardizerState): Float32Array {
  const d = s.columns.length;
  return Float32Array.from(x, (v, i) => (v - s.mean[i % d]!) / s.std[i % d]!);
}
