/** Embedding: a lookup table of rows, randomly initialized or from pretrained vectors (GloVe, …). */
import { z } from 'zod';
import { MmtlError } from '../core/index.js';
import { embedding, noGrad, tensor, type DType, type Tensor } from '../tensor/index.js';
import { normalInit } from './init.js';
import { MODULES, parseConfig, type ModuleConfig } from './module-config.js';
import { Module } from './module.js';

const EmbeddingConfig = z.object({
  kind: z.literal('Embedding'),
  numEmbeddings: z.int().positive(),
  dim: z.int().positive(),
  paddingIdx: z.int().nullable().default(null),
  freeze: z.boolean().default(false),
});

/** Options of {@link Embedding}. */
export interface EmbeddingOptions {
  /** Row that stays zero and gets no gradient (e.g. the [PAD] id); none by default. */
  paddingIdx?: number | null;
  /** Keep the table fixed (no gradient) (default false). */
  freeze?: boolean;
  /** Parameter dtype (default float32). */
  dtype?: DType;
}

/**
 * A table of `numEmbeddings` rows of size `dim`, indexed by int64 ids. Initialized N(0, 1) as PyTorch's
 * `nn.Embedding` (the padding row zeroed). Parameter name: `weight` [numEmbeddings, dim].
 *
 * @example
 * ```ts
 * const emb = new Embedding(100, 16, { paddingIdx: 0 });
 * emb.forward(tensor([[1, 2, 0]], { dtype: 'int64' })).shape; // [1, 3, 16]
 * ```
 */
export class Embedding extends Module {
  static readonly kind = 'Embedding';
  readonly paddingIdx: number | null;
  readonly frozen: boolean;

  constructor(
    readonly numEmbeddings: number,
    readonly dim: number,
    options: EmbeddingOptions = {},
  ) {
    super();
    this.paddingIdx = options.paddingIdx ?? null;
    if (this.paddingIdx !== null && (this.paddingIdx < 0 || this.paddingIdx >= numEmbeddings)) {
      throw new MmtlError(
        'E_ARG',
        `Argument 'paddingIdx' passed to 'Embedding' must be in [0, ${numEmbeddings}), got ${this.paddingIdx}`,
      );
    }
    this.frozen = options.freeze ?? false;
    const w = normalInit([numEmbeddings, dim], 0, 1, options);
    if (this.paddingIdx !== null) noGrad(() => w.select(0, this.paddingIdx!).fill_(0).dispose());
    this.registerParameter('weight', w, !this.frozen);
  }

  /**
   * An embedding whose rows are `vectors` (row-major `rows × dims`, e.g. GloVe vectors laid out by a word
   * vocabulary). Frozen by default, as PyTorch's `Embedding.from_pretrained`.
   *
   * @example
   * ```ts
   * const { matrix, dims } = embeddingMatrixFor(vocab, glove, { rng }); // src/data
   * const emb = Embedding.fromPretrained(matrix, vocab.size, dims, { freeze: true, paddingIdx: 0 });
   * ```
   */
  static fromPretrained(
    vectors: Float32Array,
    rows: number,
    dims: number,
    options: { freeze?: boolean; paddingIdx?: number | null } = {},
  ): Embedding {
    if (vectors.length !== rows * dims) {
      throw new MmtlError(
        'E_SHAPE',
        `Argument 'vectors' passed to 'Embedding.fromPretrained' has ${vectors.length} values, expected rows × dims = ${rows} × ${dims}`,
      );
    }
    const emb = new Embedding(rows, dims, { paddingIdx: options.paddingIdx, freeze: options.freeze ?? true });
    const src = tensor(vectors, { shape: [rows, dims] });
    noGrad(() => emb.weight.copy_(src)); // the padding row keeps the given vector, as PyTorch's from_pretrained
    src.dispose();
    return emb;
  }

  /** [numEmbeddings, dim]. */
  get weight(): Tensor {
    return this.param('weight');
  }

  /** ids int64 [...] → [..., dim]. */
  forward(ids: Tensor): Tensor {
    return embedding(this.weight, ids, this.paddingIdx ?? -1); // [..., dim]
  }

  toConfig(): ModuleConfig {
    return {
      kind: Embedding.kind,
      numEmbeddings: this.numEmbeddings,
      dim: this.dim,
      paddingIdx: this.paddingIdx,
      freeze: this.frozen,
    };
  }

  /** Rebuilds from {@link toConfig} output (fresh weights: load the state dict after). */
  static fromConfig(config: ModuleConfig): Embedding {
    const c = parseConfig(EmbeddingConfig, config, 'Embedding.fromConfig');
    return new Embedding(c.numEmbeddings, c.dim, { paddingIdx: c.paddingIdx, freeze: c.freeze });
  }
}
MODULES.register(Embedding.kind, (c) => Embedding.fromConfig(c));
