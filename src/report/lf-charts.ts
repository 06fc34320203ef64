import { assert } from '../core/index.js';
import type { LFSummaryRow } from '../labeling/index.js';
import { barChartSpec, type Bar } from './score-charts.js';
import { renderVegaLite } from './render-svg.js';

/**
 * Labeling-function statistics as bars: per LF its coverage, its empirical accuracy on gold labels (from
 * `LFAnalysis.lfSummary(Y)`) and the accuracy the label model estimated for it (`LabelModel.getWeights()`),
 * whichever are given.
 */

/**
 * A fitted label model's view of the LFs, for the report.
 *
 * @example
 * ```ts
 * const lm: LabelModelWeights = { weights: labelModel.getWeights(), classBalance: labelModel.getClassBalance() };
 * ```
 */
export interface LabelModelWeights {
  /** Estimated accuracy of each LF, in column order (`LabelModel.getWeights()`). */
  weights: ArrayLike<number>;
  /** LF names in column order; default: the LF summary's names, else `lf_0`, `lf_1`, …. */
  lfNames?: readonly string[];
  /** The class balance the model used (`LabelModel.getClassBalance()`), shown in the report. */
  classBalance?: readonly number[];
}

/**
 * One LF's row of the report's LF table: summary statistics and the label model's accuracy.
 *
 * @example
 * ```ts
 * lfRows(undefined, { weights: [0.9] }); // [{ lf: 'lf_0', j: 0, weight: 0.9 }]
 * ```
 */
export interface LFRow {
  /** LF name. */
  lf: string;
  /** Column index. */
  j: number;
  /** The LF's summary row, when a summary was given. */
  summary?: LFSummaryRow;
  /** The label model's estimated accuracy, when weights were given. */
  weight?: number;
}

/**
 * Joins an LF summary and label-model weights by column index. Weights whose length differs from the
 * summary's LF count are an `E_ARG` error.
 *
 * @example
 * ```ts
 * lfRows([{ lf: 'kw_free', j: 0, polarity: [1], coverage: 0.2, overlaps: 0.1, conflicts: 0 }], { weights: [0.83] });
 * // [{ lf: 'kw_free', j: 0, summary: { … }, weight: 0.83 }]
 * ```
 */
export function lfRows(summary?: readonly LFSummaryRow[], labelModel?: LabelModelWeights): LFRow[] {
  const weights = labelModel === undefined ? undefined : Array.from(labelModel.weights);
  if (summary !== undefined && weights !== undefined) {
    assert(
      weights.length === summary.length,
      'E_ARG',
      () =>
        `Argument 'labelModel.weights' passed to 'lfRows' has ${weights.length} LFs, but the LF summary has ${summary.length}`,
    );
  }
  const m = summary?.length ?? weights?.length ?? 0;
  return Array.from({ length: m }, (_, j) => {
    const s = summary?.[j];
    const row: LFRow = { lf: s?.lf ?? labelModel?.lfNames?.[j] ?? `lf_${j}`, j: s?.j ?? j };
    if (s !== undefined) row.summary = s;
    if (weights !== undefined) row.weight = weights[j]!;
    return row;
  });
}

/**
 * A grouped bar chart per LF: coverage, empirical accuracy (when the summary has gold-label accuracies)
 * and label-model accuracy (when weights are given), on a 0–1 axis; `undefined` when there is nothing to
 * plot.
 *
 * @example
 * ```ts
 * const svg = await lfChartSvg(analysis.lfSummary(Ydev), { weights: labelModel.getWeights() });
 * // bars 'coverage', 'empirical accuracy', 'label-model accuracy' for every LF
 * ```
 */
export async function lfChartSvg(
  summary?: readonly LFSummaryRow[],
  labelModel?: LabelModelWeights,
): Promise<string | undefined> {
  const bars: Bar[] = [];
  for (const r of lfRows(summary, labelModel)) {
    if (r.summary !== undefined) {
      bars.push({ label: r.lf, value: r.summary.coverage, group: 'coverage' });
      const acc = r.summary.empAcc;
      if (typeof acc === 'number') bars.push({ label: r.lf, value: acc, group: 'empirical accuracy' });
    }
    if (r.weight !== undefined) bars.push({ label: r.lf, value: r.weight, group: 'label-model accuracy' });
  }
  if (!bars.some((b) => Number.isFinite(b.value))) return undefined;
  return renderVegaLite(
    barChartSpec(bars, {
      xTitle: 'fraction',
      yTitle: 'labeling function',
      groupTitle: 'statistic',
      domain: [0, 1],
    }),
  );
}
