// kill -9 at random points, several times, through the CLI: `mmtl train exp.yaml --run-dir d` is killed,
// then `mmtl train --resume d` again and again. After every kill the metric log is complete up to the last
// checkpoint (no hole, no duplicate step); the finished run has the same weights, RNG state, trainer state,
// log and results as a run never interrupted.
//
// The experiment is a task of our own (a CSV text task and a CSV tabular task written here), trained in
// one stage into `d/stage1/`. optimizer.bin is not compared byte for byte: its bytes are keyed by heap
// addresses until the deterministic optimizer state lands (docs/reliability.md).
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  checkpointExists,
  readCheckpoint,
  readMetricLog,
  type MetricRecord,
} from '../../../src/training/index.js';
import { ownExperimentYaml, writeOwnData } from '../../experiment/fixtures.js';
import { tempDir } from '../../reliability/helpers.js';

const root = join(import.meta.dirname, '..', '..', '..');
const BIN = join(root, 'bin', 'mmtl.js');

/** How a training is started and where its run folder keeps things. */
const TRAINING = {
  /** A fresh run of the experiment file, or `--resume` of the run folder. */
  command: (runDir: string, experiment: string | null): string[] =>
    experiment === null
      ? [BIN, 'train', '--resume', runDir]
      : [BIN, 'train', experiment, '--run-dir', runDir],
  log: (runDir: string) => join(runDir, 'stage1', 'metrics.jsonl'),
  checkpoints: (runDir: string) => join(runDir, 'stage1', 'checkpoints'),
  /** Written last while the run is set up: from then on `--resume` continues it. */
  setUp: (runDir: string) => join(runDir, 'config.json'),
};

interface Run {
  /** Milliseconds from the start of the process until training started (0: never seen), and until the exit. */
  trainingFromMs: number;
  ms: number;
  /** Exit code, or the signal that ended it. */
  exit: number | string;
}

/** The metric log's inode (0 without a log): a fit starts by rewriting the log atomically, as a new file. */
function logInode(runDir: string): number {
  return existsSync(TRAINING.log(runDir)) ? statSync(TRAINING.log(runDir)).ino : 0;
}

/**
 * Runs `mmtl train …` in a child process. With `kill`, sends SIGKILL `kill.afterMs` after the process
 * started, or (`fromTraining`) after training started: the run was set up (a fresh run) or the stage-1 fit
 * rewrote its log (a resumed run, once its checkpoint is restored).
 */
function train(
  runDir: string,
  experiment: string | null,
  kill?: { afterMs: number; fromTraining: boolean },
): Promise<Run> {
  const inode = logInode(runDir);
  const start = Date.now();
  const child = spawn(process.execPath, TRAINING.command(runDir, experiment), {
    cwd: root,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  let training = 0;
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const killAt = (delay: number) => setTimeout(() => child.kill('SIGKILL'), delay);
  if (kill && !kill.fromTraining) killAt(kill.afterMs);
  const started =
    experiment === null ? () => logInode(runDir) !== inode : () => existsSync(TRAINING.setUp(runDir));
  const poll = setInterval(() => {
    if (training === 0 && started()) {
      training = Date.now();
      if (kill?.fromTraining) killAt(kill.afterMs);
    }
  }, 5);
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      clearInterval(poll);
      if (code !== 0 && signal !== 'SIGKILL') reject(new Error(`mmtl train exited with ${code}: ${stderr}`));
      else
        resolve({
          trainingFromMs: training === 0 ? 0 : training - start,
          ms: Date.now() - start,
          exit: signal ?? code!,
        });
    });
  });
}

/** A record without its wall time (the only field that differs between runs). */
function stable(r: MetricRecord): Omit<MetricRecord, 'wallTime'> {
  const { wallTime: _, ...rest } = r;
  return rest;
}

async function logOf(runDir: string): Promise<Omit<MetricRecord, 'wallTime'>[]> {
  if (!existsSync(TRAINING.log(runDir))) return [];
  return (await readMetricLog(TRAINING.log(runDir))).map(stable);
}

function bytes(runDir: string, slot: string, file: string): Buffer {
  return readFileSync(join(TRAINING.checkpoints(runDir), slot, file));
}

function results(runDir: string): { tasks: unknown; stage1Metrics: unknown } {
  const r = JSON.parse(readFileSync(join(runDir, 'results.json'), 'utf8')) as Record<string, unknown>;
  return { tasks: r.tasks, stage1Metrics: r.stage1Metrics };
}

describe('kill -9 and mmtl train --resume', () => {
  it('loses nothing up to the last checkpoint and ends as an uninterrupted run', async () => {
    const base = tempDir('kill');
    writeOwnData(base, { train: 96, valid: 40, test: 20, new: 1, unlabeled: 1 });
    const experiment = join(base, 'exp.yaml');
    writeFileSync(
      experiment,
      ownExperimentYaml([
        'batchSize: 8',
        'stage1: { nEpochs: 6, evaluateEvery: { steps: 4 }, tensorboard: false }',
      ]),
    );
    const refDir = join(base, 'reference');
    const ref = await train(refDir, experiment);
    expect(ref.exit).toBe(0);
    const refLog = await logOf(refDir);
    expect(refLog.length).toBeGreaterThan(10);
    const trainingMs = ref.ms - ref.trainingFromMs;

    const runDir = join(base, 'killed');
    const seed = Date.now() % 2 ** 31;
    let state = seed;
    const random = (from: number, to: number): number =>
      from + (to - from) * ((state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    // kill 0: the fresh run, early in training (a run killed before it is set up has nothing to resume);
    // kill 1: a resumed run anywhere in its start-up (loading, restoring, rewriting its log);
    // kills 2 and 3: resumed runs, a little way into training
    const plan = [
      { afterMs: random(0.05, 0.3) * trainingMs, fromTraining: true },
      { afterMs: random(0, ref.trainingFromMs), fromTraining: false },
      { afterMs: random(0.05, 0.3) * trainingMs, fromTraining: true },
      { afterMs: random(0.05, 0.3) * trainingMs, fromTraining: true },
    ];
    const kills: string[] = [];
    for (const [k, kill] of plan.entries()) {
      const r = await train(runDir, k === 0 ? experiment : null, {
        ...kill,
        afterMs: Math.round(kill.afterMs),
      });
      const lastDir = join(TRAINING.checkpoints(runDir), 'last');
      const lastStep = (await checkpointExists(lastDir))
        ? ((await readCheckpoint(lastDir)).meta.step as number)
        : -1;
      kills.push(
        `kill ${k} ${Math.round(kill.afterMs)} ms after ${kill.fromTraining ? 'training' : 'process'} start (${r.exit}), last checkpoint at step ${lastStep}`,
      );
      const why = `seed ${seed}: ${kills.join('; ')}`;
      const log = await logOf(runDir);
      // the reference's records in order: no hole, no duplicate step, at least up to the last checkpoint
      expect(log, why).toEqual(refLog.slice(0, log.length));
      expect(new Set(log.map((r) => r.step)).size, why).toBe(log.length);
      expect(log.filter((r) => r.step <= lastStep).length, why).toBe(
        refLog.filter((r) => r.step <= lastStep).length,
      );
    }
    const final = await train(runDir, null);
    const why = `seed ${seed}: ${kills.join('; ')}`;
    expect(final.exit, why).toBe(0);
    expect(await logOf(runDir), why).toEqual(refLog);
    for (const slot of ['last', 'best']) {
      for (const file of ['model.safetensors', 'engine-rng.bin']) {
        expect(
          Buffer.compare(bytes(runDir, slot, file), bytes(refDir, slot, file)),
          `${slot}/${file} of ${why}`,
        ).toBe(0);
      }
      // trainer.json also holds the trainer's config, whose runDir differs
      const trainerState = (dir: string): unknown =>
        (JSON.parse(bytes(dir, slot, 'trainer.json').toString()) as { state: unknown }).state;
      expect(trainerState(runDir), `${slot}: ${why}`).toEqual(trainerState(refDir));
    }
    expect(results(runDir), why).toEqual(results(refDir));
  });
});
