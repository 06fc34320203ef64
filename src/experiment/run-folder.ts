import { mkdir, readdir, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { MmtlError, assertNoAlias, type PathRole } from '../core/index.js';
import { RUN_LFS_FILE } from '../report/index.js';
import { RUN_MANIFEST, readRunFile, selectRunCheckpoint, writeRunFile } from '../training/index.js';

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
 * <dir>/.mmtl-run.json      the size and SHA-256 of each file above (RUN_MANIFEST)
 * <dir>/<stage>/            stage1, a task name (stage 2) or member-<i>, each with
 *     metrics.jsonl, checkpoints/{best,last}/, tensorboard/, report.html, lfs.json (+ its manifest)
 * ```
 *
 * Every file RunFolder writes is recorded in the folder's manifest and every file it reads is checked
 * against it (`writeRunFile` / `readRunFile`): a damaged or edited `config.json`, `vocab.json`,
 * `tasks.json`, … is an `E_CHECKPOINT` error naming the file. Run folders written before manifests existed
 * still load, unchecked.
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
  /** The size and SHA-256 of each file above (`.mmtl-run.json`). */
  readonly manifest: string;

  constructor(readonly dir: string) {
    this.config = join(dir, 'config.json');
    this.vocab = join(dir, 'vocab.json');
    this.tasks = join(dir, 'tasks.json');
    this.results = join(dir, 'results.json');
    this.ensemble = join(dir, 'ensemble.json');
    this.manifest = join(dir, RUN_MANIFEST);
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
   * experiment's data: `experimentInputs`) is refused with `E_ALIAS` first, overwrite or not. Creates the
   * folder: later writes need it to exist, so a run folder deleted while training is not made anew.
   */
  async claim(
    options: { overwrite?: boolean | undefined },
    fn: string,
    inputs: readonly PathRole[] = [],
  ): Promise<void> {
    await assertNoAlias(fn, inputs, [{ arg: 'runDir', path: this.dir, tree: true }]);
    if (!(await this.hasContent())) {
      await mkdir(this.dir, { recursive: true });
      return;
    }
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
    await mkdir(this.dir, { recursive: true });
  }

  /**
   * Writes a JSON file of the run (`this.config`, `this.results`, …) atomically and records its SHA-256 in
   * the run's manifest ({@link RUN_MANIFEST}). The folder must exist (made by {@link RunFolder.claim}): one
   * deleted or moved meanwhile is an `E_IO` error, not a folder made anew.
   */
  async writeJson(path: string, value: unknown): Promise<void> {
    await writeRunFile(dirname(path), basename(path), JSON.stringify(value, null, 2));
  }

  /**
   * Reads a JSON file of the run, checked against the run's manifest; a missing, damaged or edited file
   * fails with `E_CHECKPOINT` naming it.
   */
  async readJson(
    path: string,
    what: string,
    hint = 'run folders are written by mmtl train',
  ): Promise<unknown> {
    const value = await this.readOptionalJson(path);
    if (value === undefined) {
      throw new MmtlError('E_CHECKPOINT', `run '${this.dir}' has no ${what} ('${path}')`, { hint });
    }
    return value;
  }

  /** {@link RunFolder.readJson}, resolving to undefined when the run never wrote the file. */
  async readOptionalJson(path: string): Promise<unknown> {
    const bytes = await readRunFile(dirname(path), basename(path));
    if (bytes === undefined) return undefined;
    try {
      return JSON.parse(bytes.toString('utf8')) as unknown;
    } catch (e) {
      throw new MmtlError('E_CHECKPOINT', `'${path}' is not valid JSON: ${(e as Error).message}`, {
        cause: e,
        hint: 'restore it from a copy of the run folder, or retrain',
      });
    }
  }
}
