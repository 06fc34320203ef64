// The GLUE score: two-metric tasks averaged first, then the mean over the tasks present; split selection,
// MNLI matched/mismatched, primary-key fallback and errors.
import { describe, expect, it } from 'vitest';
import { glueScore, glueScoreBreakdown } from '../../src/glue/index.js';

describe('glueScore', () => {
  it('averages two-metric tasks first, then the tasks', () => {
    const metrics = {
      'CoLA/CoLA/valid/matthews_corrcoef': 0.5,
      'CoLA/CoLA/valid/accuracy': 0.99, // not a GLUE metric for CoLA
      'MRPC/MRPC/valid/accuracy': 0.8,
      'MRPC/MRPC/valid/f1': 0.9,
      'MRPC/MRPC/valid/acc_f1': 0.85,
      'STS-B/STS-B/valid/pearson': 0.8,
      'STS-B/STS-B/valid/spearman': 0.7,
      'RTE/RTE/valid/accuracy': 0.65,
      'RTE/RTE/train/accuracy': 1,
      'model/all/valid/loss': 3,
    };
    const b = glueScoreBreakdown(metrics);
    expect(b.tasks).toEqual({
      CoLA: 0.5,
      MRPC: expect.closeTo(0.85, 12) as unknown,
      'STS-B': 0.75,
      RTE: 0.65,
    });
    expect(b.score).toBeCloseTo((0.5 + 0.85 + 0.75 + 0.65) / 4, 12);
    expect(glueScore(metrics)).toBe(b.score);
    expect(glueScore(metrics, 'train')).toBe(1);
  });

  it('falls back to the primary key and averages MNLI matched and mismatched', () => {
    expect(glueScoreBreakdown({ 'QQP/QQP/test/acc_f1': 0.7 }, 'test').tasks).toEqual({ QQP: 0.7 });
    expect(
      glueScoreBreakdown({ 'MNLI/MNLI/valid/accuracy': 0.8, 'MNLI/MNLI-mm/valid/accuracy': 0.7 }).tasks.MNLI,
    ).toBeCloseTo(0.75, 12);
    expect(glueScore({ 'MNLI/MNLI/valid/accuracy': 0.8 })).toBe(0.8);
  });

  it('matches the docs example', () => {
    expect(
      glueScore({
        'CoLA/CoLA/valid/matthews_corrcoef': 0.5,
        'STS-B/STS-B/valid/pearson': 0.8,
        'STS-B/STS-B/valid/spearman': 0.7,
        'RTE/RTE/valid/accuracy': 0.65,
      }),
    ).toBeCloseTo(0.6333333333333333, 12);
  });

  it('rejects partial two-metric tasks and metrics with no GLUE task', () => {
    expect(() => glueScore({ 'MRPC/MRPC/valid/f1': 0.9 })).toThrow(
      'has MRPC/MRPC/valid/f1 but not MRPC/MRPC/valid/accuracy or MRPC/MRPC/valid/acc_f1',
    );
    expect(() => glueScore({ 'spam/spam/valid/accuracy': 0.9 })).toThrow(
      /no GLUE task metric for split 'valid'/,
    );
    expect(() => glueScore({ 'RTE/RTE/valid/accuracy': 0.9 }, 'test')).toThrow(/split 'test'/);
  });

  it('propagates NaN', () => {
    expect(glueScore({ 'RTE/RTE/valid/accuracy': NaN, 'WNLI/WNLI/valid/accuracy': 0.5 })).toBeNaN();
  });
});
