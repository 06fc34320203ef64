/**
 * 1-based ranks of `values` with ties given the average of the ranks they span (scipy's
 * `rankdata(method='average')`). Internal (not re-exported).
 *
 * @example
 * ```ts
 * averageRanks([10, 30, 20, 20]); // Float64Array [1, 4, 2.5, 2.5]
 * ```
 */
export function averageRanks(values: ArrayLike<number>): Float64Array {
  const n = values.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => values[a]! - values[b]!);
  const ranks = new Float64Array(n);
  let i = 0;
  while (i < n) {
    let j = i;
    while (j + 1 < n && values[order[j + 1]!] === values[order[i]!]) j++;
    const rank = (i + j) / 2 + 1;
    for (let m = i; m <= j; m++) ranks[order[m]!] = rank;
    i = j + 1;
  }
  return ranks;
}
