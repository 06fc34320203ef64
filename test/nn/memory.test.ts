// 200 training steps (tidy + one event-loop turn per step) leave no native tensor behind.
import { afterEach, describe, expect, it } from 'vitest';
import { BiLSTM, Embedding, MLP } from '../../src/nn/index.js';
import {
  crossEntropy,
  manualSeed,
  native,
  nextTurn,
  Optimizer,
  randint,
  tensor,
  tidy,
} from '../../src/tensor/index.js';

/** Counts native handles made and freed, by wrapping every function of the binding. */
function countHandles(): { live: () => number; restore: () => void } {
  const binding = native() as unknown as Record<string, unknown>;
  const originals = new Map<string, (...args: unknown[]) => unknown>();
  let made = 0;
  let freed = 0;
  const isHandle = (v: unknown): boolean =>
    v !== null &&
    typeof v === 'object' &&
    !Array.isArray(v) &&
    !(v instanceof ArrayBuffer) &&
    !ArrayBuffer.isView(v);
  for (const [name, fn] of Object.entries(binding)) {
    if (typeof fn !== 'function' || name.startsWith('optim')) continue;
    const f = fn as (...args: unknown[]) => unknown;
    originals.set(name, f);
    binding[name] =
      name === 'free'
        ? (...args: unknown[]) => {
            freed++;
            return f(...args);
          }
        : (...args: unknown[]) => {
            const out = f(...args);
            if (isHandle(out)) made++;
            else if (Array.isArray(out)) made += out.filter(isHandle).length;
            return out;
          };
  }
  return {
    live: () => made - freed,
    restore: () => {
      for (const [name, f] of originals) binding[name] = f;
    },
  };
}

let restore = (): void => undefined;
afterEach(() => restore());

describe('memory', () => {
  it('200 train steps keep the live tensor count flat and the parameters alive', async () => {
    manualSeed(3);
    const counter = countHandles();
    restore = counter.restore;
    const emb = new Embedding(50, 8, { paddingIdx: 0 });
    const rnn = new BiLSTM(8, 6, { pooling: 'max' });
    const head = new MLP([12, 10, 3], { dropout: 0.1 });
    const params = [...emb.parameters(), ...rnn.parameters(), ...head.parameters()];
    const opt = new Optimizer('adam', params, { lr: 1e-2 });
    const ids = randint(1, 50, [4, 7]);
    const lengths = tensor([7, 5, 3, 1], { dtype: 'int64' });
    const labels = tensor([0, 1, 2, 1], { dtype: 'int64' });

    const losses: number[] = [];
    let liveAfterWarmup = 0;
    for (let step = 0; step < 200; step++) {
      losses.push(
        tidy(() => {
          const { pooled } = rnn.forward(emb.forward(ids), lengths); // [4, 12]
          const loss = crossEntropy(head.forward(pooled), labels);
          loss.backward();
          opt.step();
          opt.zeroGrad();
          return loss.item();
        }),
      );
      await nextTurn();
      if (step === 9) liveAfterWarmup = counter.live();
    }
    expect(counter.live()).toBe(liveAfterWarmup);
    expect(params.every((p) => !p.isDisposed)).toBe(true);
    expect(losses.at(-1)!).toBeLessThan(losses[0]! * 0.5);

    const before = counter.live();
    for (const m of [emb, rnn, head]) m.dispose();
    expect(before - counter.live()).toBe(params.length);
    opt.dispose();
  });
});
