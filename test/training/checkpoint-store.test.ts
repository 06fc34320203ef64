import { mkdir, mkdtemp, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isMmtlError } from '../../src/core/index.js';
import {
  checkpointExists,
  listCheckpoints,
  readCheckpoint,
  recoverCheckpoint,
  removeCheckpoint,
  writeCheckpoint,
} from '../../src/training/index.js';

let root: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'mmtl-ckpt-'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

async function texts(dir: string): Promise<Record<string, string>> {
  const ck = await readCheckpoint(dir);
  const out: Record<string, string> = {};
  for (const [name, f] of Object.entries(ck.files)) out[name] = await f.text();
  return out;
}

async function codeOf(p: Promise<unknown>): Promise<string | undefined> {
  try {
    await p;
  } catch (e) {
    return isMmtlError(e) ? e.code : 'not-mmtl';
  }
  return undefined;
}

describe('writeCheckpoint / readCheckpoint', () => {
  it('writes files (bytes, text, streamed chunks, nested names) with metadata, read back lazily', async () => {
    const dir = join(root, 'checkpoints', 'best');
    await writeCheckpoint(
      dir,
      {
        files: {
          'trainer.json': JSON.stringify({ step: 120 }),
          'model.bin': new Uint8Array([1, 2, 3, 4]),
          'state/optimizer.bin': [new Uint8Array([9]), new Uint8Array([8, 7])],
          'state/rng.json': (async function* () {
            await Promise.resolve();
            yield new TextEncoder().encode('{"a":');
            yield new TextEncoder().encode('1}');
          })(),
        },
        meta: { step: 120, value: 0.71 },
      },
      { fsync: false },
    );
    const ck = await readCheckpoint(dir);
    expect(ck.meta).toEqual({ step: 120, value: 0.71 });
    expect(Object.keys(ck.files).sort()).toEqual([
      'model.bin',
      'state/optimizer.bin',
      'state/rng.json',
      'trainer.json',
    ]);
    expect(ck.files['model.bin']!.size).toBe(4);
    expect([...(await ck.files['model.bin']!.bytes())]).toEqual([1, 2, 3, 4]);
    expect([...(await ck.files['state/optimizer.bin']!.bytes())]).toEqual([9, 8, 7]);
    expect(JSON.parse(await ck.files['state/rng.json']!.text())).toEqual({ a: 1 });
    expect(await readdir(join(root, 'checkpoints'))).toEqual(['best']); // no leftovers
  });

  it('replaces the previous checkpoint as a whole', async () => {
    const dir = join(root, 'last');
    await writeCheckpoint(dir, { files: { 'a.txt': 'old', 'only-old.txt': 'x' } });
    await writeCheckpoint(dir, { files: { 'a.txt': 'new' }, meta: { step: 2 } });
    expect(await texts(dir)).toEqual({ 'a.txt': 'new' });
    expect(await readdir(join(dir))).toEqual(['.mmtl-checkpoint.json', 'a.txt']);
    expect(await readdir(root)).toEqual(['last']);
  });

  it('keeps the previous checkpoint when a file fails midway', async () => {
    const dir = join(root, 'best');
    await writeCheckpoint(dir, {
      files: { 'model.bin': 'v1 weights', 'trainer.json': '{"step":1}' },
      meta: { step: 1 },
    });
    async function* failing(): AsyncGenerator<Uint8Array> {
      await Promise.resolve();
      yield new Uint8Array(1000);
      throw new Error('disk full (simulated)');
    }
    const err = await writeCheckpoint(dir, {
      files: { 'trainer.json': '{"step":2}', 'model.bin': failing() },
      meta: { step: 2 },
    }).catch((e: unknown) => e);
    expect(isMmtlError(err, 'E_IO')).toBe(true);
    expect((err as Error).message).toMatch(/disk full \(simulated\)/);
    expect(await texts(dir)).toEqual({ 'model.bin': 'v1 weights', 'trainer.json': '{"step":1}' });
    expect((await readCheckpoint(dir)).meta).toEqual({ step: 1 });
    expect(await readdir(root)).toEqual(['best']); // the temporary folder is gone
  });

  it('rejects unsafe file names', async () => {
    for (const name of ['../x', '/abs', 'a//b', './a', '', '.mmtl-checkpoint.json', 'a\\b']) {
      expect(await codeOf(writeCheckpoint(join(root, 'c'), { files: { [name]: 'x' } }))).toBe('E_ARG');
    }
    expect(await readdir(root)).toEqual([]);
  });

  it('reports missing and damaged checkpoints with E_CHECKPOINT', async () => {
    expect(await codeOf(readCheckpoint(join(root, 'nothing')))).toBe('E_CHECKPOINT');
    const dir = join(root, 'c');
    await writeCheckpoint(dir, { files: { 'a.bin': 'abc' } });
    await writeFile(join(dir, 'a.bin'), 'ab');
    await expect(readCheckpoint(dir)).rejects.toThrow(/'a.bin' should have 3 bytes, found 2/);
  });
});

describe('crash recovery', () => {
  it('rolls back to the previous checkpoint when the crash hit between the two renames', async () => {
    const dir = join(root, 'best');
    await writeCheckpoint(dir, { files: { 'a.txt': 'previous' }, meta: { step: 1 } });
    // the state after step 2 of the protocol: dir moved aside, new one complete in .tmp-
    await rename(dir, join(root, '.best.old-0123456789ab'));
    await mkdir(join(root, '.best.tmp-ba9876543210'));
    await writeFile(join(root, '.best.tmp-ba9876543210', 'a.txt'), 'half');
    expect(await checkpointExists(dir)).toBe(true); // recovers first
    expect(await recoverCheckpoint(dir)).toBe('clean');
    await rename(dir, join(root, '.best.old-0123456789ac'));
    expect(await recoverCheckpoint(dir)).toBe('rolled-back');
    await mkdir(join(root, '.best.old-0123456789ad')); // stale, next to a complete checkpoint
    expect(await recoverCheckpoint(dir)).toBe('cleaned-up');
    expect(await texts(dir)).toEqual({ 'a.txt': 'previous' });
    expect(await readdir(root)).toEqual(['best']);
  });

  it('readCheckpoint and listCheckpoints recover on their own', async () => {
    await writeCheckpoint(join(root, 'best'), { files: { 'a.txt': 'b' }, meta: { step: 3 } });
    await writeCheckpoint(join(root, 'last'), { files: { 'a.txt': 'l' }, meta: { step: 5 } });
    await rename(join(root, 'best'), join(root, '.best.old-aaaaaaaaaaaa'));
    // a stale .old- next to a complete new checkpoint (crash between steps 3 and 4)
    await mkdir(join(root, '.last.old-bbbbbbbbbbbb'));
    // a first write that crashed while writing files, and a folder that is not a checkpoint
    await mkdir(join(root, '.new.tmp-cccccccccccc'));
    await mkdir(join(root, 'logs'));
    const list = await listCheckpoints(root);
    expect(list.map((c) => [c.name, c.meta])).toEqual([
      ['best', { step: 3 }],
      ['last', { step: 5 }],
    ]);
    expect((await readdir(root)).sort()).toEqual(['best', 'last', 'logs']);
    await rename(join(root, 'best'), join(root, '.best.old-dddddddddddd'));
    expect(await texts(join(root, 'best'))).toEqual({ 'a.txt': 'b' });
  });

  it('a missing run folder lists nothing; removeCheckpoint deletes folder and leftovers', async () => {
    expect(await listCheckpoints(join(root, 'none'))).toEqual([]);
    expect(await checkpointExists(join(root, 'none', 'x'))).toBe(false);
    await writeCheckpoint(join(root, 'x'), { files: { f: '1' } });
    await mkdir(join(root, '.x.tmp-eeeeeeeeeeee'));
    await removeCheckpoint(join(root, 'x'));
    expect(await readdir(root)).toEqual([]);
    expect(await recoverCheckpoint(join(root, 'x'))).toBe('clean');
  });
});
