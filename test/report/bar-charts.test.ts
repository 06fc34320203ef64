import { describe, expect, it } from 'vitest';
import { isMmtlError } from '../../src/core/index.js';
import {
  barChartSpec,
  ladderChartSpec,
  ladderGroup,
  ladderSvg,
  lfChartSvg,
  lfRows,
  renderVegaLite,
  scoreBarSvg,
  sliceScoreSvg,
  type ChartSpec,
} from '../../src/report/index.js';
import { LF_SUMMARY, axisTitles, legendLabels } from './fixtures.js';

const bars = (svg: string): number => svg.split('aria-roledescription="bar"').length - 1;

describe('score and slice bars', () => {
  it('draws one labelled bar per finite score', async () => {
    const svg = (await scoreBarSvg([
      { task: 'RTE', dataset: 'RTE', split: 'valid', metric: 'accuracy', value: 0.61 },
      { task: 'MRPC', dataset: 'MRPC', split: 'valid', metric: 'f1', value: NaN },
      { task: 'label model', split: 'test', metric: 'accuracy', value: 0.86 },
    ]))!;
    expect(bars(svg)).toBe(2);
    expect(svg).toContain('RTE · accuracy (valid)');
    expect(svg).toContain('label model · accuracy (test)');
    expect(svg).toContain('0.610');
    expect(axisTitles(svg)).toContain('score');
    expect(await scoreBarSvg([{ task: 'a', metric: 'm', value: NaN }])).toBeUndefined();
  });

  it('groups slice bars by metric and prefixes tasks when there are several', async () => {
    const svg = (await sliceScoreSvg([
      { task: 'spam', slice: 'short', metric: 'accuracy', score: 0.9 },
      { task: 'spam', slice: 'short', metric: 'f1', score: 0.8 },
      { task: 'ham<&>', slice: 'has_link', metric: 'accuracy', score: 0.7 },
    ]))!;
    expect(bars(svg)).toBe(3);
    expect(legendLabels(svg)).toEqual(['accuracy', 'f1']);
    expect(svg).toContain('spam / short');
    expect(svg).toContain('ham&lt;&amp;&gt; / has_link');
    expect(svg).not.toContain('ham<&>');
  });

  it('keeps the given bar order and a fixed domain', () => {
    const spec = barChartSpec(
      [
        { label: 'b', value: 1 },
        { label: 'a', value: 2 },
      ],
      { domain: [0, 1] },
    ) as {
      encoding: { y: { sort: string[] }; x: { scale: { domain: number[] } } };
    };
    expect(spec.encoding.y.sort).toEqual(['b', 'a']);
    expect(spec.encoding.x.scale.domain).toEqual([0, 1]);
  });
});

describe('LF charts', () => {
  it('shows coverage, empirical and label-model accuracy per LF', async () => {
    const svg = (await lfChartSvg(LF_SUMMARY, { weights: Float64Array.from([0.8, 0.7, 0.5]) }))!;
    expect(legendLabels(svg)).toEqual(['coverage', 'empirical accuracy', 'label-model accuracy']);
    // 3 coverage + 2 empirical accuracies (the third is null) + 3 weights
    expect(bars(svg)).toBe(8);
    expect(svg).toContain('kw_check&lt;&amp;&gt;');
    expect(axisTitles(svg)).toEqual(['fraction', 'labeling function']);
  });

  it('works with weights alone or the summary alone', async () => {
    const weightsOnly = (await lfChartSvg(undefined, { weights: [0.9, 0.6], lfNames: ['a', 'b'] }))!;
    expect(bars(weightsOnly)).toBe(2);
    expect(weightsOnly).toContain('>a<');
    expect(lfRows(undefined, { weights: [0.9] })[0]!.lf).toBe('lf_0');
    const summaryOnly = (await lfChartSvg(LF_SUMMARY))!;
    expect(bars(summaryOnly)).toBe(5);
    expect(await lfChartSvg()).toBeUndefined();
  });

  it('rejects weights that do not match the summary', () => {
    let err: unknown;
    try {
      lfRows(LF_SUMMARY, { weights: [0.5] });
    } catch (e) {
      err = e;
    }
    expect(isMmtlError(err, 'E_ARG')).toBe(true);
    expect(String(err)).toMatch(/labelModel\.weights.*lfRows/);
  });
});

describe('ladder chart', () => {
  const rows = [
    { rung: 'BiLSTM', mean: 0.55, sd: 0.01, n: 3, task: 'RTE', metric: 'accuracy' },
    { rung: '+ GloVe', mean: 0.58, sd: 0.02, n: 3, task: 'RTE', metric: 'accuracy' },
    { rung: 'BiLSTM', mean: 0.2, sd: NaN, n: 1, task: 'CoLA', metric: 'mcc' },
  ];

  it('draws a point and an error rule per rung, one panel per task and metric', async () => {
    const svg = (await ladderSvg(rows))!;
    expect(svg.split('aria-roledescription="point"').length - 1).toBe(3);
    expect(svg).toContain('+ GloVe');
    expect(svg).toContain('RTE · accuracy');
    expect(svg).toContain('CoLA · mcc');
    expect('facet' in ladderChartSpec(rows)).toBe(true);
    expect('facet' in ladderChartSpec(rows.slice(0, 2))).toBe(false);
    expect(ladderGroup({ rung: 'x', mean: 0, sd: 0 })).toBe('');
    expect(await ladderSvg([{ rung: 'x', mean: NaN, sd: 0 }])).toBeUndefined();
  });
});

describe('renderVegaLite', () => {
  it('turns a bad spec into an E_DATA error without printing', async () => {
    const bad = { data: { values: [] }, mark: 'nonsense' } as unknown as ChartSpec;
    await expect(renderVegaLite(bad)).rejects.toSatisfy((e) => isMmtlError(e, 'E_DATA'));
  });
});
