// Internal machinery shared by the serial, streaming and parallel appliers: run every LF on one row into
// typed storage, and grow that storage without arrays of arrays.
import { ABSTAIN, MmtlError, assert } from '../core/index.js';
import { allocateLabelData, type LabelData } from './label-matrix.js';
import { checkVote, type LabelingFunction } from './labeling-function.js';

/** Where a row came from, for error messages. */
export interface RowOrigin {
  /** 0-based row index in the whole dataset. */
  row: number;
  /** File the row was read from, if any. */
  path?: string | undefined;
  /** 1-based line in that file, if any. */
  line?: number | undefined;
}

function describeRow(origin: RowOrigin): string {
  return origin.path === undefined
    ? `row ${origin.row}`
    : `row ${origin.row} (line ${origin.line ?? '?'} of '${origin.path}')`;
}

/**
 * Runs a list of LFs on rows and writes their votes; counts failures per LF in fault-tolerant mode.
 *
 * @example
 * ```ts
 * const runner = new LFRunner(lfs, 2, true);
 * runner.applyRow({ text: 'hi' }, { row: 0 }, out, 0);
 * ```
 */
export class LFRunner {
  /** Failures per LF (fault-tolerant mode), in LF order. */
  readonly failures: Int32Array;

  constructor(
    private readonly lfs: readonly LabelingFunction<unknown, object>[],
    readonly cardinality: number,
    readonly faultTolerant: boolean,
  ) {
    this.failures = new Int32Array(lfs.length);
  }

  /** Applies every LF to `x`, writing the votes to `out[offset..offset+m)`. */
  applyRow(x: unknown, origin: RowOrigin, out: LabelData, offset: number): void {
    const lfs = this.lfs;
    for (let j = 0; j < lfs.length; j++) {
      const lf = lfs[j]!;
      let vote: number;
      try {
        vote = lf.apply(x);
      } catch (e) {
        if (this.faultTolerant) {
          this.failures[j]!++;
          out[offset + j] = ABSTAIN;
          continue;
        }
        throw new MmtlError(
          'E_LF',
          `LF '${lf.name}' failed on ${describeRow(origin)}: ${e instanceof Error ? e.message : String(e)}`,
          {
            cause: e,
            hint: 'pass faultTolerant to count failures as abstains',
            details: { lf: lf.name, ...origin },
          },
        );
      }
      if (vote !== ABSTAIN) checkVote(vote, lf.name, origin.row, this.cardinality);
      out[offset + j] = vote;
    }
  }

  /** Failures as a `{ lfName: count }` record (every LF present). */
  failureRecord(): Record<string, number> {
    return Object.fromEntries(this.lfs.map((lf, j) => [lf.name, this.failures[j]!]));
  }
}

/**
 * Row-major vote storage that doubles its capacity as rows arrive (streaming appliers).
 *
 * @example
 * ```ts
 * const buf = new GrowableLabels(3, 2);
 * const offset = buf.addRow(); // 0; write votes at buf.data[offset..offset+3)
 * buf.finish(); // exact-size copy
 * ```
 */
export class GrowableLabels {
  /** Current storage (capacity rows × m); rows past {@link GrowableLabels.n} are unused. */
  data: LabelData;
  /** Rows added. */
  n = 0;
  private capacity: number;

  constructor(
    readonly m: number,
    readonly cardinality: number,
    initialRows = 1024,
  ) {
    assert(m > 0, 'E_ARG', () => `GrowableLabels needs at least one column, got ${m}`);
    this.capacity = Math.max(1, initialRows);
    this.data = allocateLabelData(this.capacity * m, cardinality);
  }

  /** Reserves `rows` more rows (filled with abstains) and returns the offset of the first. */
  addRows(rows: number): number {
    const need = this.n + rows;
    if (need > this.capacity) {
      let cap = this.capacity;
      while (cap < need) cap *= 2;
      const next = allocateLabelData(cap * this.m, this.cardinality);
      next.set(this.data.subarray(0, this.n * this.m));
      this.data = next;
      this.capacity = cap;
    }
    const offset = this.n * this.m;
    this.n = need;
    return offset;
  }

  /** Reserves one row and returns its offset. */
  addRow(): number {
    return this.addRows(1);
  }

  /** The votes of the rows added, exactly sized. */
  finish(): LabelData {
    const len = this.n * this.m;
    return len === this.data.length ? this.data : this.data.slice(0, len);
  }
}
