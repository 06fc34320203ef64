// BERT folders: a pytorch_model.bin-only folder is a coded error that gives the one-line conversion command;
// a checkpoint without pooler weights loads with a warning through onWarning, which mmtl train prints and
// keeps in results.json.
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MmtlError, isMmtlError } from '../../src/core/index.js';
import { BertModel, pytorchBinConversionCommand } from '../../src/nn/index.js';
import { parseSafetensors, serializeSafetensors, entryToTensor } from '../../src/tensor/index.js';
import { writeOwnData } from '../experiment/fixtures.js';
import { cli, expectUnchanged, snapshot, tempDir } from './helpers.js';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures');
const BERT = join(FIXTURES, 'bert-tiny-random');
// made by scripts/fixtures/make_torch_bin_fixture.py: bert-tiny-random's weights saved with torch.save
const TORCH_BIN = join(FIXTURES, 'bert-tiny-torch-bin');

describe('BertModel.fromPretrained on a pytorch_model.bin-only folder', () => {
  it('is E_CHECKPOINT with the one-line PyTorch command that converts it; nothing is written', async () => {
    const before = snapshot(TORCH_BIN);
    const err = await BertModel.fromPretrained(TORCH_BIN).catch((e: unknown) => e);
    expect(isMmtlError(err, 'E_CHECKPOINT')).toBe(true);
    const e = err as MmtlError;
    expect(e.message).toMatch(
      /has pytorch_model.bin \(a torch pickle, which mmtl does not read\) but no model.safetensors/,
    );
    const command = pytorchBinConversionCommand(TORCH_BIN);
    expect(e.hint).toBe(`convert it once with PyTorch installed: ${command}`);
    expect(e.details).toEqual({ command });
    // one line, PyTorch only, reading the .bin and writing model.safetensors in the same folder
    expect(command).not.toContain('\n');
    expect(command).toMatch(
      /^python3 -c "import torch,json,struct,itertools,sys;.*torch\.load\(d\+'\/pytorch_model\.bin'/,
    );
    expect(command).toMatch(/open\(d\+'\/model\.safetensors','wb'\)/);
    expect(command.endsWith(` ${TORCH_BIN}`)).toBe(true);
    expect(pytorchBinConversionCommand("/tmp/it's here")).toMatch(/ '\/tmp\/it'\\''s here'$/);
    expectUnchanged(before, TORCH_BIN);
  });

  it('a folder with neither file says what is missing', async () => {
    const dir = join(tempDir('bert'), 'bert');
    mkdirSync(dir);
    copyFileSync(join(BERT, 'config.json'), join(dir, 'config.json'));
    await expect(BertModel.fromPretrained(dir)).rejects.toThrow(/no model.safetensors in the folder/);
    await expect(BertModel.fromPretrained(join(dir, 'nope'))).rejects.toSatisfy((e) =>
      isMmtlError(e, 'E_IO'),
    );
  });
});

/** A copy of the tiny BERT fixture whose model.safetensors lacks the pooler's two tensors. */
function noPoolerCopy(): string {
  const dir = join(tempDir('bert'), 'no-pooler');
  mkdirSync(dir);
  for (const f of ['config.json', 'vocab.txt']) copyFileSync(join(BERT, f), join(dir, f));
  const parsed = parseSafetensors(readFileSync(join(BERT, 'model.safetensors')));
  const kept = new Map(
    [...parsed.entries]
      .filter(([k]) => !k.includes('pooler.'))
      .map(([k, e]) => [k, entryToTensor(e)] as const),
  );
  expect(kept.size).toBe(parsed.entries.size - 2);
  writeFileSync(join(dir, 'model.safetensors'), serializeSafetensors(kept));
  for (const t of kept.values()) t.dispose();
  return dir;
}

describe('a BERT checkpoint without pooler weights', () => {
  it('loads, and warns through onWarning (the library prints nothing)', async () => {
    const dir = noPoolerCopy();
    const before = snapshot(dir);
    const warnings: string[] = [];
    const model = await BertModel.fromPretrained(dir, { onWarning: (w) => warnings.push(w) });
    model.dispose();
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(
      /has no pooler weights \(pooler\.dense\.\*\); the pooler keeps a random initialization/,
    );
    // with the pooler's weights, or without a pooler, nothing to say
    const quiet: string[] = [];
    (await BertModel.fromPretrained(BERT, { onWarning: (w) => quiet.push(w) })).dispose();
    (await BertModel.fromPretrained(dir, { addPooler: false, onWarning: (w) => quiet.push(w) })).dispose();
    expect(quiet).toEqual([]);
    expectUnchanged(before, dir);
  });

  it('mmtl train says so on standard error and in results.json; with pooler weights it says nothing', async () => {
    const root = tempDir('bert-train');
    const data = writeOwnData(join(root, 'data'), { train: 24, valid: 8, test: 8, new: 1, unlabeled: 1 });
    const experiment = (bert: string) =>
      [
        'name: pooler',
        'tasks:',
        '  - name: topic',
        '    data: { train: train.csv, valid: valid.csv }',
        '    input: text',
        '    label: { field: label, type: class, classes: [sports, weather, finance] }',
        `encoder: { kind: bert, dir: ${JSON.stringify(bert)} }`,
        'maxLength: 12',
        'batchSize: 8',
        'stage1: { nEpochs: 1, tensorboard: false }',
      ].join('\n');
    const bert = noPoolerCopy();
    const before = snapshot(bert);
    writeFileSync(join(data.dir, 'exp.yaml'), experiment(bert));
    const run = join(root, 'run');
    let r = await cli('train', join(data.dir, 'exp.yaml'), '--run-dir', run);
    expect(r.code, r.io.stderr).toBe(0);
    const warning =
      /^warning: encoder: BertModel\.fromPretrained\('.*no-pooler'\): model\.safetensors has no pooler weights \(pooler\.dense\.\*\); the pooler keeps a random initialization/m;
    expect(r.io.stderr).toMatch(warning);
    const results = JSON.parse(readFileSync(join(run, 'results.json'), 'utf8')) as { warnings: string[] };
    expect(results.warnings).toHaveLength(1);
    expect(`warning: ${results.warnings[0]}`).toMatch(warning);
    expectUnchanged(before, bert);

    writeFileSync(join(data.dir, 'exp.yaml'), experiment(BERT));
    r = await cli('train', join(data.dir, 'exp.yaml'), '--run-dir', join(root, 'quiet'));
    expect(r.code, r.io.stderr).toBe(0);
    expect(r.io.stderr).not.toMatch(/warning/);
    expect(JSON.parse(readFileSync(join(root, 'quiet', 'results.json'), 'utf8'))).toMatchObject({
      warnings: [],
    });
  });
});
