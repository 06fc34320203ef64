// Error messages name the real cause: each case below used to be reported as something else.
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isMmtlError } from '../../src/core/index.js';
import { loadGloveDir } from '../../src/data/index.js';
import { LabelMatrix } from '../../src/labeling/index.js';
import { BertModel } from '../../src/nn/index.js';
import { MultitaskModel } from '../../src/tasks/index.js';
import { parseSafetensors } from '../../src/tensor/index.js';
import { toyModel } from './fixtures/toy-training.js';
import { cli, expectUnchanged, snapshot, tempDir } from './helpers.js';

const BERT = join(import.meta.dirname, '..', 'fixtures', 'bert-tiny-random');
const LFS_POINTER =
  'version https://git-lfs.github.com/spec/v1\noid sha256:4a1c0e4d1e3f0a5b1a3f3c0e6c2a1f9d8e7b6a5c4d3e2f1a0b9c8d7e6f5a4b3c\nsize 437985387\n';

describe('a vote of 1e400', () => {
  it('is named as a vote (Infinity), not as a bad cardinality', async () => {
    const dir = tempDir('msg');
    writeFileSync(join(dir, 'L.json'), '{"names":["a","b"],"rows":[[1e400,0],[1,-1]]}');
    const before = snapshot(dir);
    const { code, io } = await cli('label', 'analyze', '--L', join(dir, 'L.json'));
    expect(code).toBe(3);
    expect(io.stderr).toMatch(
      /error E_DATA: '.*L.json' row 0, column 0: vote Infinity is not an integer in -1..32766/,
    );
    expect(io.stderr).not.toMatch(/cardinality/);
    expectUnchanged(before, dir);
    for (const v of [Infinity /* 1e400 */, 1e20, 2.5]) {
      expect(() => LabelMatrix.fromRows([[0, v]], ['a', 'b'])).toThrow(
        new RegExp(`vote ${String(v)} at row 0, column 'b'`),
      );
    }
  });
});

describe('a missing GloVe folder', () => {
  it('says the folder is missing, not that dims or a meta.json are needed', async () => {
    const missing = join(tempDir('msg'), 'glove');
    await expect(loadGloveDir(missing)).rejects.toSatisfy(
      (e) =>
        isMmtlError(e, 'E_IO') &&
        /no folder '.*glove'/.test(String(e)) &&
        !/meta\.json needed|'dims'/.test(String(e)),
    );
  });
});

describe('damaged safetensors files', () => {
  it('garbage in the header is a damaged file, never "weights do not match … strict: false"', async () => {
    const model = toyModel();
    const dir = tempDir('msg');
    await model.save(join(dir, 'w.safetensors'));
    model.dispose();
    const good = readFileSync(join(dir, 'w.safetensors'));
    const before = snapshot(dir);
    // garbage over a tensor name inside the JSON header (valid UTF-8 and JSON, offsets intact)
    const text = good.toString('latin1');
    const named = Buffer.from(good);
    named.write('zz#!', text.indexOf('"side_head.') + 1, 'latin1');
    // garbage over a module name inside the config stored in the header's metadata
    const config = Buffer.from(good);
    config.write('zz#!', text.indexOf('\\"side_head\\"') + 2, 'latin1');
    expect(() => MultitaskModel.fromSafetensors(config, 'w.safetensors')).toThrow(
      /task 'side' uses module 'side_head', which 'modules' does not define; expected one of body, zz#!_head, sum_head/,
    );
    // random bytes in the header
    const random = Buffer.from(good);
    for (let i = 30; i < 40; i++) random[i] = 0xff - i;
    expect(() => MultitaskModel.fromSafetensors(random, 'w.safetensors')).toThrow(
      /w.safetensors: not a valid \.safetensors file: header is not valid UTF-8 JSON/,
    );
    // a changed name cannot be told from another model's file by its header; the hint says both
    expect(() => MultitaskModel.fromSafetensors(named, 'w.safetensors')).toThrow(
      /changed or damaged after it was saved; pass \{ strict: false \} only to load a partial state on purpose/,
    );
    MultitaskModel.fromSafetensors(good, 'w.safetensors').dispose();
    expectUnchanged(before, dir);
  });

  it('a Git LFS pointer in place of the weights says so, without a pytorch_model.bin hint', async () => {
    const dir = join(tempDir('msg'), 'bert');
    mkdirSync(dir);
    for (const f of ['config.json', 'vocab.txt']) copyFileSync(join(BERT, f), join(dir, f));
    writeFileSync(join(dir, 'model.safetensors'), LFS_POINTER);
    const before = snapshot(dir);
    await expect(BertModel.fromPretrained(dir)).rejects.toSatisfy(
      (e) =>
        isMmtlError(e, 'E_CHECKPOINT') &&
        /Git LFS pointer/.test(String(e)) &&
        /git lfs pull/.test(String(e)) &&
        !/pytorch_model/.test(String(e)),
    );
    expect(() => parseSafetensors(Buffer.from(LFS_POINTER))).toThrow(/Git LFS pointer/);
    expectUnchanged(before, dir);
  });
});

describe('CLI hints name CLI flags', () => {
  it('an LF that throws: the hint is --fault-tolerant, not the API option', async () => {
    const flaky = join(import.meta.dirname, '..', 'fixtures', 'lfs', 'flaky-lfs.mjs');
    const data = join(import.meta.dirname, '..', 'fixtures', 'youtube', 'train-50.csv');
    const dir = tempDir('msg');
    for (const workers of ['1', '2']) {
      const { code, io } = await cli(
        'label',
        'apply',
        '--lfs',
        flaky,
        '--data',
        data,
        '--out',
        join(dir, 'L.npy'),
        '--workers',
        workers,
      );
      expect(code).toBe(1);
      expect(io.stderr).toMatch(
        /^error E_LF: LF 'flaky' failed on row \d+ .*\(pass --fault-tolerant to count failures as abstains\)\n$/,
      );
      expect(io.stderr).not.toMatch(/faultTolerant/);
    }
    expect(snapshot(dir).size).toBe(0);
  });
});

describe('label analyze on a matrix where 0 may mean abstain', () => {
  it('suggests the MeTaL convention when no LF abstains anywhere', async () => {
    const dir = tempDir('msg');
    writeFileSync(join(dir, 'metal.csv'), 'a,b\n1,0\n0,2\n2,0\n');
    writeFileSync(join(dir, 'ours.csv'), 'a,b\n1,-1\n0,1\n1,0\n');
    const before = snapshot(dir);
    const metal = await cli('label', 'analyze', '--L', join(dir, 'metal.csv'));
    expect(metal.code).toBe(0);
    expect(metal.io.stderr).toMatch(
      /^warning: no LF abstains anywhere .*every coverage is 1.*MeTaL: classes 1..k, 0 = abstain/,
    );
    const ours = await cli('label', 'analyze', '--L', join(dir, 'ours.csv'));
    expect([ours.code, ours.io.stderr]).toEqual([0, '']);
    expectUnchanged(before, dir);
  });
});
