import { describe, expect, it } from 'vitest';
import {
  curveChartSvg,
  curvePoints,
  lossCurveSvg,
  lrCurveSvg,
  metricCurveSvg,
  splitMetricKey,
} from '../../src/report/index.js';
import type { MetricRecord } from '../../src/training/index.js';
import { axisTitles, countMarkGroups, legendLabels, twoTaskRun } from './fixtures.js';

describe('curve charts', () => {
  it('draws one loss line per task plus the overall loss, with axis titles', async () => {
    const svg = (await lossCurveSvg(twoTaskRun()))!;
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
    expect(axisTitles(svg)).toEqual(['step', 'loss']);
    expect(legendLabels(svg)).toEqual(['MRPC/MRPC/train/loss', 'RTE/RTE/train/loss', 'model/all/train/loss']);
    expect(countMarkGroups(svg, 'line')).toBe(3);
    // every line group holds a path with real geometry
    const paths = svg.match(/class="mark-line role-mark[^"]*"[^>]*><path[^>]* d="M[^"]+"/g) ?? [];
    expect(paths).toHaveLength(3);
  });

  it('plots evaluation metrics only (no losses, LRs, train split or slice keys) and skips NaN', async () => {
    const svg = (await metricCurveSvg(twoTaskRun()))!;
    expect(legendLabels(svg)).toEqual([
      'MRPC/MRPC/valid/accuracy',
      'MRPC/MRPC/valid/f1',
      'RTE/RTE/valid/accuracy',
      'model/all/valid/task_mean',
    ]);
    expect(countMarkGroups(svg, 'line')).toBe(4);
    expect(axisTitles(svg)).toEqual(['step', 'score']);
    expect(svg).not.toContain('NaN');
  });

  it('draws the learning-rate schedule', async () => {
    const svg = (await lrCurveSvg(twoTaskRun()))!;
    expect(axisTitles(svg)).toEqual(['step', 'learning rate']);
    expect(legendLabels(svg)).toEqual(['model/all/train/lr']);
  });

  it('shows a run with one evaluation as points', async () => {
    const svg = (await lossCurveSvg(twoTaskRun(1)))!;
    expect(countMarkGroups(svg, 'line')).toBe(3);
    expect(countMarkGroups(svg, 'symbol')).toBeGreaterThan(0);
  });

  it('dashes validation losses when train and valid share the chart', async () => {
    const recs: MetricRecord[] = [1, 2, 3].map((step) => ({
      step,
      epoch: step,
      wallTime: step,
      metrics: { 'A/A/train/loss': 1 / step, 'A/A/valid/loss': 1.2 / step },
    }));
    const svg = (await lossCurveSvg(recs))!;
    expect(legendLabels(svg)).toContain('valid');
    expect(svg).toContain('stroke-dasharray');
  });

  it('returns undefined when nothing is finite, and escapes names', async () => {
    const recs: MetricRecord[] = [{ step: 1, epoch: 1, wallTime: 0, metrics: { 'a/a/train/loss': NaN } }];
    expect(await lossCurveSvg(recs)).toBeUndefined();
    expect(await lrCurveSvg([])).toBeUndefined();
    const named: MetricRecord[] = [
      { step: 1, epoch: 1, wallTime: 0, metrics: { 'x<&>/x<&>/train/loss': 0.5 } },
    ];
    const svg = (await curveChartSvg(named, (p) => p.metric === 'loss'))!;
    expect(svg).toContain('x&lt;&amp;&gt;/x&lt;&amp;&gt;/train/loss');
    expect(svg).not.toContain('x<&>');
  });

  it('drops non-positive values on a log axis', async () => {
    const recs: MetricRecord[] = [{ step: 1, epoch: 1, wallTime: 0, metrics: { 'a/a/train/loss': 0 } }];
    expect(await lossCurveSvg(recs, { logY: true })).toBeUndefined();
  });
});

describe('curvePoints', () => {
  it('skips non-finite values and strides long series, keeping the last point', () => {
    const recs: MetricRecord[] = Array.from({ length: 1000 }, (_, i) => ({
      step: i,
      epoch: 0,
      wallTime: 0,
      metrics: { 'a/a/train/loss': i === 5 ? NaN : i, 'b/b/train/loss': Infinity },
    }));
    const pts = curvePoints(recs, () => true, { maxPointsPerSeries: 10 });
    expect(pts).toHaveLength(10);
    expect(pts.every((p) => p.key === 'a/a/train/loss' && Number.isFinite(p.value))).toBe(true);
    expect(pts.at(-1)!.step).toBe(999);
    expect(() => curvePoints(recs, () => true, { maxPointsPerSeries: 0 })).toThrow(
      /maxPointsPerSeries.*curvePoints/,
    );
  });

  it('splits odd keys without failing', () => {
    expect(splitMetricKey('odd')).toEqual({ task: 'odd', dataset: '', split: '', metric: '' });
    expect(splitMetricKey('a/b/c/d')).toEqual({ task: 'a', dataset: 'b', split: 'c', metric: 'd' });
  });
});
