// collate gathers each batch field in one native call straight from the dataset's arrays: the values and
// dtypes of a batch are those of the rows asked for, and a replaced label set is seen at once.
import { describe, expect, it } from 'vitest';
import { MmtlError } from '../../src/core/index.js';
import { collate, Dataset, sequenceField } from '../../src/tasks/index.js';
import { gatherRows, tensor, tidy } from '../../src/tensor/index.js';

function dataset(): Dataset {
  return new Dataset({
    name: 'toy',
    inputs: {
      x: { kind: 'dense', values: Float32Array.from({ length: 12 }, (_, i) => i / 2), shape: [4, 3] },
      ids: { kind: 'dense', values: Int32Array.from([5, 6, 7, 8, 9, 10, 11, 12]), shape: [4, 2] },
      tokens: sequenceField([[1, 2, 3], [4], [5, 6], [7]]),
    },
    labels: {
      cls: { kind: 'class', values: Int32Array.from([1, -1, 0, 2]), cardinality: 3 },
      reg: { kind: 'regression', values: Float32Array.from([0.5, Number.NaN, 1.5, 2.5]) },
      soft: { kind: 'soft', values: Float32Array.from([0.2, 0.8, 1, 0, 0, 0, 0.5, 0.5]), cardinality: 2 },
      multi: { kind: 'multilabel', values: Int8Array.from([1, 0, -1, 1, 0, 0, 1, 1]), cardinality: 2 },
    },
  });
}

describe('collate', () => {
  it('gathers every kind of field and label set in batch order, with the dtypes of before', () => {
    tidy(() => {
      const ds = dataset();
      const b = collate(ds, Int32Array.from([3, 0, 3]), ['cls', 'reg', 'soft', 'multi']);
      expect(b.inputs.x!.shape).toEqual([3, 3]);
      expect(b.inputs.x!.dtype).toBe('float32');
      expect(b.inputs.x!.toArray()).toEqual([4.5, 5, 5.5, 0, 0.5, 1, 4.5, 5, 5.5]);
      expect(b.inputs.ids!.dtype).toBe('int64');
      expect(b.inputs.ids!.toArray()).toEqual([11, 12, 5, 6, 11, 12]);
      expect(b.inputs.tokens!.toArray()).toEqual([7, 0, 0, 1, 2, 3, 7, 0, 0]);
      expect(b.inputs.tokens_lengths!.toArray()).toEqual([1, 3, 1]);
      expect(b.labels.cls!.dtype).toBe('int64');
      expect(b.labels.cls!.toArray()).toEqual([2, 1, 2]);
      expect(b.labels.reg!.toArray()).toEqual([2.5, 0.5, 2.5]);
      expect(b.labels.soft!.shape).toEqual([3, 2]);
      expect(b.labels.soft!.toArray()).toEqual([0.5, 0.5, 0.2, 0.8, 0.5, 0.5].map(Math.fround));
      expect(b.labels.multi!.dtype).toBe('float32');
      expect(b.labels.multi!.toArray()).toEqual([1, 1, 1, 0, 1, 1]);
      expect([...b.rows]).toEqual([3, 0, 3]);
    });
  });

  it('sees a replaced label set at once', () => {
    tidy(() => {
      const ds = dataset();
      expect(collate(ds, Int32Array.from([0, 2]), ['cls']).labels.cls!.toArray()).toEqual([1, 0]);
      ds.addLabelSet('cls', { kind: 'class', values: Int32Array.from([2, 2, 1, 1]), cardinality: 3 });
      expect(collate(ds, Int32Array.from([0, 2]), ['cls']).labels.cls!.toArray()).toEqual([2, 1]);
    });
  });

  it('gatherRows converts dtypes and rejects rows out of range', () => {
    tidy(() => {
      const ids = gatherRows(Int16Array.from([1, 2, 3, 4, 5, 6]), [3], Int32Array.from([1, 1]), {
        dtype: 'int64',
      });
      expect(ids.dtype).toBe('int64');
      expect(ids.shape).toEqual([2, 3]);
      expect(ids.toArray()).toEqual([4, 5, 6, 4, 5, 6]);
      expect(gatherRows(Float64Array.from([0.5, 1.5]), [], new Int32Array(0)).shape).toEqual([0]);
      let err: unknown;
      try {
        gatherRows(Float32Array.from([1, 2, 3, 4]), [2], Int32Array.from([0, 2]));
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(MmtlError);
      expect((err as MmtlError).message).toContain('row 2 is out of range for 2 rows');
    });
  });

  it('Tensor.takeRows gathers rows of any tensor and rejects rows out of range', () => {
    tidy(() => {
      const t = tensor([
        [1, 2],
        [3, 4],
        [5, 6],
      ]);
      expect(t.takeRows(Int32Array.from([2, 0])).toArray()).toEqual([5, 6, 1, 2]);
      expect(
        t
          .t()
          .takeRows(Int32Array.from([1]))
          .toArray(),
      ).toEqual([2, 4, 6]); // not contiguous
      expect(t.takeRows(new Int32Array(0)).shape).toEqual([0, 2]);
      let err: unknown;
      try {
        t.takeRows(Int32Array.from([3]));
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(MmtlError);
      expect((err as MmtlError).message).toContain('row 3 is out of range for 3 rows');
    });
  });
});
