// Checkpoints are checked on load: the manifest's sha256 catches weights changed without a change of size,
// and `mmtl eval` never falls back to the last checkpoint when the best one is broken or gone.
import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { isMmtlError } from '../../src/core/index.js';
import {
  CHECKPOINT_MANIFEST,
  readCheckpoint,
  selectRunCheckpoint,
  verifyCheckpoint,
  writeCheckpoint,
} from '../../src/training/index.js';
import { cli, expectUnchanged, snapshot, tempDir } from './helpers.js';

const EXPERIMENT = [
  'name: tiny',
  'tasks: [RTE]',
  'maxTrainRows: 64',
  'maxLength: 16',
  'encoder: { kind: bilstm, embeddings: random, hiddenSize: 8, headHidden: 8 }',
  'stage1: { nEpochs: 2, tensorboard: false }',
].join('\n');

/** Flips one byte of a file in place (same size). */
function flipByte(path: string, at: (size: number) => number): void {
  const b = readFileSync(path);
  const i = at(b.length);
  b[i] = b[i]! ^ 0x5a;
  writeFileSync(path, b);
}

describe('checkpoint checksums', () => {
  it('a file changed without changing size is an E_CHECKPOINT error when read; nothing is rewritten', async () => {
    const root = tempDir('ck');
    const dir = join(root, 'best');
    await writeCheckpoint(dir, { files: { 'w.bin': new Uint8Array(64).fill(7), 'a.json': '{"x":1}' } });
    const manifest = JSON.parse(readFileSync(join(dir, CHECKPOINT_MANIFEST), 'utf8')) as {
      version: number;
      files: Record<string, { size: number; sha256: string }>;
    };
    expect(manifest.version).toBe(2);
    expect(manifest.files['w.bin']!.size).toBe(64);
    expect(manifest.files['w.bin']!.sha256).toMatch(/^[0-9a-f]{64}$/);
    await verifyCheckpoint(dir);
    flipByte(join(dir, 'w.bin'), (n) => n >> 1);
    const before = snapshot(root);
    const ck = await readCheckpoint(dir); // sizes still match
    await expect(ck.files['w.bin']!.bytes()).rejects.toSatisfy(
      (e) => isMmtlError(e, 'E_CHECKPOINT') && /'w.bin' does not match its manifest/.test(String(e)),
    );
    await expect(verifyCheckpoint(dir)).rejects.toSatisfy((e) => isMmtlError(e, 'E_CHECKPOINT'));
    expect(await ck.files['a.json']!.text()).toBe('{"x":1}');
    expectUnchanged(before, root);
  });

  it('checkpoints written before checksums (manifest version 1) still read, by size', async () => {
    const root = tempDir('ck');
    const dir = join(root, 'old');
    await writeCheckpoint(dir, { files: { 'a.txt': 'abc' } });
    writeFileSync(
      join(dir, CHECKPOINT_MANIFEST),
      JSON.stringify({ format: 'mmtl-checkpoint', version: 1, files: { 'a.txt': 3 }, meta: {} }),
    );
    expect(await (await readCheckpoint(dir)).files['a.txt']!.text()).toBe('abc');
  });

  it('a run folder deleted before a checkpoint write is not recreated', async () => {
    const root = tempDir('ck');
    const runDir = join(root, 'run');
    // the run folder itself never existed: writing into it is refused, and nothing is made
    await expect(
      writeCheckpoint(join(runDir, 'checkpoints', 'last'), { files: { 'a.txt': 'x' } }),
    ).rejects.toSatisfy((e) => isMmtlError(e, 'E_IO') && /no longer exists/.test(String(e)));
    expect(snapshot(root).size).toBe(0);
  });
});

describe('mmtl eval on damaged run folders', () => {
  let base: string;
  let runDir: string;
  beforeAll(async () => {
    base = tempDir('eval');
    writeFileSync(join(base, 'exp.yaml'), EXPERIMENT);
    runDir = join(base, 'run');
    const { code, io } = await cli('train', join(base, 'exp.yaml'), '--run-dir', runDir);
    expect(code, io.stderr).toBe(0);
  }, 120_000);

  /** A copy of the trained run, damaged by `damage`; `mmtl eval` on it must fail with `pattern`. */
  async function evalFails(damage: (run: string) => void, pattern: RegExp): Promise<void> {
    const copy = join(tempDir('eval-copy'), 'run');
    cpSync(runDir, copy, { recursive: true });
    damage(copy);
    const before = snapshot(copy);
    const { code, io } = await cli('eval', copy);
    expect(io.stdout).toBe('');
    expect(io.stderr).toMatch(/^error E_CHECKPOINT: /);
    expect(io.stderr).toMatch(pattern);
    expect(code).toBe(1);
    expectUnchanged(before, copy);
  }

  it('scores the intact run', async () => {
    const { code, io } = await cli('eval', runDir);
    expect(code, io.stderr).toBe(0);
    expect(Object.keys(JSON.parse(io.stdout) as object)).toEqual(['RTE/RTE/dev/accuracy']);
  });

  it('weights corrupted without changing size', async () => {
    await evalFails(
      (run) => flipByte(join(run, 'stage1/checkpoints/best/model.safetensors'), (n) => n - 3),
      /'model.safetensors' does not match its manifest/,
    );
  });

  it('garbage in the safetensors header is reported as damage, not as a model mismatch', async () => {
    await evalFails(
      (run) => flipByte(join(run, 'stage1/checkpoints/best/model.safetensors'), () => 20),
      /does not match its manifest/,
    );
  });

  it('a best checkpoint whose manifest is missing', async () => {
    await evalFails(
      (run) => rmSync(join(run, 'stage1/checkpoints/best', CHECKPOINT_MANIFEST)),
      /best checkpoint .* has no manifest/,
    );
  });

  it('a best checkpoint that is gone although the run selected one', async () => {
    await evalFails(
      (run) => rmSync(join(run, 'stage1/checkpoints/best'), { recursive: true }),
      /best checkpoint .* is missing, though the run selected one/,
    );
  });

  it('selectRunCheckpoint picks last only when the run never selected a best', async () => {
    const root = tempDir('sel');
    const ck = join(root, 'checkpoints');
    await writeCheckpoint(join(ck, 'last'), {
      files: { 'trainer.json': JSON.stringify({ state: { policy: { best: null, bestStep: null } } }) },
    });
    expect(await selectRunCheckpoint(ck)).toBe(join(ck, 'last'));
  });
});
