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

/** Options of {@link syntheticKeywordLabelData}. */
export interface SyntheticKeywordOptions {
  n: number;
  m: number;
  k: number;
  /** Class balance; default drawn skewed (Dirichlet-like with concentration 1, floored at 0.02). */
  classBalance?: readonly number[];
  /** Range of each LF's precision (accuracy on the rows it votes on); default [0.55, 0.95]. */
  accuracyRange?: readonly [number, number];
  /**
   * Range of each LF's recall within its class (chance to fire on a row of its class), drawn log-uniform
   * so that a few LFs fire often and most rarely; default [0.005, 0.3].
   */
  recallRange?: readonly [number, number];
  /** Fraction of LFs that are near-copies of another LF of the same class (fire with it 90% of the time). */
  copyFraction?: number;
  /** Drop rows no LF votes on (WRENCH's relation sets hold covered rows only). Default false. */
  dropUncovered?: boolean;
  seed?: number;
}

/**
 * Draws a label matrix shaped like WRENCH's keyword/pattern sets: every LF votes one class only (its
 * target) or abstains; LFs are spread unevenly over the classes; recall is log-uniform (most LFs rare);
 * precision varies; the class balance is skewed; some LFs are near-copies of another. An LF with target c,
 * recall r and precision a fires on a row of class c with probability r and on any other row with
 * probability `s = p_c·r·(1 − a) / (a·(1 − p_c))`, so its precision is a. Not conditionally independent
 * where copies are asked for.
 *
 * @example
 * ```ts
 * const { L, Y, params } = syntheticKeywordLabelData({ n: 1749, m: 164, k: 9, dropUncovered: true, seed: 3 });
 * params.target; // class of each LF
 * ```
 */
export function syntheticKeywordLabelData(
  opts: SyntheticKeywordOptions,
): SyntheticLabelData & { params: { target: number[] } } {
  const { n, m, k } = opts;
  assert(
    Number.isInteger(n) && n > 0 && Number.isInteger(m) && m > 0 && Number.isInteger(k) && k >= 2 && k <= 127,
    'E_ARG',
    () => `Arguments 'n', 'm', 'k' passed to 'syntheticKeywordLabelData' are invalid: ${n}, ${m}, ${k}`,
  );
  const rng = new Rng(opts.seed ?? 0);
  let balance: number[];
  if (opts.classBalance !== undefined) balance = [...opts.classBalance];
  else {
    const g = Array.from({ length: k }, () => Math.max(0.02 * k, -Math.log(1 - rng.float())));
    const s = g.reduce((a, b) => a + b, 0);
    balance = g.map((v) => v / s);
  }
  validateClassBalance(balance, k, 'syntheticKeywordLabelData');
  const [aLo, aHi] = opts.accuracyRange ?? [0.55, 0.95];
  const [rLo, rHi] = opts.recallRange ?? [0.005, 0.3];
  // uneven LF counts per class: every class gets one, the rest by random weights
  const weight = Array.from({ length: k }, () => 0.2 + rng.float());
  const wSum = weight.reduce((a, b) => a + b, 0);
  const target = Array.from({ length: m }, (_, j) => {
    if (j < k) return j;
    let u = rng.float() * wSum;
    let c = 0;
    while (c < k - 1 && u >= weight[c]!) u -= weight[c++]!;
    return c;
  });
  const accuracy = Array.from({ length: m }, () => aLo + (aHi - aLo) * rng.float());
  const recall = Array.from({ length: m }, () =>
    Math.exp(Math.log(rLo) + (Math.log(rHi) - Math.log(rLo)) * rng.float()),
  );
  const falseRate = recall.map((r, j) => {
    const pc = balance[target[j]!]!;
    return Math.min(1, (pc * r * (1 - accuracy[j]!)) / (accuracy[j]! * (1 - pc)));
  });
  const copyOf = new Int32Array(m).fill(-1);
  const nCopies = Math.round((opts.copyFraction ?? 0) * m);
  for (let t = 0; t < nCopies; t++) {
    const j = rng.int(k, m - 1);
    const mates = target
      .map((c, i) => (c === target[j] && i !== j && copyOf[i]! < 0 ? i : -1))
      .filter((i) => i >= 0);
    if (mates.length > 0) copyOf[j] = mates[rng.int(0, mates.length - 1)]!;
  }
  const rows: number[] = [];
  const Ys: number[] = [];
  const votes = new Int8Array(m);
  for (let draws = 0; Ys.length < n && draws < 100 * n; draws++) {
    let u = rng.float();
    let y = 0;
    while (y < k - 1 && u >= balance[y]!) u -= balance[y++]!;
    let any = false;
    for (let j = 0; j < m; j++) {
      const fire = rng.float() < (target[j] === y ? recall[j]! : falseRate[j]!);
      votes[j] = fire ? target[j]! : -1;
    }
    for (let j = 0; j < m; j++) {
      const src = copyOf[j]!;
      if (src >= 0 && rng.float() < 0.9) votes[j] = votes[src]!;
      if (votes[j]! >= 0) any = true;
    }
    if (opts.dropUncovered === true && !any) continue;
    for (let j = 0; j < m; j++) rows.push(votes[j]!);
    Ys.push(y);
  }
  const data = Int8Array.from(rows);
  return {
    L: { n: Ys.length, m, data },
    Y: Int8Array.from(Ys),
    params: {
      classBalance: balance,
      accuracy,
      coverage: recall,
      correlated: [...copyOf].flatMap((i, j) => (i >= 0 ? [{ i, j, rho: 0.9 }] : [])),
      target,
    },
  };
}
