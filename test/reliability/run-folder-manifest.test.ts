// A run folder's own files (config.json, vocab.json, tasks.json, results.json, lfs.json) are listed with
// their SHA-256 in its manifest and checked on every read: a damaged or edited file is E_CHECKPOINT naming
// it, through restore, resume, predict, eval and report alike, and nothing is written. Old run folders
// without a manifest still load.
import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { isMmtlError } from '../../src/core/index.js';
import { RunFolder, restoreRun } from '../../src/experiment/index.js';
import { writeRunLFs, writeRunReport } from '../../src/report/index.js';
import { RUN_MANIFEST, readRunFile, writeRunFile } from '../../src/training/index.js';
import { ownExperimentYaml, writeOwnData, type OwnData } from '../experiment/fixtures.js';
import { cli, expectUnchanged, snapshot, tempDir } from './helpers.js';

interface Manifest {
  format: string;
  version: number;
  files: Record<string, { size?: number; sha256?: string; next?: { size: number; sha256: string } }>;
}

function manifestOf(dir: string): Manifest {
  return JSON.parse(readFileSync(join(dir, RUN_MANIFEST), 'utf8')) as Manifest;
}

/** Flips one byte in the middle of a file (same size). */
function flipByte(path: string): void {
  const b = readFileSync(path);
  b[b.length >> 1] = b[b.length >> 1]! ^ 0x01;
  writeFileSync(path, b);
}

describe('writeRunFile / readRunFile', () => {
  it('records each file’s size and sha256; a changed byte is E_CHECKPOINT naming the file', async () => {
    const dir = tempDir('manifest');
    await writeRunFile(dir, 'a.json', '{"x":1}');
    await writeRunFile(dir, 'b.json', '{"y":2}');
    const m = manifestOf(dir);
    expect(m).toMatchObject({ format: 'mmtl-run', version: 1 });
    expect(Object.keys(m.files)).toEqual(['a.json', 'b.json']);
    expect(Object.keys(m.files['a.json']!)).toEqual(['size', 'sha256']);
    expect(m.files['a.json']!.size).toBe(7);
    expect(m.files['a.json']!.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect((await readRunFile(dir, 'a.json'))!.toString()).toBe('{"x":1}');
    expect(await readRunFile(dir, 'never-written.json')).toBeUndefined();

    flipByte(join(dir, 'a.json'));
    const before = snapshot(dir);
    const err = await readRunFile(dir, 'a.json').catch((e: unknown) => e);
    expect(isMmtlError(err, 'E_CHECKPOINT')).toBe(true);
    expect(String(err)).toMatch(
      /'a.json' was damaged or edited after the run wrote it \(sha256 [0-9a-f]{64}/,
    );
    expect(String(err)).toMatch(/restore 'a.json' from a copy/);
    expect((await readRunFile(dir, 'b.json'))!.toString()).toBe('{"y":2}');
    expectUnchanged(before, dir);
  });

  it('a listed file that is gone, and a damaged manifest, are E_CHECKPOINT', async () => {
    const dir = tempDir('manifest');
    await writeRunFile(dir, 'a.json', '{}');
    rmSync(join(dir, 'a.json'));
    await expect(readRunFile(dir, 'a.json')).rejects.toSatisfy(
      (e) => isMmtlError(e, 'E_CHECKPOINT') && /'a.json' is gone, though the run wrote it/.test(String(e)),
    );
    writeFileSync(join(dir, RUN_MANIFEST), '{"format": "mmtl-run", "files": ');
    const before = snapshot(dir);
    await expect(readRunFile(dir, 'a.json')).rejects.toSatisfy(
      (e) => isMmtlError(e, 'E_CHECKPOINT') && /manifest '.*\.mmtl-run\.json' is damaged/.test(String(e)),
    );
    await expect(writeRunFile(dir, 'b.json', '{}')).rejects.toSatisfy((e) => isMmtlError(e, 'E_CHECKPOINT'));
    expectUnchanged(before, dir);
  });

  it('a write cut short at any point leaves a folder that reads: the old file or the new one', async () => {
    const dir = tempDir('manifest');
    await writeRunFile(dir, 'a.json', 'old');
    const committed = manifestOf(dir).files['a.json']!;
    // the states a crash can leave: the new hash announced (file still old), then the file written
    await writeRunFile(dir, 'probe.json', 'new');
    const next = manifestOf(dir).files['probe.json']!;
    const m = manifestOf(dir);
    m.files['a.json'] = { ...committed, next: { size: next.size!, sha256: next.sha256! } };
    writeFileSync(join(dir, RUN_MANIFEST), JSON.stringify(m));
    expect((await readRunFile(dir, 'a.json'))!.toString()).toBe('old');
    writeFileSync(join(dir, 'a.json'), 'new');
    expect((await readRunFile(dir, 'a.json'))!.toString()).toBe('new');
    writeFileSync(join(dir, 'a.json'), 'neither');
    await expect(readRunFile(dir, 'a.json')).rejects.toSatisfy((e) => isMmtlError(e, 'E_CHECKPOINT'));
    // a first write cut short: the file never appeared, so the run never wrote it
    m.files['c.json'] = { next: { size: next.size!, sha256: next.sha256! } };
    writeFileSync(join(dir, RUN_MANIFEST), JSON.stringify(m));
    expect(await readRunFile(dir, 'c.json')).toBeUndefined();
  });

  it('never recreates a run folder that is gone; names outside the folder are refused', async () => {
    const root = tempDir('manifest');
    const dir = join(root, 'run');
    await expect(writeRunFile(dir, 'a.json', '{}')).rejects.toSatisfy(
      (e) =>
        isMmtlError(e, 'E_IO') && /no longer exists \(deleted or moved while training\?\)/.test(String(e)),
    );
    expect(snapshot(root).size).toBe(0);
    await expect(writeRunFile(root, '../x.json', '{}')).rejects.toSatisfy((e) => isMmtlError(e, 'E_ARG'));
    await expect(writeRunFile(root, RUN_MANIFEST, '{}')).rejects.toSatisfy((e) => isMmtlError(e, 'E_ARG'));
  });

  it('mmtl report checks lfs.json and config.json: an edited one is E_CHECKPOINT and no report is written', async () => {
    const dir = join(tempDir('manifest'), 'stage1');
    await writeRunLFs(dir, { lfSummary: [] });
    expect(Object.keys(manifestOf(dir).files)).toEqual(['lfs.json']);
    await writeRunReport(dir);
    rmSync(join(dir, 'report.html'));
    writeFileSync(join(dir, 'lfs.json'), JSON.stringify({ lfSummary: [], labelModel: { weights: [1] } }));
    const before = snapshot(dir);
    const r = await cli('report', dir);
    expect(r.code).toBe(1);
    expect(r.io.stderr).toMatch(
      /^error E_CHECKPOINT: run folder '.*stage1': 'lfs.json' was damaged or edited/,
    );
    expectUnchanged(before, dir);
  });
});

describe('a trained run folder', () => {
  let data: OwnData;
  let trained: string;
  const exp = ['stage1: { nEpochs: 1, tensorboard: false }', 'batchSize: 16'];

  beforeAll(async () => {
    const root = tempDir('run-manifest');
    data = writeOwnData(join(root, 'data'), { train: 48, valid: 16, test: 16, new: 5, unlabeled: 1 });
    writeFileSync(join(data.dir, 'exp.yaml'), ownExperimentYaml(exp));
    trained = join(root, 'run');
    const r = await cli('train', join(data.dir, 'exp.yaml'), '--run-dir', trained);
    expect(r.code, r.io.stderr).toBe(0);
  });

  /** A fresh copy of the trained run. */
  function copy(): string {
    const dir = join(tempDir('run-copy'), 'run');
    cpSync(trained, dir, { recursive: true });
    return dir;
  }

  /**
   * Every command that reads the file: each fails with E_CHECKPOINT matching `message`, changing nothing
   * (`mmtl report` reads only config.json of the top folder).
   */
  async function expectEveryReadFails(run: string, message: RegExp, report = true): Promise<void> {
    const before = snapshot(run);
    const dataBefore = snapshot(data.dir);
    const commands = [
      ['predict', run, '--task', 'topic', '--data', data.text.new],
      ['eval', run, '--data', data.text.test],
      ['train', '--resume', run],
      ...(report ? [['report', run]] : []),
    ];
    for (const argv of commands) {
      const r = await cli(...argv);
      expect(r.code, `${argv[0]}: ${r.io.stderr}`).toBe(1);
      expect(r.io.stderr, argv[0]).toMatch(/^error E_CHECKPOINT: /);
      expect(r.io.stderr, argv[0]).toMatch(message);
      expect(r.io.stdout, argv[0]).toBe('');
    }
    expectUnchanged(before, run);
    expectUnchanged(dataBefore, data.dir);
  }

  it('lists config.json, vocab.json, tasks.json and results.json in its manifest; config.json is written last', () => {
    const files = manifestOf(trained).files;
    expect(Object.keys(files)).toEqual(['vocab.json', 'tasks.json', 'config.json', 'results.json']);
    for (const entry of Object.values(files)) expect(entry.next).toBeUndefined();
    expect(new RunFolder(trained).manifest).toBe(join(trained, RUN_MANIFEST));
  });

  it('an edited config.json fails every read with E_CHECKPOINT naming it and the fix', async () => {
    const run = copy();
    const cfg = JSON.parse(readFileSync(join(run, 'config.json'), 'utf8')) as { maxLength: number };
    cfg.maxLength = 8;
    writeFileSync(join(run, 'config.json'), JSON.stringify(cfg, null, 2));
    await expectEveryReadFails(
      run,
      /'config.json' was damaged or edited after the run wrote it.*start a new run \(mmtl train <experiment> --set key=value\)/,
    );
  });

  it('a damaged vocab.json or an edited tasks.json is E_CHECKPOINT too; the library says the same', async () => {
    let run = copy();
    flipByte(join(run, 'vocab.json'));
    const before = snapshot(run);
    const r = await cli('predict', run, '--task', 'topic', '--data', data.text.new);
    expect(r.code).toBe(1);
    expect(r.io.stderr).toMatch(/E_CHECKPOINT: run folder '.*': 'vocab.json' was damaged or edited/);
    await expect(restoreRun(run)).rejects.toSatisfy(
      (e) => isMmtlError(e, 'E_CHECKPOINT') && /'vocab.json'/.test(String(e)),
    );
    expectUnchanged(before, run);

    run = copy();
    const tasks = JSON.parse(readFileSync(join(run, 'tasks.json'), 'utf8')) as Record<
      string,
      { classes?: string[] }
    >;
    tasks.topic!.classes = ['finance', 'sports', 'weather'];
    writeFileSync(join(run, 'tasks.json'), JSON.stringify(tasks, null, 2));
    await expectEveryReadFails(run, /'tasks.json' was damaged or edited/, false);
  });

  it('a file the run wrote that is gone, or a damaged manifest, is E_CHECKPOINT', async () => {
    let run = copy();
    rmSync(join(run, 'vocab.json'));
    await expectEveryReadFails(run, /'vocab.json' is gone, though the run wrote it/, false);
    run = copy();
    writeFileSync(join(run, RUN_MANIFEST), 'not json');
    await expectEveryReadFails(run, /the run folder's manifest '.*' is damaged/);
  });

  it('a run folder written before manifests (none) still loads, unchecked', async () => {
    const run = copy();
    rmSync(join(run, RUN_MANIFEST));
    const r = await cli('predict', run, '--task', 'topic', '--data', data.text.new);
    expect(r.code, r.io.stderr).toBe(0);
    expect(r.io.stdout.trimEnd().split('\n')).toHaveLength(5);
    const restored = await restoreRun(run);
    restored.model.dispose();
  });
});
