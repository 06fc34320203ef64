import { describe, expect, it } from 'vitest';
import { isMmtlError } from '../../src/core/index.js';
import { createLrSchedule, lrScheduleRegistry } from '../../src/training/index.js';
import type { LrScheduleContext, LrScheduleOptions } from '../../src/training/index.js';

const at = (
  opts: LrScheduleOptions,
  steps: number[],
  ctx: LrScheduleContext = { baseLr: 1, totalSteps: 10 },
): number[] => {
  const s = createLrSchedule(opts, ctx);
  return steps.map((t) => s.lrAt(t));
};

function expectClose(actual: number[], expected: number[]): void {
  expect(actual).toHaveLength(expected.length);
  actual.forEach((a, i) => expect(a).toBeCloseTo(expected[i]!, 12));
}

function code(f: () => unknown): string | undefined {
  try {
    f();
  } catch (e) {
    return isMmtlError(e) ? e.code : 'not-mmtl';
  }
  return undefined;
}

describe('createLrSchedule: kinds', () => {
  it('lists its kinds', () => {
    expect(lrScheduleRegistry.names()).toEqual([
      'constant',
      'linear',
      'exponential',
      'step',
      'cosine',
      'plateau',
    ]);
  });

  it('constant', () => {
    expectClose(at({ kind: 'constant' }, [0, 5, 100], { baseLr: 0.1, totalSteps: 10 }), [0.1, 0.1, 0.1]);
  });

  it('linear decays to minLr at totalSteps', () => {
    expectClose(at({ kind: 'linear' }, [0, 1, 5, 9, 10, 12]), [1, 0.9, 0.5, 0.1, 0, 0]);
    expectClose(at({ kind: 'linear', minLr: 0.2 }, [0, 5, 10]), [1, 0.6, 0.2]);
    // warmup 2 of 10: decay over the remaining 8 steps
    expectClose(
      at({ kind: 'linear', warmup: { steps: 2 } }, [0, 1, 2, 6, 10], { baseLr: 0.1, totalSteps: 10 }),
      [0, 0.05, 0.1, 0.05, 0],
    );
  });

  it('exponential', () => {
    expectClose(at({ kind: 'exponential', gamma: 0.5 }, [0, 1, 3]), [1, 0.5, 0.125]);
    expectClose(at({ kind: 'exponential', gamma: 0.5, minLr: 0.2 }, [3]), [0.2]);
    expectClose(at({ kind: 'exponential', gamma: 0.5, warmup: { steps: 2 } }, [1, 2, 4]), [0.5, 1, 0.25]);
  });

  it('step, in steps and in epochs', () => {
    expectClose(
      at({ kind: 'step', stepSize: { steps: 3 }, gamma: 0.1 }, [0, 2, 3, 5, 6]),
      [1, 1, 0.1, 0.1, 0.01],
    );
    expectClose(
      at({ kind: 'step' }, [0, 3, 4, 8], { baseLr: 1, totalSteps: 10, stepsPerEpoch: 4 }),
      [1, 1, 0.1, 0.01],
    );
  });

  it('cosine', () => {
    expectClose(at({ kind: 'cosine' }, [0, 5, 10, 11]), [1, 0.5, 0, 0]);
    expectClose(at({ kind: 'cosine' }, [1], { baseLr: 1, totalSteps: 4 }), [0.8535533905932737]);
    expectClose(at({ kind: 'cosine', minLr: 0.1 }, [5, 10]), [0.55, 0.1]);
  });
});

describe('createLrSchedule: warmup', () => {
  it('in steps, from 0 or from a start factor', () => {
    expectClose(
      at({ kind: 'constant', warmup: { steps: 4 } }, [0, 1, 2, 4, 9], { baseLr: 0.1, totalSteps: 10 }),
      [0, 0.025, 0.05, 0.1, 0.1],
    );
    expectClose(
      at({ kind: 'constant', warmup: { steps: 4 }, warmupStartFactor: 0.5 }, [0, 2, 4]),
      [0.5, 0.75, 1],
    );
  });

  it('in epochs', () => {
    const s = createLrSchedule({ kind: 'constant', warmup: { epochs: 2 } }, { baseLr: 1, stepsPerEpoch: 5 });
    expect(s.warmupSteps).toBe(10);
    expectClose([s.lrAt(5), s.lrAt(10)], [0.5, 1]);
    const half = createLrSchedule(
      { kind: 'constant', warmup: { epochs: 0.5 } },
      { baseLr: 1, stepsPerEpoch: 5 },
    );
    expect(half.warmupSteps).toBe(3); // ceil(2.5)
  });

  it('as a fraction of the run', () => {
    const s = createLrSchedule({ kind: 'linear', warmup: { fraction: 0.25 } }, { baseLr: 1, totalSteps: 20 });
    expect(s.warmupSteps).toBe(5);
    expectClose([s.lrAt(1), s.lrAt(5), s.lrAt(20)], [0.2, 1, 0]);
    expect(
      createLrSchedule({ kind: 'constant', warmup: { fraction: 0.1 } }, { baseLr: 1, totalSteps: 15 })
        .warmupSteps,
    ).toBe(2);
  });

  it('needs the numbers its units refer to', () => {
    expect(code(() => createLrSchedule({ kind: 'constant', warmup: { epochs: 1 } }, { baseLr: 1 }))).toBe(
      'E_ARG',
    );
    expect(code(() => createLrSchedule({ kind: 'constant', warmup: { fraction: 0.1 } }, { baseLr: 1 }))).toBe(
      'E_ARG',
    );
    expect(() => createLrSchedule({ kind: 'linear' }, { baseLr: 1 })).toThrow(/'totalSteps'.*'linear'/);
    expect(code(() => createLrSchedule({ kind: 'constant' }, { baseLr: 0 }))).toBe('E_ARG');
  });

  it('rejects bad configs with E_CONFIG naming the field', () => {
    expect(code(() => createLrSchedule({ kind: 'warm' } as never, { baseLr: 1 }))).toBe('E_CONFIG');
    expect(() => createLrSchedule({ kind: 'exponential', gamma: 2 }, { baseLr: 1 })).toThrow(/gamma/);
    expect(
      code(() =>
        createLrSchedule({ kind: 'constant', warmup: { steps: 1, epochs: 1 } } as never, { baseLr: 1 }),
      ),
    ).toBe('E_CONFIG');
  });
});

describe('createLrSchedule: plateau', () => {
  it('reduces after more than `patience` reports without improvement', () => {
    const s = createLrSchedule({ kind: 'plateau', factor: 0.5, patience: 2 }, { baseLr: 1 });
    expect(s.reportMetric(1.0)).toBe(false); // best
    expect(s.reportMetric(0.99995)).toBe(false); // within the relative threshold 1e-4: bad 1
    expect(s.reportMetric(1.0)).toBe(false); // bad 2
    expect(s.current()).toBe(1);
    expect(s.reportMetric(1.1)).toBe(true); // bad 3 > patience
    expect(s.current()).toBe(0.5);
    expect(s.reportMetric(0.5)).toBe(false); // improves
    for (let i = 0; i < 3; i++) s.reportMetric(0.6);
    expect(s.current()).toBe(0.25);
    expect(s.getState()).toMatchObject({ reductions: 2, best: 0.5, badReports: 0 });
  });

  it('max mode with an absolute threshold, floored at minLr', () => {
    const s = createLrSchedule(
      {
        kind: 'plateau',
        mode: 'max',
        factor: 0.5,
        patience: 0,
        threshold: 0.1,
        thresholdMode: 'abs',
        minLr: 0.3,
      },
      { baseLr: 1 },
    );
    s.reportMetric(0.5);
    expect(s.reportMetric(0.55)).toBe(true); // not > 0.5 + 0.1
    expect(s.current()).toBe(0.5);
    expect(s.reportMetric(0.7)).toBe(false); // improves
    expect(s.reportMetric(0.7)).toBe(true);
    expect(s.current()).toBe(0.3); // 0.25 floored
    expect(s.reportMetric(0.7)).toBe(false); // already at the floor
    expect(s.getState().reductions).toBe(2);
  });

  it('ignores metrics during warmup and takes them through step()', () => {
    const s = createLrSchedule(
      { kind: 'plateau', patience: 0, factor: 0.5, warmup: { steps: 2 } },
      { baseLr: 1 },
    );
    expect(s.step(5)).toBe(0.5); // reported at step 0 (warmup): ignored; now at step 1
    expect(s.step(5)).toBe(1); // ignored (still warmup); now at step 2
    expect(s.step(5)).toBe(1); // best
    expect(s.step(6)).toBe(0.5); // worse, patience 0: reduced
    expect(s.stepCount).toBe(4);
    expect(s.lrAt(0)).toBe(0); // warmup is unaffected by reductions
  });

  it('counts a non-finite metric as no improvement', () => {
    const s = createLrSchedule({ kind: 'plateau', patience: 1, factor: 0.5 }, { baseLr: 1 });
    expect(s.reportMetric(NaN)).toBe(false); // no best yet, bad 1
    expect(s.reportMetric(Infinity)).toBe(true); // bad 2 > 1
    expect(s.reportMetric(3)).toBe(false); // first finite value is the best
    expect(s.getState()).toMatchObject({ best: 3, badReports: 0, reductions: 1 });
  });

  it('only plateau listens to metrics', () => {
    const s = createLrSchedule({ kind: 'constant' }, { baseLr: 1 });
    for (let i = 0; i < 20; i++) expect(s.reportMetric(i)).toBe(false);
    expect(s.current()).toBe(1);
  });
});

describe('createLrSchedule: state', () => {
  it('round-trips through JSON and continues identically', () => {
    const opts: LrScheduleOptions = { kind: 'plateau', factor: 0.5, patience: 1, warmup: { steps: 3 } };
    const metrics = [9, 8, 7, 7, 7, 7, 6, 6, 6, 6, 6, 6];
    const a = createLrSchedule(opts, { baseLr: 1 });
    const ratesA: number[] = [];
    for (const m of metrics) ratesA.push(a.step(m));

    const b = createLrSchedule(opts, { baseLr: 1 });
    const ratesB: number[] = [];
    for (const m of metrics.slice(0, 6)) ratesB.push(b.step(m));
    const saved: unknown = JSON.parse(JSON.stringify(b.getState()));
    const c = createLrSchedule(opts, { baseLr: 1 });
    c.setState(saved as ReturnType<typeof b.getState>);
    expect(c.stepCount).toBe(6);
    for (const m of metrics.slice(6)) ratesB.push(c.step(m));
    expect(ratesB).toEqual(ratesA);
    expect(a.getState()).toEqual(c.getState());
    expect(a.getState().reductions).toBeGreaterThan(0);
  });

  it('refuses the state of another kind', () => {
    const s = createLrSchedule({ kind: 'linear' }, { baseLr: 1, totalSteps: 5 });
    const other = createLrSchedule({ kind: 'constant' }, { baseLr: 1 }).getState();
    expect(code(() => s.setState(other))).toBe('E_CHECKPOINT');
  });
});
