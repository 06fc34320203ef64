import { assert } from '../core/index.js';
import { type LabelMatrixLike, badValue, validateCardinality, validateLabelMatrix } from './label-matrix.js';
import { countAllRows } from './parallel-pass.js';

/** Options of {@link LabelStats}. */
export interface LabelStatsOptions {
  /**
   * Most distinct vote patterns (rows) to keep counts of (default 200 000). The pattern histogram lets a
   * label model re-estimate the class balance without the matrix; beyond the cap it is dropped.
   */
  maxPatterns?: number;
}

/** JSON form of {@link LabelStats}. */
export interface LabelStatsJSON {
  m: number;
  k: number;
  n: number;
  counts: number[];
  lfVotes: number[];
  patterns: [string, number][] | null;
  maxPatterns: number;
}

/**
 * Sufficient statistics of a label matrix for the label model, built in one streaming pass: the
 * co-occurrence counts of the one-hot votes (`counts[a·d + b]`, `d = m·k`, column `a = j·k + y` means
 * "LF j voted y"; abstains have no column), the row count `n`, the per-LF vote counts, and a histogram of
 * distinct rows. Shards add up with {@link LabelStats.merge}, so fitting from merged statistics equals
 * fitting on the concatenated matrix.
 *
 * @example
 * ```ts
 * const stats = new LabelStats(10, 2);
 * for (const shard of shards) stats.add(shard);        // each shard: { n, m: 10, data }
 * const model = LabelModel.fitFromStats(stats, { mode: 'mmtl' });
 * stats.overlaps(); // Float64Array d×d = L_indᵀL_ind / n
 * ```
 */
export class LabelStats {
  /** Rows seen. */
  n = 0;
  /** `d × d` co-occurrence counts of the one-hot vote columns (symmetric, diagonal = vote counts). */
  readonly counts: Float64Array;
  /** Non-abstain votes per LF. */
  readonly lfVotes: Float64Array;
  /** Rows by vote pattern (key: one char per LF, code = vote + 1), or null once over `maxPatterns`. */
  patterns: Map<string, number> | null = new Map();
  readonly maxPatterns: number;
  /** Width of the one-hot space, `m·k`. */
  readonly d: number;

  constructor(
    readonly m: number,
    readonly k: number,
    opts: LabelStatsOptions = {},
  ) {
    validateCardinality(k, 'LabelStats');
    assert(
      Number.isInteger(m) && m > 0,
      'E_ARG',
      () => `Argument 'm' passed to 'LabelStats' must be an integer > 0, got ${m}`,
    );
    this.d = m * k;
    this.counts = new Float64Array(this.d * this.d);
    this.lfVotes = new Float64Array(m);
    this.maxPatterns = opts.maxPatterns ?? 200_000;
  }

  /** Statistics of one whole matrix. */
  static fromMatrix(
    L: LabelMatrixLike,
    k: number,
    opts: LabelStatsOptions = {},
    fn = 'LabelStats.fromMatrix',
  ): LabelStats {
    return new LabelStats(L.m, k, opts).addChecked(L, fn);
  }

  /** Adds the rows of `L` (one pass, no dense one-hot); returns `this`. */
  add(L: LabelMatrixLike): this {
    validateLabelMatrix(L, this.k, 'LabelStats.add', 'L', { values: false });
    assert(
      L.m === this.m,
      'E_ARG',
      () => `Argument 'L' passed to 'LabelStats.add' has ${L.m} LFs, expected ${this.m}`,
    );
    return this.addChecked(L, 'LabelStats.add');
  }

  /** {@link LabelStats.add} with errors naming `fn`. */
  addChecked(L: LabelMatrixLike, fn: string): this {
    validateLabelMatrix(L, this.k, fn, 'L', { values: false });
    assert(
      L.m === this.m,
      'E_ARG',
      () => `Argument 'L' passed to '${fn}' has ${L.m} LFs, expected ${this.m}`,
    );
    const { n, m, data } = L;
    const { k, d, counts, lfVotes } = this;
    // one pass (on several threads for big matrices) into the upper triangle; mirrored below
    const upper = new Int32Array(d * d);
    const bad = countAllRows(L, k, upper, lfVotes);
    if (bad >= 0) badValue(L, bad, k, fn);
    for (let a = 0; a < d; a++) {
      for (let b = a; b < d; b++) {
        const c = upper[a * d + b]!;
        if (c === 0) continue;
        counts[a * d + b]! += c;
        if (b !== a) counts[b * d + a]! += c;
      }
    }
    if (this.patterns !== null) {
      const codes = new Uint16Array(m);
      for (let i = 0, base = 0; i < n && this.patterns !== null; i++, base += m) {
        for (let j = 0; j < m; j++) codes[j] = data[base + j]! + 1;
        const key = String.fromCharCode(...codes);
        this.patterns.set(key, (this.patterns.get(key) ?? 0) + 1);
        if (this.patterns.size > this.maxPatterns) this.patterns = null;
      }
    }
    this.n += n;
    return this;
  }

  /** Adds another shard's statistics (same `m`, `k`); returns `this`. */
  merge(other: LabelStats): this {
    assert(
      other.m === this.m && other.k === this.k,
      'E_ARG',
      () =>
        `Argument 'other' passed to 'LabelStats.merge' has m=${other.m}, k=${other.k}; expected m=${this.m}, k=${this.k}`,
    );
    for (let i = 0; i < this.counts.length; i++) this.counts[i]! += other.counts[i]!;
    for (let j = 0; j < this.m; j++) this.lfVotes[j]! += other.lfVotes[j]!;
    if (this.patterns === null || other.patterns === null) this.patterns = null;
    else {
      for (const [key, c] of other.patterns) this.patterns.set(key, (this.patterns.get(key) ?? 0) + c);
      if (this.patterns.size > this.maxPatterns) this.patterns = null;
    }
    this.n += other.n;
    return this;
  }

  /** `O = L_indᵀ L_ind / n`, `d × d` row-major. */
  overlaps(): Float64Array {
    assert(this.n > 0, 'E_DATA', () => "'LabelStats.overlaps' called on empty statistics (n = 0)");
    const O = new Float64Array(this.counts.length);
    for (let i = 0; i < O.length; i++) O[i] = this.counts[i]! / this.n;
    return O;
  }

  /** Fraction of rows on which each LF votes. */
  coverage(): Float64Array {
    return Float64Array.from(this.lfVotes, (c) => c / this.n);
  }

  /** Plain JSON (for shipping shard statistics between processes). */
  toJSON(): LabelStatsJSON {
    return {
      m: this.m,
      k: this.k,
      n: this.n,
      counts: [...this.counts],
      lfVotes: [...this.lfVotes],
      patterns: this.patterns === null ? null : [...this.patterns],
      maxPatterns: this.maxPatterns,
    };
  }

  /** Rebuilds statistics from {@link LabelStats.toJSON}. */
  static fromJSON(json: LabelStatsJSON): LabelStats {
    const s = new LabelStats(json.m, json.k, { maxPatterns: json.maxPatterns });
    assert(
      json.counts.length === s.counts.length,
      'E_DATA',
      () => `'LabelStats.fromJSON': counts has ${json.counts.length} entries, expected ${s.counts.length}`,
    );
    s.counts.set(json.counts);
    s.lfVotes.set(json.lfVotes);
    s.n = json.n;
    s.patterns = json.patterns === null ? null : new Map(json.patterns);
    return s;
  }
}

/**
 * Decodes a {@link LabelStats} pattern key back into votes.
 *
 * @example
 * ```ts
 * decodePattern(String.fromCharCode(1, 0, 2)); // Int32Array [0, -1, 1]
 * ```
 */
export function decodePattern(key: string): Int32Array {
  const out = new Int32Array(key.length);
  for (let j = 0; j < key.length; j++) out[j] = key.charCodeAt(j) - 1;
  return out;
}
