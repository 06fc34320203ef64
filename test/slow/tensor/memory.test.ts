// Memory flatness of a training loop that follows the rule of DESIGN.md (one tidy scope and one event-loop turn
// per step): RSS after warmup and at the end of 300 steps of a small MLP stay within generous noise. Speed is
// never asserted; flat memory is a correctness property of the engine's lifetime handling.
import { describe, expect, it } from 'vitest';
import {
  Optimizer,
  crossEntropy,
  keep,
  linear,
  manualSeed,
  nextTurn,
  randint,
  randn,
  tidy,
  zeros,
  type Tensor,
} from '../../../src/tensor/index.js';

const MB = 1024 * 1024;

describe('training-loop memory', () => {
  it('300 steps of an MLP with tidy + nextTurn per step keep RSS flat', async () => {
    manualSeed(0);
    const [N, D, Hd, C] = [128, 256, 512, 10];
    const params: Tensor[] = tidy(() => [
      keep(randn([Hd, D]).mul(0.03).requiresGrad_(true)),
      keep(zeros([Hd]).requiresGrad_(true)),
      keep(randn([C, Hd]).mul(0.03).requiresGrad_(true)),
      keep(zeros([C]).requiresGrad_(true)),
    ]);
    const [w1, b1, w2, b2] = params as [Tensor, Tensor, Tensor, Tensor];
    const x = randn([N, D]);
    const y = randint(0, C, [N]);
    const opt = new Optimizer('adam', params, { lr: 1e-3 });
    const rss: number[] = [];
    let first = 0;
    let last = 0;
    for (let step = 0; step < 300; step++) {
      const loss = tidy(() => {
        opt.zeroGrad();
        const logits = tidy(() => linear(linear(x, w1, b1).relu(), w2, b2));
        const l = crossEntropy(logits, y);
        l.backward();
        opt.step();
        // reading values back creates ArrayBuffers and handles too
        w2.grad?.sum().item();
        return l.item();
      });
      await nextTurn();
      if (step === 0) first = loss;
      last = loss;
      rss.push(process.memoryUsage().rss);
    }
    opt.dispose();
    for (const t of [...params, x, y]) t.dispose();
    // the loop trained
    expect(last).toBeLessThan(first);
    // median of 20 readings after warmup vs the last 20: within 20 MB
    const med = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const early = med(rss.slice(30, 50));
    const late = med(rss.slice(-20));
    expect((late - early) / MB, `RSS after warmup ${early / MB} MB, at the end ${late / MB} MB`).toBeLessThan(
      20,
    );
  });
});
