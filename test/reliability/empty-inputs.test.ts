// Empty inputs are coded errors that write nothing: a report of a folder without a run, LFs applied to an
// empty file.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, expectUnchanged, snapshot, tempDir } from './helpers.js';

const LFS = join(import.meta.dirname, 'fixtures', 'link-lfs.mjs');

describe('mmtl report on a folder that holds no run', () => {
  it('fails with E_DATA (exit 3) and writes no report', async () => {
    const dir = tempDir('report');
    writeFileSync(join(dir, 'notes.txt'), 'not a run');
    const before = snapshot(dir);
    const { code, io } = await cli('report', dir);
    expect(code).toBe(3);
    expect(io.stdout).toBe('');
    expect(io.stderr).toMatch(/^error E_DATA: .*holds no run.*nothing was written/);
    expectUnchanged(before, dir);
  });

  it('names the sub-folders that hold runs', async () => {
    const dir = tempDir('report');
    mkdirSync(join(dir, 'stage1'));
    writeFileSync(join(dir, 'stage1', 'metrics.jsonl'), '');
    const before = snapshot(dir);
    const { code, io } = await cli('report', dir);
    expect(code).toBe(3);
    expect(io.stderr).toContain(`'${join(dir, 'stage1')}' hold runs`);
    expectUnchanged(before, dir);
    // the sub-folder itself reports
    expect((await cli('report', join(dir, 'stage1'))).code).toBe(0);
  });
});

describe('mmtl label apply on an empty file', () => {
  for (const [name, text] of [
    ['empty.jsonl', ''],
    ['header-only.csv', 'text\n'],
  ] as const) {
    it(`${name}: E_DATA (exit 3), and an earlier --out is left as it was`, async () => {
      const dir = tempDir('apply');
      writeFileSync(join(dir, name), text);
      writeFileSync(join(dir, 'good.jsonl'), '{"text":"see http://x"}\n{"text":"hi"}\n');
      const out = join(dir, 'L.npy');
      // an earlier, good label matrix at --out
      const first = await cli(
        'label',
        'apply',
        '--lfs',
        LFS,
        '--data',
        join(dir, 'good.jsonl'),
        '--out',
        out,
      );
      expect(first.code, first.io.stderr).toBe(0);
      const before = snapshot(dir);
      const { code, io } = await cli('label', 'apply', '--lfs', LFS, '--data', join(dir, name), '--out', out);
      expect(code).toBe(3);
      expect(io.stderr).toMatch(/error E_DATA: mmtl label apply: '.*' holds no rows; nothing was written/);
      expectUnchanged(before, dir);
    });
  }
});
