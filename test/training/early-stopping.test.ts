import { describe, expect, it } from 'vitest';
import { isMmtlError } from '../../src/core/index.js';
import { EarlyStopping } from '../../src/training/index.js';

const K = 'model/all/valid/loss';

describe('EarlyStopping', () => {
  it('stops after `patience` evaluations without improvement', () => {
    const es = new EarlyStopping({ metric: `${K}:min`, patience: 2 });
    expect(es.config).toEqual({ metric: `${K}:min`, patience: 2, minDelta: 0 });
    expect(es.update({ [K]: 1.0 })).toEqual({
      value: 1,
      improved: true,
      best: 1,
      badEvaluations: 0,
      stop: false,
    });
    expect(es.update({ [K]: 1.1 }).stop).toBe(false);
    expect(es.update({ [K]: 0.9 })).toMatchObject({ improved: true, badEvaluations: 0, stop: false });
    expect(es.update({ [K]: 0.9 })).toMatchObject({ improved: false, badEvaluations: 1, stop: false });
    expect(es.update({ [K]: 0.95 })).toMatchObject({
      improved: false,
      badEvaluations: 2,
      stop: true,
      best: 0.9,
    });
    expect(es.shouldStop).toBe(true);
  });

  it('needs improvements larger than minDelta, in max mode too; NaN never improves', () => {
    const es = new EarlyStopping({ metric: 'rte/rte/valid/accuracy:max', patience: 1, minDelta: 0.01 });
    expect(es.update({ 'rte/rte/valid/accuracy': NaN })).toMatchObject({
      improved: false,
      best: null,
      stop: true,
    });
    expect(es.update({ 'rte/rte/valid/accuracy': 0.5 }).improved).toBe(true);
    expect(es.update({ 'rte/rte/valid/accuracy': 0.505 })).toMatchObject({ improved: false, stop: true });
  });

  it('round-trips its state', () => {
    const a = new EarlyStopping({ metric: `${K}:min`, patience: 3 });
    a.update({ [K]: 1 });
    a.update({ [K]: 2 });
    const b = new EarlyStopping({ metric: `${K}:min`, patience: 3 });
    b.setState(JSON.parse(JSON.stringify(a.getState())) as ReturnType<typeof a.getState>);
    expect(b.update({ [K]: 2 })).toEqual(a.update({ [K]: 2 }));
  });

  it('reports bad configs and missing metrics with codes', () => {
    expect(() => new EarlyStopping({ metric: K })).toThrow(/task\/dataset\/split\/metric:mode/);
    try {
      new EarlyStopping({ metric: `${K}:min`, patience: 0 });
      expect.unreachable();
    } catch (e) {
      expect(isMmtlError(e, 'E_CONFIG')).toBe(true);
    }
    expect(() => new EarlyStopping({ metric: `${K}:min` }).update({ 'a/b/c/d': 1 })).toThrow(
      /lacks 'model\/all\/valid\/loss'; it has a\/b\/c\/d/,
    );
  });
});
