import { describe, expect, it } from 'vitest';
import { finalScores, sliceScoresFromLog, type SliceScore } from '../../src/report/index.js';
import type { SliceReportRow } from '../../src/slicing/index.js';
import { twoTaskRun } from './fixtures.js';

describe('finalScores', () => {
  it('takes the last finite value of every evaluation metric, aggregates last', () => {
    const rows = finalScores(twoTaskRun());
    expect(rows.map((r) => `${r.task}/${r.dataset}/${r.split}/${r.metric}`)).toEqual([
      'MRPC/MRPC/valid/accuracy',
      'MRPC/MRPC/valid/f1',
      'RTE/RTE/valid/accuracy',
      'model/all/valid/task_mean',
    ]);
    // MRPC accuracy is NaN at the last evaluation: the one before is used
    expect(rows[0]).toMatchObject({ value: expect.closeTo(0.75, 9) as number, step: 550 });
    expect(rows[2]).toMatchObject({ value: expect.closeTo(0.61, 9) as number, step: 600 });
  });

  it('keeps a key that never had a finite value as NaN', () => {
    const rows = finalScores([{ step: 1, epoch: 1, wallTime: 0, metrics: { 'a/a/test/f1': NaN } }]);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.value).toBeNaN();
    expect(finalScores([])).toEqual([]);
  });
});

describe('sliceScoresFromLog', () => {
  it('reads slice keys with the overall score and the gap', () => {
    const [row, ...rest] = sliceScoresFromLog(twoTaskRun());
    expect(rest).toHaveLength(0);
    expect(row).toMatchObject({ task: 'RTE', slice: 'negation', split: 'valid', metric: 'accuracy' });
    expect(row!.score).toBeCloseTo(0.56);
    expect(row!.overall).toBeCloseTo(0.61);
    expect(row!.gap).toBeCloseTo(-0.05);
  });

  it('takes slicing.sliceReport rows as they are', () => {
    const fromSlicing: SliceReportRow = {
      task: 'y',
      slice: 's',
      size: 4,
      metric: 'accuracy',
      score: 0.5,
      overall: 0.75,
      gap: -0.25,
    };
    const row: SliceScore = fromSlicing;
    expect(row.gap).toBe(-0.25);
  });
});
