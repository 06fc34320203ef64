import { describe, expect, it } from 'vitest';
import { isMmtlError } from '../../src/core/index.js';
import {
  aggregateMetricKey,
  formatCheckpointMetric,
  isAggregateKey,
  isBetter,
  lookupMetric,
  parseCheckpointMetric,
} from '../../src/training/index.js';

function error(f: () => unknown): { code: string; message: string } | undefined {
  try {
    f();
  } catch (e) {
    return isMmtlError(e) ? { code: e.code, message: e.message } : { code: 'not-mmtl', message: String(e) };
  }
  return undefined;
}

describe('metric keys', () => {
  it('aggregate keys are model/all/<split>/<metric>', () => {
    expect(aggregateMetricKey('train', 'loss')).toBe('model/all/train/loss');
    expect(isAggregateKey('model/all/valid/glue_score')).toBe(true);
    expect(isAggregateKey('rte/rte/valid/accuracy')).toBe(false);
  });
});

describe('checkpoint metrics', () => {
  it('parse key:mode', () => {
    expect(parseCheckpointMetric('model/all/train/loss:min')).toEqual({
      key: 'model/all/train/loss',
      parts: { task: 'model', dataset: 'all', split: 'train', metric: 'loss' },
      mode: 'min',
    });
    expect(formatCheckpointMetric('rte/rte/valid/accuracy', 'max')).toBe('rte/rte/valid/accuracy:max');
  });

  it('fail with the expected format', () => {
    const e = error(() => parseCheckpointMetric('rte/rte/valid/accuracy'));
    expect(e?.code).toBe('E_ARG');
    expect(e?.message).toContain("'task/dataset/split/metric:mode' with mode 'max' or 'min'");
    expect(error(() => parseCheckpointMetric('rte/rte/valid/accuracy:best'))?.message).toContain(
      "mode 'best'",
    );
    expect(error(() => parseCheckpointMetric('rte/valid/accuracy:max'))?.message).toContain('3 parts');
  });
});

describe('isBetter and lookupMetric', () => {
  it('compares strictly, with a margin, NaN never better', () => {
    expect(isBetter(0.8, 0.7, 'max')).toBe(true);
    expect(isBetter(0.8, 0.7, 'min')).toBe(false);
    expect(isBetter(0.7, 0.7, 'max')).toBe(false);
    expect(isBetter(0.6, 0.7, 'min')).toBe(true);
    expect(isBetter(0.71, 0.7, 'max', 0.05)).toBe(false);
    expect(isBetter(NaN, 0.7, 'max')).toBe(false);
    expect(isBetter(0.1, NaN, 'min')).toBe(true);
  });

  it('lists the available keys when a metric is missing', () => {
    expect(lookupMetric({ 'a/b/c/d': 1 }, 'a/b/c/d', 'f')).toBe(1);
    expect(error(() => lookupMetric({ 'a/b/c/d': 1, 'a/b/c/e': 2 }, 'x/y/z/w', 'Trainer.fit'))).toEqual({
      code: 'E_ARG',
      message: "Argument 'metrics' passed to 'Trainer.fit' lacks 'x/y/z/w'; it has a/b/c/d, a/b/c/e",
    });
  });
});
