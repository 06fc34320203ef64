// Scorer row filtering, the metrics registry and aggregation over metric keys.
import { describe, expect, it } from 'vitest';
import {
  Scorer,
  aggregateMetrics,
  fbeta,
  metricKey,
  metrics,
  parseMetricKey,
  type MetricFn,
} from '../../src/metrics/index.js';

describe('metrics registry', () => {
  it('holds the standard and GLUE metrics', () => {
    for (const name of [
      'accuracy',
      'coverage',
      'precision',
      'recall',
      'f1',
      'f1_macro',
      'f1_micro',
      'fbeta',
      'matthews_corrcoef',
      'roc_auc',
      'acc_f1',
      'pearson',
      'spearman',
      'pearson_spearman',
    ]) {
      expect(metrics.has(name), name).toBe(true);
    }
    expect(metrics.get('f1_macro')([0, 1, 2, 2], [0, 2, 2, 2])).toBeCloseTo(0.6, 12);
    expect(metrics.get('pearson').kind).toBe('regression');
    expect(metrics.get('accuracy').kind).toBe('classification');
  });
  it('lists valid names on a miss', () => {
    expect(() => metrics.get('acc')).toThrow(/unknown metric 'acc'; expected one of accuracy, coverage/);
  });
  it('roc_auc needs probs', () => {
    expect(() => metrics.get('roc_auc')([0, 1], [0, 1])).toThrow(/needs 'probs'/);
  });
});

describe('Scorer', () => {
  it('drops abstain golds for classification metrics, with their probs rows', () => {
    const scorer = new Scorer({ metrics: ['accuracy', 'f1', 'roc_auc'] });
    // rows kept: 0, 1, 3 → golds [1, 0, 1], preds [1, 1, 1]
    const probs = Float32Array.of(0.2, 0.8, 0.6, 0.4, 0.0, 1.0, 0.1, 0.9);
    const s = scorer.score([1, 0, -1, 1], [1, 1, 0, 1], probs);
    expect(Object.keys(s)).toEqual(['accuracy', 'f1', 'roc_auc']);
    expect(s.accuracy).toBeCloseTo(2 / 3, 12);
    expect(s.f1).toBeCloseTo(0.8, 12);
    expect(s.roc_auc).toBe(1); // positive scores 0.8, 0.9 vs negative 0.4
  });
  it('drops only NaN rows for regression metrics', () => {
    const s = new Scorer({ metrics: ['pearson', 'spearman'] }).score(
      Float32Array.of(0.5, 2, NaN, 4),
      [1, 2, 3, 4],
    );
    expect(s.pearson).toBeCloseTo(0.99419162560192, 6);
    expect(s.spearman).toBeCloseTo(1, 12);
    // -1 is a valid regression gold, not abstain
    const t = new Scorer({ metrics: ['pearson'] }).score([-1, 0, 1], [-2, 0, 2]);
    expect(t.pearson).toBe(1);
  });
  it('runs custom metrics; kind comes from the golds when unset', () => {
    const count: MetricFn = (g) => g.length;
    const f2: MetricFn = (g, p) => fbeta(g, p, { beta: 2 });
    const scorer = new Scorer({ metrics: [], customMetrics: { count, f2 } });
    expect(scorer.score([1, -1, 0], [1, 1, 0])).toEqual({ count: 2, f2: 1 });
    expect(scorer.score(Float64Array.of(1, -1, 0), [1, 1, 0]).count).toBe(3);
    expect(() => new Scorer({ metrics: ['f1'], customMetrics: { f1: count } })).toThrow(/redefines/);
  });
  it('honours a custom abstain label', () => {
    const s = new Scorer({ metrics: ['accuracy'], abstainLabel: 9 }).score([9, 1, -1], [0, 1, -1]);
    expect(s.accuracy).toBe(1);
  });
  it('reports coded errors', () => {
    const scorer = new Scorer({ metrics: ['accuracy'] });
    expect(() => scorer.score([1, 2], [1])).toThrow(expect.objectContaining({ code: 'E_SHAPE' }));
    expect(() => scorer.score([], [])).toThrow(expect.objectContaining({ code: 'E_ARG' }));
    expect(() => scorer.score([1, 0], [1, 0], [0.5, 0.5, 0.5])).toThrow(/'probs'/);
    expect(() => scorer.score([-1, -1], [1, 0])).toThrow(expect.objectContaining({ code: 'E_DATA' }));
    expect(() => new Scorer({ metrics: ['nope'] })).toThrow(expect.objectContaining({ code: 'E_UNKNOWN' }));
  });
});

describe('metric keys and aggregation', () => {
  const scores = {
    'CoLA/CoLA/valid/matthews_corrcoef': 0.5,
    'SST-2/SST-2/valid/accuracy': 0.9,
    'RTE/RTE/valid/accuracy': 0.6,
    'MRPC/MRPC/valid/acc_f1': 0.85,
    'MRPC/MRPC/train/acc_f1': 0.99,
  };
  it('builds and parses task/dataset/split/metric keys', () => {
    expect(metricKey('CoLA', 'CoLA', 'valid', 'matthews_corrcoef')).toBe('CoLA/CoLA/valid/matthews_corrcoef');
    expect(parseMetricKey('RTE/RTE/valid/accuracy')).toEqual({
      task: 'RTE',
      dataset: 'RTE',
      split: 'valid',
      metric: 'accuracy',
    });
    expect(() => metricKey('a/b', 'd', 's', 'm')).toThrow(/'task' passed to 'metricKey'/);
    expect(() => parseMetricKey('a/b/c')).toThrow(expect.objectContaining({ code: 'E_ARG' }));
  });
  it('averages exact keys and one-part wildcards', () => {
    const glue = [
      'CoLA/CoLA/valid/matthews_corrcoef',
      'SST-2/SST-2/valid/accuracy',
      'RTE/RTE/valid/accuracy',
      'MRPC/MRPC/valid/acc_f1',
    ];
    expect(aggregateMetrics(scores, glue)).toBeCloseTo(0.7125, 12);
    expect(aggregateMetrics(scores, ['*/*/valid/*'])).toBeCloseTo(0.7125, 12);
    expect(aggregateMetrics(scores, ['*/*/valid/accuracy', 'SST-2/SST-2/valid/accuracy'])).toBeCloseTo(
      0.75,
      12,
    );
    expect(aggregateMetrics(scores, ['*/*/*/acc_f1'], 'max')).toBe(0.99);
    expect(aggregateMetrics(scores, ['*/*/valid/*'], 'min')).toBe(0.5);
    expect(aggregateMetrics(scores, ['*/*/valid/*'], 'median')).toBeCloseTo(0.725, 12);
  });
  it('fails on missing keys and empty patterns', () => {
    expect(() => aggregateMetrics(scores, ['QQP/QQP/valid/acc_f1'])).toThrow(/missing metric/);
    expect(() => aggregateMetrics(scores, ['*/*/test/*'])).toThrow(/matches no metric/);
    expect(() => aggregateMetrics(scores, [])).toThrow(expect.objectContaining({ code: 'E_ARG' }));
  });
});
