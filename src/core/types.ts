/**
 * Shared types and label conventions. Classes are `0..k-1`; `ABSTAIN` (-1) means "no label" (Snorkel's
 * convention). MeTaL numbers classes `1..k` with 0 for abstain: use {@link fromMetalLabels} /
 * {@link toMetalLabels} to convert.
 */

/** The label value that means "abstain" / "no label". */
export const ABSTAIN = -1;

/** Dataset split names used across mmtl. */
export type SplitName = 'train' | 'valid' | 'test' | (string & {});

/** Typed arrays that hold integer labels. */
export type IntLabelArray = Int8Array | Int16Array | Int32Array;

/**
 * Converts MeTaL labels (`1..k`, 0 = abstain) to mmtl labels (`0..k-1`, -1 = abstain).
 *
 * @example
 * ```ts
 * fromMetalLabels([1, 2, 0]); // Int32Array [0, 1, -1]
 * ```
 */
export function fromMetalLabels(labels: ArrayLike<number>): Int32Array {
  return Int32Array.from(labels, (v) => v - 1);
}

/**
 * Converts mmtl labels (`0..k-1`, -1 = abstain) to MeTaL labels (`1..k`, 0 = abstain).
 *
 * @example
 * ```ts
 * toMetalLabels([0, 1, -1]); // Int32Array [1, 2, 0]
 * ```
 */
export function toMetalLabels(labels: ArrayLike<number>): Int32Array {
  return Int32Array.from(labels, (v) => v + 1);
}
