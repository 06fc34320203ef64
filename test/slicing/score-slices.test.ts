import { describe, expect, it } from 'vitest';
import { parseMetricKey } from '../../src/metrics/index.js';
import { scoreSlices, sliceMatrix, sliceMetricKey, sliceReport } from '../../src/slicing/index.js';
import { MultitaskModel, Payload } from '../../src/tasks/index.js';
import { manualSeed } from '../../src/tensor/index.js';
import { headTask, threeClassData } from './fixtures.js';

function setup(): { model: MultitaskModel; payload: Payload; S: ReturnType<typeof threeClassData>['S'] } {
  manualSeed(0);
  const { ds, S } = threeClassData('toy', 120, 5);
  const model = new MultitaskModel([headTask('y', 3)]);
  const payload = new Payload({ dataset: ds, split: 'test', batchSize: 50, labelsToTasks: { gold: 'y' } });
  return { model, payload, S };
}

describe('scoreSlices', () => {
  it('scores every metric on every slice under task/dataset:slice/split/metric keys', () => {
    const { model, payload, S } = setup();
    const scores = scoreSlices(model, payload, S);
    expect(Object.keys(scores).sort()).toEqual(['y/toy:corner/test/accuracy', 'y/toy:left/test/accuracy']);
    expect(parseMetricKey('y/toy:corner/test/accuracy')).toEqual({
      task: 'y',
      dataset: 'toy:corner',
      split: 'test',
      metric: 'accuracy',
    });
    expect(sliceMetricKey('y', 'toy', 'test', 'corner', 'accuracy')).toBe('y/toy:corner/test/accuracy');

    const preds = model.predict(payload).get('y')!.preds;
    const gold = payload.dataset.labelSet('gold').values;
    let hit = 0;
    let n = 0;
    for (let i = 0; i < 120; i++) {
      if (S.get(i, 0) !== 1) continue;
      n++;
      if (preds[i] === gold[i]) hit++;
    }
    expect(scores['y/toy:corner/test/accuracy']).toBeCloseTo(hit / n, 10);
    model.dispose();
  });

  it('reports size, score, overall and gap per slice, worst first', () => {
    const { model, payload, S } = setup();
    const rows = sliceReport(model, payload, S);
    expect(rows).toHaveLength(2);
    const overall = model.score([payload])['y/toy/test/accuracy']!;
    for (const r of rows) {
      expect(r.task).toBe('y');
      expect(r.metric).toBe('accuracy');
      expect(r.overall).toBeCloseTo(overall, 10);
      expect(r.gap).toBeCloseTo(r.score - overall, 10);
      expect(r.size).toBe(Array.from(S.column(S.names.indexOf(r.slice))).filter((v) => v === 1).length);
    }
    expect(rows[0]!.gap).toBeLessThanOrEqual(rows[1]!.gap);
    model.dispose();
  });

  it('leaves out empty slices and checks the row count', () => {
    const { model, payload, S } = setup();
    const withEmpty = sliceMatrix({ empty: new Uint8Array(120), left: S.column(1) });
    expect(Object.keys(scoreSlices(model, payload, withEmpty))).toEqual(['y/toy:left/test/accuracy']);
    expect(sliceReport(model, payload, withEmpty).map((r) => r.slice)).toEqual(['left']);
    expect(() => scoreSlices(model, payload, threeClassData('x', 3, 0).S)).toThrow(
      /'sliceMembership' passed to 'scoreSlices' has 3 rows/,
    );
    expect(Object.keys(scoreSlices(model, payload, S, { slices: ['left'] }))).toEqual([
      'y/toy:left/test/accuracy',
    ]);
    model.dispose();
  });
});
