import { assert } from '../core/index.js';

/** Which end of a sequence gets padding or loses tokens. */
export type Side = 'left' | 'right';

/** Options of {@link padSequences}. */
export interface PadOptions {
  /** Pad (and truncate) to this length; default: the longest sequence. */
  maxLength?: number;
  /** Value of padding positions (default 0). */
  padValue?: number;
  /** Where padding goes (default 'right'). */
  side?: Side;
  /** Which end loses tokens when a sequence is longer than `maxLength` (default 'right': keep the start). */
  truncationSide?: Side;
}

/** A padded batch of integer sequences. */
export interface PaddedBatch {
  /** `batch × seqLen`, row-major. */
  values: Int32Array;
  /** Real (unpadded, post-truncation) length of each row. */
  lengths: Int32Array;
  /** Number of rows. */
  batch: number;
  /** Length of every row. */
  seqLen: number;
}

/**
 * Pads (and truncates) integer sequences into one row-major `batch × seqLen` Int32Array.
 *
 * @example
 * ```ts
 * padSequences([[5, 6, 7], [8]]);
 * // { values: Int32Array [5, 6, 7, 8, 0, 0], lengths: Int32Array [3, 1], batch: 2, seqLen: 3 }
 * padSequences([[5, 6, 7], [8]], { maxLength: 2, side: 'left', padValue: -1 }).values;
 * // Int32Array [5, 6, -1, 8]
 * ```
 */
export function padSequences(seqs: readonly ArrayLike<number>[], options: PadOptions = {}): PaddedBatch {
  const { padValue = 0, side = 'right', truncationSide = 'right' } = options;
  let seqLen = options.maxLength;
  if (seqLen === undefined) {
    seqLen = 0;
    for (const s of seqs) seqLen = Math.max(seqLen, s.length);
  }
  assert(
    Number.isInteger(seqLen) && seqLen >= 0,
    'E_ARG',
    () => `Argument 'maxLength' passed to 'padSequences' must be an integer ≥ 0, got ${seqLen}`,
  );
  assert(
    (side === 'left' || side === 'right') && (truncationSide === 'left' || truncationSide === 'right'),
    'E_ARG',
    () => `Arguments 'side' and 'truncationSide' passed to 'padSequences' must be 'left' or 'right'`,
  );
  const batch = seqs.length;
  const values = new Int32Array(batch * seqLen).fill(padValue);
  const lengths = new Int32Array(batch);
  for (let b = 0; b < batch; b++) {
    const s = seqs[b]!;
    const len = Math.min(s.length, seqLen);
    const from = truncationSide === 'right' ? 0 : s.length - len;
    const to = b * seqLen + (side === 'right' ? 0 : seqLen - len);
    for (let i = 0; i < len; i++) values[to + i] = s[from + i]!;
    lengths[b] = len;
  }
  return { values, lengths, batch, seqLen };
}
