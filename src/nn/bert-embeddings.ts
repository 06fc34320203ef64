/** BertEmbeddings: word + token type + position embeddings, then LayerNorm and dropout (HF names). */
import { z } from 'zod';
import { MmtlError } from '../core/index.js';
import { arange, dropout, type DType, type Tensor } from '../tensor/index.js';
import { BertConfigSchema, type BertConfig } from './bert-config.js';
import { Embedding } from './embedding.js';
import { LayerNorm } from './layer-norm.js';
import { MODULES, parseConfig, type ModuleConfig } from './module-config.js';
import { Module } from './module.js';

/**
 * BERT's input embeddings: `LayerNorm(word[ids] + tokenType[types] + position[0..T))`, with HF's names
 * `word_embeddings`, `position_embeddings`, `token_type_embeddings`, `LayerNorm`.
 *
 * @example
 * ```ts
 * const emb = new BertEmbeddings(config);
 * emb.forward(tensor([[101, 7592, 102]], { dtype: 'int64' })).shape; // [1, 3, H]
 * ```
 */
export class BertEmbeddings extends Module {
  static readonly kind = 'BertEmbeddings';
  readonly word_embeddings: Embedding;
  readonly position_embeddings: Embedding;
  readonly token_type_embeddings: Embedding;
  readonly LayerNorm: LayerNorm;

  constructor(
    readonly config: BertConfig,
    options: { dtype?: DType } = {},
  ) {
    super();
    const H = config.hiddenSize;
    const { dtype } = options;
    this.word_embeddings = this.registerModule(
      'word_embeddings',
      new Embedding(config.vocabSize, H, { paddingIdx: config.padTokenId, dtype }),
    );
    this.position_embeddings = this.registerModule(
      'position_embeddings',
      new Embedding(config.maxPositions, H, { dtype }),
    );
    this.token_type_embeddings = this.registerModule(
      'token_type_embeddings',
      new Embedding(config.typeVocabSize, H, { dtype }),
    );
    this.LayerNorm = this.registerModule('LayerNorm', new LayerNorm(H, { eps: config.layerNormEps, dtype }));
  }

  /** ids int64 [B, T], token types int64 [B, T] (zeros when omitted) → [B, T, H]. */
  forward(ids: Tensor, tokenTypeIds?: Tensor | null): Tensor {
    const T = ids.shape[1] ?? 0;
    if (ids.rank !== 2 || T > this.config.maxPositions) {
      throw new MmtlError(
        'E_SHAPE',
        `Argument 'inputIds' passed to 'BertEmbeddings.forward' must be [B, T] with T ≤ ${this.config.maxPositions}, got [${ids.shape.join(', ')}]`,
      );
    }
    const words = this.word_embeddings.forward(ids); // [B, T, H]
    const types = tokenTypeIds
      ? this.token_type_embeddings.forward(tokenTypeIds) // [B, T, H]
      : this.token_type_embeddings.weight.select(0, 0); // [H], broadcast
    const positions = this.position_embeddings.forward(arange(0, T)); // [T, H]
    let x = words.add(types).add(positions); // [B, T, H] (HF's summation order)
    x = this.LayerNorm.forward(x); // [B, T, H]
    if (this.training && this.config.hiddenDropout > 0) x = dropout(x, this.config.hiddenDropout, true);
    return x;
  }

  toConfig(): ModuleConfig {
    return { kind: BertEmbeddings.kind, ...this.config };
  }

  /** Rebuilds from {@link toConfig} output. */
  static fromConfig(config: ModuleConfig): BertEmbeddings {
    const c = parseConfig(BertConfigSchema.extend({ kind: z.string() }), config, 'BertEmbeddings.fromConfig');
    const { kind: _, ...bert } = c;
    return new BertEmbeddings(bert);
  }
}
MODULES.register(BertEmbeddings.kind, (c) => BertEmbeddings.fromConfig(c));
