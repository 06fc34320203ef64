import type { ScoreRow, SliceScore } from './final-scores.js';
import { renderVegaLite, type ChartSpec } from './render-svg.js';

/**
 * Horizontal bar charts of final scores: one bar per (task, metric) score, and per-slice scores grouped by
 * slice with one bar per metric. Each bar is labelled with its value; non-finite scores are not drawn.
 */

/**
 * One bar of a {@link barChartSpec}.
 *
 * @example
 * ```ts
 * const bar: Bar = { label: 'short', value: 0.9, group: 'accuracy' };
 * ```
 */
export interface Bar {
  /** The bar's label on the y axis (bars keep the given order). */
  label: string;
  /** Bar length. */
  value: number;
  /** Group: bars of one label are split by group (colour and offset). */
  group?: string;
}

/**
 * Options of {@link barChartSpec}.
 *
 * @example
 * ```ts
 * barChartSpec(bars, { xTitle: 'fraction', domain: [0, 1], groupTitle: 'statistic' });
 * ```
 */
export interface BarChartOptions {
  /** Title of the x axis (default 'score'). */
  xTitle?: string;
  /** Title of the y axis (default none). */
  yTitle?: string;
  /** Title of the colour legend when bars are grouped (default 'metric'). */
  groupTitle?: string;
  /** Plot width in pixels (default 480). */
  width?: number;
  /** Fixed x domain, e.g. `[0, 1]` for fractions. */
  domain?: [number, number];
}

/**
 * The Vega-Lite spec of a horizontal bar chart with value labels; bars with a `group` are drawn side by
 * side within their label. Non-finite values are left out.
 *
 * @example
 * ```ts
 * barChartSpec([{ label: 'RTE · accuracy', value: 0.61 }], { xTitle: 'score' }).width; // 480
 * ```
 */
export function barChartSpec(bars: readonly Bar[], options: BarChartOptions = {}): ChartSpec {
  const values = bars.filter((b) => Number.isFinite(b.value)).map((b) => ({ ...b, group: b.group ?? '' }));
  const grouped = new Set(values.map((b) => b.group)).size > 1;
  const labels = [...new Set(values.map((b) => b.label))];
  const x: Record<string, unknown> = {
    field: 'value',
    type: 'quantitative',
    title: options.xTitle ?? 'score',
  };
  if (options.domain) x['scale'] = { domain: options.domain };
  const encoding: Record<string, unknown> = {
    y: {
      field: 'label',
      type: 'nominal',
      sort: labels,
      title: options.yTitle ?? null,
      axis: { labelLimit: 320 },
    },
    x,
  };
  if (grouped) {
    encoding['yOffset'] = { field: 'group', type: 'nominal' };
    encoding['color'] = { field: 'group', type: 'nominal', title: options.groupTitle ?? 'metric' };
  }
  return {
    width: options.width ?? 480,
    height: { step: grouped ? 12 : 18 },
    data: { values },
    encoding,
    layer: [
      { mark: grouped ? { type: 'bar' } : { type: 'bar', color: '#4c78a8' } },
      {
        mark: { type: 'text', align: 'left', baseline: 'middle', dx: 3, fontSize: 10 },
        encoding: { text: { field: 'value', type: 'quantitative', format: '.3f' } },
      },
    ],
  };
}

function scoreLabel(r: ScoreRow): string {
  const dataset = r.dataset !== undefined && r.dataset !== '' && r.dataset !== r.task ? `/${r.dataset}` : '';
  const split = r.split !== undefined && r.split !== '' ? ` (${r.split})` : '';
  return `${r.task}${dataset} · ${r.metric}${split}`;
}

/**
 * A bar chart of final scores, one bar per row (labelled `task · metric (split)`); `undefined` when no row
 * has a finite value.
 *
 * @example
 * ```ts
 * const svg = await scoreBarSvg([{ task: 'RTE', split: 'valid', metric: 'accuracy', value: 0.61 }]);
 * svg?.includes('RTE · accuracy (valid)'); // true
 * ```
 */
export async function scoreBarSvg(rows: readonly ScoreRow[]): Promise<string | undefined> {
  const bars = rows.map((r) => ({ label: scoreLabel(r), value: r.value }));
  if (!bars.some((b) => Number.isFinite(b.value))) return undefined;
  return renderVegaLite(barChartSpec(bars, { xTitle: 'score' }));
}

/**
 * A bar chart of per-slice scores: one label per slice (`task / slice` when several tasks have slices), one
 * bar per metric; `undefined` when no row has a finite score.
 *
 * @example
 * ```ts
 * const svg = await sliceScoreSvg([{ slice: 'short', metric: 'accuracy', score: 0.9 }, { slice: 'short', metric: 'f1', score: 0.8 }]);
 * svg?.includes('short'); // true
 * ```
 */
export async function sliceScoreSvg(rows: readonly SliceScore[]): Promise<string | undefined> {
  const tasks = new Set(rows.map((r) => r.task ?? ''));
  const bars = rows.map((r) => ({
    label: tasks.size > 1 ? `${r.task ?? ''} / ${r.slice}` : r.slice,
    value: r.score,
    group: r.metric,
  }));
  if (!bars.some((b) => Number.isFinite(b.value))) return undefined;
  return renderVegaLite(barChartSpec(bars, { xTitle: 'score', yTitle: 'slice', groupTitle: 'metric' }));
}
