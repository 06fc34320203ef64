import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../src/cli/index.js';
import { captureIo as capture } from '../../helpers/cli-io.js';

describe('mmtl train', () => {
  it('runs a two-stage multi-task experiment with a POS auxiliary task into a run folder', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mmtl-cli-train-'));
    const cfg = join(dir, 'exp.yaml');
    writeFileSync(
      cfg,
      [
        'name: smoke',
        'tasks: [RTE, MRPC]',
        'maxTrainRows: 200',
        'maxLength: 30',
        'encoder: { kind: bilstm, hiddenSize: 32, headHidden: 32 }',
        'auxiliary: { pos: true }',
        'stage1: { nEpochs: 2 }',
        'stage2: { nEpochs: 1 }',
      ].join('\n'),
    );
    const io = capture();
    const code = await runCli(
      ['train', cfg, '--run-dir', join(dir, 'run'), '--set', 'stage1.optimizer.lr=0.002'],
      io,
    );
    expect(code, io.stderr).toBe(0);
    const last = JSON.parse(io.stdout.trim().split('\n').at(-1)!) as {
      tasks: Record<string, { metric: string; stage1: number; stage2: number }>;
    };
    expect(Object.keys(last.tasks)).toEqual(['RTE', 'MRPC']);
    expect(last.tasks.MRPC!.metric).toBe('MRPC/MRPC/valid/acc_f1');
    expect(last.tasks.RTE!.stage2).toBeGreaterThanOrEqual(last.tasks.RTE!.stage1);
    for (const f of [
      'config.json',
      'results.json',
      'vocab.json',
      'stage1/metrics.jsonl',
      'stage1/checkpoints/best/model.safetensors',
      'RTE/metrics.jsonl',
    ]) {
      expect(existsSync(join(dir, 'run', f)), f).toBe(true);
    }
    const log = readFileSync(join(dir, 'run', 'stage1', 'metrics.jsonl'), 'utf8');
    expect(log).toContain('POS/RTE/train/loss');
    expect(JSON.parse(readFileSync(join(dir, 'run', 'config.json'), 'utf8'))).toMatchObject({
      stage1: { optimizer: { lr: 0.002 } },
    });
  });

  it('reports the weak labeling: LF summary in report.html, sizes in results.json', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mmtl-cli-weak-'));
    const cfg = join(dir, 'exp.yaml');
    writeFileSync(
      cfg,
      [
        'name: weak',
        'tasks: [RTE]',
        'maxTrainRows: 100',
        'maxLength: 30',
        'encoder: { kind: bilstm, embeddings: random, hiddenSize: 8, headHidden: 0 }',
        'weak: { fromTask: QNLI, fromSplit: dev, maxRows: 300, swap: true }',
        'stage1: { nEpochs: 1 }',
      ].join('\n'),
    );
    const io = capture();
    expect(await runCli(['train', cfg, '--run-dir', join(dir, 'run')], io), io.stderr).toBe(0);
    const results = JSON.parse(readFileSync(join(dir, 'run', 'results.json'), 'utf8')) as {
      weak: { lfs: string; rows: number; covered: number };
    };
    expect(results.weak).toMatchObject({ lfs: 'entailment', rows: 300 });
    expect(results.weak.covered).toBeGreaterThan(150);
    const html = readFileSync(join(dir, 'run', 'stage1', 'report.html'), 'utf8');
    expect(html).toContain('Labeling functions');
    expect(html).toContain('weak rows labeled');
    // `mmtl report` rebuilds the page from the folder alone: the LF section comes back from lfs.json
    rmSync(join(dir, 'run', 'stage1', 'report.html'));
    expect(await runCli(['report', join(dir, 'run', 'stage1')], capture())).toBe(0);
    const again = readFileSync(join(dir, 'run', 'stage1', 'report.html'), 'utf8');
    expect(again).toContain('Labeling functions');
    expect(again).toContain('high_overlap');
  });

  it('fails with a coded config error and exit status 2', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mmtl-cli-bad-'));
    writeFileSync(join(dir, 'bad.yaml'), 'tasks: [RTE]\nstage1: { epochs: 2 }\n');
    const io = capture();
    expect(await runCli(['train', join(dir, 'bad.yaml')], io)).toBe(2);
    expect(io.stderr).toMatch(/E_CONFIG[\s\S]*Unrecognized key: "epochs"/);
  });
});
