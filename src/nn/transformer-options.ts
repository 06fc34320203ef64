/** Shared options of the transformer pieces (BERT's hyperparameters, camelCase). */
import { z } from 'zod';
import { MmtlError } from '../core/index.js';
import type { DType } from '../tensor/index.js';
import { ACTIVATIONS, type ActivationName } from './activation.js';

/**
 * zod schema of {@link TransformerOptions} (defaults: BERT-base's dropouts and LayerNorm ε).
 *
 * @example
 * ```ts
 * TransformerOptionsSchema.parse({ hiddenSize: 8, numHeads: 2, intermediateSize: 16 }).activation; // 'gelu'
 * ```
 */
export const TransformerOptionsSchema = z.object({
  /** Model width H. */
  hiddenSize: z.int().positive(),
  /** Attention heads; must divide hiddenSize. */
  numHeads: z.int().positive(),
  /** Width of the feed-forward layer (BERT: 4H). */
  intermediateSize: z.int().positive(),
  /** Feed-forward nonlinearity (BERT: 'gelu', the erf form). */
  activation: z.enum(Object.keys(ACTIVATIONS) as [ActivationName, ...ActivationName[]]).default('gelu'),
  /** Dropout on sublayer outputs, training only (BERT: 0.1). */
  hiddenDropout: z.number().min(0).max(1).default(0.1),
  /** Dropout on attention probabilities, training only (BERT: 0.1). */
  attentionDropout: z.number().min(0).max(1).default(0.1),
  /** LayerNorm ε (BERT: 1e-12). */
  layerNormEps: z.number().positive().default(1e-12),
});

/** Hyperparameters of a post-LN (BERT) transformer layer. */
export type TransformerOptions = z.input<typeof TransformerOptionsSchema> & {
  /** Parameter dtype (default float32). */
  dtype?: DType;
};

/** Options with defaults filled in. */
export type ResolvedTransformerOptions = z.output<typeof TransformerOptionsSchema> & { dtype?: DType };

/**
 * Fills in defaults and validates (E_CONFIG naming `fn` on bad values).
 *
 * @example
 * ```ts
 * resolveTransformerOptions({ hiddenSize: 32, numHeads: 4, intermediateSize: 64 }, 'X').layerNormEps; // 1e-12
 * ```
 */
export function resolveTransformerOptions(
  options: TransformerOptions,
  fn: string,
): ResolvedTransformerOptions {
  const { dtype, ...rest } = options;
  const r = TransformerOptionsSchema.safeParse(rest);
  if (!r.success) {
    throw new MmtlError(
      'E_CONFIG',
      `Argument 'options' passed to '${fn}' is invalid:\n${z.prettifyError(r.error)}`,
    );
  }
  if (r.data.hiddenSize % r.data.numHeads !== 0) {
    throw new MmtlError(
      'E_CONFIG',
      `Argument 'options' passed to '${fn}': hiddenSize ${r.data.hiddenSize} is not a multiple of numHeads ${r.data.numHeads}`,
    );
  }
  return dtype === undefined ? r.data : { ...r.data, dtype };
}
