import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LFAnalysis, LabelMatrix, keywordLF } from '../../src/labeling/index.js';

const toy = LabelMatrix.fromRows(
  [
    [0, 0, -1],
    [0, 1, -1],
    [-1, -1, 1],
    [-1, -1, -1],
  ],
  ['a', 'b', 'c'],
);

describe('LFAnalysis on a hand-checked matrix', () => {
  const analysis = new LFAnalysis(toy);
  it('computes label-level statistics', () => {
    expect(analysis.labelCoverage()).toBe(0.75);
    expect(analysis.labelOverlap()).toBe(0.5);
    expect(analysis.labelConflict()).toBe(0.25);
  });
  it('computes per-LF statistics', () => {
    expect(analysis.lfPolarities()).toEqual([[0], [0, 1], [1]]);
    expect(Array.from(analysis.lfCoverages())).toEqual([0.5, 0.5, 0.25]);
    expect(Array.from(analysis.lfOverlaps())).toEqual([0.5, 0.5, 0]);
    expect(Array.from(analysis.lfConflicts())).toEqual([0.25, 0.25, 0]);
    expect(Array.from(analysis.lfOverlaps(true))).toEqual([1, 1, 0]);
    expect(Array.from(analysis.lfConflicts(true))).toEqual([0.5, 0.5, 0]);
  });
  it('computes accuracies against gold labels, leaving out gold -1', () => {
    expect(analysis.lfAccuracyCounts([0, 1, 0, -1])).toEqual({
      correct: Int32Array.of(1, 2, 0),
      incorrect: Int32Array.of(1, 0, 1),
    });
    expect(Array.from(analysis.lfEmpiricalAccuracies([0, -1, 1, 1]))).toEqual([1, 1, 1]);
    expect(Array.from(analysis.lfEmpiricalAccuracies([-1, -1, -1, -1])).every(Number.isNaN)).toBe(true);
    expect(analysis.lfSummary([0, 1, 1, 0])[1]).toEqual({
      lf: 'b',
      j: 1,
      polarity: [0, 1],
      coverage: 0.5,
      overlaps: 0.5,
      conflicts: 0.25,
      correct: 2,
      incorrect: 0,
      empAcc: 1,
    });
    expect(analysis.lfSummary([-1, -1, -1, -1])[2]!.empAcc).toBeNull();
    expect(analysis.lfSummary()[0]).toEqual({
      lf: 'a',
      j: 0,
      polarity: [0],
      coverage: 0.5,
      overlaps: 0.5,
      conflicts: 0.25,
    });
  });
  it('validates gold labels and LFs', () => {
    expect(() => analysis.lfSummary([0, 1])).toThrow(
      /'Y' passed to 'LFAnalysis' has 2 labels, but the label matrix has 4 rows/,
    );
    expect(() => analysis.lfSummary([0, 1, 0.5, 0])).toThrow(/label 0.5 at row 2/);
    expect(() => new LFAnalysis(toy, [keywordLF({ name: 'x', keywords: ['x'], label: 0 })])).toThrow(
      /has 1 LFs/,
    );
  });
  it('takes names from the LFs when given', () => {
    const lfs = ['p', 'q', 'r'].map((name) => keywordLF({ name, keywords: ['x'], label: 0 }));
    expect(new LFAnalysis(toy, lfs).lfSummary().map((r) => r.lf)).toEqual(['p', 'q', 'r']);
  });
});

describe("LFAnalysis on WRENCH YouTube matches Snorkel's definitions", () => {
  // Expected values computed with NumPy from Snorkel's LFAnalysis formulas on the same 200 rows.
  const rows = readFileSync(join(import.meta.dirname, '..', 'fixtures', 'youtube', 'train-200.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { label: number; weak_labels: number[] });
  const L = LabelMatrix.fromRows(
    rows.map((r) => r.weak_labels),
    Array.from({ length: 10 }, (_, j) => `lf${j}`),
  );
  const Y = rows.map((r) => r.label);
  const a = new LFAnalysis(L);
  const close = (got: ArrayLike<number>, want: number[]): void => {
    want.forEach((w, j) => expect(got[j]).toBeCloseTo(w, 9));
  };
  it('label and LF statistics', () => {
    expect(a.labelCoverage()).toBeCloseTo(0.805, 12);
    expect(a.labelOverlap()).toBeCloseTo(0.455, 12);
    expect(a.labelConflict()).toBeCloseTo(0.28, 12);
    close(a.lfCoverages(), [0.21, 0.135, 0.215, 0.14, 0.115, 0.095, 0.21, 0.045, 0.02, 0.31]);
    close(a.lfOverlaps(), [0.165, 0.1, 0.175, 0.14, 0.075, 0.08, 0.175, 0.035, 0.02, 0.18]);
    close(a.lfConflicts(), [0.09, 0.065, 0.15, 0.09, 0.025, 0.04, 0.145, 0.02, 0.005, 0.115]);
    expect(a.lfPolarities()).toEqual([[1], [1], [1], [1], [0], [1], [0], [0], [0], [0]]);
  });
  it('correct / incorrect counts and empirical accuracies', () => {
    const correct = [41, 27, 42, 28, 17, 19, 14, 6, 3, 36];
    const incorrect = [1, 0, 1, 0, 6, 0, 28, 3, 1, 26];
    const { correct: c, incorrect: i } = a.lfAccuracyCounts(Y);
    expect(Array.from(c)).toEqual(correct);
    expect(Array.from(i)).toEqual(incorrect);
    close(
      a.lfEmpiricalAccuracies(Y),
      correct.map((x, j) => x / (x + incorrect[j]!)),
    );
  });
});
