import { describe, expect, it } from 'vitest';
import { isMmtlError } from '../../src/core/index.js';
import { LFAnalysis, LabelingFunction, applyLFs, isLabelingFunction } from '../../src/labeling/index.js';
import {
  SlicingFunction,
  applySFs,
  sliceMask,
  sliceMatrix,
  slicingFunction,
} from '../../src/slicing/index.js';

const short = slicingFunction({ name: 'short' }, (x: { text: string }) => x.text.length < 10);
const link = slicingFunction(
  { name: 'link', resources: { re: /https?:\/\//i } },
  (x: { text: string }, { re }) => re.test(x.text),
);
const rows = [{ text: 'hi' }, { text: 'see http://a.io now' }, { text: 'a long comment here' }];

describe('SlicingFunction', () => {
  it('is a labeling function voting 1 in the slice and 0 outside', () => {
    expect(short).toBeInstanceOf(SlicingFunction);
    expect(short).toBeInstanceOf(LabelingFunction);
    expect(isLabelingFunction(link)).toBe(true);
    expect(short.apply({ text: 'hi' })).toBe(1);
    expect(short.apply({ text: 'a long comment here' })).toBe(0);
    expect(link.apply({ text: 'HTTP://x' })).toBe(1);
  });

  it('rejects a non-function', () => {
    expect(() => new SlicingFunction({ name: 'x' }, 3 as never)).toThrow(
      /Argument 'fn' passed to 'slicingFunction'/,
    );
  });
});

describe('applySFs', () => {
  it('builds the membership matrix, which the LF machinery analyses', () => {
    const S = applySFs([short, link], rows);
    expect(S.names).toEqual(['short', 'link']);
    expect(S.toRows()).toEqual([
      [1, 0],
      [0, 1],
      [0, 0],
    ]);
    expect(applyLFs([short, link], rows, { cardinality: 2 }).L.toRows()).toEqual(S.toRows());
    const a = new LFAnalysis(S);
    expect(Array.from(a.lfCoverages())).toEqual([1, 1]); // 0 is a vote, not an abstain
  });

  it('counts a throwing SF as out of the slice when fault tolerant', () => {
    const bad = slicingFunction({ name: 'bad' }, (x: { text: string }) => {
      if (x.text === 'hi') throw new Error('boom');
      return true;
    });
    expect(() => applySFs([bad], rows)).toThrow();
    const S = applySFs([bad], rows, { faultTolerant: true });
    expect(Array.from(sliceMask(S, 'bad'))).toEqual([0, 1, 1]);
  });
});

describe('sliceMatrix / sliceMask', () => {
  it('builds a matrix from masks and reads one back', () => {
    const S = sliceMatrix({ a: [true, false, true], b: [0, 1, 0] });
    expect(S.toRows()).toEqual([
      [1, 0],
      [0, 1],
      [1, 0],
    ]);
    expect(Array.from(sliceMask(S, 'b'))).toEqual([0, 1, 0]);
  });

  it('names the argument and function in errors', () => {
    expect(() => sliceMatrix({ a: [1], b: [1, 0] })).toThrow(/'masks' passed to 'sliceMatrix'/);
    try {
      sliceMask(sliceMatrix({ a: [1] }), 'zz');
      expect.unreachable();
    } catch (e) {
      expect(isMmtlError(e, 'E_UNKNOWN')).toBe(true);
      expect(String(e)).toMatch(/expected one of a/);
    }
  });
});
