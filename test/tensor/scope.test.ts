// Tensor lifetime (tidy, keep, dispose, nextTurn) and gradient mode (noGrad).
import { describe, expect, it } from 'vitest';
import {
  dispose,
  isGradEnabled,
  keep,
  nextTurn,
  noGrad,
  ones,
  scopeDepth,
  tensor,
  tidy,
  zeros,
  type Tensor,
} from '../../src/tensor/index.js';

describe('tidy', () => {
  it('frees intermediates and keeps the returned tensor', () => {
    const made: Tensor[] = [];
    const out = tidy(() => {
      const a = ones([2]);
      const b = a.add(1);
      made.push(a, b);
      return b.mul(3);
    });
    expect(made.every((t) => t.isDisposed)).toBe(true);
    expect(out.isDisposed).toBe(false);
    expect(out.toArray()).toEqual([6, 6]);
    out.dispose();
  });

  it('keeps tensors returned inside arrays, plain objects and Maps', () => {
    let inner: Tensor | undefined;
    const out = tidy(() => {
      inner = zeros([1]);
      return { list: [ones([1]), ones([2])], obj: { t: ones([3]) }, map: new Map([['m', ones([4])]]), n: 3 };
    });
    expect(inner!.isDisposed).toBe(true);
    const all = [...out.list, out.obj.t, out.map.get('m')!];
    expect(all.every((t) => !t.isDisposed)).toBe(true);
    dispose(out);
    expect(all.every((t) => t.isDisposed)).toBe(true);
  });

  it('nested scopes: a returned tensor moves to the parent scope and is freed there', () => {
    let fromInner: Tensor | undefined;
    let innerTemp: Tensor | undefined;
    const outer = tidy(() => {
      fromInner = tidy(() => {
        innerTemp = ones([1]);
        return ones([2]);
      });
      expect(innerTemp!.isDisposed).toBe(true);
      expect(fromInner.isDisposed).toBe(false);
      expect(scopeDepth()).toBe(1);
      return ones([3]);
    });
    expect(fromInner!.isDisposed).toBe(true);
    expect(outer.isDisposed).toBe(false);
    expect(scopeDepth()).toBe(0);
    outer.dispose();
  });

  it('keep() lets a tensor outlive every open scope', () => {
    let kept: Tensor | undefined;
    tidy(() => {
      tidy(() => {
        kept = keep(ones([2]));
      });
    });
    expect(kept!.isDisposed).toBe(false);
    kept!.dispose();
  });

  it('frees everything and rethrows when fn throws', () => {
    let t: Tensor | undefined;
    expect(() =>
      tidy(() => {
        t = ones([1]);
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(t!.isDisposed).toBe(true);
    expect(scopeDepth()).toBe(0);
  });

  it('rejects async functions with E_ARG and frees what they made synchronously', async () => {
    let t: Tensor | undefined;
    let thrown: unknown;
    let pending: Promise<unknown> | undefined;
    try {
      void tidy(() => {
        t = ones([1]);
        pending = Promise.resolve(1);
        return pending;
      });
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toMatchObject({ code: 'E_ARG' });
    expect(String(thrown)).toMatch(/must be synchronous/);
    expect(t!.isDisposed).toBe(true);
    expect(scopeDepth()).toBe(0);
    await pending;
  });

  it('tensors made outside any scope are not tracked', () => {
    const t = ones([1]);
    tidy(() => ones([1]));
    expect(t.isDisposed).toBe(false);
    t.dispose();
  });

  it('a tensor returned twice (and an already disposed one) is handled', () => {
    const out = tidy(() => {
      const a = ones([1]);
      const b = ones([1]);
      b.dispose();
      return [a, a, b];
    });
    expect(out[0]!.isDisposed).toBe(false);
    dispose(out);
  });

  it('nextTurn resolves after one event-loop turn', async () => {
    let ran = false;
    setImmediate(() => {
      ran = true;
    });
    await nextTurn();
    expect(ran).toBe(true);
  });
});

describe('noGrad', () => {
  it('ops inside record no graph; the previous mode comes back, even after a throw', () => {
    tidy(() => {
      const w = ones([2]).requiresGrad_(true);
      expect(isGradEnabled()).toBe(true);
      const y = noGrad(() => {
        expect(isGradEnabled()).toBe(false);
        return w.mul(2);
      });
      expect(y.requiresGrad).toBe(false);
      expect(w.mul(2).requiresGrad).toBe(true);
      expect(() =>
        noGrad(() => {
          throw new Error('x');
        }),
      ).toThrow('x');
      expect(isGradEnabled()).toBe(true);
      noGrad(() => {
        noGrad(() => undefined);
        expect(isGradEnabled()).toBe(false);
      });
      expect(isGradEnabled()).toBe(true);
    });
  });

  it('backward fills grads of leaves; detach cuts the graph', () => {
    tidy(() => {
      const x = tensor([1, 2, 3], { requiresGrad: true });
      x.mul(x).sum().backward();
      expect(x.grad!.toArray()).toEqual([2, 4, 6]);
      const d = x.detach();
      expect(d.requiresGrad).toBe(false);
      // gradients accumulate until reset
      x.sum().backward();
      expect(x.grad!.toArray()).toEqual([3, 5, 7]);
      // explicit output gradient for a non-scalar
      const z = tensor([1, 2], { requiresGrad: true });
      z.mul(3).backward(tensor([1, 10]));
      expect(z.grad!.toArray()).toEqual([3, 30]);
      // retainGraph lets a graph be used twice
      const q = tensor([2], { requiresGrad: true });
      const s = q.square().sum();
      s.backward(undefined, { retainGraph: true });
      s.backward();
      expect(q.grad!.toArray()).toEqual([8]);
    });
  });
});
