// Tensor basics through the public API: creation and readback for every dtype, shape ops, broadcasting,
// reductions, indexing and masking, cat/stack/split.
import { describe, expect, it } from 'vitest';
import {
  DTYPE_CODES,
  arange,
  cat,
  full,
  isFloating,
  ones,
  oneHot,
  stack,
  tensor,
  tidy,
  where,
  zeros,
  type DType,
} from '../../src/tensor/index.js';
import { expectClose } from './helpers.js';

describe('creation and readback', () => {
  it('nested arrays default to float32 and keep their shape', () => {
    tidy(() => {
      const t = tensor([
        [1, 2, 3],
        [4, 5, 6],
      ]);
      expect(t.dtype).toBe('float32');
      expect(t.shape).toEqual([2, 3]);
      expect(t.rank).toBe(2);
      expect(t.size).toBe(6);
      expect(t.data()).toBeInstanceOf(Float32Array);
      expect(t.toArray()).toEqual([1, 2, 3, 4, 5, 6]);
      expect(t.device).toBe('cpu');
      expect(t.toString()).toBe('Tensor(float32 [2, 3])');
    });
  });

  it('a scalar is 0-d and item() reads it', () => {
    tidy(() => {
      const t = tensor(2.5);
      expect(t.shape).toEqual([]);
      expect(t.item()).toBe(2.5);
    });
  });

  const exact: Record<DType, { values: number[]; array: string }> = {
    float32: { values: [1.5, -2.25, 0, 2 ** 100], array: 'Float32Array' },
    float64: { values: [0.1, -1e-300, 1e300, Math.PI], array: 'Float64Array' },
    int64: { values: [0, -1, 2 ** 40, -(2 ** 50)], array: 'BigInt64Array' },
    int32: { values: [0, -1, 2 ** 31 - 1, -(2 ** 31)], array: 'Int32Array' },
    int16: { values: [0, -1, 32767, -32768], array: 'Int16Array' },
    int8: { values: [0, -1, 127, -128], array: 'Int8Array' },
    uint8: { values: [0, 1, 200, 255], array: 'Uint8Array' },
    bool: { values: [1, 0, 0, 1], array: 'Uint8Array' },
    float16: { values: [1, -2.5, 65504, 2 ** -14], array: 'Float32Array' },
    bfloat16: { values: [1, -2.5, 3.3895313892515355e38, 0.0078125], array: 'Float32Array' },
  };
  for (const dtype of DTYPE_CODES) {
    it(`${dtype}: created from numbers, read back exactly (typed array ${exact[dtype].array})`, () => {
      tidy(() => {
        const { values, array } = exact[dtype];
        const t = tensor(values, { dtype });
        expect(t.dtype).toBe(dtype);
        expect(t.data().constructor.name).toBe(array);
        expect(t.toArray()).toEqual(values);
        // through float64 and back
        expect(t.to('float64').to(dtype).toArray()).toEqual(values);
      });
    });
  }

  it('typed arrays keep their own dtype unless told, with an explicit shape', () => {
    tidy(() => {
      expect(tensor(new Float64Array([1, 2])).dtype).toBe('float64');
      expect(tensor(new Int32Array([1, 2])).dtype).toBe('int32');
      expect(tensor(new BigInt64Array([1n, -2n])).toArray()).toEqual([1, -2]);
      expect(tensor(new Int32Array([1, 2]), { dtype: 'int64' }).dtype).toBe('int64');
      const t = tensor(new Float32Array(6).fill(2), { shape: [2, 3] });
      expect(t.shape).toEqual([2, 3]);
    });
  });

  it('float16 and bfloat16 round to nearest on creation and widen on readback', () => {
    tidy(() => {
      // 1 + 2⁻¹¹ is half-way between two halves → rounds to even (1); 1 + 3·2⁻¹¹ → 1 + 2⁻⁹
      expect(tensor([1 + 2 ** -11, 1 + 3 * 2 ** -11], { dtype: 'float16' }).toArray()).toEqual([
        1,
        1 + 2 ** -9,
      ]);
      expect(tensor([1 + 2 ** -9], { dtype: 'bfloat16' }).toArray()).toEqual([1]);
      expect(tensor([70000], { dtype: 'float16' }).toArray()).toEqual([Infinity]);
      // half bits given directly (sourceDtype): 0x3c00 = 1, 0xc000 = -2 (f16); 0x3f80 = 1 (bf16)
      expect(
        tensor(new Int16Array([0x3c00, 0xc000 - 0x10000]), { sourceDtype: 'float16' }).toArray(),
      ).toEqual([1, -2]);
      expect(tensor(new Int16Array([0x3f80]), { sourceDtype: 'bfloat16' }).toArray()).toEqual([1]);
      const h = tensor([0.1, 0.2], { dtype: 'float16' });
      expect(h.add(h).dtype).toBe('float16');
      expectClose(h.to('float32'), [0.0999755859375, 0.199951171875], { atol: 0 });
    });
  });

  it('ragged nested arrays and wrong byte counts are errors, not crashes', () => {
    expect(() => tensor([[1, 2], [3]])).toThrow(expect.objectContaining({ code: 'E_SHAPE' }));
    expect(() => tensor(new Float32Array(5), { shape: [2, 3] })).toThrow(/bytes/);
  });

  it('full, zeros, ones, arange with dtypes', () => {
    tidy(() => {
      expect(full([2, 2], 7).toArray()).toEqual([7, 7, 7, 7]);
      expect(zeros([3], { dtype: 'int64' }).toArray()).toEqual([0, 0, 0]);
      expect(ones([2], { dtype: 'bool' }).toArray()).toEqual([1, 1]);
      expect(arange(0, 5).toArray()).toEqual([0, 1, 2, 3, 4]);
      expect(arange(0, 5).dtype).toBe('int64');
      expect(arange(1, 2, 0.25, { dtype: 'float64' }).toArray()).toEqual([1, 1.25, 1.5, 1.75]);
      expect(oneHot(tensor([0, 2], { dtype: 'int64' }), 3).toArray()).toEqual([1, 0, 0, 0, 0, 1]);
      expect(isFloating('bfloat16')).toBe(true);
      expect(isFloating('int64')).toBe(false);
    });
  });

  it('requiresGrad option and dtype conversions', () => {
    tidy(() => {
      const t = tensor([1, 2], { requiresGrad: true });
      expect(t.requiresGrad).toBe(true);
      expect(t.grad).toBeNull();
      expect(tensor([1.7, -1.7]).to('int32').toArray()).toEqual([1, -1]);
      expect(tensor([0, 2]).to('bool').toArray()).toEqual([0, 1]);
    });
  });
});

describe('shape ops', () => {
  const base = (): ReturnType<typeof tensor> => arange(0, 24, 1, { dtype: 'float32' }).reshape([2, 3, 4]);
  it('reshape, view, permute, transpose, t, flatten, squeeze, unsqueeze', () => {
    tidy(() => {
      const x = base();
      expect(x.reshape([4, -1]).shape).toEqual([4, 6]);
      expect(x.view([6, 4]).shape).toEqual([6, 4]);
      const p = x.permute([2, 0, 1]);
      expect(p.shape).toEqual([4, 2, 3]);
      expect(p.contiguous().toArray().slice(0, 6)).toEqual([0, 4, 8, 12, 16, 20]);
      expect(x.transpose(0, 2).shape).toEqual([4, 3, 2]);
      expect(
        tensor([[1, 2, 3]])
          .t()
          .toArray(),
      ).toEqual([1, 2, 3]);
      expect(tensor([[1, 2, 3]]).t().shape).toEqual([3, 1]);
      expect(x.flatten().shape).toEqual([24]);
      expect(x.flatten(1).shape).toEqual([2, 12]);
      expect(x.unsqueeze(1).shape).toEqual([2, 1, 3, 4]);
      expect(x.unsqueeze(-1).squeeze(-1).shape).toEqual([2, 3, 4]);
      expect(zeros([1, 3, 1]).squeeze().shape).toEqual([3]);
      // a transposed tensor reshapes (copy) but does not view
      expect(x.transpose(1, 2).reshape([2, 12]).toArray().slice(0, 4)).toEqual([0, 4, 8, 1]);
      expect(() => x.transpose(1, 2).view([2, 12])).toThrow(expect.objectContaining({ code: 'E_SHAPE' }));
    });
  });
  it('expand and repeat', () => {
    tidy(() => {
      const c = tensor([[1], [2]]);
      expect(c.expand([2, 3]).toArray()).toEqual([1, 1, 1, 2, 2, 2]);
      expect(c.expand([-1, 2]).shape).toEqual([2, 2]);
      expect(c.repeat([2, 2]).toArray()).toEqual([1, 1, 2, 2, 1, 1, 2, 2]);
    });
  });
  it('slice, narrow, select with negative indices and steps', () => {
    tidy(() => {
      const x = arange(0, 10, 1, { dtype: 'float64' });
      expect(x.slice(0, 2, 5).toArray()).toEqual([2, 3, 4]);
      expect(x.slice(0, -3).toArray()).toEqual([7, 8, 9]);
      expect(x.slice(0, 1, 9, 3).toArray()).toEqual([1, 4, 7]);
      expect(x.narrow(0, 4, 2).toArray()).toEqual([4, 5]);
      expect(base().select(1, -1).toArray()).toEqual([8, 9, 10, 11, 20, 21, 22, 23]);
    });
  });
  it('cat, stack, split (sizes and chunk size)', () => {
    tidy(() => {
      const a = tensor([[1, 2]]);
      const b = tensor([[3, 4]]);
      expect(cat([a, b]).toArray()).toEqual([1, 2, 3, 4]);
      expect(cat([a, b], 1).shape).toEqual([1, 4]);
      expect(cat([a, b], -1).toArray()).toEqual([1, 2, 3, 4]);
      expect(stack([a, b]).shape).toEqual([2, 1, 2]);
      expect(stack([a, b], 2).shape).toEqual([1, 2, 2]);
      const x = arange(0, 7, 1, { dtype: 'float32' });
      expect(x.split(3).map((t) => t.toArray())).toEqual([[0, 1, 2], [3, 4, 5], [6]]);
      expect(x.split([2, 5]).map((t) => t.shape[0])).toEqual([2, 5]);
      expect(
        base()
          .split(2, -1)
          .map((t) => t.shape),
      ).toEqual([
        [2, 3, 2],
        [2, 3, 2],
      ]);
    });
  });
  it('pad, tril, triu', () => {
    tidy(() => {
      expect(
        tensor([[1, 2]])
          .pad([1, 0, 0, 1], 9)
          .toArray(),
      ).toEqual([9, 1, 2, 9, 9, 9]);
      const m = ones([3, 3]);
      expect(m.tril().sum().item()).toBe(6);
      expect(m.triu(1).sum().item()).toBe(3);
    });
  });
});

describe('arithmetic and broadcasting', () => {
  it('broadcasts [3,1] with [1,4] and [4]', () => {
    tidy(() => {
      const a = tensor([[1], [2], [3]]);
      const b = tensor([[10, 20, 30, 40]]);
      expect(a.add(b).shape).toEqual([3, 4]);
      expect(a.add(b).toArray().slice(0, 5)).toEqual([11, 21, 31, 41, 12]);
      expect(
        a
          .mul(tensor([1, 2, 3, 4]))
          .toArray()
          .slice(-4),
      ).toEqual([3, 6, 9, 12]);
    });
  });
  it('scalars on the right, reversed scalar ops, type promotion', () => {
    tidy(() => {
      const x = tensor([1, 2, 4]);
      expect(x.add(1).toArray()).toEqual([2, 3, 5]);
      expect(x.sub(1).toArray()).toEqual([0, 1, 3]);
      expect(x.rsub(1).toArray()).toEqual([0, -1, -3]);
      expect(x.mul(2).toArray()).toEqual([2, 4, 8]);
      expect(x.div(2).toArray()).toEqual([0.5, 1, 2]);
      expect(x.rdiv(8).toArray()).toEqual([8, 4, 2]);
      expect(x.pow(2).toArray()).toEqual([1, 4, 16]);
      expect(x.rpow(2).toArray()).toEqual([2, 4, 16]);
      expect(x.maximum(2).toArray()).toEqual([2, 2, 4]);
      expect(x.minimum(2).toArray()).toEqual([1, 2, 2]);
      expect(tensor([-2, 3]).leakyRelu(0.5).toArray()).toEqual([-1, 3]);
      expect(x.matmul(tensor([1, 1, 1])).item()).toBe(7);
      expect(tensor([1, 2], { dtype: 'int64' }).add(0.5).dtype).toBe('float32');
      // integral numbers on integral tensors stay integral, as Python ints do in PyTorch
      const ids = tensor([1, 2], { dtype: 'int64' });
      expect(ids.mul(3).dtype).toBe('int64');
      expect(ids.add(1).toArray()).toEqual([2, 3]);
      expect(ids.sub(1).dtype).toBe('int64');
      expect(ids.rsub(10).dtype).toBe('int64');
      expect(ids.div(2).dtype).toBe('float32'); // true division
      expect(ids.div(2).toArray()).toEqual([0.5, 1]);
      expect(tensor([1, 0], { dtype: 'bool' }).add(1).dtype).toBe('int64');
      expect(tensor([1, 2], { dtype: 'int32' }).mul(2).dtype).toBe('int32');
      expect(tensor([1, 2], { dtype: 'float16' }).mul(2).dtype).toBe('float16');
      expect(ids.mul(2 ** 40).toArray()).toEqual([2 ** 40, 2 ** 41]);
      expect(tensor([1], { dtype: 'float64' }).add(tensor([1])).dtype).toBe('float64');
    });
  });
  it('unary ops on known values', () => {
    tidy(() => {
      const x = tensor([-1.5, 0.5, 2.5], { dtype: 'float64' });
      expect(x.abs().toArray()).toEqual([1.5, 0.5, 2.5]);
      expect(x.neg().toArray()).toEqual([1.5, -0.5, -2.5]);
      expect(x.sign().toArray()).toEqual([-1, 1, 1]);
      expect(x.floor().toArray()).toEqual([-2, 0, 2]);
      expect(x.ceil().toArray()).toEqual([-1, 1, 3]);
      expect(x.round().toArray()).toEqual([-2, 0, 2]); // half to even
      expect(x.relu().toArray()).toEqual([0, 0.5, 2.5]);
      expectClose(x.exp(), [Math.exp(-1.5), Math.exp(0.5), Math.exp(2.5)]);
      expectClose(x.abs().log(), [Math.log(1.5), Math.log(0.5), Math.log(2.5)]);
      expectClose(
        x.sigmoid(),
        [-1.5, 0.5, 2.5].map((v) => 1 / (1 + Math.exp(-v))),
      );
      expectClose(x.tanh(), [-1.5, 0.5, 2.5].map(Math.tanh));
      expectClose(tensor([1], { dtype: 'float64' }).gelu(), [0.8413447460685429]);
      expect(tensor([NaN, 1]).isnan().toArray()).toEqual([1, 0]);
      expect(tensor([1, 0], { dtype: 'bool' }).logicalNot().toArray()).toEqual([0, 1]);
    });
  });
  it('comparisons and logic return bool', () => {
    tidy(() => {
      const a = tensor([1, 2, 3]);
      const b = tensor([3, 2, 1]);
      expect(a.lt(b).dtype).toBe('bool');
      expect(a.lt(b).toArray()).toEqual([1, 0, 0]);
      expect(a.le(b).toArray()).toEqual([1, 1, 0]);
      expect(a.eq(b).toArray()).toEqual([0, 1, 0]);
      expect(a.ne(2).toArray()).toEqual([1, 0, 1]);
      expect(a.ge(2).toArray()).toEqual([0, 1, 1]);
      expect(a.gt(b).logicalOr(a.eq(b)).toArray()).toEqual([0, 1, 1]);
      expect(a.gt(1).logicalAnd(a.lt(3)).toArray()).toEqual([0, 1, 0]);
    });
  });
});

describe('reductions', () => {
  it('over all elements and over dims, with keepdim', () => {
    tidy(() => {
      const x = tensor([
        [1, 2, 3],
        [4, 5, 6],
      ]);
      expect(x.sum().item()).toBe(21);
      expect(x.sum().shape).toEqual([]);
      expect(x.sum(0).toArray()).toEqual([5, 7, 9]);
      expect(x.sum(1, true).shape).toEqual([2, 1]);
      expect(x.sum([0, 1]).item()).toBe(21);
      expect(x.mean(-1).toArray()).toEqual([2, 5]);
      expect(x.prod().item()).toBe(720);
      expect(x.prod([0, 1], true).shape).toEqual([1, 1]);
      expect(x.amax(1).toArray()).toEqual([3, 6]);
      expect(x.amin().item()).toBe(1);
      expect(x.var(1).toArray()).toEqual([1, 1]); // unbiased
      expect(x.std().item()).toBeCloseTo(Math.sqrt(3.5), 6);
      expect(x.norm().item()).toBeCloseTo(Math.sqrt(91), 5);
      expect(x.logsumexp(1).toArray()[0]).toBeCloseTo(Math.log(Math.exp(1) + Math.exp(2) + Math.exp(3)), 5);
      expect(x.gt(0).all().item()).toBe(1);
      expect(x.gt(5).any(1).toArray()).toEqual([0, 1]);
      expect(x.gt(2).all([0, 1], true).shape).toEqual([1, 1]);
    });
  });
  it('argmax/argmin, maxDim/minDim, sort, cumsum', () => {
    tidy(() => {
      const x = tensor([
        [3, 1, 2],
        [0, 5, 4],
      ]);
      expect(x.argmax().item()).toBe(4);
      expect(x.argmax(1).toArray()).toEqual([0, 1]);
      expect(x.argmin(0, true).shape).toEqual([1, 3]);
      const { values, indices } = x.maxDim(1);
      expect(values.toArray()).toEqual([3, 5]);
      expect(indices.toArray()).toEqual([0, 1]);
      expect(x.minDim(0).values.toArray()).toEqual([0, 1, 2]);
      const s = x.sort(1, true);
      expect(s.values.toArray()).toEqual([3, 2, 1, 5, 4, 0]);
      expect(s.indices.toArray()).toEqual([0, 2, 1, 1, 2, 0]);
      expect(x.cumsum(1).toArray()).toEqual([3, 4, 6, 0, 5, 9]);
    });
  });
});

describe('indexing and masking', () => {
  it('indexSelect, gather, scatterAdd, index by int and bool rows', () => {
    tidy(() => {
      const x = tensor([
        [1, 2, 3],
        [4, 5, 6],
        [7, 8, 9],
      ]);
      const idx = tensor([2, 0], { dtype: 'int64' });
      expect(x.indexSelect(0, idx).toArray()).toEqual([7, 8, 9, 1, 2, 3]);
      expect(x.indexSelect(1, idx).toArray()).toEqual([3, 1, 6, 4, 9, 7]);
      expect(x.gather(1, tensor([[0], [2], [1]], { dtype: 'int64' })).toArray()).toEqual([1, 6, 8]);
      expect(
        zeros([2, 3])
          .scatterAdd(
            1,
            tensor(
              [
                [0, 0],
                [2, 1],
              ],
              { dtype: 'int64' },
            ),
            ones([2, 2]),
          )
          .toArray(),
      ).toEqual([2, 0, 0, 0, 1, 1]);
      expect(x.index(idx).shape).toEqual([2, 3]);
      expect(x.index(tensor([1, 0, 1], { dtype: 'bool' })).toArray()).toEqual([1, 2, 3, 7, 8, 9]);
    });
  });
  it('maskedFill, maskedSelect, where, clamp', () => {
    tidy(() => {
      const x = tensor([1, -2, 3, -4]);
      const neg = x.lt(0);
      expect(x.maskedFill(neg, 0).toArray()).toEqual([1, 0, 3, 0]);
      expect(x.maskedSelect(neg).toArray()).toEqual([-2, -4]);
      expect(where(neg, zeros([4]), x).toArray()).toEqual([1, 0, 3, 0]);
      expect(where(neg, zeros([1]), full([], 9)).toArray()).toEqual([9, 0, 9, 0]);
      expect(x.clamp(-1, 2).toArray()).toEqual([1, -1, 2, -1]);
      expect(x.clamp(undefined, 0).toArray()).toEqual([0, -2, 0, -4]);
      expect(x.clamp(0).toArray()).toEqual([1, 0, 3, 0]);
    });
  });
  it('in-place helpers work outside autograd', () => {
    tidy(() => {
      const w = zeros([3]).requiresGrad_(true);
      w.fill_(2).addScaled_(ones([3]), 0.5);
      expect(w.toArray()).toEqual([2.5, 2.5, 2.5]);
      w.copy_(tensor([1, 2, 3]));
      expect(w.toArray()).toEqual([1, 2, 3]);
      expect(w.requiresGrad).toBe(true);
      expect(w.grad).toBeNull();
      const u = zeros([1000]).uniform_(2, 3);
      expect(u.amin().item()).toBeGreaterThanOrEqual(2);
      expect(u.amax().item()).toBeLessThan(3);
      const n = zeros([4000], { dtype: 'float64' }).normal_(5, 2);
      expect(n.mean().item()).toBeCloseTo(5, 0);
      expect(n.std().item()).toBeCloseTo(2, 0);
    });
  });
});
