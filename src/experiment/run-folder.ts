import { readdir, readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { MmtlError, assertNoAlias, writeFileAtomic, type PathRole } from '../core/index.js';
import { RUN_LFS_FILE } from '../report/index.js';
import { selectRunCheckpoint } from '../training/index.js';

/** The checkpoint slots the trainer writes: the best state, and the latest (for resume). */
export type CheckpointSlot = 'best' | 'last';

/**
 * The layout of a run folder, in one place. An experiment run holds
 * ```text
 * <dir>/config.json         the experiment, validated (data paths absolute)
 * <dir>/vocab.json          the word vocabulary (word encoders)
 * <dir>/tasks.json          per custom task: its classes and tabular standardization
 * <dir>/results.json        headline results
 * <dir>/ensemble.json       (mmtl ensemble) member and ensemble scores
 * <dir>/<stage>/            stage1, a task name (stage 2) or member-<i>, each with
 *     metrics.jsonl, checkpoints/{best,last}/, tensorboard/, report.html, lfs.json
 * ```
 *
 * @example
 * ```ts
 * const run = new RunFolder('runs/topic');
 * run.checkpoint('stage1', 'best'); // 'runs/topic/stage1/checkpoints/best'
 * await run.readJson(run.config, 'config.json');
 * ```
 */
export class RunFolder {
  /** The experiment (`config.json`). */
  readonly config: string;
  /** The word vocabulary (`vocab.json`). */
  readonly vocab: string;
  /** The custom tasks' data-side state (`tasks.json`). */
  readonly tasks: string;
  /** Headline results (`results.json`). */
  readonly results: string;
  /** Ensemble scores (`ensemble.json`). */
  readonly ensemble: string;

  constructor(readonly dir: string) {
    this.config = join(dir, 'config.json');
    this.vocab = join(dir, 'vocab.json');
    this.tasks = join(dir, 'tasks.json');
    this.results = join(dir, 'results.json');
    this.ensemble = join(dir, 'ensemble.json');
  }

  /** The folder of one trained model: `stage1`, a task name (stage 2) or `member-<i>`. */
  stage(stage: string): string {
    return join(this.dir, stage);
  }

  /** A checkpoint slot of a stage. */
  checkpoint(stage: string, slot: CheckpointSlot): string {
    return join(this.dir, stage, 'checkpoints', slot);
  }

  /** The stage's metric log. */
  metricsLog(stage: string): string {
    return join(this.dir, stage, 'metrics.jsonl');
  }

  /** The stage's LF data (`lfs.json`, read back by `mmtl report`). */
  lfs(stage: string): string {
    return join(this.dir, stage, RUN_LFS_FILE);
  }

  /**
   * The checkpoint a stage's trained model is read from: its best one, else its last one where the run
   * selected none; every other case (a best without a manifest, a selected best that is missing, no
   * checkpoint at all) is an `E_CHECKPOINT` error from `selectRunCheckpoint`, never a silent fallback.
   */
  async trainedCheckpoint(stage: string, fn = 'RunFolder.trainedCheckpoint'): Promise<string> {
    return selectRunCheckpoint(join(this.dir, stage, 'checkpoints'), fn);
  }

  /** Whether the folder exists and holds anything. */
  async hasContent(): Promise<boolean> {
    const st = await stat(this.dir).catch(() => undefined);
    if (!st) return false;
    if (!st.isDirectory()) return true;
    return (await readdir(this.dir)).length > 0;
  }

  /** Whether the folder exists as a folder. */
  async isFolder(): Promise<boolean> {
    return (await stat(this.dir).catch(() => undefined))?.isDirectory() ?? false;
  }

  /**
   * Makes sure a new run may write here: an existing, non-empty folder is refused with `E_ARG` unless
   * `overwrite`, which empties it (call this only once the run's data has loaded, so that a run that fails
   * on bad input leaves the old run as it was). A folder that is, holds or lies inside one of `inputs` (the
   * experiment's data: `experimentInputs`) is refused with `E_ALIAS` first, overwrite or not.
   */
  async claim(
    options: { overwrite?: boolean | undefined },
    fn: string,
    inputs: readonly PathRole[] = [],
  ): Promise<void> {
    await assertNoAlias(fn, inputs, [{ arg: 'runDir', path: this.dir, tree: true }]);
    if (!(await this.hasContent())) return;
    if (!options.overwrite) {
      throw new MmtlError(
        'E_ARG',
        `Argument 'runDir' passed to '${fn}': the run folder '${this.dir}' already exists and is not empty`,
        {
          hint: `pass --overwrite (overwrite: true) to replace it, or continue it with mmtl train --resume ${this.dir}`,
        },
      );
    }
    await rm(this.dir, { recursive: true, force: true });
  }

  /** Writes a JSON file of the run atomically. */
  async writeJson(path: string, value: unknown): Promise<void> {
    await writeFileAtomic(path, JSON.stringify(value, null, 2));
  }

  /** Reads a JSON file of the run; a missing or damaged file fails with `E_CHECKPOINT` naming it. */
  async readJson(
    path: string,
    what: string,
    hint = 'run folders are written by mmtl train',
  ): Promise<unknown> {
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (e) {
      throw new MmtlError('E_CHECKPOINT', `run '${this.dir}' has no ${what} ('${path}')`, { cause: e, hint });
    }
    try {
      return JSON.parse(text) as unknown;
    } catch (e) {
      throw new MmtlError('E_CHECKPOINT', `'${path}' is not valid JSON: ${(e as Error).message}`, {
        cause: e,
      });
    }
  }
}
