// Error mapping: libtorch failures become MmtlError with a code, the op name and the shapes involved — never a
// crash of the process.
import { describe, expect, it } from 'vitest';
import { MmtlError } from '../../src/core/index.js';
import {
  Optimizer,
  cat,
  crossEntropy,
  embedding,
  linear,
  ones,
  stack,
  tensor,
  tidy,
  zeros,
  type Tensor,
} from '../../src/tensor/index.js';

function caught(f: () => unknown): MmtlError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(MmtlError);
    return e as MmtlError;
  }
  throw new Error('expected an error');
}

describe('shape errors → E_SHAPE naming the op and the shapes', () => {
  it('matmul of incompatible matrices', () => {
    tidy(() => {
      const e = caught(() => zeros([2, 3]).matmul(zeros([4, 5])));
      expect(e.code).toBe('E_SHAPE');
      expect(e.message).toMatch(/^matmul\(\[2, 3\], \[4, 5\]\): /);
      expect(e.details).toMatchObject({
        op: 'matmul',
        shapes: [
          [2, 3],
          [4, 5],
        ],
      });
    });
  });
  it('broadcasting mismatch in elementwise ops', () => {
    tidy(() => {
      const e = caught(() => zeros([2, 3]).add(zeros([4])));
      expect(e.code).toBe('E_SHAPE');
      expect(e.message).toMatch(/^add\(\[2, 3\], \[4\]\): .*size/);
    });
  });
  it('cat, stack, view, linear, reshape', () => {
    tidy(() => {
      expect(caught(() => cat([zeros([2, 3]), zeros([2, 4])])).code).toBe('E_SHAPE');
      expect(caught(() => cat([zeros([2, 3]), zeros([2, 4])])).message).toMatch(/^cat\(\[2, 3\], \[2, 4\]\)/);
      expect(caught(() => stack([zeros([2]), zeros([3])])).code).toBe('E_SHAPE');
      expect(caught(() => zeros([2, 3]).reshape([4])).code).toBe('E_SHAPE');
      expect(caught(() => zeros([2, 3]).reshape([4])).message).toMatch(/^reshape\(\[2, 3\]\)/);
      const e = caught(() => linear(zeros([5, 3]), zeros([4, 2])));
      expect(e.code).toBe('E_SHAPE');
      expect(e.message).toMatch(/^linear\(\[5, 3\], \[4, 2\], undefined\)/);
    });
  });
  it('out-of-range dims and indices are errors', () => {
    tidy(() => {
      expect(caught(() => zeros([2, 3]).select(0, 5)).message).toMatch(/^select/);
      expect(caught(() => zeros([2, 3]).sum(4)).message).toMatch(/^sum/);
      expect(caught(() => zeros([2, 3]).transpose(0, 3)).message).toMatch(/^transpose/);
      const e = caught(() => embedding(zeros([4, 2]), tensor([7], { dtype: 'int64' })));
      expect(e.message).toMatch(/^embedding\(\[4, 2\], \[1\]\): .*index out of range/);
    });
  });
});

describe('dtype and other engine errors', () => {
  it('wrong target dtype for crossEntropy is E_DTYPE', () => {
    tidy(() => {
      const e = caught(() => crossEntropy(zeros([2, 3]), tensor([0, 1], { dtype: 'int32' })));
      expect(e.code).toBe('E_DTYPE');
      expect(e.message).toMatch(/^crossEntropy\(\[2, 3\], \[2\]\)/);
    });
  });
  it('backward twice through a freed graph is E_ENGINE, and the process survives', () => {
    tidy(() => {
      const w = ones([2]).requiresGrad_(true);
      const y = w.mul(w).sum();
      y.backward();
      const e = caught(() => {
        y.backward();
      });
      expect(e.code).toBe('E_ENGINE');
      expect(e.message).toMatch(/^backward/);
    });
  });
  it('unknown optimizer names and empty groups are refused', () => {
    tidy(() => {
      expect(() => new Optimizer('rmsprop', [ones([1])])).toThrow(/unknown optimizer 'rmsprop'/);
      expect(caught(() => new Optimizer('sgd', [{ params: [] }])).code).toBe('E_ARG');
    });
  });
});

describe('use after dispose → E_STATE', () => {
  const disposed = (): Tensor => {
    const t = ones([2, 2]);
    t.dispose();
    return t;
  };
  it('every way of touching a disposed tensor throws E_STATE', () => {
    tidy(() => {
      const t = disposed();
      expect(t.isDisposed).toBe(true);
      expect(t.toString()).toBe('Tensor(disposed)');
      const uses: [string, () => unknown][] = [
        ['data', () => t.data()],
        ['item', () => t.item()],
        ['relu (generated unary)', () => t.relu()],
        ['add (generated binary, disposed left)', () => t.add(ones([2, 2]))],
        ['add (disposed right)', () => ones([2, 2]).add(t)],
        ['mul scalar', () => t.mul(2)],
        ['sum (generated reduce)', () => t.sum()],
        ['reshape', () => t.reshape([4])],
        ['matmul right', () => ones([2, 2]).matmul(t)],
        ['cat list', () => cat([ones([2, 2]), t])],
        ['linear weight', () => linear(ones([1, 2]), t)],
        ['backward', () => t.backward()],
        ['grad', () => t.grad],
        ['requiresGrad_', () => t.requiresGrad_()],
        ['copy_ source', () => ones([2, 2]).copy_(t)],
      ];
      for (const [what, use] of uses) {
        const e = caught(use);
        expect(e.code, what).toBe('E_STATE');
      }
    });
  });
  it('a shape error message names disposed inputs', () => {
    tidy(() => {
      const e = caught(() => ones([2]).add(disposed()));
      expect(e.details).toMatchObject({ shapes: [[2], 'disposed'] });
    });
  });
  it('dispose is idempotent and optimizers refuse use after dispose', () => {
    tidy(() => {
      const t = ones([1]);
      t.dispose();
      t.dispose();
      const w = ones([1]).requiresGrad_(true);
      const opt = new Optimizer('sgd', [w]);
      opt.dispose();
      opt.dispose();
      expect(caught(() => opt.step()).code).toBe('E_STATE');
      expect(caught(() => opt.saveState()).code).toBe('E_STATE');
    });
  });
  it('an optimizer keeps stepping parameters whose JS handles were disposed (no crash)', () => {
    const w = ones([2]).requiresGrad_(true);
    const opt = new Optimizer('sgd', [w], { lr: 0.1 });
    tidy(() => {
      w.sum().backward();
    });
    w.dispose();
    expect(() => opt.step()).not.toThrow();
    opt.dispose();
  });
});
