import { describe, expect, it } from 'vitest';
import { indicatorLabelSet, maskLabelSet } from '../../src/slicing/index.js';
import { tokenLabels } from '../../src/tasks/index.js';

const inSlice = Uint8Array.of(1, 0);

describe('maskLabelSet', () => {
  it('marks rows outside the slice missing, in each label-set kind', () => {
    expect(
      maskLabelSet({ kind: 'class', values: Int32Array.of(2, 1), cardinality: 3 }, inSlice).values,
    ).toEqual(Int32Array.of(2, -1));
    const reg = maskLabelSet({ kind: 'regression', values: Float32Array.of(0.5, 2) }, inSlice);
    expect(Array.from(reg.values)).toEqual([0.5, NaN]);
    const soft = maskLabelSet(
      { kind: 'soft', values: Float32Array.of(0.2, 0.8, 0.6, 0.4), cardinality: 2 },
      inSlice,
    );
    expect(Array.from(soft.values)).toEqual([0.2, 0.8, 0, 0].map(Math.fround));
    const ml = maskLabelSet(
      { kind: 'multilabel', values: Int8Array.of(1, 0, 0, 1), cardinality: 2 },
      inSlice,
    );
    expect(Array.from(ml.values)).toEqual([1, 0, -1, -1]);
    const tok = maskLabelSet(tokenLabels([[0, 1], [2]], 3, 'tokens'), Uint8Array.of(0, 1));
    expect(Array.from(tok.values)).toEqual([-1, -1, 2]);
  });

  it('does not change its input and checks the row count', () => {
    const y = { kind: 'class' as const, values: Int32Array.of(1, 1), cardinality: 2 };
    maskLabelSet(y, inSlice);
    expect(Array.from(y.values)).toEqual([1, 1]);
    expect(() => maskLabelSet(y, Uint8Array.of(1))).toThrow(/'inSlice' passed to 'maskLabelSet'/);
  });
});

describe('indicatorLabelSet', () => {
  it('turns membership into binary class labels', () => {
    expect(indicatorLabelSet(Int8Array.of(1, 0, -1))).toEqual({
      kind: 'class',
      values: Int32Array.of(1, 0, 0),
      cardinality: 2,
    });
  });
});
