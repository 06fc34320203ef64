import { assert } from '../core/index.js';
import type { LFSummaryRow } from '../labeling/index.js';
import type { MetricRecord } from '../training/index.js';
import { finalScores, sliceScoresFromLog, type ScoreRow, type SliceScore } from './final-scores.js';
import { escapeHtml } from './html.js';
import type { LadderRow } from './ladder-chart.js';
import type { LabelModelWeights } from './lf-charts.js';
import type { CurvePointsOptions } from './metric-series.js';
import {
  curvesSection,
  ladderSection,
  lfSection,
  runInfoSection,
  scoresSection,
  slicesSection,
} from './report-sections.js';

/**
 * The run report: one self-contained HTML page (inline CSS, inline SVG charts, no scripts, no external
 * URLs) with a run's curves, final scores, slices, labeling functions and supervision ladder. Sections
 * whose data is missing are left out.
 */

/**
 * Everything a run report can show; only what is given is shown.
 *
 * @example
 * ```ts
 * const input: RunReportInput = { runDir: 'runs/a', records, lfSummary: analysis.lfSummary(Y), ladder: [] };
 * ```
 */
export interface RunReportInput {
  /** Page title (default `mmtl run report`, or `mmtl run <folder>` with `runDir`). */
  title?: string;
  /** The run folder, shown in the run section. */
  runDir?: string;
  /** The run's metric log (`readMetricLog('<runDir>/metrics.jsonl')`). */
  records?: readonly MetricRecord[];
  /** The configuration the run used (any JSON value, or text such as YAML), shown in a `<details>`. */
  config?: unknown;
  /** Extra facts for the run section (seed, device, data sizes, …). */
  info?: Readonly<Record<string, string | number | boolean>>;
  /** Scores to show besides those read off the log (e.g. test scores of the label model and majority vote). */
  scores?: readonly ScoreRow[];
  /** Per-slice scores besides those read off the log (slicing's `sliceReport` rows fit as they are). */
  slices?: readonly SliceScore[];
  /** `LFAnalysis.lfSummary(Y)` of the labeling functions. */
  lfSummary?: readonly LFSummaryRow[];
  /** The label model's estimated LF accuracies (`LabelModel.getWeights()`) and class balance. */
  labelModel?: LabelModelWeights;
  /** Supervision-ladder rows (rung → mean ± sd). */
  ladder?: readonly LadderRow[];
  /** When the report was made, shown in the run section (not shown when unset). */
  generatedAt?: Date;
  /** Down-sampling of long curves. */
  curves?: CurvePointsOptions;
}

const CSS = `
:root { color-scheme: light; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  color: #222; background: #fafafa; margin: 0; }
main { max-width: 1180px; margin: 0 auto; padding: 24px 32px 48px; }
h1 { font-size: 24px; margin: 0 0 16px; }
h2 { font-size: 18px; margin: 32px 0 12px; padding-bottom: 4px; border-bottom: 1px solid #ddd; }
section { background: #fff; border: 1px solid #e4e4e4; border-radius: 6px; padding: 4px 20px 20px; margin: 16px 0; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 4px 16px; margin: 0 0 12px; }
dt { color: #666; }
dd { margin: 0; font-family: ui-monospace, Menlo, Consolas, monospace; word-break: break-all; }
details { margin: 8px 0; }
summary { cursor: pointer; color: #335; }
pre { background: #f4f4f4; padding: 12px; overflow: auto; max-height: 480px; font-size: 12px; }
.figures { display: flex; flex-wrap: wrap; gap: 16px; }
figure { margin: 8px 0 16px; }
figure svg { display: block; max-width: 100%; height: auto; }
figcaption { color: #555; font-size: 13px; margin-top: 4px; }
table { border-collapse: collapse; margin: 8px 0; font-size: 13px; }
th, td { border-bottom: 1px solid #eee; padding: 4px 10px; text-align: left; }
th { background: #f4f4f4; font-weight: 600; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
td.na { color: #999; }
footer { color: #888; font-size: 12px; margin-top: 24px; }
`;

function folderName(path: string): string {
  const parts = path.split(/[\\/]/).filter((p) => p !== '');
  return parts[parts.length - 1] ?? path;
}

/**
 * Builds the report page as one HTML string. Scores and slices are read off `records` (see `finalScores`
 * and `sliceScoresFromLog`) and joined with the given ones. NaN values are not plotted and show as "—";
 * text from the data is escaped. Async because Vega renders asynchronously.
 *
 * @example
 * ```ts
 * const html = await buildRunReport({
 *   runDir: 'runs/rte',
 *   records: await readMetricLog('runs/rte/metrics.jsonl'),
 *   config: { lr: 1e-3 },
 * });
 * html.startsWith('<!doctype html>'); // true; sections: run, curves, scores
 * ```
 */
export async function buildRunReport(input: RunReportInput): Promise<string> {
  assert(
    input !== null && typeof input === 'object',
    'E_ARG',
    () =>
      `Argument 'input' passed to 'buildRunReport' must be an object, got ${input === null ? 'null' : typeof input}`,
  );
  const records = input.records ?? [];
  assert(
    Array.isArray(records),
    'E_ARG',
    () => `Argument 'input.records' passed to 'buildRunReport' must be an array of metric records`,
  );
  const title =
    input.title ?? (input.runDir === undefined ? 'mmtl run report' : `mmtl run ${folderName(input.runDir)}`);
  const scores = [...finalScores(records), ...(input.scores ?? [])];
  const slices = [...sliceScoresFromLog(records), ...(input.slices ?? [])];
  const sections = await Promise.all([
    curvesSection(records, input.curves),
    scoresSection(scores),
    slicesSection(slices),
    lfSection(input.lfSummary, input.labelModel),
    ladderSection(input.ladder ?? []),
  ]);
  const run = runInfoSection({ ...input, records });
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="generator" content="mmtl">',
    `<title>${escapeHtml(title)}</title>`,
    `<style>${CSS}</style>`,
    '</head>',
    '<body>',
    '<main>',
    `<h1>${escapeHtml(title)}</h1>`,
    run,
    ...sections.filter((s) => s !== ''),
    '<footer>Made by mmtl. Charts rendered with Vega-Lite; the page needs no scripts or network.</footer>',
    '</main>',
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
