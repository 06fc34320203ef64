import { renderVegaLite, type ChartSpec } from './render-svg.js';

/**
 * The supervision ladder: one rung per added signal, each a mean ± sd over seeds of a dev metric. Drawn as
 * points with ±sd error rules, rungs in the given order, one panel per (task, metric) when there are several.
 */

/**
 * One rung of a supervision ladder.
 *
 * @example
 * ```ts
 * const row: LadderRow = { rung: '+ GloVe', mean: 0.58, sd: 0.02, n: 3, task: 'RTE', metric: 'accuracy' };
 * ```
 */
export interface LadderRow {
  /** The rung, e.g. `'+ GloVe'`. */
  rung: string;
  /** Mean of the metric over seeds. */
  mean: number;
  /** Standard deviation over seeds (0 or NaN with one seed). */
  sd: number;
  /** Number of seeds. */
  n?: number;
  /** Task, e.g. `'RTE'`. */
  task?: string;
  /** Metric, e.g. `'accuracy'`. */
  metric?: string;
}

/**
 * The panel a ladder row belongs to: `task · metric`, or '' when neither is set.
 *
 * @example
 * ```ts
 * ladderGroup({ rung: '+ GloVe', mean: 0.58, sd: 0.02, task: 'RTE', metric: 'accuracy' }); // 'RTE · accuracy'
 * ```
 */
export function ladderGroup(row: LadderRow): string {
  return [row.task, row.metric].filter((s) => s !== undefined && s !== '').join(' · ');
}

/**
 * The Vega-Lite spec of a ladder chart: a point at `mean` and a rule from mean − sd to mean + sd per
 * rung, rungs in input order, x axis not forced to zero; faceted into rows with independent x scales when rows have several `task · metric` groups.
 * Rows with a non-finite mean are left out.
 *
 * @example
 * ```ts
 * const spec = ladderChartSpec([{ rung: 'BiLSTM', mean: 0.55, sd: 0.01 }, { rung: '+ GloVe', mean: 0.58, sd: 0.02 }]);
 * 'layer' in spec; // true
 * ```
 */
export function ladderChartSpec(rows: readonly LadderRow[]): ChartSpec {
  const values = rows
    .filter((r) => Number.isFinite(r.mean))
    .map((r) => {
      const sd = Number.isFinite(r.sd) ? r.sd : 0;
      return { rung: r.rung, mean: r.mean, lo: r.mean - sd, hi: r.mean + sd, group: ladderGroup(r) };
    });
  const rungs = [...new Set(values.map((v) => v.rung))];
  const groups = new Set(values.map((v) => v.group));
  const y = { field: 'rung', type: 'nominal', sort: rungs, title: 'rung', axis: { labelLimit: 320 } };
  const x = { field: 'mean', type: 'quantitative', title: 'mean ± sd', scale: { zero: false } };
  const layer = [
    {
      mark: { type: 'rule', color: '#4c78a8', strokeWidth: 2 },
      encoding: {
        y,
        x: {
          field: 'lo',
          type: 'quantitative',
          title: 'mean ± sd',
          scale: { zero: false, nice: true, padding: 12 },
        },
        x2: { field: 'hi' },
      },
    },
    {
      mark: { type: 'point', filled: true, size: 60, color: '#4c78a8' },
      encoding: { y, x },
    },
    {
      mark: { type: 'text', align: 'left', baseline: 'middle', dx: 6, fontSize: 10 },
      encoding: {
        y,
        x: { field: 'hi', type: 'quantitative' },
        text: { field: 'mean', type: 'quantitative', format: '.3f' },
      },
    },
  ];
  const single = { width: 460, height: { step: 22 }, layer };
  if (groups.size <= 1) {
    const title = [...groups][0];
    return { data: { values }, ...single, ...(title ? { title } : {}) } as ChartSpec;
  }
  return {
    data: { values },
    facet: { row: { field: 'group', type: 'nominal', title: null, sort: [...groups] } },
    spec: single,
    resolve: { scale: { x: 'independent', y: 'independent' } },
  } as ChartSpec;
}

/**
 * A ladder chart as SVG; `undefined` when no rung has a finite mean.
 *
 * @example
 * ```ts
 * const svg = await ladderSvg([{ rung: 'BiLSTM', mean: 0.55, sd: 0.01, task: 'RTE', metric: 'accuracy' }]);
 * svg?.includes('BiLSTM'); // true
 * ```
 */
export async function ladderSvg(rows: readonly LadderRow[]): Promise<string | undefined> {
  if (!rows.some((r) => Number.isFinite(r.mean))) return undefined;
  return renderVegaLite(ladderChartSpec(rows));
}
