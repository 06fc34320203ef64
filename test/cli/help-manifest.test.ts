import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/index.js';
import { HELP_MANIFEST_FILE, quickAnswer } from '../../src/cli/help-manifest.js';
import { captureIo } from '../helpers/cli-io.js';

const dir = mkdtempSync(join(tmpdir(), 'mmtl-help-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The full CLI's stdout for `argv`, as scripts/build.mjs stores it. */
async function fullCli(argv: string[]): Promise<string> {
  const io = captureIo();
  expect(await runCli(argv, io)).toBe(0);
  return io.stdout;
}

describe('quickAnswer', () => {
  it('answers --help, -h, --version and -V from the manifest with the full CLI output', async () => {
    const path = join(dir, HELP_MANIFEST_FILE);
    const manifest = { help: await fullCli(['--help']), version: await fullCli(['--version']) };
    writeFileSync(path, JSON.stringify(manifest));
    expect(manifest.help).toMatch(/^Usage: mmtl /);
    expect(manifest.help).toContain('labelmodel');
    expect(manifest.version).toMatch(/^\d+\.\d+\.\d+\n$/);
    expect(quickAnswer(['--help'], path)).toBe(manifest.help);
    expect(quickAnswer(['-h'], path)).toBe(manifest.help);
    expect(quickAnswer(['--version'], path)).toBe(manifest.version);
    expect(quickAnswer(['-V'], path)).toBe(manifest.version);
  });

  it('leaves every other argv to the full CLI', () => {
    const path = join(dir, 'm.json');
    writeFileSync(path, JSON.stringify({ help: 'H\n', version: '1.0.0\n' }));
    for (const argv of [[], ['label', '--help'], ['--help', 'label'], ['train', 'x.yaml'], ['help']]) {
      expect(quickAnswer(argv, path)).toBeUndefined();
    }
  });

  it('falls back to the full CLI without a usable manifest', () => {
    expect(quickAnswer(['--help'], join(dir, 'missing.json'))).toBeUndefined();
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{ not json');
    expect(quickAnswer(['--help'], bad)).toBeUndefined();
    const empty = join(dir, 'empty.json');
    writeFileSync(empty, JSON.stringify({ version: '1.0.0\n' }));
    expect(quickAnswer(['--help'], empty)).toBeUndefined();
  });
});
