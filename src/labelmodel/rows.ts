import type { LabelMatrixLike } from './label-matrix.js';
import type { RowSource } from './layout.js';
import { type LabelStats, decodePattern } from './stats.js';

/**
 * Distinct rows of a label matrix in a sparse encoding, each with a weight: row `r` votes on the one-hot
 * columns `cols[ptr[r]..ptr[r+1])` (column `j·k + v` = "LF j voted v"; abstains have no column) and stands
 * for `weight[r]` rows of the matrix. `n` is the total weight. Every pass of the label model that needs
 * rows (the class-balance EM, dependency overlaps) runs on this, in O(votes) rather than O(n·m).
 */
export interface WeightedRows extends RowSource {
  /** Number of LFs. */
  m: number;
  /** Number of classes. */
  k: number;
  /** Distinct rows kept. */
  rows: number;
  /** Row offsets into `cols` (length rows + 1). */
  ptr: Int32Array;
  /** One-hot column of each vote. */
  cols: Int32Array;
  /** Rows of the matrix each distinct row stands for. */
  weight: Float64Array;
  /** Whether the rows are a strided sample of a larger matrix (weights scaled to n). */
  sampled: boolean;
}

/** Options of {@link weightedRowsOf}. */
export interface WeightedRowsOptions {
  /**
   * Most rows of the matrix read (default 200 000). A larger matrix is sampled at an even stride (every
   * ⌈n / maxRows⌉-th row from a fixed offset), and each kept row counts n / sampled rows.
   */
  maxRows?: number;
}

/**
 * Deduplicated sparse rows of `L` (see {@link WeightedRows}); rows are hashed on their vote columns.
 *
 * @example
 * ```ts
 * const rows = weightedRowsOf({ n: 3, m: 2, data: Int8Array.from([0, -1, 0, -1, 1, 1]) }, 2);
 * rows.rows;   // 2 distinct rows
 * rows.weight; // Float64Array [2, 1]
 * ```
 */
export function weightedRowsOf(L: LabelMatrixLike, k: number, opts: WeightedRowsOptions = {}): WeightedRows {
  const { n, m, data } = L;
  const maxRows = opts.maxRows ?? 200_000;
  const stride = n > maxRows ? Math.ceil(n / maxRows) : 1;
  const taken = Math.ceil(n / stride);
  const scale = n / taken;
  const builder = new RowBuilder(m, k, Math.min(taken, 1 << 16));
  const cols = new Int32Array(m);
  for (let i = 0; i < n; i += stride) {
    let nc = 0;
    const base = i * m;
    for (let j = 0; j < m; j++) {
      const v = data[base + j]!;
      if (v >= 0) cols[nc++] = j * k + v;
    }
    builder.add(cols, nc, scale);
  }
  return builder.finish(n, stride > 1);
}

/**
 * The pattern histogram of `stats` as {@link WeightedRows}, or undefined when it was dropped.
 *
 * @example
 * ```ts
 * weightedRowsOfStats(LabelStats.fromMatrix(L, 2))?.rows; // distinct rows of L
 * ```
 */
export function weightedRowsOfStats(stats: LabelStats): WeightedRows | undefined {
  const patterns = stats.patterns;
  if (patterns === null) return undefined;
  const { m, k } = stats;
  const builder = new RowBuilder(m, k, Math.max(1, patterns.size));
  const cols = new Int32Array(m);
  for (const [key, count] of patterns) {
    const votes = decodePattern(key);
    let nc = 0;
    for (let j = 0; j < m; j++) if (votes[j]! >= 0) cols[nc++] = j * k + votes[j]!;
    builder.add(cols, nc, count);
  }
  return builder.finish(stats.n, false);
}

/** Collects sparse rows, merging equal ones through an open-addressing hash table. */
class RowBuilder {
  private ptr: Int32Array;
  private cols: Int32Array;
  private weight: Float64Array;
  private rows = 0;
  private used = 0;
  private table: Int32Array;
  private hashes: Int32Array;

  constructor(
    private readonly m: number,
    private readonly k: number,
    capacity: number,
  ) {
    this.ptr = new Int32Array(capacity + 1);
    this.cols = new Int32Array(Math.max(16, capacity * 2));
    this.weight = new Float64Array(capacity);
    this.hashes = new Int32Array(capacity);
    this.table = new Int32Array(tableSize(capacity)).fill(-1);
  }

  add(cols: Int32Array, nc: number, w: number): void {
    let h = 0x811c9dc5 ^ nc;
    for (let a = 0; a < nc; a++) h = Math.imul(h ^ cols[a]!, 0x01000193);
    h ^= h >>> 15;
    const mask = this.table.length - 1;
    for (let slot = h & mask; ; slot = (slot + 1) & mask) {
      const r = this.table[slot]!;
      if (r < 0) {
        this.append(cols, nc, w, h);
        this.table[slot] = this.rows - 1;
        if (this.rows * 2 > this.table.length) this.rehash();
        return;
      }
      if (this.hashes[r] === h && this.same(r, cols, nc)) {
        this.weight[r]! += w;
        return;
      }
    }
  }

  private same(r: number, cols: Int32Array, nc: number): boolean {
    const s = this.ptr[r]!;
    if (this.ptr[r + 1]! - s !== nc) return false;
    for (let a = 0; a < nc; a++) if (this.cols[s + a] !== cols[a]) return false;
    return true;
  }

  private append(cols: Int32Array, nc: number, w: number, h: number): void {
    if (this.rows + 1 >= this.ptr.length) {
      const cap = this.ptr.length * 2;
      this.ptr = grow(this.ptr, cap);
      this.weight = growF(this.weight, cap);
      this.hashes = grow(this.hashes, cap);
    }
    const start = this.used;
    if (start + nc > this.cols.length)
      this.cols = grow(this.cols, Math.max(this.cols.length * 2, start + nc));
    this.cols.set(cols.subarray(0, nc), start);
    this.used += nc;
    this.weight[this.rows] = w;
    this.hashes[this.rows] = h;
    this.rows++;
    this.ptr[this.rows] = this.used;
  }

  private rehash(): void {
    const table = new Int32Array(this.table.length * 2).fill(-1);
    const mask = table.length - 1;
    for (let r = 0; r < this.rows; r++) {
      let slot = this.hashes[r]! & mask;
      while (table[slot]! >= 0) slot = (slot + 1) & mask;
      table[slot] = r;
    }
    this.table = table;
  }

  finish(n: number, sampled: boolean): WeightedRows {
    const { m, k, rows } = this;
    const ptr = this.ptr.slice(0, rows + 1);
    const cols = this.cols.slice(0, this.used);
    const weight = this.weight.slice(0, rows);
    return {
      m,
      k,
      n,
      rows,
      ptr,
      cols,
      weight,
      sampled,
      forEach(cb) {
        const votes = new Int32Array(m).fill(-1);
        for (let r = 0; r < rows; r++) {
          const s = ptr[r]!;
          const e = ptr[r + 1]!;
          for (let a = s; a < e; a++) votes[Math.floor(cols[a]! / k)] = cols[a]! % k;
          cb(votes, weight[r]!);
          for (let a = s; a < e; a++) votes[Math.floor(cols[a]! / k)] = -1;
        }
      },
    };
  }
}

function tableSize(capacity: number): number {
  let size = 16;
  while (size < capacity * 2) size *= 2;
  return size;
}

function grow(a: Int32Array, size: number): Int32Array {
  const b = new Int32Array(size);
  b.set(a);
  return b;
}

function growF(a: Float64Array, size: number): Float64Array {
  const b = new Float64Array(size);
  b.set(a);
  return b;
}
