/** Rebuilds an ensemble from saved models (MultitaskModel.save files: safetensors with the config inside). */
import { readFile } from 'node:fs/promises';
import { MmtlError } from '../core/index.js';
import { MultitaskModel, type MultitaskModelConfig } from '../tasks/index.js';
import { entryToTensor, parseSafetensors, type Tensor } from '../tensor/index.js';
import { Ensemble, type EnsembleOptions } from './ensemble.js';

/** safetensors metadata key under which `MultitaskModel.save` stores the model config. */
const MODEL_METADATA_KEY = 'mmtl.model';

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
  const file = parseSafetensors(buf, path);
  const json = file.metadata[MODEL_METADATA_KEY];
  if (json === undefined) {
    throw new MmtlError(
      'E_CHECKPOINT',
      `Argument 'path' passed to 'loadModel': '${path}' has no '${MODEL_METADATA_KEY}' metadata`,
      {
        hint: 'save models with MultitaskModel.save, which stores the config beside the weights',
      },
    );
  }
  let config: MultitaskModelConfig;
  try {
    config = JSON.parse(json) as MultitaskModelConfig;
  } catch (e) {
    throw new MmtlError('E_CHECKPOINT', `'${path}': metadata '${MODEL_METADATA_KEY}' is not JSON`, {
      cause: e,
    });
  }
  const model = MultitaskModel.fromConfig(config);
  const state = new Map<string, Tensor>();
  try {
    for (const [name, entry] of file.entries) state.set(name, entryToTensor(entry));
    model.loadStateDict(state);
  } catch (e) {
    model.dispose();
    throw e;
  } finally {
    for (const t of state.values()) t.dispose();
  }
  return model;
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
