// Correlation metrics against scipy.stats.pearsonr / spearmanr outputs.
import { describe, expect, it } from 'vitest';
import { mae, metrics, mse, pearson, pearsonSpearman, spearman } from '../../src/metrics/index.js';

const x = Float64Array.of(2.5, 0.0, 2.1, 1.6, 3.3, 3.3, 4.0, 1.2);
const y = Float64Array.of(2.0, 0.5, 2.0, 1.9, 3.0, 3.1, 4.5, 1.0);

describe('pearson / spearman', () => {
  it('match scipy', () => {
    expect(pearson(x, y)).toBeCloseTo(0.9564208364425004, 12);
    // ranks of x with ties averaged: [5, 1, 4, 3, 6.5, 6.5, 8, 2]
    expect(spearman(x, y)).toBeCloseTo(0.9879518072289155, 12);
    expect(pearsonSpearman(x, y)).toBeCloseTo(0.972186321835708, 12);
    expect(pearson([1, 2, 3, 4], [2, 4, 5, 9])).toBeCloseTo(0.9647638212377322, 12);
    expect(spearman([1, 2, 3, 4], [10, 20, 30, 25])).toBeCloseTo(0.8, 12);
    expect(spearman([1, 2, 2, 3], [1, 3, 2, 4])).toBeCloseTo(0.9486832980505139, 12);
  });
  it('are exactly ±1 for perfect (anti-)correlation', () => {
    expect(pearson([1, 2, 3], [2, 4, 6])).toBe(1);
    expect(spearman([1, 2, 3], [9, 4, 1])).toBe(-1);
  });
  it('are NaN for zero variance', () => {
    expect(pearson([1, 1, 1], [1, 2, 3])).toBeNaN();
    expect(spearman([1, 2, 3], [5, 5, 5])).toBeNaN();
    expect(pearsonSpearman([1, 1], [1, 2])).toBeNaN();
  });
});

describe('mse / mae', () => {
  it('average the squared and absolute errors (as sklearn.metrics)', () => {
    expect(mse([3, -0.5, 2, 7], [2.5, 0, 2, 8])).toBeCloseTo(0.375, 12);
    expect(mae([3, -0.5, 2, 7], [2.5, 0, 2, 8])).toBeCloseTo(0.5, 12);
    expect(metrics.get('mse').kind).toBe('regression');
    expect(() => mse([], [])).toThrow(/must not be empty/);
  });
});
