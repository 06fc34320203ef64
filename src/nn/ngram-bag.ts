/**
 * NgramBag: a bag of feature ids (n-grams, from `NgramFeaturizer` in src/data) → one vector per row, as
 * PyTorch's `nn.EmbeddingBag` over padded rows plus a bias. With `mode: 'sum'` it is exactly a `Linear` over
 * the rows' sparse count vectors, so `NgramBag(V, k)` is a (multinomial) logistic regression on n-gram counts
 * and `NgramBag(V, d)` + `Linear(d, k)` is fastText's classifier.
 */
import { z } from 'zod';
import { MmtlError } from '../core/index.js';
import { embedding, noGrad, type DType, type Tensor } from '../tensor/index.js';
import { constantInit, uniformInit } from './init.js';
import { MODULES, parseConfig, type ModuleConfig } from './module-config.js';
import { Module } from './module.js';

/**
 * How {@link NgramBag} reduces the rows of a bag: `sum` (counts), `mean` (frequencies, sum / n) or `sqrtn`
 * (sum / √n, TensorFlow's `sqrtn` combiner), n being the number of ids in the bag (empty bags give the bias).
 */
export type NgramBagMode = 'sum' | 'mean' | 'sqrtn';

const NgramBagConfig = z.object({
  kind: z.literal('NgramBag'),
  /** Number of feature ids, padding included. */
  numFeatures: z.int().positive(),
  /** Output size. */
  dim: z.int().positive(),
  /** Reduction over the bag. */
  mode: z.enum(['sum', 'mean', 'sqrtn']).default('sum'),
  /** Learn an additive bias. */
  bias: z.boolean().default(true),
  /** Id whose row is zero and gets no gradient (padding). */
  paddingIdx: z.int().nonnegative().default(0),
});

/** Options of {@link NgramBag}. */
export interface NgramBagOptions {
  /** Reduction over the bag (default 'sum'). */
  mode?: NgramBagMode;
  /** Learn an additive bias, initialized to 0 (default true). */
  bias?: boolean;
  /** Id whose row stays zero and gets no gradient (default 0, `NgramFeaturizer.PAD_ID`). */
  paddingIdx?: number;
  /** Parameter dtype (default float32). */
  dtype?: DType;
}

/**
 * A table `weight` [numFeatures, dim] (initialized U(±1/dim) as fastText's input matrix, the padding row
 * zeroed) reduced over each row's ids, plus `bias` [dim] (zeros). Input ids [B, T] int64 padded with
 * `paddingIdx`; repeated ids count once per occurrence. The padding row must stay zero (it gets no gradient; a
 * state dict that sets it non-zero adds it to every padded bag, where `nn.EmbeddingBag` would skip it).
 *
 * @example
 * ```ts
 * const bag = new NgramBag(1000, 2); // logistic regression on the counts of 999 n-grams
 * bag.forward(tensor([[3, 3, 7], [5, 0, 0]], { dtype: 'int64' })).shape; // [2, 2]
 * ```
 */
export class NgramBag extends Module {
  static readonly kind = 'NgramBag';
  readonly mode: NgramBagMode;
  readonly hasBias: boolean;
  readonly paddingIdx: number;

  constructor(
    readonly numFeatures: number,
    readonly dim: number,
    options: NgramBagOptions = {},
  ) {
    super();
    for (const [name, v] of [
      ['numFeatures', numFeatures],
      ['dim', dim],
    ] as const) {
      if (!Number.isInteger(v) || v < 1) {
        throw new MmtlError(
          'E_ARG',
          `Argument '${name}' passed to 'NgramBag' must be a positive integer, got ${v}`,
        );
      }
    }
    this.mode = options.mode ?? 'sum';
    this.hasBias = options.bias ?? true;
    this.paddingIdx = options.paddingIdx ?? 0;
    if (!Number.isInteger(this.paddingIdx) || this.paddingIdx < 0 || this.paddingIdx >= numFeatures) {
      throw new MmtlError(
        'E_ARG',
        `Argument 'paddingIdx' passed to 'NgramBag' must be an integer in [0, ${numFeatures}), got ${this.paddingIdx}`,
      );
    }
    const w = uniformInit([numFeatures, dim], 1 / dim, options);
    noGrad(() => w.select(0, this.paddingIdx).fill_(0).dispose());
    this.registerParameter('weight', w);
    if (this.hasBias) this.registerParameter('bias', constantInit([dim], 0, options));
  }

  /** [numFeatures, dim]. */
  get weight(): Tensor {
    return this.param('weight');
  }
  /** [dim], or null without bias. */
  get bias(): Tensor | null {
    return this.hasBias ? this.param('bias') : null;
  }

  /**
   * ids int64 [B, T] (padded with `paddingIdx`) → [B, dim]. `lengths` [B] (a sequence field's
   * `<name>_lengths`) gives each bag's size for 'mean' and 'sqrtn'; without it the non-padding ids are counted.
   */
  forward(ids: Tensor, lengths?: Tensor): Tensor {
    if (ids.rank !== 2) {
      throw new MmtlError(
        'E_SHAPE',
        `Argument 'ids' passed to 'NgramBag.forward' must be [B, T] int64, got [${ids.shape.join(', ')}]`,
      );
    }
    let out = embedding(this.weight, ids, this.paddingIdx).sum(1); // [B, dim]
    if (this.mode !== 'sum') {
      const n = (lengths ?? ids.ne(this.paddingIdx).sum(1)).to(out.dtype).clamp(1); // [B]
      out = out.div((this.mode === 'mean' ? n : n.sqrt()).unsqueeze(1)); // [B, dim]
    }
    return this.hasBias ? out.add(this.bias!) : out; // [B, dim]
  }

  toConfig(): ModuleConfig {
    return {
      kind: NgramBag.kind,
      numFeatures: this.numFeatures,
      dim: this.dim,
      mode: this.mode,
      bias: this.hasBias,
      paddingIdx: this.paddingIdx,
    };
  }

  /** Rebuilds from {@link toConfig} output (fresh weights: load the state dict after). */
  static fromConfig(config: ModuleConfig): NgramBag {
    const c = parseConfig(NgramBagConfig, config, 'NgramBag.fromConfig');
    return new NgramBag(c.numFeatures, c.dim, { mode: c.mode, bias: c.bias, paddingIdx: c.paddingIdx });
  }
}
MODULES.register(NgramBag.kind, (c) => NgramBag.fromConfig(c));
