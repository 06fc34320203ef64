import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { MmtlError } from '../core/index.js';

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

/**
 * Schema of a saved {@link MultiTaskLabelModel} (`MultiTaskLabelModel.toJSON`): the task graph (cardinalities
 * and feasible vectors), the LF count per task, μ and the class balance over feasible vectors.
 *
 * @example
 * ```ts
 * multiTaskLabelModelJsonSchema.parse(JSON.parse(text)).cardinalities; // [2, 2]
 * ```
 */
export const multiTaskLabelModelJsonSchema = z.object({
  format: z.literal('mmtl-multitask-label-model'),
  version: z.literal(1),
  cardinalities: z.array(z.int().min(2)).min(1),
  feasible: z.array(z.array(z.int().min(-1))).min(2),
  widths: z.array(z.int().min(0)),
  mu: z.array(z.number()),
  classBalance: z.array(z.number().min(0)),
});

/** JSON form of a fitted multi-task label model. */
export type MultiTaskLabelModelJSON = z.infer<typeof multiTaskLabelModelJsonSchema>;

/**
 * Reads and parses a JSON file written by a label model's `save` (`what` names it in errors: E_IO when it
 * cannot be read, E_CHECKPOINT when it is not JSON).
 *
 * @example
 * ```ts
 * const json = await readModelJson('runs/lm.json', 'label model');
 * LabelModel.fromJSON(json);
 * ```
 */
export async function readModelJson(path: string, what: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw new MmtlError('E_IO', `could not read ${what} '${path}': ${(e as Error).message}`, { cause: e });
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new MmtlError('E_CHECKPOINT', `${what} '${path}' is not valid JSON`, { cause: e });
  }
}
