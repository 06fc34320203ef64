// Where data folders are found: the path itself, else a relative data/… path under $MMTL_DATA_DIR (the npm
// package ships no data sets), and the hint a missing folder's error gives.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { DATA_DIR_ENV, missingDataHint, resolveDataPath } from '../../src/core/index.js';

const root = mkdtempSync(join(tmpdir(), 'mmtl-data-'));
mkdirSync(join(root, 'glue', 'RTE'), { recursive: true });
afterAll(() => rmSync(root, { recursive: true, force: true }));
afterEach(() => vi.unstubAllEnvs());

describe('resolveDataPath', () => {
  it('keeps a path that exists, and every path when MMTL_DATA_DIR is unset', () => {
    vi.stubEnv(DATA_DIR_ENV, '');
    expect(resolveDataPath('test/fixtures')).toBe('test/fixtures');
    expect(resolveDataPath('data/no-such-set')).toBe('data/no-such-set');
  });

  it('looks for a missing data/… path under MMTL_DATA_DIR', () => {
    vi.stubEnv(DATA_DIR_ENV, root);
    expect(resolveDataPath('data/no-such-set/glue')).toBe('data/no-such-set/glue');
    expect(resolveDataPath('nodata/glue')).toBe('nodata/glue');
    expect(resolveDataPath(join(root, 'x', 'glue'))).toBe(join(root, 'x', 'glue'));
  });

  it('finds data/glue and data/glue/RTE there when the working directory has no such folder', () => {
    const cwd = process.cwd();
    const empty = mkdtempSync(join(tmpdir(), 'mmtl-empty-'));
    try {
      process.chdir(empty);
      vi.stubEnv(DATA_DIR_ENV, root);
      expect(resolveDataPath('data/glue')).toBe(join(root, 'glue'));
      expect(resolveDataPath(join('data', 'glue', 'RTE'))).toBe(join(root, 'glue', 'RTE'));
      expect(resolveDataPath('data/glove')).toBe('data/glove');
    } finally {
      process.chdir(cwd);
      rmSync(empty, { recursive: true, force: true });
    }
  });
});

describe('missingDataHint', () => {
  it('says where it looked and how to point to the folder', () => {
    vi.stubEnv(DATA_DIR_ENV, '');
    const hint = missingDataHint('data/glue', '--glue-dir');
    expect(hint).toContain(`'${resolve('data/glue')}' (relative to the working directory)`);
    expect(hint).toContain(`set ${DATA_DIR_ENV}`);
    expect(hint).toContain('point to it with --glue-dir');
    vi.stubEnv(DATA_DIR_ENV, '/srv/mmtl-data');
    expect(missingDataHint('data/glue', '--glue-dir')).toContain(
      `'${join('/srv/mmtl-data', 'glue')}' (${DATA_DIR_ENV})`,
    );
    expect(missingDataHint('/abs/glue', '--glue-dir')).not.toContain(DATA_DIR_ENV);
  });
});
