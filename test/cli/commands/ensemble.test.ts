import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../src/cli/index.js';
import { restoreRun } from '../../../src/experiment/index.js';
import { captureIo as capture } from '../../helpers/cli-io.js';

function experiment(extra: string[] = []): string {
  const dir = mkdtempSync(join(tmpdir(), 'mmtl-cli-ens-'));
  writeFileSync(
    join(dir, 'exp.yaml'),
    [
      'name: tiny',
      'tasks: [RTE]',
      'maxTrainRows: 120',
      'maxLength: 24',
      'encoder: { kind: bilstm, embeddings: random, hiddenSize: 16, headHidden: 16 }',
      'stage1: { nEpochs: 1, tensorboard: false }',
      ...extra,
    ].join('\n'),
  );
  return dir;
}

describe('mmtl ensemble', () => {
  it('trains k-fold members, scores each and the ensemble on dev, and leaves restorable members', async () => {
    const dir = experiment();
    const runDir = join(dir, 'ens');
    const io = capture();
    const code = await runCli(
      [
        'ensemble',
        join(dir, 'exp.yaml'),
        '--members',
        '2',
        '--mode',
        'kfold',
        '--combiner',
        'weighted',
        '--set',
        'batchSize=16',
        '--run-dir',
        runDir,
      ],
      io,
    );
    expect(code, io.stderr).toBe(0);
    const lines = io.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toHaveLength(3);
    for (const [i, m] of lines.slice(0, 2).entries()) {
      expect(m).toMatchObject({ member: i, trainRows: 60, validRows: 60 });
      expect(Object.keys(m.dev as object)).toEqual(['RTE/RTE/dev/accuracy']);
    }
    const ens = lines[2] as {
      ensemble: string;
      members: number;
      weights: number[];
      dev: Record<string, number>;
      meanMember: Record<string, number>;
      gainOverMean: Record<string, number>;
    };
    expect(ens).toMatchObject({ ensemble: 'weighted', mode: 'kfold', members: 2, runDir });
    expect(ens.weights).toHaveLength(2);
    const key = 'RTE/RTE/dev/accuracy';
    const memberAcc = lines.slice(0, 2).map((m) => (m.dev as Record<string, number>)[key]!);
    expect(ens.meanMember[key]).toBeCloseTo((memberAcc[0]! + memberAcc[1]!) / 2, 9);
    expect(ens.gainOverMean[key]).toBeCloseTo(ens.dev[key]! - ens.meanMember[key]!, 9);
    expect(existsSync(join(runDir, 'ensemble.json'))).toBe(true);
    const member = await restoreRun(runDir, { stage: 'member-1' });
    expect(member.model.taskNames()).toEqual(['RTE']);
    member.model.dispose();
  });

  it('rejects an unknown split mode with the valid names', async () => {
    const dir = experiment();
    const io = capture();
    expect(await runCli(['ensemble', join(dir, 'exp.yaml'), '--mode', 'bagging'], io)).toBe(2);
    expect(io.stderr).toMatch(/E_UNKNOWN.*bagging.*kfold, resplit/);
  });
});

describe('mmtl eval on a two-stage run', () => {
  it('scores each task with its fine-tuned model unless --stage says otherwise', async () => {
    const dir = experiment(['stage2: { nEpochs: 1, tensorboard: false }']);
    const runDir = join(dir, 'run');
    let io = capture();
    expect(await runCli(['train', join(dir, 'exp.yaml'), '--run-dir', runDir], io), io.stderr).toBe(0);
    const results = JSON.parse(io.stdout.trim().split('\n').at(-1)!) as {
      tasks: { RTE: { stage1: number; stage2: number } };
    };
    io = capture();
    expect(await runCli(['eval', runDir], io), io.stderr).toBe(0);
    const fine = JSON.parse(io.stdout) as Record<string, number>;
    expect(fine['RTE/RTE/dev/accuracy']).toBeCloseTo(results.tasks.RTE.stage2, 6);
    io = capture();
    expect(await runCli(['eval', runDir, '--stage', 'stage1'], io), io.stderr).toBe(0);
    const first = JSON.parse(io.stdout) as Record<string, number>;
    expect(first['RTE/RTE/dev/accuracy']).toBeCloseTo(results.tasks.RTE.stage1, 6);
  });
});
