import type { MetricRecord } from '../training/index.js';
import {
  curvePoints,
  longestSeries,
  type CurvePoint,
  type CurvePointsOptions,
  type KeyParts,
} from './metric-series.js';
import { renderVegaLite, type ChartSpec } from './render-svg.js';

/**
 * Line charts of a metric log against the optimizer step: one coloured line per metric key (validation
 * keys dashed when train and valid share a chart), points drawn when the curves are short so that a run
 * with a single evaluation still shows something.
 */

/**
 * Options of the curve charts.
 *
 * @example
 * ```ts
 * const opts: CurveChartOptions = { yTitle: 'loss', logY: true, maxPointsPerSeries: 200 };
 * ```
 */
export interface CurveChartOptions extends CurvePointsOptions {
  /** Title of the y axis (default 'value'). */
  yTitle?: string;
  /** Plot width in pixels (default 560). */
  width?: number;
  /** Plot height in pixels (default 260). */
  height?: number;
  /** Log-scaled y axis (default false; non-positive values are then dropped). */
  logY?: boolean;
}

/** Curves with at most this many points get point marks. */
const POINTS_UP_TO = 60;

/**
 * The Vega-Lite spec of a curve chart over prepared points (see {@link curvePoints}).
 *
 * @example
 * ```ts
 * const spec = curveChartSpec([{ step: 1, key: 'model/all/train/loss', split: 'train', value: 0.7 }], { yTitle: 'loss' });
 * spec.width; // 560
 * ```
 */
export function curveChartSpec(points: readonly CurvePoint[], options: CurveChartOptions = {}): ChartSpec {
  const values = options.logY ? points.filter((p) => p.value > 0) : [...points];
  const keys = new Set(values.map((p) => p.key)).size;
  const splits = new Set(values.map((p) => p.split)).size;
  const encoding: Record<string, unknown> = {
    x: { field: 'step', type: 'quantitative', title: 'step', axis: { format: '~r' } },
    y: {
      field: 'value',
      type: 'quantitative',
      title: options.yTitle ?? 'value',
      axis: { format: '~r' },
      scale: { zero: false, type: options.logY ? 'log' : 'linear' },
    },
    color: {
      field: 'key',
      type: 'nominal',
      title: 'metric key',
      scale: { scheme: keys > 10 ? 'tableau20' : 'tableau10' },
    },
  };
  if (splits > 1) encoding['strokeDash'] = { field: 'split', type: 'nominal', title: 'split' };
  return {
    width: options.width ?? 560,
    height: options.height ?? 260,
    data: { values },
    mark: { type: 'line', strokeWidth: 1.6, point: longestSeries(values) <= POINTS_UP_TO },
    encoding,
  };
}

/**
 * A curve chart of the metric keys that `select` accepts, as an SVG string; `undefined` when none of them
 * has a finite value (the report then leaves the chart out).
 *
 * @example
 * ```ts
 * const svg = await curveChartSvg(records, (p) => p.metric === 'accuracy', { yTitle: 'accuracy' });
 * svg?.includes('accuracy'); // true
 * ```
 */
export async function curveChartSvg(
  records: readonly MetricRecord[],
  select: (parts: KeyParts, key: string) => boolean,
  options: CurveChartOptions = {},
): Promise<string | undefined> {
  const points = curvePoints(records, select, options);
  const plotted = options.logY ? points.filter((p) => p.value > 0) : points;
  if (plotted.length === 0) return undefined;
  return renderVegaLite(curveChartSpec(plotted, options));
}

/**
 * Loss curves: every `…/loss` key (per-task train losses and the overall `model/all/train/loss`; validation
 * losses dashed when logged) against the step.
 *
 * @example
 * ```ts
 * const svg = await lossCurveSvg(await readMetricLog('runs/a/metrics.jsonl'));
 * // '<svg … class="marks" …>…<text …>loss</text>…</svg>' (undefined when the log has no loss)
 * ```
 */
export function lossCurveSvg(
  records: readonly MetricRecord[],
  options: CurveChartOptions = {},
): Promise<string | undefined> {
  return curveChartSvg(records, (p) => p.metric === 'loss', { yTitle: 'loss', ...options });
}

/**
 * Metric curves: every evaluation metric (split not `train`, metric not `loss`/`lr`, slice keys left out)
 * against the step, one line per key.
 *
 * @example
 * ```ts
 * const svg = await metricCurveSvg(records); // lines for 'RTE/RTE/valid/accuracy', 'model/all/valid/task_mean', …
 * ```
 */
export function metricCurveSvg(
  records: readonly MetricRecord[],
  options: CurveChartOptions = {},
): Promise<string | undefined> {
  return curveChartSvg(
    records,
    (p) =>
      p.metric !== '' &&
      p.metric !== 'loss' &&
      p.metric !== 'lr' &&
      p.split !== 'train' &&
      !p.dataset.includes(':'),
    { yTitle: 'score', ...options },
  );
}

/**
 * The learning-rate schedule: every `…/lr` key (`model/all/train/lr`) against the step.
 *
 * @example
 * ```ts
 * const svg = await lrCurveSvg(records); // one line, y axis titled 'learning rate'
 * ```
 */
export function lrCurveSvg(
  records: readonly MetricRecord[],
  options: CurveChartOptions = {},
): Promise<string | undefined> {
  return curveChartSvg(records, (p) => p.metric === 'lr', { yTitle: 'learning rate', ...options });
}
