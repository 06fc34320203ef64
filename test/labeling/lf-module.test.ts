// loadLFModule on modules outside this repository: the hint when `import … from 'mmtl'` cannot resolve there.
// (Installed-package loading of .ts/.mts/.cts LF modules through tsx: test/slow/package/pack-install.test.ts.)
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { MmtlError } from '../../src/core/index.js';
import { loadLFModule } from '../../src/labeling/index.js';

const dir = mkdtempSync(join(tmpdir(), 'mmtl-lfmod-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('loadLFModule', () => {
  it("says to install mmtl in the module's project when its import of 'mmtl' does not resolve", async () => {
    const path = join(dir, 'lfs.mjs');
    writeFileSync(
      path,
      "import { keywordLF } from 'mmtl';\nexport const lfs = [keywordLF({ name: 'a', keywords: ['a'], label: 1 })];\n",
    );
    const e = (await loadLFModule(path).then(undefined, (x: unknown) => x)) as MmtlError;
    expect(e.code).toBe('E_LF');
    expect(e.message).toContain(`could not import LF module '${path}'`);
    expect(e.message).toContain(`which does not resolve from ${dir}: install mmtl in that project`);
    expect(e.message).not.toContain('tsx');
  });
});
