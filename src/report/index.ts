// report: a run's curves, scores, slices, LF statistics and ladder as Vega-Lite SVG charts in one self-contained HTML page.
export * from './render-svg.js';
export * from './metric-series.js';
export * from './final-scores.js';
export * from './curve-charts.js';
export * from './score-charts.js';
export * from './lf-charts.js';
export * from './ladder-chart.js';
export * from './html.js';
export * from './report-sections.js';
export * from './run-report.js';
export * from './write-run-report.js';
