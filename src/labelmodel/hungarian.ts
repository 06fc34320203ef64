/**
 * Minimum-cost assignment on a square cost matrix (Hungarian / Kuhn–Munkres with potentials, O(k³)).
 * Returns `assign` with `assign[row] = column`.
 *
 * @example
 * ```ts
 * hungarian([[4, 1], [2, 3]]); // Int32Array [1, 0] (cost 1 + 2)
 * ```
 */
export function hungarian(cost: readonly (readonly number[])[]): Int32Array {
  const n = cost.length;
  // 1-based potentials u (rows), v (cols); way[] for augmenting paths; colRow[j] = row matched to column j.
  const u = new Float64Array(n + 1);
  const v = new Float64Array(n + 1);
  const colRow = new Int32Array(n + 1);
  const way = new Int32Array(n + 1);
  for (let i = 1; i <= n; i++) {
    colRow[0] = i;
    let j0 = 0;
    const minv = new Float64Array(n + 1).fill(Infinity);
    const used = new Uint8Array(n + 1);
    do {
      used[j0] = 1;
      const i0 = colRow[j0]!;
      let delta = Infinity;
      let j1 = 0;
      for (let j = 1; j <= n; j++) {
        if (used[j] === 1) continue;
        const cur = cost[i0 - 1]![j - 1]! - u[i0]! - v[j]!;
        if (cur < minv[j]!) {
          minv[j] = cur;
          way[j] = j0;
        }
        if (minv[j]! < delta) {
          delta = minv[j]!;
          j1 = j;
        }
      }
      for (let j = 0; j <= n; j++) {
        if (used[j] === 1) {
          u[colRow[j]!]! += delta;
          v[j]! -= delta;
        } else minv[j]! -= delta;
      }
      j0 = j1;
    } while (colRow[j0] !== 0);
    do {
      const j1 = way[j0]!;
      colRow[j0] = colRow[j1]!;
      j0 = j1;
    } while (j0 !== 0);
  }
  const assign = new Int32Array(n);
  for (let j = 1; j <= n; j++) if (colRow[j]! > 0) assign[colRow[j]! - 1] = j - 1;
  return assign;
}
