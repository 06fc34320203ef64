// The GLUE pipeline with a BERT encoder from a Hugging Face folder (the small random BERT fixture stands in
// for a real checkpoint, which cannot be downloaded here).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseExperiment, runExperiment } from '../../../src/experiment/index.js';
import { BertModel } from '../../../src/nn/index.js';

describe('experiments with a BERT encoder', () => {
  it('trains RTE + MRPC on a shared BERT loaded from an HF folder, two stages', async () => {
    const cfg = parseExperiment({
      name: 'bert-smoke',
      tasks: ['RTE', 'MRPC'],
      maxTrainRows: 64,
      maxLength: 48,
      batchSize: 16,
      encoder: { kind: 'bert', dir: 'test/fixtures/bert-tiny-random' },
      stage1: { nEpochs: 1, optimizer: { kind: 'adamw', lr: 1e-3 } },
      stage2: { nEpochs: 1 },
      runDir: join(mkdtempSync(join(tmpdir(), 'mmtl-bert-')), 'run'),
    });
    const r = await runExperiment(cfg);
    expect(Object.keys(r.tasks)).toEqual(['RTE', 'MRPC']);
    expect(r.tasks.RTE!.metric).toBe('RTE/RTE/valid/accuracy');
    expect(Number.isFinite(r.tasks.RTE!.stage1)).toBe(true);
    const reference = await BertModel.fromPretrained('test/fixtures/bert-tiny-random');
    expect(r.model.modules.get('encoder')!.numParameters()).toBe(reference.numParameters());
    reference.dispose();
    r.model.dispose();
    for (const m of r.finetuned.values()) m.dispose();
  });
});
