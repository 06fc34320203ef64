import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadExperiment, parseExperiment, setPath } from '../../src/experiment/load.js';
import { experimentJsonSchema } from '../../src/experiment/schema.js';

function file(text: string, ext = '.yaml'): string {
  const p = join(mkdtempSync(join(tmpdir(), 'mmtl-exp-')), `exp${ext}`);
  writeFileSync(p, text);
  return p;
}

describe('experiment configs', () => {
  it('fill defaults from the schema (YAML and JSON)', async () => {
    const cfg = await loadExperiment(file('tasks: [RTE]\nstage1: { nEpochs: 2 }\n'));
    expect(cfg.encoder).toMatchObject({ kind: 'bilstm', embeddings: 'glove', hiddenSize: 128 });
    expect(cfg.stage1.nEpochs).toBe(2);
    expect(cfg.stage1.optimizer.kind).toBe('adam');
    expect(cfg.stage2).toBeUndefined();
    const json = await loadExperiment(
      file(JSON.stringify({ tasks: ['MRPC'], encoder: { kind: 'bert', dir: 'x' } }), '.json'),
    );
    expect(json.encoder).toMatchObject({ kind: 'bert', dir: 'x', headHidden: 0 });
  });

  it('accepts the README’s example experiment', async () => {
    const readme = readFileSync(join(import.meta.dirname, '..', '..', 'README.md'), 'utf8');
    const yaml = /```yaml\n([\s\S]*?)```/.exec(readme)![1]!;
    const dir = mkdtempSync(join(tmpdir(), 'mmtl-readme-'));
    writeFileSync(join(dir, 'exp.yaml'), yaml);
    const cfg = await loadExperiment(join(dir, 'exp.yaml'));
    expect(cfg.tasks).toEqual(['RTE', 'MRPC']);
    expect(cfg.weak).toMatchObject({ fromTask: 'QNLI', lfs: 'entailment', skipRows: 0 });
  });

  it('accepts every example experiment file', async () => {
    const dir = join(import.meta.dirname, '..', '..', 'examples', 'sst2-weak');
    const gold = await loadExperiment(join(dir, 'gold.yaml'));
    const weak = await loadExperiment(join(dir, 'weak.yaml'));
    expect(gold.weak).toBeUndefined();
    expect(weak.weak).toMatchObject({ lfs: 'sentiment', skipRows: 2000, inStage2: false });
    expect(weak.stage2).toEqual(gold.stage2);
  });

  it('applies --set overrides with YAML values', async () => {
    const cfg = await loadExperiment(file('tasks: [RTE]\n'), [
      'stage1.nEpochs=4',
      'tasks=[RTE, MRPC]',
      'encoder.attention=true',
      'stage2.nEpochs=1',
    ]);
    expect(cfg.stage1.nEpochs).toBe(4);
    expect(cfg.tasks).toEqual(['RTE', 'MRPC']);
    expect(cfg.encoder).toMatchObject({ attention: true });
    expect(cfg.stage2?.nEpochs).toBe(1);
    const o: Record<string, unknown> = { a: 1 };
    expect(() => setPath(o, 'a.b', '2')).toThrow(/'a' is not an object/);
    await expect(loadExperiment(file('tasks: [RTE]\n'), ['nonsense'])).rejects.toThrow(/key.path=value/);
  });

  it('rejects unknown keys and bad values with every problem listed', () => {
    const bad = () => parseExperiment({ tasks: ['RTE'], stage1: { nEpoch: 2 }, maxLength: -1 });
    expect(bad).toThrow(/Unrecognized key: "nEpoch"/);
    expect(bad).toThrow(/maxLength/);
    expect(() => parseExperiment({ tasks: [] })).toThrow(/tasks/);
  });

  it('exports a JSON Schema for editors', () => {
    const schema = experimentJsonSchema() as { properties: Record<string, unknown>; required?: string[] };
    expect(Object.keys(schema.properties)).toEqual(
      expect.arrayContaining(['tasks', 'encoder', 'stage1', 'stage2', 'slices']),
    );
    expect(schema.required).toEqual(['tasks']);
  });
});
