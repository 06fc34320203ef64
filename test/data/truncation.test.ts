// Truncation lengths (Hugging Face strategies) and padding of integer sequences.
import { describe, expect, it } from 'vitest';
import { padSequences, truncatedLengths } from '../../src/data/index.js';

/** Hugging Face's slow-tokenizer loop: remove one token at a time from the longer (the pair on ties). */
function bruteLongestFirst(a: number, b: number, budget: number): [number, number] {
  while (a + b > budget) {
    if (a > b) a--;
    else b--;
  }
  return [a, b];
}

describe('truncatedLengths', () => {
  it('longest_first equals removing one token at a time from the longer sequence', () => {
    for (let a = 0; a <= 12; a++) {
      for (let b = 0; b <= 12; b++) {
        for (let budget = 0; budget <= 26; budget++) {
          expect(truncatedLengths(a, b, budget, 'longest_first'), `${a} ${b} ${budget}`).toEqual(
            bruteLongestFirst(a, b, budget),
          );
        }
      }
    }
  });
  it('only_first / only_second shorten one side and fail when that cannot fit', () => {
    expect(truncatedLengths(10, 4, 8, 'only_first')).toEqual([4, 4]);
    expect(truncatedLengths(4, 10, 8, 'only_second')).toEqual([4, 4]);
    expect(truncatedLengths(3, 2, 8, 'only_first')).toEqual([3, 2]);
    expect(() => truncatedLengths(3, 10, 8, 'only_first')).toThrow(expect.objectContaining({ code: 'E_DATA' }));
    expect(() => truncatedLengths(10, 3, 8, 'only_second')).toThrow(/cannot fit/);
  });
  it('single sequences keep the first budget tokens; only_second needs a pair', () => {
    expect(truncatedLengths(10, null, 8)).toEqual([8, 0]);
    expect(truncatedLengths(5, null, 8, 'only_first')).toEqual([5, 0]);
    expect(() => truncatedLengths(5, null, 3, 'only_second')).toThrow(expect.objectContaining({ code: 'E_ARG' }));
    expect(() => truncatedLengths(5, 5, -1)).toThrow(/'budget'/);
  });
});

describe('padSequences', () => {
  it('pads right to the longest row by default', () => {
    const p = padSequences([[5, 6, 7], [8], []]);
    expect(p).toEqual({ values: Int32Array.of(5, 6, 7, 8, 0, 0, 0, 0, 0), lengths: Int32Array.of(3, 1, 0), batch: 3, seqLen: 3 });
  });
  it('pads and truncates on either side', () => {
    expect(padSequences([[5, 6, 7], [8]], { maxLength: 2, side: 'left', padValue: -1 }).values).toEqual(
      Int32Array.of(5, 6, -1, 8),
    );
    expect(padSequences([Int32Array.of(5, 6, 7)], { maxLength: 2, truncationSide: 'left' }).values).toEqual(Int32Array.of(6, 7));
    expect(padSequences([[1]], { maxLength: 3 })).toMatchObject({ values: Int32Array.of(1, 0, 0), lengths: Int32Array.of(1) });
  });
  it('rejects bad options', () => {
    expect(() => padSequences([[1]], { maxLength: -1 })).toThrow(expect.objectContaining({ code: 'E_ARG' }));
    // @ts-expect-error: testing a bad value from untyped callers
    expect(() => padSequences([[1]], { side: 'middle' })).toThrow(/'side'/);
  });
});
