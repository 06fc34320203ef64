import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { MmtlError } from '../core/index.js';
import { CHECKPOINT_SLOTS } from './checkpoint-policy.js';
import { CHECKPOINT_MANIFEST, checkpointExists, readCheckpoint } from './checkpoint-store.js';

/**
 * Which checkpoint of a trained run to load: the `best` slot, or `last` only when the run never selected a
 * best one. The choice is checked, never guessed: a `best` folder without its manifest (incomplete, or
 * damaged) and a `best` the run recorded but that is gone are `E_CHECKPOINT` errors, not a silent fallback
 * to `last`, whose weights are others.
 */

async function isDir(path: string): Promise<boolean> {
  const st = await stat(path).catch(() => undefined);
  return st?.isDirectory() ?? false;
}

/** The best step recorded in the `last` checkpoint's `trainer.json` (null when no best was selected). */
async function recordedBestStep(lastDir: string): Promise<number | null> {
  const ck = await readCheckpoint(lastDir);
  const file = ck.files['trainer.json'];
  if (file === undefined) return null;
  let saved: { state?: { policy?: { bestStep?: unknown } } };
  try {
    saved = JSON.parse(await file.text()) as typeof saved;
  } catch (e) {
    throw new MmtlError('E_CHECKPOINT', `checkpoint '${lastDir}': 'trainer.json' is not valid JSON`, {
      cause: e,
    });
  }
  const step = saved.state?.policy?.bestStep;
  return typeof step === 'number' ? step : null;
}

/**
 * The checkpoint folder to restore a trained model from, inside a trainer's checkpoint folder
 * (`<runDir>/checkpoints`): `best`, or `last` when the run never selected a best (e.g. every value of the
 * checkpoint metric was NaN). Interrupted writes are repaired first. Throws `E_CHECKPOINT` when:
 * - `best` exists but has no manifest (a partial or damaged checkpoint): restoring `last` instead would
 *   load other weights;
 * - `best` is missing although the `last` checkpoint records a best step;
 * - there is no checkpoint at all.
 *
 * `fn` names the caller in messages.
 *
 * @example
 * ```ts
 * await selectRunCheckpoint('runs/rte/stage1/checkpoints'); // 'runs/rte/stage1/checkpoints/best'
 * ```
 */
export async function selectRunCheckpoint(
  checkpointsDir: string,
  fn = 'selectRunCheckpoint',
): Promise<string> {
  const best = join(checkpointsDir, CHECKPOINT_SLOTS.best);
  const last = join(checkpointsDir, CHECKPOINT_SLOTS.last);
  if (await checkpointExists(best)) {
    await readCheckpoint(best); // sizes checked now; hashes when the files are read
    return best;
  }
  if (await isDir(best)) {
    throw new MmtlError(
      'E_CHECKPOINT',
      `${fn}: the best checkpoint '${best}' has no manifest ('${CHECKPOINT_MANIFEST}'): it is incomplete or damaged`,
      {
        hint: `its weights cannot be trusted, and '${CHECKPOINT_SLOTS.last}' holds other weights; restore the folder from a copy or retrain`,
      },
    );
  }
  if (await checkpointExists(last)) {
    const step = await recordedBestStep(last);
    if (step !== null) {
      throw new MmtlError(
        'E_CHECKPOINT',
        `${fn}: the best checkpoint '${best}' (step ${step}) is missing, though the run selected one`,
        {
          hint: `'${CHECKPOINT_SLOTS.last}' holds other weights; restore the folder from a copy or retrain`,
        },
      );
    }
    return last;
  }
  throw new MmtlError('E_CHECKPOINT', `${fn}: no checkpoint in '${checkpointsDir}'`, {
    hint: `expected ${best} (or …/${CHECKPOINT_SLOTS.last}); was the run trained to the end?`,
  });
}
