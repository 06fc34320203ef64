/** BertConfig: Hugging Face's BERT `config.json`, validated with zod, in camelCase. */
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { MmtlError } from '../core/index.js';
import { ACTIVATIONS, type ActivationName } from './activation.js';

/**
 * The fields of an HF BERT `config.json` that the model reads (others are ignored), with HF's defaults
 * (bert-base-uncased's).
 *
 * @example
 * ```ts
 * HfBertConfigSchema.parse({ hidden_size: 128 }).num_hidden_layers; // 12
 * ```
 */
export const HfBertConfigSchema = z.looseObject({
  /** Vocabulary size (rows of word_embeddings). */
  vocab_size: z.int().positive().default(30522),
  /** Model width H. */
  hidden_size: z.int().positive().default(768),
  /** Encoder layers. */
  num_hidden_layers: z.int().positive().default(12),
  /** Attention heads (must divide hidden_size). */
  num_attention_heads: z.int().positive().default(12),
  /** Feed-forward width. */
  intermediate_size: z.int().positive().default(3072),
  /** Feed-forward activation ('gelu' = erf form). */
  hidden_act: z.enum(Object.keys(ACTIVATIONS) as [ActivationName, ...ActivationName[]]).default('gelu'),
  /** Dropout on embeddings and sublayer outputs. */
  hidden_dropout_prob: z.number().min(0).max(1).default(0.1),
  /** Dropout on attention probabilities. */
  attention_probs_dropout_prob: z.number().min(0).max(1).default(0.1),
  /** Rows of position_embeddings (longest input). */
  max_position_embeddings: z.int().positive().default(512),
  /** Rows of token_type_embeddings (segments). */
  type_vocab_size: z.int().positive().default(2),
  /** LayerNorm ε. */
  layer_norm_eps: z.number().positive().default(1e-12),
  /** Std of the normal initialization of weights. */
  initializer_range: z.number().positive().default(0.02),
  /** Id of [PAD]. */
  pad_token_id: z.int().min(0).default(0),
  /** Only 'absolute' is supported. */
  position_embedding_type: z.literal('absolute').default('absolute'),
});

/** BERT hyperparameters (camelCase); {@link bertConfigFromHf} reads them from HF's config.json. */
export interface BertConfig {
  vocabSize: number;
  hiddenSize: number;
  numLayers: number;
  numHeads: number;
  intermediateSize: number;
  activation: ActivationName;
  hiddenDropout: number;
  attentionDropout: number;
  maxPositions: number;
  typeVocabSize: number;
  layerNormEps: number;
  initializerRange: number;
  padTokenId: number;
}

/**
 * zod schema of {@link BertConfig} (as stored in `BertModel.toConfig()`).
 *
 * @example
 * ```ts
 * BertConfigSchema.parse({ vocabSize: 100, hiddenSize: 32, numLayers: 2, numHeads: 4, intermediateSize: 64 }).maxPositions; // 512
 * ```
 */
export const BertConfigSchema = z.object({
  vocabSize: z.int().positive(),
  hiddenSize: z.int().positive(),
  numLayers: z.int().positive(),
  numHeads: z.int().positive(),
  intermediateSize: z.int().positive(),
  activation: z.enum(Object.keys(ACTIVATIONS) as [ActivationName, ...ActivationName[]]).default('gelu'),
  hiddenDropout: z.number().min(0).max(1).default(0.1),
  attentionDropout: z.number().min(0).max(1).default(0.1),
  maxPositions: z.int().positive().default(512),
  typeVocabSize: z.int().positive().default(2),
  layerNormEps: z.number().positive().default(1e-12),
  initializerRange: z.number().positive().default(0.02),
  padTokenId: z.int().min(0).default(0),
}) satisfies z.ZodType<BertConfig>;

/**
 * Validates an HF BERT config object (parsed config.json) and converts it to a {@link BertConfig}.
 *
 * @example
 * ```ts
 * bertConfigFromHf({ vocab_size: 100, hidden_size: 32, num_hidden_layers: 2, num_attention_heads: 4,
 *   intermediate_size: 64 }).numHeads; // 4
 * ```
 */
export function bertConfigFromHf(json: unknown, source = 'config'): BertConfig {
  const r = HfBertConfigSchema.safeParse(json);
  if (!r.success) {
    throw new MmtlError('E_CONFIG', `${source} is not a valid BERT config:\n${z.prettifyError(r.error)}`);
  }
  const c = r.data;
  if (c.hidden_size % c.num_attention_heads !== 0) {
    throw new MmtlError(
      'E_CONFIG',
      `${source}: hidden_size ${c.hidden_size} is not a multiple of num_attention_heads ${c.num_attention_heads}`,
    );
  }
  return {
    vocabSize: c.vocab_size,
    hiddenSize: c.hidden_size,
    numLayers: c.num_hidden_layers,
    numHeads: c.num_attention_heads,
    intermediateSize: c.intermediate_size,
    activation: c.hidden_act,
    hiddenDropout: c.hidden_dropout_prob,
    attentionDropout: c.attention_probs_dropout_prob,
    maxPositions: c.max_position_embeddings,
    typeVocabSize: c.type_vocab_size,
    layerNormEps: c.layer_norm_eps,
    initializerRange: c.initializer_range,
    padTokenId: c.pad_token_id,
  };
}

/**
 * Reads and validates an HF `config.json` file.
 *
 * @example
 * ```ts
 * (await readBertConfig('test/fixtures/bert-tiny-random/config.json')).hiddenSize; // 32
 * ```
 */
export async function readBertConfig(path: string): Promise<BertConfig> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw new MmtlError('E_IO', `could not read '${path}': ${(e as Error).message}`, { cause: e });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new MmtlError('E_CONFIG', `'${path}' is not valid JSON: ${(e as Error).message}`, { cause: e });
  }
  return bertConfigFromHf(json, `'${path}'`);
}
