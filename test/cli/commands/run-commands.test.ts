import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../src/cli/index.js';
import { restoreRun } from '../../../src/experiment/index.js';
import { glueTask, loadGlueSplit } from '../../../src/glue/index.js';
import { captureIo as capture } from '../../helpers/cli-io.js';

const EXPERIMENT = [
  'name: tiny',
  'tasks: [RTE]',
  'maxTrainRows: 200',
  'maxLength: 24',
  'encoder: { kind: bilstm, embeddings: random, hiddenSize: 16, headHidden: 16 }',
  'stage1: { nEpochs: 1, tensorboard: false }',
].join('\n');

describe('mmtl eval / predict / glue submit on a trained run', () => {
  let dir: string;
  let runDir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mmtl-cli-run-'));
    writeFileSync(join(dir, 'exp.yaml'), EXPERIMENT);
    runDir = join(dir, 'run');
    const io = capture();
    const code = await runCli(['train', join(dir, 'exp.yaml'), '--run-dir', runDir], io);
    expect(code, io.stderr).toBe(0);
  }, 60_000);

  it('restoreRun rebuilds the best model, which scores dev as training did', async () => {
    const run = await restoreRun(runDir);
    try {
      expect(run.stage).toBe('stage1');
      expect(run.checkpointDir).toBe(join(runDir, 'stage1', 'checkpoints', 'best'));
      expect(run.model.taskNames()).toEqual(['RTE']);
    } finally {
      run.model.dispose();
    }
    const io = capture();
    expect(await runCli(['eval', runDir], io), io.stderr).toBe(0);
    const scores = JSON.parse(io.stdout.trim()) as Record<string, number>;
    expect(Object.keys(scores)).toEqual(['RTE/RTE/dev/accuracy']);
    const results = JSON.parse(readFileSync(join(runDir, 'results.json'), 'utf8')) as {
      stage1Metrics: Record<string, number>;
    };
    expect(scores['RTE/RTE/dev/accuracy']).toBeCloseTo(results.stage1Metrics['RTE/RTE/valid/accuracy']!, 6);
  });

  it('predict writes one GLUE label string per test row', async () => {
    const out = join(dir, 'rte-test.tsv');
    const io = capture();
    expect(await runCli(['predict', runDir, '--task', 'RTE', '--out', out], io), io.stderr).toBe(0);
    const { rows } = await loadGlueSplit('data/glue', 'RTE', 'test');
    expect(JSON.parse(io.stdout.trim())).toEqual({ out, task: 'RTE', split: 'test', rows: rows.length });
    const lines = readFileSync(out, 'utf8').trimEnd().split('\n');
    expect(lines[0]).toBe('index\tprediction');
    expect(lines.length - 1).toBe(rows.length);
    const labels = new Set(glueTask('RTE').labels);
    for (const [i, line] of lines.slice(1).entries()) {
      const [index, label] = line.split('\t');
      expect(index).toBe(rows[i]!.index);
      expect(labels.has(label!), line).toBe(true);
    }
  });

  it('predict on a labelled split prints the TSV to stdout', async () => {
    const io = capture();
    expect(await runCli(['predict', runDir, '--split', 'dev'], io), io.stderr).toBe(0);
    expect(io.stdout.trimEnd().split('\n')).toHaveLength(1 + 277);
  });

  it('glue submit writes RTE.tsv and a zip', async () => {
    const out = join(dir, 'submission');
    const io = capture();
    expect(await runCli(['glue', 'submit', runDir, '--out', out], io), io.stderr).toBe(0);
    const zip = io.stdout.trim();
    expect(zip).toBe(join(out, 'submission.zip'));
    expect(existsSync(zip)).toBe(true);
    expect(readFileSync(join(out, 'RTE.tsv'), 'utf8').split('\n')[0]).toBe('index\tprediction');
  });

  it('fails with coded errors and non-zero exit statuses', async () => {
    let io = capture();
    expect(await runCli(['eval', join(dir, 'nope')], io)).toBe(3);
    expect(io.stderr).toMatch(/E_IO.*no run folder/);

    const empty = join(dir, 'empty');
    mkdirSync(empty);
    io = capture();
    expect(await runCli(['predict', empty], io)).toBe(1);
    expect(io.stderr).toMatch(/E_CHECKPOINT.*config\.json/);

    const noCkpt = join(dir, 'no-ckpt');
    mkdirSync(noCkpt);
    writeFileSync(join(noCkpt, 'config.json'), readFileSync(join(runDir, 'config.json')));
    io = capture();
    expect(await runCli(['glue', 'submit', noCkpt], io)).toBe(1);
    expect(io.stderr).toMatch(/E_CHECKPOINT.*no checkpoint in '.*stage1/);

    io = capture();
    expect(await runCli(['eval', runDir, '--stage', 'MRPC'], io)).toBe(2);
    expect(io.stderr).toMatch(/E_ARG.*expected one of stage1, RTE/);

    io = capture();
    expect(await runCli(['eval', runDir, '--split', 'test'], io)).toBe(3);
    expect(io.stderr).toMatch(/E_DATA.*no gold labels/);

    io = capture();
    expect(await runCli(['predict', runDir, '--task', 'RTE', '--data', join(dir, 'exp.yaml')], io)).toBe(2);
    expect(io.stderr).toMatch(/E_ARG.*'RTE' is a GLUE task, which predicts GLUE splits/);

    io = capture();
    expect(await runCli(['train', join(dir, 'exp.yaml'), '--resume', runDir], io)).toBe(2);
    expect(io.stderr).toMatch(/E_ARG.*--resume takes the run folder only/);

    io = capture();
    expect(await runCli(['train'], io)).toBe(2);
    expect(io.stderr).toMatch(/E_ARG.*pass an experiment file, or --resume/);
  });
});
