import { describe, expect, it } from 'vitest';
import { CHECKPOINT_SLOTS, CheckpointPolicy } from '../../src/training/index.js';

const K = 'rte/rte/valid/accuracy';

describe('CheckpointPolicy', () => {
  it('defaults to MeTaL’s train loss, minimized', () => {
    const p = new CheckpointPolicy();
    expect(p.config).toEqual({ metric: 'model/all/train/loss:min', runway: 0, keepLast: true });
    expect(p.decide(0, { 'model/all/train/loss': 0.7 }).saveBest).toBe(true);
    expect(p.decide(1, { 'model/all/train/loss': 0.6 }).saveBest).toBe(true);
    expect(p.decide(2, { 'model/all/train/loss': 0.65 }).saveBest).toBe(false);
    expect(CHECKPOINT_SLOTS).toEqual({ best: 'best', last: 'last' });
  });

  it('saves nothing before the runway, best on strict improvement, last at every evaluation', () => {
    const p = new CheckpointPolicy({ metric: `${K}:max`, runway: 100 });
    expect(p.decide(50, { [K]: 0.9 })).toEqual({
      value: 0.9,
      saveBest: false,
      saveLast: false,
      best: null,
      bestStep: null,
    });
    expect(p.decide(100, { [K]: 0.6 })).toEqual({
      value: 0.6,
      saveBest: true,
      saveLast: true,
      best: 0.6,
      bestStep: 100,
    });
    expect(p.decide(200, { [K]: 0.6 })).toMatchObject({
      saveBest: false,
      saveLast: true,
      best: 0.6,
      bestStep: 100,
    });
    expect(p.decide(300, { [K]: NaN })).toMatchObject({ saveBest: false, best: 0.6 });
    expect(p.decide(400, { [K]: 0.61 })).toMatchObject({ saveBest: true, best: 0.61, bestStep: 400 });
    expect(p.bestSoFar).toEqual({ best: 0.61, bestStep: 400 });
  });

  it('can skip the last slot and round-trips its state', () => {
    const p = new CheckpointPolicy({ metric: `${K}:max`, keepLast: false });
    expect(p.decide(1, { [K]: 0.5 })).toMatchObject({ saveBest: true, saveLast: false });
    const q = new CheckpointPolicy({ metric: `${K}:max`, keepLast: false });
    q.setState(JSON.parse(JSON.stringify(p.getState())) as ReturnType<typeof p.getState>);
    expect(q.decide(2, { [K]: 0.5 }).saveBest).toBe(false);
    expect(q.decide(3, { [K]: 0.7 }).saveBest).toBe(true);
  });

  it('rejects bad input', () => {
    expect(() => new CheckpointPolicy({ metric: `${K}:up` })).toThrow(/mode 'up'/);
    expect(() => new CheckpointPolicy({ runway: -1 })).toThrow(/runway/);
    expect(() => new CheckpointPolicy().decide(-1, {})).toThrow(/'step'/);
  });
});
