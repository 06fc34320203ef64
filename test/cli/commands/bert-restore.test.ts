// mmtl eval / predict on a BERT run: the tokenizer comes back from encoder.dir, the model from its checkpoint.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../src/cli/index.js';
import { captureIo as capture } from '../../helpers/cli-io.js';

describe('restoring a BERT run', () => {
  it('scores dev as training did and predicts test rows', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mmtl-bert-restore-'));
    writeFileSync(
      join(dir, 'exp.yaml'),
      [
        'tasks: [RTE]',
        'maxTrainRows: 32',
        'maxLength: 32',
        'batchSize: 16',
        'encoder: { kind: bert, dir: test/fixtures/bert-tiny-random }',
        'stage1: { nEpochs: 1, tensorboard: false }',
      ].join('\n'),
    );
    const runDir = join(dir, 'run');
    let io = capture();
    expect(await runCli(['train', join(dir, 'exp.yaml'), '--run-dir', runDir], io), io.stderr).toBe(0);
    io = capture();
    expect(await runCli(['eval', runDir], io), io.stderr).toBe(0);
    const scores = JSON.parse(io.stdout) as Record<string, number>;
    const results = JSON.parse(readFileSync(join(runDir, 'results.json'), 'utf8')) as {
      stage1Metrics: Record<string, number>;
    };
    expect(scores['RTE/RTE/dev/accuracy']).toBeCloseTo(results.stage1Metrics['RTE/RTE/valid/accuracy']!, 6);
    io = capture();
    expect(await runCli(['predict', runDir, '--split', 'dev'], io), io.stderr).toBe(0);
    const lines = io.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(1 + 277);
    expect(lines.slice(1).every((l) => /^\d+\t(entailment|not_entailment)$/.test(l))).toBe(true);
  });
});
