// Byte snapshots of folders, so every reliability test can check that no input or earlier output changed.
import { lstatSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { expect } from 'vitest';
import { runCli } from '../../src/cli/index.js';
import { captureIo, type CapturedIo } from '../helpers/cli-io.js';

/** Every file under `root` (recursively) with its bytes, keyed by relative path; folders end in '/'. */
export function snapshot(root: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      const st = lstatSync(path);
      if (st.isDirectory()) {
        out.set(`${relative(root, path)}/`, Buffer.alloc(0));
        walk(path);
      } else out.set(relative(root, path), st.isSymbolicLink() ? Buffer.from('->link') : readFileSync(path));
    }
  };
  walk(root);
  return out;
}

/** Asserts that `root` holds exactly the files of `before`, byte for byte. */
export function expectUnchanged(before: Map<string, Buffer>, root: string): void {
  const after = snapshot(root);
  expect([...after.keys()]).toEqual([...before.keys()]);
  for (const [path, bytes] of before) expect(Buffer.compare(after.get(path)!, bytes), path).toBe(0);
}

/** A fresh temporary folder. */
export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `mmtl-rel-${prefix}-`));
}

/** Runs the CLI in this process and returns its exit status with what it printed. */
export async function cli(...argv: string[]): Promise<{ code: number; io: CapturedIo }> {
  const io = captureIo();
  const code = await runCli(argv, io);
  return { code, io };
}
