// A label-matrix CSV without a header: row 1 is data, never silently taken for LF names.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isMmtlError } from '../../src/core/index.js';
import { loadLabelMatrix } from '../../src/labeling/index.js';
import { cli, expectUnchanged, snapshot, tempDir } from './helpers.js';

const ROWS = ['1,0,-1', '0,0,1', '1,-1,1', '-1,1,0', '1,1,1', '0,-1,0'];

describe('headerless label-matrix CSV files', () => {
  it('are detected: every row is data and the LFs get default names', async () => {
    const dir = tempDir('hdr');
    const path = join(dir, 'L.csv');
    writeFileSync(path, `${ROWS.join('\n')}\n`);
    const before = snapshot(dir);
    const L = await loadLabelMatrix(path);
    expect(L.n).toBe(ROWS.length);
    expect(L.names).toEqual(['lf_0', 'lf_1', 'lf_2']);
    expect(Array.from(L.row(0))).toEqual([1, 0, -1]);
    expectUnchanged(before, dir);
  });

  it('a file with a header reads as before', async () => {
    const dir = tempDir('hdr');
    const path = join(dir, 'L.csv');
    writeFileSync(path, `a,b,c\n${ROWS.join('\n')}\n`);
    const L = await loadLabelMatrix(path);
    expect([L.n, L.names]).toEqual([ROWS.length, ['a', 'b', 'c']]);
  });

  it('header: true refuses an all-numeric first line; header: false reads every line as data', async () => {
    const dir = tempDir('hdr');
    const path = join(dir, 'L.csv');
    writeFileSync(path, `${ROWS.join('\n')}\n`);
    const before = snapshot(dir);
    await expect(loadLabelMatrix(path, { header: true })).rejects.toSatisfy(
      (e) => isMmtlError(e, 'E_DATA') && /line 1 is all numbers/.test((e as Error).message),
    );
    expect((await loadLabelMatrix(path, { header: false })).n).toBe(ROWS.length);
    expectUnchanged(before, dir);
  });

  it('mmtl labelmodel fit fits on all n rows of a headerless file', async () => {
    const dir = tempDir('hdr');
    const path = join(dir, 'L.csv');
    writeFileSync(path, `${ROWS.join('\n')}\n`);
    const before = snapshot(dir);
    const out = join(dir, 'out', 'lm.json');
    const { code, io } = await cli(
      'labelmodel',
      'fit',
      '--L',
      path,
      '--k',
      '2',
      '--out',
      out,
      '--epochs',
      '5',
    );
    expect(code, io.stderr).toBe(0);
    expect(JSON.parse(io.stdout)).toMatchObject({ n: ROWS.length, m: 3 });
    // the input is untouched; the only new things are the model and its folder
    const after = snapshot(dir);
    expect([...after.keys()]).toEqual([...before.keys(), 'out/', 'out/lm.json']);
    expect(Buffer.compare(after.get('L.csv')!, before.get('L.csv')!)).toBe(0);
  });
});
