/** Sequence masks: from lengths to [B, T] masks, and BERT's additive attention mask. */
import { MmtlError } from '../core/index.js';
import { arange, tensor, type DType, type Tensor } from '../tensor/index.js';

/**
 * float32's most negative value, what HF BERT adds at masked positions (`torch.finfo(float32).min`).
 *
 * @example
 * ```ts
 * MASK_MIN_FLOAT32 === -3.4028234663852886e38; // true
 * ```
 */
export const MASK_MIN_FLOAT32 = -3.4028234663852886e38;

/**
 * Per-row lengths as an int64 tensor [B], from lengths (a tensor [B] or plain numbers) or from a 0/1 mask
 * [B, T] whose valid tokens come first.
 *
 * @example
 * ```ts
 * lengthsTensor([3, 1]).dtype; // 'int64'
 * lengthsTensor(tensor([[1, 1, 0], [1, 0, 0]])).toArray(); // [2, 1]
 * ```
 */
export function lengthsTensor(lengths: Tensor | readonly number[]): Tensor {
  if (!Array.isArray(lengths)) {
    const t = lengths as Tensor;
    if (t.rank === 2) return t.to('int64').sum(1); // [B]
    return t.dtype === 'int64' ? t : t.to('int64');
  }
  const values = lengths as readonly number[];
  if (values.some((n) => !Number.isInteger(n) || n < 1)) {
    throw new MmtlError('E_ARG', `Argument 'lengths' passed to 'lengthsTensor' must hold integers ≥ 1`);
  }
  return tensor(Int32Array.from(values), { dtype: 'int64' });
}

/**
 * A bool mask [B, T], true where `t < lengths[b]` (the valid tokens).
 *
 * @example
 * ```ts
 * sequenceMask(tensor([2, 1], { dtype: 'int64' }), 3).toArray(); // [1, 1, 0, 1, 0, 0]
 * ```
 */
export function sequenceMask(lengths: Tensor, maxLength: number): Tensor {
  const steps = arange(0, maxLength, 1, { device: lengths.device }); // [T]
  return steps.unsqueeze(0).lt(lengths.unsqueeze(1)); // [B, T]
}

/**
 * HF BERT's extended attention mask: mask [B, T] (1 = attend, 0 = padding) → [B, 1, 1, T] holding 0 where
 * attended and `torch.finfo(float32).min` where masked, added to attention scores before the softmax.
 *
 * @example
 * ```ts
 * extendedAttentionMask(tensor([[1, 0]])).toArray(); // [-0, -3.4028234663852886e38]
 * ```
 */
export function extendedAttentionMask(mask: Tensor, dtype: DType = 'float32'): Tensor {
  if (mask.rank !== 2) {
    throw new MmtlError(
      'E_SHAPE',
      `Argument 'mask' passed to 'extendedAttentionMask' must be [B, T], got [${mask.shape.join(', ')}]`,
    );
  }
  const m = mask.to(dtype).unsqueeze(1).unsqueeze(2); // [B, 1, 1, T]
  return m.rsub(1).mul(MASK_MIN_FLOAT32); // [B, 1, 1, T]
}
