import type { LFSummaryRow } from '../labeling/index.js';
import type { MetricRecord } from '../training/index.js';
import { lossCurveSvg, lrCurveSvg, metricCurveSvg, type CurveChartOptions } from './curve-charts.js';
import type { ScoreRow, SliceScore } from './final-scores.js';
import { escapeHtml, formatNumber, htmlFigure, htmlTable, type Cell } from './html.js';
import { ladderGroup, ladderSvg, type LadderRow } from './ladder-chart.js';
import { lfChartSvg, lfRows, type LabelModelWeights } from './lf-charts.js';
import { scoreBarSvg, sliceScoreSvg } from './score-charts.js';

/**
 * The sections of a run report, each an HTML string (`''` when its data is absent): run information,
 * training curves, final scores, slices, labeling functions and the supervision ladder.
 */

function section(id: string, title: string, body: string): string {
  return `<section id="${id}"><h2>${escapeHtml(title)}</h2>${body}</section>`;
}

function prettyConfig(config: unknown): string {
  if (typeof config === 'string') return config;
  try {
    return (
      JSON.stringify(
        config,
        (_k, v: unknown) =>
          typeof v === 'bigint' ? v.toString() : ArrayBuffer.isView(v) ? Array.from(v as Float64Array) : v,
        2,
      ) ?? String(config)
    );
  } catch {
    return String(config);
  }
}

function isoTime(seconds: number): string {
  const d = new Date(seconds * 1000);
  return Number.isFinite(d.getTime()) ? d.toISOString() : '—';
}

/**
 * The run section: folder, evaluations, steps, epochs, start time and wall time from the metric log, the
 * caller's extra facts, and the config as pretty JSON in a `<details>`.
 *
 * @example
 * ```ts
 * runInfoSection({ records, runDir: 'runs/a', config: { lr: 0.001 } });
 * // '<section id="run"><h2>Run</h2><dl>…</dl><details><summary>Configuration</summary><pre>{\n  "lr": 0.001\n}</pre></details></section>'
 * ```
 */
export function runInfoSection(input: {
  records: readonly MetricRecord[];
  runDir?: string;
  config?: unknown;
  info?: Readonly<Record<string, string | number | boolean>>;
  generatedAt?: Date;
}): string {
  const facts: [string, string][] = [];
  if (input.runDir !== undefined) facts.push(['run folder', input.runDir]);
  const recs = input.records;
  facts.push(['evaluations', String(recs.length)]);
  if (recs.length > 0) {
    const first = recs[0]!;
    const last = recs[recs.length - 1]!;
    facts.push(['steps', `${formatNumber(first.step)} – ${formatNumber(last.step)}`]);
    facts.push(['epochs', formatNumber(last.epoch)]);
    facts.push(['started', isoTime(first.wallTime)]);
    const seconds = last.wallTime - first.wallTime;
    facts.push([
      'wall time, first to last evaluation',
      Number.isFinite(seconds) ? `${seconds.toFixed(1)} s` : '—',
    ]);
  }
  for (const [k, v] of Object.entries(input.info ?? {}))
    facts.push([k, typeof v === 'number' ? formatNumber(v) : String(v)]);
  if (input.generatedAt !== undefined) facts.push(['report generated', input.generatedAt.toISOString()]);
  const dl = `<dl>${facts.map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${escapeHtml(v)}</dd>`).join('')}</dl>`;
  const config =
    input.config === undefined
      ? ''
      : `<details id="config"><summary>Configuration</summary><pre>${escapeHtml(prettyConfig(input.config))}</pre></details>`;
  return section('run', 'Run', dl + config);
}

/**
 * The curves section: loss, evaluation-metric and learning-rate charts, each left out when the log has no
 * finite value for it; `''` when all three are.
 *
 * @example
 * ```ts
 * await curvesSection(records); // '<section id="curves"><h2>Training curves</h2><figure><svg …'
 * ```
 */
export async function curvesSection(
  records: readonly MetricRecord[],
  options: CurveChartOptions = {},
): Promise<string> {
  const [loss, metrics, lr] = await Promise.all([
    lossCurveSvg(records, options),
    metricCurveSvg(records, options),
    lrCurveSvg(records, options),
  ]);
  const figures = [
    loss === undefined
      ? ''
      : htmlFigure(loss, 'Loss per task and overall (validation losses, when logged, dashed)'),
    metrics === undefined ? '' : htmlFigure(metrics, 'Evaluation metrics'),
    lr === undefined ? '' : htmlFigure(lr, 'Learning rate'),
  ].join('');
  return figures === '' ? '' : section('curves', 'Training curves', `<div class="figures">${figures}</div>`);
}

/**
 * The final-scores section: a bar chart and a table (task, dataset, split, metric, score, step); `''`
 * without rows.
 *
 * @example
 * ```ts
 * await scoresSection([{ task: 'RTE', dataset: 'RTE', split: 'valid', metric: 'accuracy', value: 0.61, step: 200 }]);
 * ```
 */
export async function scoresSection(rows: readonly ScoreRow[]): Promise<string> {
  if (rows.length === 0) return '';
  const svg = await scoreBarSvg(rows);
  const table = htmlTable(
    ['task', 'dataset', 'split', 'metric', 'score', 'step'],
    rows.map((r) => [r.task, r.dataset ?? '', r.split ?? '', r.metric, r.value, r.step]),
  );
  return section(
    'scores',
    'Final scores',
    (svg === undefined ? '' : htmlFigure(svg, 'Final scores')) + table,
  );
}

/**
 * The slices section: a grouped bar chart and a table (task, slice, split, size, metric, score, overall,
 * gap); `''` without rows.
 *
 * @example
 * ```ts
 * await slicesSection([{ slice: 'short', metric: 'accuracy', score: 0.9, size: 40 }]);
 * ```
 */
export async function slicesSection(rows: readonly SliceScore[]): Promise<string> {
  if (rows.length === 0) return '';
  const svg = await sliceScoreSvg(rows);
  const table = htmlTable(
    ['task', 'slice', 'split', 'size', 'metric', 'score', 'overall', 'gap'],
    rows.map((r) => [r.task ?? '', r.slice, r.split ?? '', r.size, r.metric, r.score, r.overall, r.gap]),
  );
  return section('slices', 'Slices', (svg === undefined ? '' : htmlFigure(svg, 'Scores per slice')) + table);
}

/**
 * The labeling-functions section: a bar chart and a table of the LF summary joined with the label model's
 * estimated accuracies, plus the class balance; `''` when neither is given.
 *
 * @example
 * ```ts
 * await lfSection(analysis.lfSummary(Ydev), { weights: lm.getWeights(), classBalance: lm.getClassBalance() });
 * ```
 */
export async function lfSection(
  summary?: readonly LFSummaryRow[],
  labelModel?: LabelModelWeights,
): Promise<string> {
  const rows = lfRows(summary, labelModel);
  if (rows.length === 0) return '';
  const svg = await lfChartSvg(summary, labelModel);
  const withGold = summary?.some((s) => s.empAcc !== undefined) ?? false;
  const headers = ['j', 'LF'];
  if (summary !== undefined) headers.push('polarity', 'coverage', 'overlaps', 'conflicts');
  if (withGold) headers.push('correct', 'incorrect', 'emp. accuracy');
  if (labelModel !== undefined) headers.push('label-model accuracy');
  const table = htmlTable(
    headers,
    rows.map((r) => {
      const cells: Cell[] = [r.j, r.lf];
      const s = r.summary;
      if (summary !== undefined) {
        cells.push(s?.polarity.join(', ') ?? '', s?.coverage, s?.overlaps, s?.conflicts);
      }
      if (withGold) cells.push(s?.correct, s?.incorrect, s?.empAcc);
      if (labelModel !== undefined) cells.push(r.weight);
      return cells;
    }),
  );
  const balance =
    labelModel?.classBalance === undefined
      ? ''
      : `<p>Label-model class balance: ${escapeHtml(labelModel.classBalance.map((p) => formatNumber(p)).join(', '))}</p>`;
  return section(
    'lfs',
    'Labeling functions',
    (svg === undefined ? '' : htmlFigure(svg, 'Coverage and accuracy per labeling function')) +
      table +
      balance,
  );
}

/**
 * The ladder section: a chart and a table (task, metric, rung, mean ± sd, n, change from the previous rung
 * of the same task and metric); `''` without rows.
 *
 * @example
 * ```ts
 * await ladderSection([{ rung: 'BiLSTM', mean: 0.55, sd: 0.01, n: 3 }, { rung: '+ GloVe', mean: 0.58, sd: 0.02, n: 3 }]);
 * // … <td>+ GloVe</td><td>0.5800 ± 0.0200</td><td class="num">3</td><td class="num">0.0300</td> …
 * ```
 */
export async function ladderSection(rows: readonly LadderRow[]): Promise<string> {
  if (rows.length === 0) return '';
  const svg = await ladderSvg(rows);
  const previous = new Map<string, number>();
  const table = htmlTable(
    ['task', 'metric', 'rung', 'mean ± sd', 'n', 'Δ vs previous rung'],
    rows.map((r) => {
      const group = ladderGroup(r);
      const before = previous.get(group);
      if (Number.isFinite(r.mean)) previous.set(group, r.mean);
      return [
        r.task ?? '',
        r.metric ?? '',
        r.rung,
        `${formatNumber(r.mean)} ± ${formatNumber(r.sd)}`,
        r.n,
        before === undefined ? null : r.mean - before,
      ];
    }),
  );
  return section(
    'ladder',
    'Supervision ladder',
    (svg === undefined ? '' : htmlFigure(svg, 'Ladder: mean ± sd over seeds')) + table,
  );
}
