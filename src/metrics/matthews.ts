import { checkPair } from './validate.js';

/**
 * Matthews correlation coefficient, multiclass form (Gorodkin 2004, as scikit-learn's
 * `matthews_corrcoef`): `(c·s − Σ pₖtₖ) / √((s² − Σ pₖ²)(s² − Σ tₖ²))` with `c` correct rows, `s` rows,
 * `pₖ`/`tₖ` predicted/true counts of class k. Returns 0 when the denominator is 0 (e.g. only one class in
 * golds or in preds). GLUE's CoLA metric.
 *
 * @example
 * ```ts
 * matthewsCorrcoef([1, 1, 1, 0], [1, 0, 1, 1]); // -0.3333333333333333
 * matthewsCorrcoef([1, 1, 1, 1], [1, 0, 1, 1]); // 0 (one gold class)
 * ```
 */
export function matthewsCorrcoef(golds: ArrayLike<number>, preds: ArrayLike<number>): number {
  const n = checkPair(golds, preds, 'matthewsCorrcoef');
  const t = new Map<number, number>();
  const p = new Map<number, number>();
  let correct = 0;
  for (let i = 0; i < n; i++) {
    const g = golds[i]!;
    const q = preds[i]!;
    if (g === q) correct++;
    t.set(g, (t.get(g) ?? 0) + 1);
    p.set(q, (p.get(q) ?? 0) + 1);
  }
  let pt = 0;
  for (const [label, count] of p) pt += count * (t.get(label) ?? 0);
  let pp = 0;
  for (const count of p.values()) pp += count * count;
  let tt = 0;
  for (const count of t.values()) tt += count * count;
  const denom = Math.sqrt((n * n - pp) * (n * n - tt));
  return denom === 0 ? 0 : (correct * n - pt) / denom;
}
