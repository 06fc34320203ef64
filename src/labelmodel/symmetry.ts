import { hungarian } from './hungarian.js';

/**
 * Resolves the label-swapping symmetry of μ (`d × k`, first `m·k` rows = per-LF blocks): within each group
 * of classes with equal prior (to 3 decimals), permutes μ's columns so that Σ_j diag(μ_j P) is largest,
 * via the Hungarian method. `snorkelCompat` reproduces Snorkel 0.10's assignment orientation, which for
 * k ≥ 3 cycles picks the inverse permutation of the optimal one.
 *
 * @example
 * ```ts
 * breakColumnSymmetry(mu, p, m, k, false); // mu permuted in place
 * ```
 */
export function breakColumnSymmetry(
  mu: Float64Array,
  p: Float64Array,
  m: number,
  k: number,
  snorkelCompat: boolean,
): void {
  const d = mu.length / k;
  // probsSum[r][c] = Σ_j μ[j·k + r, c] · p[c]   (k × k)
  const probsSum = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  for (let j = 0; j < m; j++) {
    for (let r = 0; r < k; r++)
      for (let c = 0; c < k; c++) probsSum[r]![c]! += mu[(j * k + r) * k + c]! * p[c]!;
  }
  const groups = new Map<number, number[]>();
  p.forEach((v, c) => {
    const key = Math.round(v * 1000);
    groups.set(key, [...(groups.get(key) ?? []), c]);
  });
  const source = Int32Array.from({ length: k }, (_, c) => c); // new column c takes old column source[c]
  for (const g of groups.values()) {
    if (g.length < 2) continue;
    // cost[i][j]: new column g[i] takes old column g[j]
    const cost = g.map((gi) => g.map((gj) => (snorkelCompat ? -probsSum[gj]![gi]! : -probsSum[gi]![gj]!)));
    const assign = hungarian(cost);
    g.forEach((gi, i) => (source[gi] = g[assign[i]!]!));
  }
  if (source.every((s, c) => s === c)) return;
  const old = mu.slice();
  for (let a = 0; a < d; a++) for (let c = 0; c < k; c++) mu[a * k + c] = old[a * k + source[c]!]!;
}
