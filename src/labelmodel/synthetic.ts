import { Rng, assert } from '../core/index.js';
import type { LabelMatrixLike } from './label-matrix.js';
import { validateClassBalance } from './voters.js';

/** Options of {@link syntheticLabelData}. */
export interface SyntheticOptions {
  n: number;
  m: number;
  k: number;
  /** Class balance (default uniform). */
  classBalance?: readonly number[];
  /** Range of each LF's accuracy on the rows it votes on (default [0.6, 0.9]). */
  accuracyRange?: readonly [number, number];
  /** Range of each LF's coverage (default [0.2, 0.8]). */
  coverageRange?: readonly [number, number];
  /** Correlated pairs: LF `j` copies LF `i`'s output (vote or abstain) with probability `rho`. */
  correlated?: readonly { i: number; j: number; rho: number }[];
  /** Seed (default 0). */
  seed?: number;
}

/** What {@link syntheticLabelData} returns. */
export interface SyntheticLabelData {
  /** `n × m` votes, −1 = abstain. */
  L: LabelMatrixLike & { data: Int8Array };
  /** Gold labels, length n. */
  Y: Int8Array;
  /** The parameters the votes were drawn from. */
  params: {
    classBalance: number[];
    accuracy: number[];
    coverage: number[];
    correlated: { i: number; j: number; rho: number }[];
  };
}

/**
 * Draws a label matrix from the label model's own generative story: Y ~ classBalance; each LF votes with
 * probability `coverage_j`, correctly with probability `accuracy_j`, otherwise a uniformly chosen wrong
 * class; an LF in a correlated pair copies its partner with probability `rho` (then it is not
 * conditionally independent given Y). Seeded and reproducible.
 *
 * @example
 * ```ts
 * const { L, Y, params } = syntheticLabelData({ n: 5000, m: 10, k: 2, classBalance: [0.7, 0.3], seed: 1 });
 * L.data.length; // 50000
 * ```
 */
export function syntheticLabelData(opts: SyntheticOptions): SyntheticLabelData {
  const { n, m, k } = opts;
  assert(
    Number.isInteger(n) && n > 0 && Number.isInteger(m) && m > 0,
    'E_ARG',
    () => `Arguments 'n' and 'm' passed to 'syntheticLabelData' must be integers > 0, got ${n}, ${m}`,
  );
  assert(
    Number.isInteger(k) && k >= 2 && k <= 127,
    'E_ARG',
    () => `Argument 'k' passed to 'syntheticLabelData' must be an integer in 2..127, got ${k}`,
  );
  const balance = opts.classBalance === undefined ? new Array<number>(k).fill(1 / k) : [...opts.classBalance];
  validateClassBalance(balance, k, 'syntheticLabelData');
  const [aLo, aHi] = opts.accuracyRange ?? [0.6, 0.9];
  const [cLo, cHi] = opts.coverageRange ?? [0.2, 0.8];
  const correlated = (opts.correlated ?? []).map((c) => ({ ...c }));
  for (const c of correlated) {
    assert(
      c.i >= 0 && c.i < m && c.j >= 0 && c.j < m && c.i !== c.j && c.rho >= 0 && c.rho <= 1,
      'E_ARG',
      () => `Argument 'correlated' passed to 'syntheticLabelData' has invalid pair ${JSON.stringify(c)}`,
    );
  }
  const rng = new Rng(opts.seed ?? 0);
  const accuracy = Array.from({ length: m }, () => aLo + (aHi - aLo) * rng.float());
  const coverage = Array.from({ length: m }, () => cLo + (cHi - cLo) * rng.float());
  const copyOf = new Map(correlated.map((c) => [c.j, c]));
  const data = new Int8Array(n * m);
  const Y = new Int8Array(n);
  for (let r = 0; r < n; r++) {
    let u = rng.float();
    let y = 0;
    while (y < k - 1 && u >= balance[y]!) u -= balance[y++]!;
    Y[r] = y;
    for (let j = 0; j < m; j++) {
      let v = -1;
      if (rng.float() < coverage[j]!) {
        if (rng.float() < accuracy[j]!) v = y;
        else {
          const w = rng.int(0, k - 2);
          v = w >= y ? w + 1 : w;
        }
      }
      data[r * m + j] = v;
    }
    // copies are applied after all LFs voted, in pair order (a copied LF's source is never itself a copy target first)
    for (const [j, c] of copyOf) if (rng.float() < c.rho) data[r * m + j] = data[r * m + c.i]!;
  }
  return { L: { n, m, data }, Y, params: { classBalance: balance, accuracy, coverage, correlated } };
}
