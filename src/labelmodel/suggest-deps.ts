import { type LabelMatrixLike, validateLabelMatrix } from './label-matrix.js';

/** One suggested dependent pair. */
export interface DependencySuggestion {
  i: number;
  j: number;
  /** Rate at which i and j vote the same class, over the scored rows (within proxy classes). */
  observed: number;
  /** That rate if i and j were independent given the proxy label. */
  expected: number;
  /**
   * The ranking score: the correlation of the two LFs' vote indicators within each proxy class, averaged
   * over classes by rows (1 for an exact copy, about 0 for conditionally independent LFs).
   */
  excess: number;
  /** Rows on which both LFs vote. */
  overlap: number;
}

/** Options of {@link suggestDependencies}. */
export interface SuggestDependenciesOptions {
  /** Number of classes. */
  k: number;
  /** Most pairs returned (default 5). */
  topK?: number;
  /** Smallest score reported (default 0.1; conditionally independent pairs score about 0, copies near 1). */
  threshold?: number;
  /** Pairs that vote together on fewer rows are skipped (default 10). */
  minOverlap?: number;
}

/**
 * Ranks LF pairs by how strongly their votes go together beyond what the label explains. Y is unknown, so
 * each row gets a proxy label: the majority vote of the LFs other than the pair (rows with a tie or no other
 * vote are skipped). Within each proxy class ŷ the score is the correlation of the pair's one-hot vote
 * indicators — for LFs that vote one class only (the usual keyword LF) that is the correlation of firing
 * together, so copies and near-copies show up even though they never disagree — averaged over classes by
 * rows. A model-based score (residual of a fitted conditionally-independent model) fails exactly here: such
 * a model explains a copying pair by making both LFs look perfect. Pairs are then taken best first, skipping
 * any that would close a cycle, so the result is always a forest that `fit(L, { deps })` accepts. Cost
 * O(Σ_pairs rows voted by either LF · k).
 *
 * @example
 * ```ts
 * suggestDependencies(L, { k: 2, topK: 3 });
 * // [{ i: 2, j: 5, observed: 0.95, expected: 0.66, excess: 0.83, overlap: 1480 }, ...]
 * ```
 */
export function suggestDependencies(
  L: LabelMatrixLike,
  opts: SuggestDependenciesOptions,
): DependencySuggestion[] {
  const { k } = opts;
  validateLabelMatrix(L, k, 'suggestDependencies');
  const topK = opts.topK ?? 5;
  const threshold = opts.threshold ?? 0.1;
  const minOverlap = opts.minOverlap ?? 10;
  const { n, m, data } = L;
  // class vote counts per row, each row's proxy from all its votes, and the rows each LF votes on
  const votes = new Int32Array(n * k);
  for (let r = 0; r < n; r++)
    for (let j = 0; j < m; j++) if (data[r * m + j]! >= 0) votes[r * k + data[r * m + j]!]!++;
  const proxyAll = new Int32Array(n);
  const classRows = new Float64Array(k);
  for (let r = 0; r < n; r++) {
    proxyAll[r] = proxyOf(votes, r, k, -1, -1);
    if (proxyAll[r]! >= 0) classRows[proxyAll[r]!]!++;
  }
  const rowsOf: number[][] = Array.from({ length: m }, () => []);
  for (let r = 0; r < n; r++) for (let j = 0; j < m; j++) if (data[r * m + j]! >= 0) rowsOf[j]!.push(r);

  const scored: DependencySuggestion[] = [];
  const rows = new Float64Array(k); // rows per proxy class
  const ci = new Float64Array(k * k); // [ŷ][v]: i votes v
  const cj = new Float64Array(k * k);
  const cij = new Float64Array(k * k); // both vote v
  for (let i = 0; i < m; i++) {
    for (let j = i + 1; j < m; j++) {
      rows.set(classRows);
      ci.fill(0);
      cj.fill(0);
      cij.fill(0);
      let overlap = 0;
      // rows where i or j votes: move them from their all-votes proxy to the pair's proxy
      const visit = (r: number): void => {
        const a = data[r * m + i]!;
        const b = data[r * m + j]!;
        if (proxyAll[r]! >= 0) rows[proxyAll[r]!]!--;
        const y = proxyOf(votes, r, k, a, b);
        if (y < 0) return;
        rows[y]!++;
        if (a >= 0) ci[y * k + a]!++;
        if (b >= 0) cj[y * k + b]!++;
        if (a >= 0 && b >= 0) {
          overlap++;
          if (a === b) cij[y * k + a]!++;
        }
      };
      for (const r of rowsOf[i]!) visit(r);
      for (const r of rowsOf[j]!) if (data[r * m + i]! < 0) visit(r); // rows where both vote came with i's
      if (overlap < minOverlap) continue;
      let total = 0;
      let score = 0;
      let obs = 0;
      let exp = 0;
      for (let y = 0; y < k; y++) {
        const ny = rows[y]!;
        if (ny <= 0) continue;
        let cov = 0;
        let vi = 0;
        let vj = 0;
        for (let v = 0; v < k; v++) {
          const pi = ci[y * k + v]! / ny;
          const pj = cj[y * k + v]! / ny;
          cov += cij[y * k + v]! / ny - pi * pj;
          vi += pi * (1 - pi);
          vj += pj * (1 - pj);
          obs += cij[y * k + v]!;
          exp += ny * pi * pj;
        }
        if (vi > 0 && vj > 0) score += ny * (cov / Math.sqrt(vi * vj));
        total += ny;
      }
      if (total === 0) continue;
      const excess = score / total;
      if (excess >= threshold) {
        scored.push({ i, j, observed: obs / overlap, expected: exp / overlap, excess, overlap });
      }
    }
  }
  scored.sort((x, y) => y.excess - x.excess);
  // best first, never closing a cycle
  const parent = Int32Array.from({ length: m }, (_, x) => x);
  const find = (x: number): number => {
    while (parent[x] !== x) x = parent[x] = parent[parent[x]!]!;
    return x;
  };
  const out: DependencySuggestion[] = [];
  for (const s of scored) {
    if (out.length >= topK) break;
    const a = find(s.i);
    const b = find(s.j);
    if (a === b) continue;
    parent[a] = b;
    out.push(s);
  }
  return out;
}

/** Majority class of row r's votes without votes a and b (−1 = none given); −1 on a tie or no vote. */
function proxyOf(votes: Int32Array, r: number, k: number, a: number, b: number): number {
  let best = -1;
  let bestCount = 0;
  let tie = false;
  for (let y = 0; y < k; y++) {
    const c = votes[r * k + y]! - (a === y ? 1 : 0) - (b === y ? 1 : 0);
    if (c > bestCount) {
      best = y;
      bestCount = c;
      tie = false;
    } else if (c === bestCount && c > 0) tie = true;
  }
  return tie ? -1 : best;
}
