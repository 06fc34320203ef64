import { ABSTAIN, MmtlError, assert } from '../core/index.js';
import type { LabelMatrix } from './label-matrix.js';
import type { LabelingFunction } from './labeling-function.js';

/** One row of {@link LFAnalysis.lfSummary}: statistics of one LF. */
export interface LFSummaryRow {
  /** LF name. */
  lf: string;
  /** Column index. */
  j: number;
  /** Sorted distinct classes the LF voted. */
  polarity: number[];
  /** Fraction of rows the LF votes on. */
  coverage: number;
  /** Fraction of rows where the LF and at least one other LF vote. */
  overlaps: number;
  /** Fraction of rows where the LF votes and another LF votes a different class. */
  conflicts: number;
  /** With gold labels: votes equal to the gold label (rows with gold -1 excluded). */
  correct?: number;
  /** With gold labels: votes different from the gold label (rows with gold -1 excluded). */
  incorrect?: number;
  /** With gold labels: correct / (correct + incorrect); null when the LF voted on no gold-labeled row. */
  empAcc?: number | null;
}

/** Per-LF counts from one pass over the matrix. */
interface Counts {
  covered: number;
  overlapped: number;
  conflicted: number;
  lfCover: Float64Array;
  lfOverlap: Float64Array;
  lfConflict: Float64Array;
  polarity: number[][];
}

/** Correct and incorrect votes per LF against gold labels. */
export interface LFAccuracyCounts {
  /** Votes equal to the gold label, per LF. */
  correct: Int32Array;
  /** Votes different from the gold label, per LF. */
  incorrect: Int32Array;
}

/**
 * Statistics of a label matrix and its LFs, with Snorkel's `LFAnalysis` definitions: coverage (votes),
 * overlap (votes and at least one other LF votes), conflict (votes and another LF votes a different
 * non-abstain class); with gold labels, correct/incorrect counts and empirical accuracies (rows whose gold
 * label is -1 are left out). Every statistic is computed in one pass over the typed array and cached.
 *
 * @example
 * ```ts
 * const L = LabelMatrix.fromRows([[0, 0, -1], [0, 1, -1], [-1, -1, 1], [-1, -1, -1]], ['a', 'b', 'c']);
 * const analysis = new LFAnalysis(L);
 * analysis.labelCoverage();  // 0.75
 * analysis.labelOverlap();   // 0.5
 * analysis.labelConflict();  // 0.25
 * analysis.lfConflicts();    // Float64Array [0.25, 0.25, 0]
 * analysis.lfSummary([0, 1, 1, 0])[1];
 * // { lf: 'b', j: 1, polarity: [0, 1], coverage: 0.5, overlaps: 0.5, conflicts: 0.25, correct: 2, incorrect: 0, empAcc: 1 }
 * ```
 */
export class LFAnalysis {
  /** LF names, one per column. */
  readonly names: string[];
  private counts: Counts | undefined;

  /**
   * @param L the label matrix.
   * @param lfs optionally, the LFs that made it (their names must match the columns in number).
   */
  constructor(
    readonly L: LabelMatrix,
    lfs?: readonly LabelingFunction<unknown, object>[],
  ) {
    assert(
      lfs === undefined || lfs.length === L.m,
      'E_SHAPE',
      () => `Argument 'lfs' passed to 'LFAnalysis' has ${lfs!.length} LFs, but 'L' has ${L.m} columns`,
    );
    this.names = lfs ? lfs.map((lf) => lf.name) : [...L.names];
  }

  private compute(): Counts {
    if (this.counts) return this.counts;
    const { n, m, data } = this.L;
    let maxLabel = 0;
    for (const v of data) if (v > maxLabel) maxLabel = v;
    const k = maxLabel + 1;
    const seen = new Uint8Array(m * k);
    const lfCover = new Float64Array(m);
    const lfOverlap = new Float64Array(m);
    const lfConflict = new Float64Array(m);
    let covered = 0;
    let overlapped = 0;
    let conflicted = 0;
    for (let i = 0, base = 0; i < n; i++, base += m) {
      let votes = 0;
      let first = ABSTAIN;
      let conflict = false;
      for (let j = 0; j < m; j++) {
        const v = data[base + j]!;
        if (v === ABSTAIN) continue;
        votes++;
        if (first === ABSTAIN) first = v;
        else if (v !== first) conflict = true;
        seen[j * k + v] = 1;
      }
      if (votes === 0) continue;
      covered++;
      if (votes > 1) overlapped++;
      if (conflict) conflicted++;
      for (let j = 0; j < m; j++) {
        if (data[base + j] === ABSTAIN) continue;
        lfCover[j]! += 1;
        if (votes > 1) lfOverlap[j]! += 1;
        if (conflict) lfConflict[j]! += 1;
      }
    }
    const div = n === 0 ? 1 : n;
    for (let j = 0; j < m; j++) {
      lfCover[j]! /= div;
      lfOverlap[j]! /= div;
      lfConflict[j]! /= div;
    }
    const polarity = Array.from({ length: m }, (_, j) => {
      const out: number[] = [];
      for (let c = 0; c < k; c++) if (seen[j * k + c]) out.push(c);
      return out;
    });
    this.counts = {
      covered: covered / div,
      overlapped: overlapped / div,
      conflicted: conflicted / div,
      lfCover,
      lfOverlap,
      lfConflict,
      polarity,
    };
    return this.counts;
  }

  /**
   * Fraction of rows with at least one vote.
   *
   * @example
   * ```ts
   * new LFAnalysis(LabelMatrix.fromRows([[0, -1], [-1, -1]], ['a', 'b'])).labelCoverage(); // 0.5
   * ```
   */
  labelCoverage(): number {
    return this.compute().covered;
  }

  /**
   * Fraction of rows with at least two votes.
   *
   * @example
   * ```ts
   * new LFAnalysis(LabelMatrix.fromRows([[0, 1], [0, -1]], ['a', 'b'])).labelOverlap(); // 0.5
   * ```
   */
  labelOverlap(): number {
    return this.compute().overlapped;
  }

  /**
   * Fraction of rows with two votes for different classes.
   *
   * @example
   * ```ts
   * new LFAnalysis(LabelMatrix.fromRows([[0, 1], [0, 0]], ['a', 'b'])).labelConflict(); // 0.5
   * ```
   */
  labelConflict(): number {
    return this.compute().conflicted;
  }

  /**
   * Sorted distinct classes each LF voted.
   *
   * @example
   * ```ts
   * new LFAnalysis(LabelMatrix.fromRows([[0, 1], [1, 1]], ['a', 'b'])).lfPolarities(); // [[0, 1], [1]]
   * ```
   */
  lfPolarities(): number[][] {
    return this.compute().polarity.map((p) => [...p]);
  }

  /**
   * Fraction of rows each LF votes on.
   *
   * @example
   * ```ts
   * new LFAnalysis(LabelMatrix.fromRows([[0, -1], [1, 1]], ['a', 'b'])).lfCoverages(); // Float64Array [1, 0.5]
   * ```
   */
  lfCoverages(): Float64Array {
    return this.compute().lfCover.slice();
  }

  /**
   * Fraction of rows where each LF votes and at least one other LF votes; divided by the LF's coverage
   * when `normalizeByCoverage` (0 for an LF that never votes).
   *
   * @example
   * ```ts
   * new LFAnalysis(LabelMatrix.fromRows([[0, -1], [1, 1]], ['a', 'b'])).lfOverlaps(); // Float64Array [0.5, 0.5]
   * ```
   */
  lfOverlaps(normalizeByCoverage = false): Float64Array {
    const c = this.compute();
    return normalizeByCoverage ? ratio(c.lfOverlap, c.lfCover) : c.lfOverlap.slice();
  }

  /**
   * Fraction of rows where each LF votes and another LF votes a different class; divided by the LF's
   * coverage when `normalizeByCoverage` (0 for an LF that never votes).
   *
   * @example
   * ```ts
   * new LFAnalysis(LabelMatrix.fromRows([[0, 1], [1, 1]], ['a', 'b'])).lfConflicts(); // Float64Array [0.5, 0.5]
   * ```
   */
  lfConflicts(normalizeByCoverage = false): Float64Array {
    const c = this.compute();
    return normalizeByCoverage ? ratio(c.lfConflict, c.lfCover) : c.lfConflict.slice();
  }

  /**
   * Correct and incorrect votes of each LF against gold labels `Y` (rows where `Y` is -1 are left out).
   *
   * @example
   * ```ts
   * new LFAnalysis(LabelMatrix.fromRows([[0], [1], [1]], ['a'])).lfAccuracyCounts([0, 0, -1]);
   * // { correct: Int32Array [1], incorrect: Int32Array [1] }
   * ```
   */
  lfAccuracyCounts(Y: ArrayLike<number>): LFAccuracyCounts {
    const { n, m, data } = this.L;
    this.checkGold(Y);
    const correct = new Int32Array(m);
    const incorrect = new Int32Array(m);
    for (let i = 0, base = 0; i < n; i++, base += m) {
      const y = Y[i]!;
      if (y === ABSTAIN) continue;
      for (let j = 0; j < m; j++) {
        const v = data[base + j]!;
        if (v === ABSTAIN) continue;
        if (v === y) correct[j]! += 1;
        else incorrect[j]! += 1;
      }
    }
    return { correct, incorrect };
  }

  /**
   * Empirical accuracy of each LF against gold labels `Y`: correct / (correct + incorrect) over the rows it
   * votes on whose gold label is not -1; NaN for an LF with no such row.
   *
   * @example
   * ```ts
   * new LFAnalysis(LabelMatrix.fromRows([[0, -1], [1, 1]], ['a', 'b'])).lfEmpiricalAccuracies([0, 0]);
   * // Float64Array [0.5, 0]
   * ```
   */
  lfEmpiricalAccuracies(Y: ArrayLike<number>): Float64Array {
    const { correct, incorrect } = this.lfAccuracyCounts(Y);
    return Float64Array.from(correct, (c, j) => c / (c + incorrect[j]!));
  }

  /**
   * One row of statistics per LF (Snorkel's `lf_summary`), as plain JSON; with `Y`, also correct/incorrect
   * counts and the empirical accuracy (`null` when undefined).
   *
   * @example
   * ```ts
   * new LFAnalysis(LabelMatrix.fromRows([[0, 1]], ['a', 'b'])).lfSummary();
   * // [{ lf: 'a', j: 0, polarity: [0], coverage: 1, overlaps: 1, conflicts: 1 }, { lf: 'b', j: 1, polarity: [1], … }]
   * ```
   */
  lfSummary(Y?: ArrayLike<number>): LFSummaryRow[] {
    const c = this.compute();
    const acc = Y === undefined ? undefined : this.lfAccuracyCounts(Y);
    return this.names.map((lf, j) => {
      const row: LFSummaryRow = {
        lf,
        j,
        polarity: [...c.polarity[j]!],
        coverage: c.lfCover[j]!,
        overlaps: c.lfOverlap[j]!,
        conflicts: c.lfConflict[j]!,
      };
      if (acc) {
        const right = acc.correct[j]!;
        const wrong = acc.incorrect[j]!;
        row.correct = right;
        row.incorrect = wrong;
        row.empAcc = right + wrong === 0 ? null : right / (right + wrong);
      }
      return row;
    });
  }

  private checkGold(Y: ArrayLike<number>): void {
    assert(
      Y !== null && typeof Y === 'object' && typeof Y.length === 'number',
      'E_ARG',
      () => `Argument 'Y' passed to 'LFAnalysis' must be an array of gold labels`,
    );
    if (Y.length !== this.L.n) {
      throw new MmtlError(
        'E_SHAPE',
        `Argument 'Y' passed to 'LFAnalysis' has ${Y.length} labels, but the label matrix has ${this.L.n} rows`,
      );
    }
    for (let i = 0; i < Y.length; i++) {
      const y = Y[i]!;
      if (!Number.isInteger(y) || y < ABSTAIN) {
        throw new MmtlError(
          'E_DATA',
          `Argument 'Y' passed to 'LFAnalysis' has label ${y} at row ${i}; expected an integer ≥ -1`,
        );
      }
    }
  }
}

function ratio(a: Float64Array, b: Float64Array): Float64Array {
  return Float64Array.from(a, (v, j) => (b[j] === 0 ? 0 : v / b[j]!));
}
