// kill -9 at random points, several times, then resume: the metric log is complete up to the last checkpoint
// after every kill, and the finished run has the same weights and log as a run never interrupted.
//
// The training runs in a child process through the library's public API (Trainer.fit with resume: true).
// To drive it through the CLI instead (`mmtl train exp.yaml --run-dir d --resume`), change TRAINING only:
// its command, and where the run keeps its log and checkpoints (`d/stage1/…`).
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  checkpointExists,
  readCheckpoint,
  readMetricLog,
  type MetricRecord,
} from '../../../src/training/index.js';
import { tempDir } from '../../reliability/helpers.js';

const root = join(import.meta.dirname, '..', '..', '..');

/** How a training is started and where its run folder keeps things. */
const TRAINING = {
  command: (runDir: string): [string, string[]] => [
    process.execPath,
    ['--import', 'tsx', 'test/reliability/fixtures/train-child.ts', runDir, '8'],
  ],
  log: (runDir: string) => join(runDir, 'metrics.jsonl'),
  checkpoints: (runDir: string) => join(runDir, 'checkpoints'),
};

interface Run {
  /** Milliseconds from 'ready' (training started) to the exit. */
  ms: number;
  /** Exit code, or the signal that ended it. */
  exit: number | string;
}

/** Starts (or resumes) the training; kills it with SIGKILL `killAfterMs` after it is ready, if given. */
function train(runDir: string, killAfterMs?: number): Promise<Run> {
  const [cmd, args] = TRAINING.command(runDir);
  const child = spawn(cmd, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  let ready = 0;
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  child.stdout.on('data', (d: Buffer) => {
    if (ready === 0 && d.toString().includes('ready')) {
      ready = Date.now();
      if (killAfterMs !== undefined) setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    }
  });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (code !== 0 && signal !== 'SIGKILL') reject(new Error(`training exited with ${code}: ${stderr}`));
      else resolve({ ms: Date.now() - ready, exit: signal ?? code! });
    });
  });
}

/** A record without its wall time (the only field that differs between runs). */
function stable(r: MetricRecord): Omit<MetricRecord, 'wallTime'> {
  const { wallTime: _, ...rest } = r;
  return rest;
}

async function logOf(runDir: string): Promise<Omit<MetricRecord, 'wallTime'>[]> {
  return (await readMetricLog(TRAINING.log(runDir))).map(stable);
}

function bytes(runDir: string, slot: string, file: string): Buffer {
  return readFileSync(join(TRAINING.checkpoints(runDir), slot, file));
}

describe('kill -9 and resume', () => {
  it('loses nothing up to the last checkpoint and ends as an uninterrupted run', async () => {
    const base = tempDir('kill');
    const refDir = join(base, 'reference');
    const ref = await train(refDir);
    expect(ref.exit).toBe(0);
    const refLog = await logOf(refDir);
    expect(refLog.length).toBeGreaterThan(10);

    const runDir = join(base, 'killed');
    const seed = Date.now();
    let state = seed;
    const random = (): number => (state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const kills: string[] = [];
    for (let k = 0; k < 4; k++) {
      const at = Math.round(random() * ref.ms * 0.8);
      const r = await train(runDir, at);
      const lastDir = join(TRAINING.checkpoints(runDir), 'last');
      const lastStep = (await checkpointExists(lastDir))
        ? ((await readCheckpoint(lastDir)).meta.step as number)
        : -1;
      kills.push(`kill ${k} at ${at} ms (${r.exit}), last checkpoint at step ${lastStep}`);
      const why = `seed ${seed}: ${kills.join('; ')}`;
      const log = await logOf(runDir).catch(() => []);
      // the log is the reference's, without holes, at least up to the last checkpoint
      expect(log, why).toEqual(refLog.slice(0, log.length));
      expect(log.filter((r) => r.step <= lastStep).length, why).toBe(
        refLog.filter((r) => r.step <= lastStep).length,
      );
    }
    const final = await train(runDir);
    expect(final.exit).toBe(0);
    expect(await logOf(runDir), kills.join('; ')).toEqual(refLog);
    for (const slot of ['last', 'best']) {
      const why = `${slot}: ${kills.join('; ')}`;
      for (const file of ['model.safetensors', 'engine-rng.bin']) {
        expect(
          Buffer.compare(bytes(runDir, slot, file), bytes(refDir, slot, file)),
          `${file} of ${why}`,
        ).toBe(0);
      }
      // trainer.json also holds the config, whose runDir differs
      const state = (dir: string): unknown =>
        (JSON.parse(bytes(dir, slot, 'trainer.json').toString()) as { state: unknown }).state;
      expect(state(runDir), why).toEqual(state(refDir));
    }
  });
});
