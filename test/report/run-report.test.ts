import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isMmtlError } from '../../src/core/index.js';
import {
  buildRunReport,
  escapeHtml,
  formatNumber,
  htmlFigure,
  htmlTable,
  writeRunReport,
} from '../../src/report/index.js';
import { JsonlWriter, type MetricRecord } from '../../src/training/index.js';
import { LF_SUMMARY, twoTaskRun } from './fixtures.js';

const sectionIds = (html: string): string[] =>
  [...html.matchAll(/<section id="([a-z]+)"/g)].map((m) => m[1]!);

/** Fails when the page needs anything outside itself. */
function expectSelfContained(html: string): void {
  expect(html).not.toMatch(/\b(?:src|href)\s*=\s*["']?\s*(?:https?:)?\/\//i);
  expect(html).not.toMatch(/<script/i);
  expect(html).not.toMatch(/<link\b/i);
  expect(html).not.toMatch(/@import|url\(/i);
  expect(html).not.toMatch(/https?:/i);
}

describe('buildRunReport', () => {
  it('makes one self-contained page with every section the input has', async () => {
    const html = await buildRunReport({
      runDir: 'runs/glue-<&>',
      records: twoTaskRun(),
      config: { lr: 0.001, tasks: ['RTE', 'MRPC'] },
      info: { seed: 3 },
      scores: [{ task: 'label model', split: 'test', metric: 'accuracy', value: 0.86 }],
      lfSummary: LF_SUMMARY,
      labelModel: { weights: [0.8, 0.7, 0.5], classBalance: [0.4, 0.6] },
      ladder: [
        { rung: 'BiLSTM', mean: 0.55, sd: 0.01, n: 3, task: 'RTE', metric: 'accuracy' },
        { rung: '+ GloVe', mean: 0.58, sd: 0.02, n: 3, task: 'RTE', metric: 'accuracy' },
      ],
      generatedAt: new Date('2026-01-02T03:04:05Z'),
    });
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(sectionIds(html)).toEqual(['run', 'curves', 'scores', 'slices', 'lfs', 'ladder']);
    expectSelfContained(html);
    expect(html).toContain('<title>mmtl run glue-&lt;&amp;&gt;</title>');
    // three curve charts + scores + slices + LFs + ladder
    expect(html.split('<svg').length - 1).toBe(7);
    expect(html).toMatch(
      /<details id="config"><summary>Configuration<\/summary><pre>\{\n {2}&quot;lr&quot;: 0.001,/,
    );
    expect(html).toContain('<dt>seed</dt><dd>3</dd>');
    expect(html).toContain('2026-01-02T03:04:05.000Z');
    expect(html).toContain('<td>label model</td>');
    expect(html).toContain('Label-model class balance: 0.4000, 0.6000');
    expect(html).toContain('<td>0.5800 ± 0.0200</td><td class="num">3</td><td class="num">0.0300</td>');
    // the LF with no gold-labeled votes shows a dash for its empirical accuracy
    expect(html).toMatch(/never_fires.*?<td class="num na">—<\/td><td class="num">0.5000<\/td>/);
  });

  it('leaves out the sections whose data is missing', async () => {
    const empty = await buildRunReport({});
    expect(sectionIds(empty)).toEqual(['run']);
    expect(empty).not.toContain('<svg');
    expect(empty).not.toContain('<details');
    expectSelfContained(empty);

    const lfOnly = await buildRunReport({ lfSummary: LF_SUMMARY });
    expect(sectionIds(lfOnly)).toEqual(['run', 'lfs']);
    expect(lfOnly).not.toContain('label-model accuracy');

    const ladderOnly = await buildRunReport({ ladder: [{ rung: 'only', mean: 0.5, sd: 0 }] });
    expect(sectionIds(ladderOnly)).toEqual(['run', 'ladder']);
  });

  it('copes with one evaluation and NaN values', async () => {
    const records: MetricRecord[] = [
      { step: 7, epoch: 1, wallTime: 1, metrics: { 'a/a/train/loss': 0.5, 'a/a/valid/accuracy': NaN } },
    ];
    const html = await buildRunReport({ records });
    expect(sectionIds(html)).toEqual(['run', 'curves', 'scores']);
    // the loss chart only; the all-NaN accuracy is in the table as a dash and not plotted
    expect(html.split('<svg').length - 1).toBe(1);
    expect(html).toContain('<td class="num na">—</td>');
    expect(html).not.toContain('NaN');
  });

  it('escapes task, LF and config text', async () => {
    const records: MetricRecord[] = [
      {
        step: 1,
        epoch: 1,
        wallTime: 1,
        metrics: { 'T<&>/T<&>/valid/accuracy': 0.5, 'T<&>/T<&>/train/loss': 1 },
      },
    ];
    const html = await buildRunReport({
      title: '<script>alert(1)</script>',
      records,
      config: { note: '</pre><script>x</script>' },
      lfSummary: LF_SUMMARY,
    });
    expect(html).not.toContain('T<&>');
    expect(html).not.toContain('kw_check<&>');
    expect(html).toContain('<td>T&lt;&amp;&gt;</td>');
    expect(html).toContain('&lt;/pre&gt;&lt;script&gt;x&lt;/script&gt;');
    expectSelfContained(html);
  });

  it('rejects records that are not an array', async () => {
    await expect(buildRunReport({ records: {} as MetricRecord[] })).rejects.toSatisfy(
      (e) => isMmtlError(e, 'E_ARG') && /input\.records.*buildRunReport/.test(String(e)),
    );
  });
});

describe('html helpers', () => {
  it('escapes, formats and tabulates', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
    expect([0.612345, 2e-5, 12, NaN, -Infinity, 1234567.8].map((v) => formatNumber(v))).toEqual([
      '0.6123',
      '2.000e-5',
      '12',
      '—',
      '—',
      '1.235e+6',
    ]);
    expect(
      htmlFigure(
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="5"><g/></svg>',
        'a&b',
      ),
    ).toBe('<figure><svg width="5"><g/></svg><figcaption>a&amp;b</figcaption></figure>');
    expect(htmlTable(['a<'], [['x&', 1.5, { html: '<b>y</b>' }]])).toBe(
      '<table><thead><tr><th>a&lt;</th></tr></thead><tbody><tr><td>x&amp;</td><td class="num">1.5000</td><td><b>y</b></td></tr></tbody></table>',
    );
  });
});

describe('writeRunReport', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mmtl-report-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reads metrics.jsonl and config.json and writes report.html atomically', async () => {
    const log = await JsonlWriter.open<MetricRecord>(join(dir, 'metrics.jsonl'));
    for (const r of twoTaskRun(3)) await log.write(r);
    await log.close();
    await writeFile(join(dir, 'config.json'), JSON.stringify({ seed: 42 }));
    const path = await writeRunReport(dir, {
      slices: [{ slice: 'short', metric: 'f1', score: 0.8, size: 12 }],
    });
    expect(path).toBe(join(dir, 'report.html'));
    const html = await readFile(path, 'utf8');
    expect(sectionIds(html)).toEqual(['run', 'curves', 'scores', 'slices']);
    expect(html).toContain('&quot;seed&quot;: 42');
    expect(html).toContain(`<dd>${dir}</dd>`);
    expect((await readdir(dir)).sort()).toEqual(['config.json', 'metrics.jsonl', 'report.html']);
  });

  it('prefers the given config and records, and writes where asked', async () => {
    await writeFile(join(dir, 'config.json'), '{not json');
    const out = join(dir, 'sub', 'page.html');
    const path = await writeRunReport(dir, { config: 'lr: 0.1', records: twoTaskRun(2), outPath: out });
    expect(path).toBe(out);
    expect(await readFile(out, 'utf8')).toContain('<pre>lr: 0.1</pre>');
  });

  it('reports a run folder without a metric log, and fails on a bad config or a missing folder', async () => {
    await expect(writeRunReport(dir)).rejects.toSatisfy((e) => isMmtlError(e, 'E_DATA')); // no run here
    await writeFile(join(dir, 'config.json'), '{"lr": 0.001}');
    const html = await readFile(await writeRunReport(dir), 'utf8');
    expect(sectionIds(html)).toEqual(['run']);
    await writeFile(join(dir, 'config.json'), '{not json');
    await expect(writeRunReport(dir)).rejects.toSatisfy((e) => isMmtlError(e, 'E_IO'));
    await expect(writeRunReport(join(dir, 'nope'))).rejects.toSatisfy(
      (e) => isMmtlError(e, 'E_IO') && /runDir.*writeRunReport/.test(String(e)),
    );
    await expect(writeRunReport('')).rejects.toSatisfy((e) => isMmtlError(e, 'E_ARG'));
  });
});
