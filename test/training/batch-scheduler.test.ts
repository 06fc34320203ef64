import { describe, expect, it } from 'vitest';
import { Rng, isMmtlError } from '../../src/core/index.js';
import { BatchScheduler, batchSchedulerRegistry, createBatchScheduler } from '../../src/training/index.js';
import type {
  BatchSchedulerOptions,
  BatchSchedulerState,
  PayloadInfo,
  ScheduleStep,
} from '../../src/training/index.js';

const P: PayloadInfo[] = [
  { name: 'rte/train', numBatches: 5 },
  { name: 'mrpc/train', numBatches: 3 },
  { name: 'empty/train', numBatches: 0 },
  { name: 'cola/train', numBatches: 2 },
];

const pairs = (steps: ScheduleStep[]): string[] =>
  steps.flatMap((s) => s.batches.map((b) => `${b.payload}:${b.batch}`));

function take(s: BatchScheduler, n: number): ScheduleStep[] {
  return Array.from({ length: n }, () => s.next());
}

function code(f: () => unknown): string | undefined {
  try {
    f();
  } catch (e) {
    return isMmtlError(e) ? e.code : 'not-mmtl';
  }
  return undefined;
}

const ALL_KINDS: BatchSchedulerOptions[] = [
  { kind: 'shuffled', seed: 7 },
  { kind: 'shuffled', seed: 7, shuffleWithinPayload: true },
  { kind: 'sequential' },
  { kind: 'mixed' },
  { kind: 'ratio', seed: 7, temperature: 2 },
];

describe('shuffled', () => {
  it('takes every batch of every payload exactly once per epoch, in batch order within a payload', () => {
    const s = new BatchScheduler({ kind: 'shuffled', seed: 1 }, P);
    expect(s.stepsPerEpoch).toBe(10);
    const expected = ['0:0', '0:1', '0:2', '0:3', '0:4', '1:0', '1:1', '1:2', '3:0', '3:1'];
    const epochs = [0, 1, 2].map(() => [...s.restOfEpoch()]);
    for (const [e, steps] of epochs.entries()) {
      expect(steps.map((st) => [st.epoch, st.index])).toEqual(steps.map((_, i) => [e, i]));
      expect([...pairs(steps)].sort()).toEqual(expected);
      for (const p of [0, 1, 3]) {
        const order = steps
          .flatMap((st) => st.batches)
          .filter((b) => b.payload === p)
          .map((b) => b.batch);
        expect(order).toEqual([...order].sort((a, b) => a - b));
      }
    }
    expect(pairs(epochs[0]!)).not.toEqual(pairs(epochs[1]!)); // a new order each epoch
  });

  it('is determined by the seed', () => {
    const a = pairs(take(new BatchScheduler({ kind: 'shuffled', seed: 3 }, P), 30));
    expect(pairs(take(new BatchScheduler({ kind: 'shuffled', seed: 3 }, P), 30))).toEqual(a);
    expect(pairs(take(new BatchScheduler({ kind: 'shuffled', seed: 4 }, P), 30))).not.toEqual(a);
  });

  it('can shuffle batches within a payload', () => {
    const s = new BatchScheduler({ kind: 'shuffled', seed: 2, shuffleWithinPayload: true }, [
      { name: 'a', numBatches: 50 },
    ]);
    const order = take(s, 50).map((st) => st.batches[0]!.batch);
    expect([...order].sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(order).not.toEqual([...order].sort((a, b) => a - b));
  });
});

describe('sequential and mixed', () => {
  it('sequential goes payload after payload', () => {
    const s = createBatchScheduler({ kind: 'sequential' }, P);
    expect(pairs(take(s, 12))).toEqual([
      '0:0',
      '0:1',
      '0:2',
      '0:3',
      '0:4',
      '1:0',
      '1:1',
      '1:2',
      '3:0',
      '3:1',
      '0:0',
      '0:1',
    ]);
  });

  it('mixed takes one batch of every payload per step, cycling shorter ones', () => {
    const s = createBatchScheduler({ kind: 'mixed' }, P);
    expect(s.stepsPerEpoch).toBe(5);
    const steps = take(s, 6);
    expect(steps.map((st) => pairs([st]).join(' '))).toEqual([
      '0:0 1:0 3:0',
      '0:1 1:1 3:1',
      '0:2 1:2 3:0',
      '0:3 1:0 3:1',
      '0:4 1:1 3:0',
      '0:0 1:0 3:0',
    ]);
    expect(steps[5]!.epoch).toBe(1);
  });
});

describe('ratio', () => {
  const share = (temperature: number): number => {
    const s = createBatchScheduler({ kind: 'ratio', seed: 11, temperature }, [
      { name: 'big', numBatches: 90 },
      { name: 'small', numBatches: 10 },
    ]);
    expect(s.stepsPerEpoch).toBe(100);
    const steps = take(s, 5000);
    return steps.filter((st) => st.batches[0]!.payload === 0).length / steps.length;
  };

  it('samples ∝ numBatches^(1/T)', () => {
    expect(share(1)).toBeCloseTo(0.9, 1);
    expect(Math.abs(share(2) - Math.sqrt(90) / (Math.sqrt(90) + Math.sqrt(10)))).toBeLessThan(0.03);
    expect(Math.abs(share(1e6) - 0.5)).toBeLessThan(0.03);
  });

  it('cycles through each payload batch by batch and never picks an empty payload', () => {
    const s = createBatchScheduler({ kind: 'ratio', seed: 5, temperature: 100 }, P);
    const steps = take(s, s.stepsPerEpoch);
    for (const p of [0, 1, 3]) {
      const n = P[p]!.numBatches;
      const order = steps
        .map((st) => st.batches[0]!)
        .filter((b) => b.payload === p)
        .map((b) => b.batch);
      expect(order).toEqual(order.map((_, i) => i % n));
    }
    expect(steps.some((st) => st.batches[0]!.payload === 2)).toBe(false);
  });
});

describe('resume', () => {
  it.each(ALL_KINDS)('continues the exact sequence after 2.5 epochs (%o)', (opts) => {
    const whole = new BatchScheduler(opts, P);
    const n = whole.stepsPerEpoch;
    const cut = 2 * n + Math.floor(n / 2);
    const expected = take(whole, cut + 3 * n);

    const first = new BatchScheduler(opts, P);
    const before = take(first, cut);
    const saved = JSON.parse(JSON.stringify(first.getState())) as BatchSchedulerState;
    expect(saved).toMatchObject({ epoch: 2, index: Math.floor(n / 2) });
    const resumed = new BatchScheduler(opts, P);
    resumed.setState(saved);
    expect([...before, ...take(resumed, 3 * n)]).toEqual(expected);
  });

  it.each(ALL_KINDS)('continues after a save at an epoch boundary (%o)', (opts) => {
    const whole = new BatchScheduler(opts, P);
    const n = whole.stepsPerEpoch;
    const expected = take(whole, 4 * n);
    const first = new BatchScheduler(opts, P);
    take(first, 2 * n);
    const resumed = new BatchScheduler(opts, P);
    resumed.setState(first.getState());
    expect(take(resumed, 2 * n)).toEqual(expected.slice(2 * n));
  });

  it('refuses a state from other payloads or another kind', () => {
    const s = new BatchScheduler({ kind: 'shuffled' }, P);
    const other = new BatchScheduler({ kind: 'shuffled' }, P.slice(0, 2)).getState();
    expect(code(() => s.setState(other))).toBe('E_CHECKPOINT');
    const seq = new BatchScheduler({ kind: 'sequential' }, P).getState();
    expect(code(() => s.setState(seq))).toBe('E_CHECKPOINT');
    expect(code(() => s.setState({ ...s.getState(), index: 99 }))).toBe('E_CHECKPOINT');
  });
});

describe('validation and registry', () => {
  it('names its kinds and builds plans from them', () => {
    expect(batchSchedulerRegistry.names()).toEqual(['shuffled', 'sequential', 'mixed', 'ratio']);
    const plan = batchSchedulerRegistry.get('sequential')(
      { kind: 'sequential', seed: 0 },
      [
        { name: 'a', numBatches: 2 },
        { name: 'b', numBatches: 1 },
      ],
      new Rng(0),
    );
    expect(plan).toEqual([
      [{ payload: 0, batch: 0 }],
      [{ payload: 0, batch: 1 }],
      [{ payload: 1, batch: 0 }],
    ]);
  });

  it('rejects bad input with coded errors', () => {
    expect(code(() => new BatchScheduler({ kind: 'staged' } as never, P))).toBe('E_CONFIG');
    expect(code(() => new BatchScheduler({ kind: 'ratio', temperature: 0 }, P))).toBe('E_CONFIG');
    expect(code(() => new BatchScheduler({ kind: 'shuffled' }, []))).toBe('E_ARG');
    expect(() => new BatchScheduler({ kind: 'shuffled' }, [{ name: 'x', numBatches: 0 }])).toThrow(
      /no batches/,
    );
    expect(() => new BatchScheduler({ kind: 'shuffled' }, [{ name: 'x', numBatches: 1.5 }])).toThrow(/'x'/);
  });
});
