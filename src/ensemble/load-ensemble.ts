/** Rebuilds an ensemble from saved models (MultitaskModel.save files: safetensors with the config inside). */
import { readFile } from 'node:fs/promises';
import { MmtlError } from '../core/index.js';
import { MultitaskModel } from '../tasks/index.js';
import { Ensemble, type EnsembleOptions } from './ensemble.js';

/**
 * Rebuilds one model saved with `MultitaskModel.save`: the config from the file's metadata, then the weights
 * (strict: every weight must match).
 *
 * @example
 * ```ts
 * await model.save('runs/a/model.safetensors');
 * const copy = await loadModel('runs/a/model.safetensors'); // same predictions as `model`
 * ```
 */
export async function loadModel(path: string): Promise<MultitaskModel> {
  let buf: Uint8Array;
  try {
    buf = await readFile(path);
  } catch (e) {
    throw new MmtlError(
      'E_IO',
      `Argument 'path' passed to 'loadModel': could not read '${path}': ${(e as Error).message}`,
      {
        cause: e,
      },
    );
  }
  return MultitaskModel.fromSafetensors(buf, path);
}

/**
 * Rebuilds an ensemble from saved models, one member per path, in order. Each member keeps its own encoder
 * and tokenization: score each with its own payload of the same rows.
 *
 * @example
 * ```ts
 * const ens = await loadEnsemble(['runs/m0.safetensors', 'runs/m1.safetensors', 'runs/m2.safetensors'], {
 *   task: 'SST2',
 *   combiner: 'mean',
 * });
 * ens.predict(devPayload).score(golds); // { accuracy: 0.81 }
 * ```
 */
export async function loadEnsemble(paths: readonly string[], options: EnsembleOptions): Promise<Ensemble> {
  if (paths.length === 0) throw new MmtlError('E_ARG', "Argument 'paths' passed to 'loadEnsemble' is empty");
  const models: MultitaskModel[] = [];
  try {
    for (const p of paths) models.push(await loadModel(p));
    return new Ensemble(models, options);
  } catch (e) {
    for (const m of models) m.dispose();
    throw e;
  }
}
