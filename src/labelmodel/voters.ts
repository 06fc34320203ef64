import { Rng, assert } from '../core/index.js';
import { type LabelMatrixLike, validateCardinality, validateLabelMatrix } from './label-matrix.js';
import { Labeler } from './labeler.js';

/**
 * Majority vote: every class with the most (non-abstain) votes gets equal probability; a row without
 * votes is uniform. Ties surface through `predict`'s `tieBreakPolicy`.
 *
 * @example
 * ```ts
 * const mv = new MajorityLabelVoter(2);
 * mv.predictProba({ n: 2, m: 3, data: Int8Array.from([0, 0, 1, 1, -1, 0]) }); // [1, 0, 0.5, 0.5]
 * mv.predict({ n: 1, m: 2, data: Int8Array.from([0, 1]) }, { tieBreakPolicy: 'random' }); // [0] or [1], fixed
 * ```
 */
export class MajorityLabelVoter extends Labeler {
  constructor(readonly k: number) {
    super();
    validateCardinality(k, 'MajorityLabelVoter');
  }

  predictProba(L: LabelMatrixLike): Float64Array {
    validateLabelMatrix(L, this.k, 'MajorityLabelVoter.predictProba');
    return majorityVoteProba(L, this.k);
  }
}

/**
 * Row-wise majority-vote probabilities of `L` (no validation): `n × k`, ties shared equally.
 *
 * @example
 * ```ts
 * majorityVoteProba({ n: 1, m: 3, data: Int8Array.from([1, 1, 0]) }, 2); // Float64Array [0, 1]
 * ```
 */
export function majorityVoteProba(L: LabelMatrixLike, k: number): Float64Array {
  const { n, m, data } = L;
  const probs = new Float64Array(n * k);
  const counts = new Float64Array(k);
  for (let i = 0; i < n; i++) {
    counts.fill(0);
    for (let j = 0; j < m; j++) {
      const v = data[i * m + j]!;
      if (v >= 0) counts[v]!++;
    }
    let max = 0;
    for (let c = 0; c < k; c++) max = Math.max(max, counts[c]!);
    let nTop = 0;
    for (let c = 0; c < k; c++) if (counts[c] === max) nTop++;
    for (let c = 0; c < k; c++) probs[i * k + c] = counts[c] === max ? 1 / nTop : 0;
  }
  return probs;
}

/**
 * Predicts the most frequent class (from a given class balance) for every row.
 *
 * @example
 * ```ts
 * const voter = new MajorityClassVoter(3).fit({ classBalance: [0.2, 0.5, 0.3] });
 * voter.predict({ n: 1, m: 1, data: Int8Array.from([0]) }); // Int32Array [1]
 * ```
 */
export class MajorityClassVoter extends Labeler {
  private balance: Float64Array | undefined;

  constructor(readonly k: number) {
    super();
    validateCardinality(k, 'MajorityClassVoter');
  }

  /** Sets the class balance (non-negative, summing to 1), from `classBalance` or from gold labels `Y`. */
  fit(opts: { classBalance?: readonly number[]; Y?: ArrayLike<number> }): this {
    let balance: number[];
    if (opts.classBalance !== undefined) balance = [...opts.classBalance];
    else {
      assert(opts.Y !== undefined, 'E_ARG', () => "'MajorityClassVoter.fit' needs 'classBalance' or 'Y'");
      balance = new Array<number>(this.k).fill(0);
      for (let i = 0; i < opts.Y.length; i++) if (opts.Y[i]! >= 0) balance[opts.Y[i]!]!++;
      const total = balance.reduce((a, b) => a + b, 0);
      balance = balance.map((b) => b / total);
    }
    validateClassBalance(balance, this.k, 'MajorityClassVoter.fit');
    this.balance = Float64Array.from(balance);
    return this;
  }

  predictProba(L: LabelMatrixLike): Float64Array {
    assert(
      this.balance !== undefined,
      'E_STATE',
      () => "'MajorityClassVoter.predictProba' called before 'fit'",
    );
    validateLabelMatrix(L, this.k, 'MajorityClassVoter.predictProba');
    const b = this.balance;
    const max = Math.max(...b);
    const top = b.filter((x) => x === max).length;
    const probs = new Float64Array(L.n * this.k);
    for (let i = 0; i < L.n; i++)
      for (let c = 0; c < this.k; c++) probs[i * this.k + c] = b[c] === max ? 1 / top : 0;
    return probs;
  }
}

/**
 * Random probabilities (uniform draws, normalized per row) from a seeded generator: a floor baseline.
 *
 * @example
 * ```ts
 * new RandomVoter(2, 7).predictProba({ n: 1, m: 1, data: Int8Array.from([0]) }); // e.g. [0.31, 0.69]
 * ```
 */
export class RandomVoter extends Labeler {
  constructor(
    readonly k: number,
    private readonly seed = 0,
  ) {
    super();
    validateCardinality(k, 'RandomVoter');
  }

  predictProba(L: LabelMatrixLike): Float64Array {
    validateLabelMatrix(L, this.k, 'RandomVoter.predictProba');
    const rng = new Rng(this.seed);
    const probs = new Float64Array(L.n * this.k);
    for (let i = 0; i < L.n; i++) {
      let s = 0;
      for (let c = 0; c < this.k; c++) s += probs[i * this.k + c] = rng.float() + 1e-12;
      for (let c = 0; c < this.k; c++) probs[i * this.k + c]! /= s;
    }
    return probs;
  }
}

/**
 * Checks a class balance: `k` finite non-negative entries summing to 1 (±1e-6). Throws `E_ARG`.
 *
 * @example
 * ```ts
 * validateClassBalance([0.7, 0.3], 2, 'LabelModel.fit'); // ok
 * validateClassBalance([0.7, 0.4], 2, 'LabelModel.fit'); // throws E_ARG (sums to 1.1)
 * ```
 */
export function validateClassBalance(balance: ArrayLike<number>, k: number, fn: string): void {
  assert(
    balance.length === k,
    'E_ARG',
    () => `Argument 'classBalance' passed to '${fn}' has ${balance.length} entries, expected k = ${k}`,
  );
  let sum = 0;
  for (let c = 0; c < k; c++) {
    const b = balance[c]!;
    assert(
      Number.isFinite(b) && b >= 0,
      'E_ARG',
      () =>
        `Argument 'classBalance' passed to '${fn}' has invalid entry ${b} at ${c}; expected a finite number ≥ 0`,
    );
    sum += b;
  }
  assert(
    Math.abs(sum - 1) <= 1e-6,
    'E_ARG',
    () => `Argument 'classBalance' passed to '${fn}' sums to ${sum}; it must sum to 1`,
  );
}
