import { z } from 'zod';

/**
 * Schema of a saved {@link LabelModel} (`LabelModel.toJSON`).
 *
 * @example
 * ```ts
 * labelModelJsonSchema.parse(JSON.parse(text)).k; // 2
 * ```
 */
export const labelModelJsonSchema = z.object({
  format: z.literal('mmtl-label-model'),
  version: z.literal(1),
  k: z.int().min(2),
  m: z.int().min(1),
  mode: z.enum(['mmtl', 'snorkel']),
  deps: z.array(z.tuple([z.int().min(0), z.int().min(0)])),
  mu: z.array(z.number()),
  classBalance: z.array(z.number().positive()),
  coverage: z.array(z.number().min(0).max(1)),
  fallback: z.boolean(),
});

/** JSON form of a fitted label model. */
export type LabelModelJSON = z.infer<typeof labelModelJsonSchema>;
