// The two passes over a whole label matrix — overlap counts for the fit, posteriors for predictProba — as
// self-contained functions (no imports, no closures, no inner functions), so that the same source runs on
// the main thread and, through `Function.prototype.toString`, in worker threads on a share of the rows
// (parallel.ts). Both check every vote and return the flat index of the first bad one.

/**
 * Adds rows `[from, to)` of `data` (`n × m`, votes −1..k−1) to `counts` (`d × d`, d = m·k, upper triangle
 * only: a ≤ b, columns of a row come in increasing order) and `lfVotes` (`m`). `cols` is scratch of length m.
 * Returns −1, or the flat index of the first vote outside −1..k−1.
 *
 * @example
 * ```ts
 * countRows(L.data, L.m, 2, 2 * L.m, 0, L.n, new Int32Array(4 * L.m * L.m), new Float64Array(L.m), new Int32Array(L.m));
 * ```
 */
export function countRows(
  data: ArrayLike<number>,
  m: number,
  k: number,
  d: number,
  from: number,
  to: number,
  counts: Int32Array,
  lfVotes: Float64Array,
  cols: Int32Array,
): number {
  for (let i = from, base = from * m; i < to; i++, base += m) {
    // branch-free gather: every vote is written, only non-abstains advance nc (votes are mostly abstains,
    // and a branch per vote mispredicts on every vote)
    let nc = 0;
    let bad = 0;
    for (let j = 0, jk = 0; j < m; j++, jk += k) {
      const v = data[base + j]!;
      cols[nc] = jk + v;
      nc += 1 - (v >>> 31);
      bad |= ((v + 1) >>> 31) | ((k - 1 - v) >>> 31);
    }
    if (bad !== 0) {
      for (let j = 0; j < m; j++) if (data[base + j]! < -1 || data[base + j]! >= k) return base + j;
    }
    for (let a = 0; a < nc; a++) {
      const ca = cols[a]!;
      lfVotes[(ca - (ca % k)) / k]!++;
      const row = ca * d;
      for (let b = a; b < nc; b++) counts[row + cols[b]!]!++;
    }
  }
  return -1;
}

/**
 * Posteriors of conditionally independent LFs for rows `[from, to)`, written to `probs` from row 0 (`rows ×
 * k`): log p_y + Σ_voting log μ[j·k + v, y], normalised. A row with votes whose posterior is not finite or
 * flat gets its majority vote when that is not flat too. Returns the number of such rows, or −(index + 2)
 * of the first bad vote.
 *
 * @example
 * ```ts
 * const probs = new Float64Array(L.n * k);
 * posteriorRows(L.data, L.m, k, logMu, logP, 0, L.n, probs, new Float64Array(k));
 * ```
 */
export function posteriorRows(
  data: ArrayLike<number>,
  m: number,
  k: number,
  logMu: Float64Array,
  logP: Float64Array,
  from: number,
  to: number,
  probs: Float64Array,
  counts: Float64Array,
): number {
  let collapsed = 0;
  if (k === 2) {
    // one log-odds sum per row, branch-free: w[3j] = 0 (abstain), w[3j + 1 + v] = log μ(v, 1) − log μ(v, 0)
    const w = new Float64Array(m * 3);
    for (let j = 0; j < m; j++) {
      for (let v = 0; v < 2; v++) w[j * 3 + 1 + v] = logMu[(j * 2 + v) * 2 + 1]! - logMu[(j * 2 + v) * 2]!;
    }
    const prior = logP[1]! - logP[0]!;
    for (let i = from, base = from * m, off = 0; i < to; i++, base += m, off += 2) {
      let s = prior;
      let nv = 0;
      let ones = 0;
      let bad = 0;
      for (let j = 0, j3 = 1; j < m; j++, j3 += 3) {
        const v = data[base + j]!;
        bad |= ((v + 1) >>> 31) | ((1 - v) >>> 31);
        s += w[j3 + v]!;
        nv += 1 - (v >>> 31);
        ones += v & (1 - (v >>> 31));
      }
      if (bad !== 0) {
        for (let j = 0; j < m; j++) if (data[base + j]! < -1 || data[base + j]! > 1) return -(base + j) - 2;
      }
      if (nv > 0 && !(Math.abs(s) > 1e-12 && Number.isFinite(s)) && ones * 2 !== nv) {
        const p1 = ones * 2 > nv ? 1 : 0;
        probs[off] = 1 - p1;
        probs[off + 1] = p1;
        collapsed++;
      } else if (Number.isNaN(s)) {
        probs[off] = 0.5;
        probs[off + 1] = 0.5;
      } else {
        const p1 = s >= 0 ? 1 / (1 + Math.exp(-s)) : Math.exp(s) / (1 + Math.exp(s));
        probs[off] = 1 - p1;
        probs[off + 1] = p1;
      }
    }
    return collapsed;
  }
  for (let i = from, base = from * m, off = 0; i < to; i++, base += m, off += k) {
    for (let y = 0; y < k; y++) probs[off + y] = logP[y]!;
    let nv = 0;
    for (let j = 0; j < m; j++) {
      const v = data[base + j]!;
      if (v < 0) {
        if (v !== -1) return -(base + j) - 2;
        continue;
      }
      if (v >= k) return -(base + j) - 2;
      const o = (j * k + v) * k;
      for (let y = 0; y < k; y++) probs[off + y]! += logMu[o + y]!;
      nv++;
    }
    let max = -Infinity;
    for (let y = 0; y < k; y++) if (probs[off + y]! > max) max = probs[off + y]!;
    let sum = 0;
    let min = Infinity;
    for (let y = 0; y < k; y++) {
      const e = Math.exp(probs[off + y]! - max);
      probs[off + y] = e;
      sum += e;
      if (e < min) min = e;
    }
    const ok = Number.isFinite(max) && Number.isFinite(sum) && sum > 0;
    for (let y = 0; y < k; y++) probs[off + y]! /= sum;
    if (nv > 0 && (!ok || (1 - min) / sum < 1e-12)) {
      counts.fill(0);
      for (let j = 0; j < m; j++) if (data[base + j]! >= 0) counts[data[base + j]!]!++;
      let top = 0;
      for (let y = 0; y < k; y++) if (counts[y]! > top) top = counts[y]!;
      let nTop = 0;
      for (let y = 0; y < k; y++) if (counts[y] === top) nTop++;
      if (!ok || nTop < k) {
        for (let y = 0; y < k; y++) probs[off + y] = counts[y] === top ? 1 / nTop : 0;
        collapsed++;
      }
    }
  }
  return collapsed;
}
