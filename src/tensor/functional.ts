import { native } from './native.js';
import { run, Tensor } from './tensor.js';

/** How a loss reduces over elements. */
export type Reduction = 'mean' | 'sum' | 'none';

/**
 * `x · wᵀ + b` over the last dim. x: [..., in], weight: [out, in], bias: [out] → [..., out].
 *
 * @example
 * ```ts
 * linear(ones([2, 3]), ones([4, 3])).shape; // [2, 4]
 * ```
 */
export function linear(x: Tensor, weight: Tensor, bias?: Tensor | null): Tensor {
  return new Tensor(
    run('linear', [x, weight, bias], () => native().linear(x.handle, weight.handle, bias?.handle)),
  );
}

/** `beta · bias + alpha · (a @ b)` in one kernel. @example `addmm(zeros([2]), ones([3, 4]), ones([4, 2])).shape; // [3, 2]` */
export function addmm(bias: Tensor, a: Tensor, b: Tensor, beta = 1, alpha = 1): Tensor {
  return new Tensor(
    run('addmm', [bias, a, b], () => native().addmm(bias.handle, a.handle, b.handle, beta, alpha)),
  );
}

/**
 * Layer normalization over the trailing `normalizedShape` dims.
 *
 * @example
 * ```ts
 * layerNorm(randn([2, 8]), [8]).mean(-1).abs().amax().item() < 1e-5; // true
 * ```
 */
export function layerNorm(
  x: Tensor,
  normalizedShape: readonly number[],
  weight?: Tensor | null,
  bias?: Tensor | null,
  eps = 1e-5,
): Tensor {
  return new Tensor(
    run('layerNorm', [x, weight, bias], () =>
      native().layerNorm(x.handle, [...normalizedShape], weight?.handle, bias?.handle, eps),
    ),
  );
}

/** Inverted dropout: zeroes elements with probability `p` and scales the rest by 1/(1-p) when `train`. @example `dropout(ones([4]), 0.5, false).toArray(); // [1, 1, 1, 1]` */
export function dropout(x: Tensor, p: number, train: boolean): Tensor {
  return new Tensor(run('dropout', [x, p], () => native().dropout(x.handle, p, train)));
}

/** Rows of `weight` [V, H] at int64 `indices` [...] → [..., H]; the `paddingIdx` row gets no gradient. @example `embedding(randn([10, 4]), tensor([1, 2], {dtype: 'int64'})).shape; // [2, 4]` */
export function embedding(weight: Tensor, indices: Tensor, paddingIdx = -1): Tensor {
  return new Tensor(
    run('embedding', [weight, indices], () => native().embedding(weight.handle, indices.handle, paddingIdx)),
  );
}

/** One-hot encoding of int64 class indices → int64 [..., k]. @example `oneHot(tensor([0, 2], {dtype: 'int64'}), 3).toArray(); // [1,0,0, 0,0,1]` */
export function oneHot(indices: Tensor, k: number): Tensor {
  return new Tensor(run('oneHot', [indices, k], () => native().oneHot(indices.handle, k)));
}

/** Options of {@link lstm}. */
export interface LstmOptions {
  /** Stacked layers (default 1). */
  numLayers?: number;
  /** Dropout between layers, training only (default 0). */
  dropout?: number;
  /** Training mode (default true). */
  train?: boolean;
  /** Two directions, outputs concatenated (default false). */
  bidirectional?: boolean;
  /** Initial [h0, c0], each [layers·dirs, B, H]; zeros when omitted. */
  hx?: readonly [Tensor, Tensor];
  /** Per-row lengths (int64 [B]); with them the LSTM runs packed, so padding never enters the state. */
  lengths?: Tensor;
}

/**
 * libtorch's fused LSTM over a batch-first input x [B, T, F]. `params` is the flat list per layer and
 * direction: w_ih [4H, F], w_hh [4H, H], b_ih [4H], b_hh [4H] (PyTorch's order and gate layout i, f, g, o).
 * Returns output [B, T, dirs·H] (zeros past each row's length when `lengths` is given) and h, c
 * [layers·dirs, B, H].
 *
 * @example
 * ```ts
 * const p = [randn([8, 3]), randn([8, 2]), zeros([8]), zeros([8])]; // H = 2, F = 3
 * lstm(randn([4, 5, 3]), p).output.shape; // [4, 5, 2]
 * ```
 */
export function lstm(
  x: Tensor,
  params: readonly Tensor[],
  options: LstmOptions = {},
): { output: Tensor; h: Tensor; c: Tensor } {
  const layers = options.numLayers ?? 1;
  const bidirectional = options.bidirectional ?? false;
  const hasBiases = params.length === layers * (bidirectional ? 2 : 1) * 4;
  const hx = options.hx ? [options.hx[0].handle, options.hx[1].handle] : [];
  const ps = params.map((p) => p.handle);
  const drop = options.dropout ?? 0;
  const train = options.train ?? true;
  const lengths = options.lengths;
  const [o, h, c] = run('lstm', [x, lengths], () =>
    lengths
      ? native().lstmPacked(x.handle, lengths.handle, hx, ps, hasBiases, layers, drop, train, bidirectional)
      : native().lstm(x.handle, hx, ps, hasBiases, layers, drop, train, bidirectional, true),
  );
  return { output: new Tensor(o), h: new Tensor(h), c: new Tensor(c) };
}

/** Options of {@link crossEntropy}. */
export interface CrossEntropyOptions {
  /** Per-class weights [C]. */
  weight?: Tensor;
  /** Reduction (default 'mean'). */
  reduction?: Reduction;
  /** Target value ignored in the loss and the mean (default -100, PyTorch's; use -1 for abstains). */
  ignoreIndex?: number;
  /** Label smoothing in [0, 1) (default 0). */
  labelSmoothing?: number;
}

/**
 * Cross-entropy from logits [N, C] (or [N, C, d…]). `target` holds int64 class indices [N], or class
 * probabilities [N, C] (soft labels, same dtype as the logits).
 *
 * @example
 * ```ts
 * crossEntropy(zeros([2, 4]), tensor([0, 3], { dtype: 'int64' })).item(); // ln 4 ≈ 1.386
 * ```
 */
export function crossEntropy(logits: Tensor, target: Tensor, options: CrossEntropyOptions = {}): Tensor {
  return new Tensor(
    run('crossEntropy', [logits, target], () =>
      native().crossEntropy(
        logits.handle,
        target.handle,
        options.weight?.handle,
        options.reduction ?? 'mean',
        options.ignoreIndex ?? -100,
        options.labelSmoothing ?? 0,
      ),
    ),
  );
}

/** Negative log-likelihood from log-probabilities [N, C] and int64 targets [N]. @example `nllLoss(zeros([1, 2]).logSoftmax(1), tensor([1], {dtype: 'int64'})).item(); // ln 2` */
export function nllLoss(
  logProbs: Tensor,
  target: Tensor,
  options: Omit<CrossEntropyOptions, 'labelSmoothing'> = {},
): Tensor {
  return new Tensor(
    run('nllLoss', [logProbs, target], () =>
      native().nllLoss(
        logProbs.handle,
        target.handle,
        options.weight?.handle,
        options.reduction ?? 'mean',
        options.ignoreIndex ?? -100,
      ),
    ),
  );
}

/** Binary cross-entropy from logits (numerically stable), targets in [0, 1]. @example `bceWithLogits(zeros([2]), ones([2])).item(); // ln 2` */
export function bceWithLogits(
  logits: Tensor,
  target: Tensor,
  options: { weight?: Tensor; posWeight?: Tensor; reduction?: Reduction } = {},
): Tensor {
  return new Tensor(
    run('bceWithLogits', [logits, target], () =>
      native().bceWithLogits(
        logits.handle,
        target.handle,
        options.weight?.handle,
        options.posWeight?.handle,
        options.reduction ?? 'mean',
      ),
    ),
  );
}

/** Binary cross-entropy from probabilities. @example `bce(full([2], 0.5), ones([2])).item(); // ln 2` */
export function bce(
  probs: Tensor,
  target: Tensor,
  options: { weight?: Tensor; reduction?: Reduction } = {},
): Tensor {
  return new Tensor(
    run('bce', [probs, target], () =>
      native().bce(probs.handle, target.handle, options.weight?.handle, options.reduction ?? 'mean'),
    ),
  );
}

/** Mean squared error. @example `mseLoss(zeros([2]), ones([2])).item(); // 1` */
export function mseLoss(x: Tensor, target: Tensor, reduction: Reduction = 'mean'): Tensor {
  return new Tensor(run('mseLoss', [x, target], () => native().mseLoss(x.handle, target.handle, reduction)));
}
