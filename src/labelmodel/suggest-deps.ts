import { type LabelMatrixLike, validateLabelMatrix } from './label-matrix.js';

/** One suggested dependent pair. */
export interface DependencySuggestion {
  i: number;
  j: number;
  /** Observed agreement on the scored rows (both vote, proxy label defined). */
  observed: number;
  /** Agreement expected if i and j were independent given the proxy label. */
  expected: number;
  /** `observed − expected`: the ranking score. */
  excess: number;
  /** Rows scored for the pair. */
  overlap: number;
}

/** Options of {@link suggestDependencies}. */
export interface SuggestDependenciesOptions {
  /** Number of classes. */
  k: number;
  /** Most pairs returned (default 5). */
  topK?: number;
  /** Smallest excess agreement reported (default 0.1; conditionally independent pairs typically score 0–0.2 because the proxy label is noisy, copying pairs far more). */
  threshold?: number;
  /** Pairs scored on fewer rows are skipped (default 20). */
  minOverlap?: number;
}

/**
 * Ranks LF pairs by how much more often they agree than conditional independence predicts. Y is unknown,
 * so for pair (i, j) each row gets a proxy label: the majority vote of the *other* LFs (rows with a tie or
 * no other vote are skipped). Within each proxy class ŷ the observed agreement of i and j is compared with
 * Σ_v P(λ_i = v | ŷ) P(λ_j = v | ŷ); the excess, averaged over rows, ranks the pairs. A model-based score
 * (residual of a fitted conditionally-independent model) fails exactly here: such a model explains a
 * copying pair by making both LFs look perfect. Cost O(n·m²); pass the top pairs to `fit(L, { deps })`.
 *
 * @example
 * ```ts
 * suggestDependencies(L, { k: 2, topK: 3 });
 * // [{ i: 2, j: 5, observed: 0.95, expected: 0.66, excess: 0.29, overlap: 1480 }, ...]
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
  const minOverlap = opts.minOverlap ?? 20;
  const { n, m, data } = L;
  // class vote counts per row: votes[r·k + y]
  const votes = new Int32Array(n * k);
  for (let r = 0; r < n; r++)
    for (let j = 0; j < m; j++) if (data[r * m + j]! >= 0) votes[r * k + data[r * m + j]!]!++;
  const out: DependencySuggestion[] = [];
  // per proxy class: rows, agreements, value counts of i and of j
  const rows = new Float64Array(k);
  const agree = new Float64Array(k);
  const ci = new Float64Array(k * k);
  const cj = new Float64Array(k * k);
  for (let i = 0; i < m; i++) {
    for (let j = i + 1; j < m; j++) {
      rows.fill(0);
      agree.fill(0);
      ci.fill(0);
      cj.fill(0);
      for (let r = 0; r < n; r++) {
        const a = data[r * m + i]!;
        const b = data[r * m + j]!;
        if (a < 0 || b < 0) continue;
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
        if (best < 0 || tie) continue;
        rows[best]!++;
        if (a === b) agree[best]!++;
        ci[best * k + a]!++;
        cj[best * k + b]!++;
      }
      let total = 0;
      let obs = 0;
      let exp = 0;
      for (let y = 0; y < k; y++) {
        const ny = rows[y]!;
        if (ny === 0) continue;
        total += ny;
        obs += agree[y]!;
        let e = 0;
        for (let v = 0; v < k; v++) e += (ci[y * k + v]! / ny) * (cj[y * k + v]! / ny);
        exp += ny * e;
      }
      if (total < minOverlap) continue;
      const observed = obs / total;
      const expected = exp / total;
      if (observed - expected >= threshold)
        out.push({ i, j, observed, expected, excess: observed - expected, overlap: total });
    }
  }
  return out.sort((x, y) => y.excess - x.excess).slice(0, topK);
}
