/** Train/valid row splits for re-split and k-fold ensembles, as a registry keyed by mode. */
import { MmtlError, Registry, Rng } from '../core/index.js';

/** One member's rows: indices into the training dataset, ascending. */
export interface RowSplit {
  /** Rows the member trains on. */
  train: Int32Array;
  /** Rows the member validates (selects its checkpoint) on. */
  valid: Int32Array;
}

/** What a split mode reads. */
export interface SplitRequest {
  /** Rows in the dataset. */
  n: number;
  /** Members (folds). */
  k: number;
  /** Share of rows held out for validation per member ('resplit'). */
  validFraction: number;
  /** Seed of the row shuffles. */
  seed: number;
}

/** Makes `k` train/valid splits of `n` rows. */
export type SplitMode = (req: SplitRequest) => RowSplit[];

function sorted(rows: Int32Array): Int32Array {
  return rows.slice().sort();
}

function complement(n: number, valid: Int32Array): Int32Array {
  const held = new Uint8Array(n);
  for (const r of valid) held[r] = 1;
  const out = new Int32Array(n - valid.length);
  let j = 0;
  for (let r = 0; r < n; r++) if (!held[r]) out[j++] = r;
  return out;
}

/**
 * The split modes by name:
 * - `kfold`: one seeded shuffle cut into k folds of (nearly) equal size; member i validates on fold i and
 *   trains on the others, so every row is validated on exactly once (`validFraction` is ignored);
 * - `resplit`: member i draws its own seeded shuffle and holds out `round(validFraction · n)` rows (at least 1),
 *   so validation sets overlap at random (MeTaL-style re-split runs).
 *
 * @example
 * ```ts
 * SPLIT_MODES.get('kfold')({ n: 6, k: 3, validFraction: 0.1, seed: 0 }).map((s) => s.valid.length); // [2, 2, 2]
 * SPLIT_MODES.get('resplit')({ n: 10, k: 2, validFraction: 0.2, seed: 0 })[0]!.train.length; // 8
 * ```
 */
export const SPLIT_MODES = new Registry<SplitMode>('split mode')
  .register('kfold', ({ n, k, seed }) => {
    if (k < 2 || k > n) {
      throw new MmtlError(
        'E_ARG',
        `Argument 'k' passed to split mode 'kfold' must be in 2..${n} (the rows), got ${k}`,
      );
    }
    const perm = new Rng(seed).permutation(n);
    return Array.from({ length: k }, (_, i) => {
      const valid = sorted(perm.subarray(Math.floor((i * n) / k), Math.floor(((i + 1) * n) / k)));
      return { train: complement(n, valid), valid };
    });
  })
  .register('resplit', ({ n, k, validFraction, seed }) => {
    const nValid = Math.max(1, Math.round(validFraction * n));
    if (k < 1 || nValid >= n) {
      throw new MmtlError(
        'E_ARG',
        `Arguments 'k' and 'validFraction' passed to split mode 'resplit' leave no training rows (k=${k}, ${nValid} of ${n} rows held out)`,
      );
    }
    const rng = new Rng(seed);
    return Array.from({ length: k }, () => {
      const valid = sorted(rng.permutation(n).subarray(0, nValid));
      return { train: complement(n, valid), valid };
    });
  });
