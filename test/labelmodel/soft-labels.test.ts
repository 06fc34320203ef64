import { describe, expect, it } from 'vitest';
import { softLabels } from '../../src/labelmodel/index.js';

describe('softLabels', () => {
  it('keeps the probabilities of rows with a vote and zeroes the others', () => {
    const L = { n: 3, m: 2, data: Int8Array.from([1, -1, -1, -1, -1, 0]) };
    const y = softLabels(Float64Array.from([0.2, 0.8, 0.5, 0.5, 0.9, 0.1]), L, 2);
    expect(y).toBeInstanceOf(Float32Array);
    expect([...y].map((v) => Math.round(v * 10) / 10)).toEqual([0.2, 0.8, 0, 0, 0.9, 0.1]);
  });
  it('rejects probabilities of the wrong size', () => {
    expect(() => softLabels([0.5, 0.5], { n: 2, m: 1, data: Int8Array.from([0, 1]) }, 2)).toThrow(
      /expected n·k = 2·2/,
    );
  });
});
