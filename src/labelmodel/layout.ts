import { assert } from '../core/index.js';
import type { LabelMatrixLike } from './label-matrix.js';
import { type LabelStats, decodePattern } from './stats.js';

/** A block of one-hot columns (a clique's values) and the maximal cliques it belongs to. */
export interface CliqueGroup {
  start: number;
  size: number;
  maxCliques: readonly number[];
}

/**
 * How a row of votes maps onto the `d` indicator columns the label model works in (rows of μ), which
 * column blocks may not be compared in the objective (the mask), and how the columns combine in the
 * posterior (junction-tree weights: +1 per clique, −1 per separator use).
 */
export interface ColumnLayout {
  /** Number of indicator columns (rows of μ). */
  d: number;
  /** Number of LFs (width of a vote row). */
  m: number;
  /** Column blocks, for the mask. */
  groups: readonly CliqueGroup[];
  /** Upper bound of active columns in one row. */
  maxActive: number;
  /**
   * Writes the active columns of `votes` into `cols` and their posterior weights into `weights`; returns
   * how many.
   */
  encode(votes: ArrayLike<number>, cols: Int32Array, weights: Float64Array): number;
}

/**
 * The single-task layout: column `j·k + y` = "LF j voted y"; with `deps`, `k²` more columns per dependent
 * pair `(i, j)` = "LF i voted a and LF j voted b" (active only when both vote). Dependent pairs must form a
 * forest (no cycles); abstains are uninformative, as in Snorkel. `maskBy: 'clique'` blanks the blocks of
 * column groups sharing a maximal clique (the junction-tree mask MeTaL's inverse form needs);
 * `'component'` blanks every block inside a connected component of the dependency forest (what the direct
 * objective needs: LFs of one component are not conditionally independent given Y, even two apart).
 *
 * @example
 * ```ts
 * const layout = singleTaskLayout(3, 2, [[0, 1]]); // d = 3·2 + 4 = 10
 * ```
 */
export function singleTaskLayout(
  m: number,
  k: number,
  deps: readonly (readonly [number, number])[] = [],
  maskBy: 'clique' | 'component' = 'clique',
): ColumnLayout {
  const component = validateDeps(deps, m);
  const P = deps.length;
  const d = m * k + P * k * k;
  const pairsOf: number[][] = Array.from({ length: m }, () => []);
  deps.forEach(([i, j], q) => {
    pairsOf[i]!.push(q);
    pairsOf[j]!.push(q);
  });
  const groups: CliqueGroup[] = [];
  for (let j = 0; j < m; j++) {
    const cliques = maskBy === 'component' ? [component[j]!] : pairsOf[j]!.length > 0 ? pairsOf[j]! : [P + j];
    groups.push({ start: j * k, size: k, maxCliques: cliques });
  }
  for (let q = 0; q < P; q++) {
    const cliques = maskBy === 'component' ? [component[deps[q]![0]]!] : [q];
    groups.push({ start: m * k + q * k * k, size: k * k, maxCliques: cliques });
  }
  return {
    d,
    m,
    groups,
    maxActive: m + P,
    encode(votes, cols, weights) {
      let c = 0;
      for (let j = 0; j < m; j++) {
        const v = votes[j]!;
        if (v >= 0) {
          cols[c] = j * k + v;
          weights[c++] = 1;
        }
      }
      const nSingle = c;
      for (let q = 0; q < P; q++) {
        const [i, j] = deps[q]!;
        const a = votes[i]!;
        const b = votes[j]!;
        if (a < 0 || b < 0) continue;
        cols[c] = m * k + q * k * k + a * k + b;
        weights[c++] = 1;
        for (let s = 0; s < nSingle; s++) {
          const lf = Math.floor(cols[s]! / k);
          if (lf === i || lf === j) weights[s]! -= 1;
        }
      }
      return c;
    },
  };
}

/**
 * Checks that dependency pairs are valid LF indices, distinct, and form a forest (throws E_ARG); returns
 * the connected-component id of each LF.
 *
 * @example
 * ```ts
 * validateDeps([[0, 1], [1, 2]], 4); // Int32Array [c, c, c, c'] (LF 3 alone)
 * ```
 */
export function validateDeps(deps: readonly (readonly [number, number])[], m: number): Int32Array {
  const parent = Int32Array.from({ length: m }, (_, i) => i);
  const find = (x: number): number => {
    while (parent[x] !== x) x = parent[x] = parent[parent[x]!]!;
    return x;
  };
  for (const [i, j] of deps) {
    assert(
      Number.isInteger(i) && Number.isInteger(j) && i >= 0 && j >= 0 && i < m && j < m && i !== j,
      'E_ARG',
      () =>
        `Argument 'deps' passed to 'LabelModel.fit' has pair [${i}, ${j}]; expected two distinct LFs in 0..${m - 1}`,
    );
    const ri = find(i);
    const rj = find(j);
    assert(
      ri !== rj,
      'E_ARG',
      () =>
        `Argument 'deps' passed to 'LabelModel.fit' has a cycle at [${i}, ${j}]; dependencies must form a forest`,
    );
    parent[ri] = rj;
  }
  return Int32Array.from({ length: m }, (_, j) => find(j));
}

/**
 * The objective's `d × d` mask: 0 on blocks of column groups that share a maximal clique (they are not
 * modelled as conditionally independent), 1 elsewhere.
 *
 * @example
 * ```ts
 * buildMask(singleTaskLayout(3, 2)); // zero 2×2 blocks on the diagonal
 * ```
 */
export function buildMask(layout: ColumnLayout): Uint8Array {
  const { d, groups } = layout;
  const mask = new Uint8Array(d * d).fill(1);
  for (const gi of groups) {
    for (const gj of groups) {
      if (!gi.maxCliques.some((c) => gj.maxCliques.includes(c))) continue;
      for (let a = gi.start; a < gi.start + gi.size; a++)
        for (let b = gj.start; b < gj.start + gj.size; b++) mask[a * d + b] = 0;
    }
  }
  return mask;
}

/** Rows with multiplicities: a label matrix, or a statistics pattern histogram. */
export interface RowSource {
  /** Total weight (rows). */
  n: number;
  forEach(cb: (votes: ArrayLike<number>, weight: number) => void): void;
}

/**
 * Rows of a label matrix, each with weight 1.
 *
 * @example
 * ```ts
 * rowsOfMatrix(L).forEach((votes, w) => { ... });
 * ```
 */
export function rowsOfMatrix(L: LabelMatrixLike): RowSource {
  return {
    n: L.n,
    forEach(cb) {
      for (let i = 0; i < L.n; i++) cb(L.data.subarray(i * L.m, (i + 1) * L.m), 1);
    },
  };
}

/**
 * Distinct rows of `stats` with their counts, or undefined when the histogram was dropped.
 *
 * @example
 * ```ts
 * rowsOfStats(LabelStats.fromMatrix(L, 2))?.forEach((votes, count) => { ... });
 * ```
 */
export function rowsOfStats(stats: LabelStats): RowSource | undefined {
  const patterns = stats.patterns;
  if (patterns === null) return undefined;
  // decode once: rows × m votes and their counts
  const m = stats.m;
  const votes = new Int32Array(patterns.size * m);
  const counts = new Float64Array(patterns.size);
  let r = 0;
  for (const [key, count] of patterns) {
    votes.set(decodePattern(key), r * m);
    counts[r++] = count;
  }
  return {
    n: stats.n,
    forEach(cb) {
      for (let i = 0; i < counts.length; i++) cb(votes.subarray(i * m, (i + 1) * m), counts[i]!);
    },
  };
}

/**
 * `O = E[ψ ψᵀ]` over the layout's indicator columns ψ (`d × d`), in one pass over `rows`.
 *
 * @example
 * ```ts
 * const O = overlapsOf(singleTaskLayout(L.m, 2, [[0, 1]]), rowsOfMatrix(L));
 * ```
 */
export function overlapsOf(layout: ColumnLayout, rows: RowSource): Float64Array {
  const { d } = layout;
  const O = new Float64Array(d * d);
  const cols = new Int32Array(layout.maxActive);
  const w = new Float64Array(layout.maxActive);
  rows.forEach((votes, weight) => {
    const c = layout.encode(votes, cols, w);
    for (let a = 0; a < c; a++) {
      const ra = cols[a]! * d;
      for (let b = 0; b < c; b++) O[ra + cols[b]!]! += weight;
    }
  });
  for (let i = 0; i < O.length; i++) O[i]! /= rows.n;
  return O;
}
