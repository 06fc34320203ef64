// Your own data end to end through the CLI: a CSV text task and a CSV tabular task (files written here, not
// GLUE) trained as one model with weak labels from an LF module, predictions for new unlabeled rows, a run
// killed with SIGKILL after its first checkpoint and resumed with `mmtl train --resume` to the same weights
// as an uninterrupted run, and `--run-dir` over an existing run refused unless `--overwrite`.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../src/cli/index.js';
import { captureIo as capture } from '../../helpers/cli-io.js';
import { ownExperimentYaml, writeOwnData } from '../../experiment/fixtures.js';

const root = resolve(import.meta.dirname, '..', '..', '..');
const CLASSES = ['sports', 'weather', 'finance'];

async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const io = capture();
  const code = await runCli(args, io);
  return { code, stdout: io.stdout, stderr: io.stderr };
}

/** Starts `mmtl train …` in a child process and SIGKILLs it once `watch` exists; resolves with how it ended. */
function trainAndKill(
  args: string[],
  cwd: string,
  watch: string,
): Promise<{ signal: NodeJS.Signals | null; stderr: string }> {
  // tsx resolved from the repository (the child runs in the scratch folder)
  const tsx = import.meta.resolve('tsx');
  const child = spawn(
    process.execPath,
    ['--import', tsx, join(root, 'src', 'cli', 'main.ts'), 'train', ...args],
    {
      cwd,
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((done, fail) => {
    const timer = setInterval(() => {
      if (existsSync(watch)) child.kill('SIGKILL');
    }, 10);
    child.on('error', fail);
    child.on('exit', (_code, signal) => {
      clearInterval(timer);
      done({ signal, stderr });
    });
  });
}

describe('mmtl on your own CSV files', () => {
  it('trains text + tabular tasks, predicts new rows, resumes a killed run exactly, and guards run folders', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mmtl-own-cli-'));
    const data = writeOwnData(dir, { train: 160, valid: 60, test: 60, new: 25, unlabeled: 150 });
    const index = pathToFileURL(join(root, 'src', 'index.ts')).href;
    writeFileSync(
      join(dir, 'lfs.ts'),
      [
        `import { keywordLF } from '${index}';`,
        'export const lfs = [',
        "  keywordLF({ name: 'sports_words', keywords: ['goal', 'match', 'team'], label: 0, field: 'text' }),",
        "  keywordLF({ name: 'weather_words', keywords: ['rain', 'storm', 'snow'], label: 1, field: 'text' }),",
        "  keywordLF({ name: 'finance_words', keywords: ['stock', 'bank', 'loan'], label: 2, field: 'text' }),",
        '];',
      ].join('\n'),
    );
    writeFileSync(
      join(dir, 'exp.yaml'),
      ownExperimentYaml([
        'weak: { task: topic, data: unlabeled.csv, lfs: ./lfs.ts }',
        'stage1: { nEpochs: 12, optimizer: { lr: 0.005 }, tensorboard: false }',
      ]),
    );
    const full = join(dir, 'full');
    const killed = join(dir, 'killed');

    // the uninterrupted run
    let r = await cli(['train', join(dir, 'exp.yaml'), '--run-dir', full]);
    expect(r.code, r.stderr).toBe(0);
    const results = JSON.parse(readFileSync(join(full, 'results.json'), 'utf8')) as {
      tasks: Record<string, { metric: string; stage1: number; test: Record<string, number> }>;
      weak: { task: string; rows: number; covered: number };
    };
    expect(results.tasks.topic!.metric).toBe('topic/topic/valid/accuracy');
    expect(results.tasks.topic!.stage1).toBeGreaterThan(0.8);
    expect(results.tasks.churn!.stage1).toBeGreaterThan(0.75);
    expect(Object.keys(results.tasks.churn!.test)).toEqual([
      'churn/churn/test/accuracy',
      'churn/churn/test/f1_macro',
    ]);
    expect(results.weak).toMatchObject({ task: 'topic', rows: 150 });
    expect(results.weak.covered).toBeGreaterThan(100);
    expect(readFileSync(join(full, 'stage1', 'report.html'), 'utf8')).toContain('weather_words');

    // predictions for new, unlabeled rows: one JSON line per row, in file order, with the id field
    const out = join(dir, 'preds.jsonl');
    r = await cli(['predict', full, '--task', 'topic', '--data', data.text.new, '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ out, task: 'topic', rows: 25 });
    const preds = readFileSync(out, 'utf8')
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as { id: string; prediction: string; probabilities: number[] });
    expect(preds.map((p) => p.id)).toEqual(Array.from({ length: 25 }, (_, i) => `new-${i}`));
    for (const p of preds) {
      expect(CLASSES).toContain(p.prediction);
      expect(p.probabilities).toHaveLength(3);
    }
    r = await cli(['predict', full, '--task', 'churn', '--data', data.tabular.new]);
    expect(r.code, r.stderr).toBe(0);
    const churn = r.stdout
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as { prediction: string });
    expect(churn).toHaveLength(25);
    expect(churn.every((p) => p.prediction === 'yes' || p.prediction === 'no')).toBe(true);
    r = await cli(['eval', full, '--data', data.text.test]);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({
      'topic/topic/eval/accuracy': results.tasks.topic!.test['topic/topic/test/accuracy'],
      'topic/topic/eval/f1_macro': results.tasks.topic!.test['topic/topic/test/f1_macro'],
    });

    // a run killed after its first checkpoint, then resumed: the same weights as the uninterrupted run
    const { signal, stderr } = await trainAndKill(
      [join(dir, 'exp.yaml'), '--run-dir', killed],
      dir,
      join(killed, 'stage1', 'checkpoints', 'last', 'trainer.json'),
    );
    expect(signal, stderr).toBe('SIGKILL');
    expect(existsSync(join(killed, 'results.json'))).toBe(false);
    const stoppedAt = (
      JSON.parse(readFileSync(join(killed, 'stage1', 'checkpoints', 'last', 'trainer.json'), 'utf8')) as {
        state: { steps: number };
      }
    ).state.steps;
    r = await cli(['train', '--resume', killed]);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout.trimEnd().split('\n').at(-1)!)).toMatchObject({ resumed: true });
    const done = (
      JSON.parse(readFileSync(join(killed, 'stage1', 'checkpoints', 'last', 'trainer.json'), 'utf8')) as {
        state: { steps: number };
      }
    ).state.steps;
    expect(stoppedAt).toBeLessThan(done);
    for (const slot of ['last', 'best']) {
      const a = readFileSync(join(full, 'stage1', 'checkpoints', slot, 'model.safetensors'));
      const b = readFileSync(join(killed, 'stage1', 'checkpoints', slot, 'model.safetensors'));
      expect(b.equals(a), `${slot} weights`).toBe(true);
    }
    const resumed = JSON.parse(readFileSync(join(killed, 'results.json'), 'utf8')) as typeof results;
    expect(resumed.tasks).toEqual(results.tasks);

    // re-training into an existing run folder is refused unless --overwrite
    r = await cli(['train', join(dir, 'exp.yaml'), '--run-dir', full]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/E_ARG.*'.*full' already exists.*--overwrite/);
    expect(JSON.parse(readFileSync(join(full, 'results.json'), 'utf8'))).toEqual(results);
    r = await cli([
      'train',
      join(dir, 'exp.yaml'),
      '--run-dir',
      full,
      '--overwrite',
      '--set',
      'stage1.nEpochs=1',
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(readFileSync(join(full, 'config.json'), 'utf8'))).toMatchObject({
      stage1: { nEpochs: 1 },
    });
  });
});
