import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');

/** Loads the engine in a fresh Node process (the thread count and wait policy are fixed at load). */
function engineAtLoad(env: Record<string, string>): { out: string; err: string } {
  const base = { ...process.env };
  delete base.MMTL_THREADS;
  delete base.OMP_WAIT_POLICY;
  const code = [
    "import { getNumThreads } from './src/tensor/index.ts';",
    "try { console.log(getNumThreads(), process.env.OMP_WAIT_POLICY ?? 'unset'); }",
    'catch (e) { console.log(e.code, e.message); }',
  ].join('\n');
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], {
    cwd: root,
    env: { ...base, ...env },
    encoding: 'utf8',
  });
  return { out: r.stdout.trim(), err: r.stderr };
}

describe('engine threads at load', () => {
  it('start at one thread with passive OpenMP waits, or at MMTL_THREADS with OpenMP’s own policy', () => {
    expect(engineAtLoad({}).out).toBe('1 PASSIVE');
    expect(engineAtLoad({ MMTL_THREADS: '2' }).out).toBe('2 unset');
    expect(engineAtLoad({ MMTL_THREADS: '2', OMP_WAIT_POLICY: 'ACTIVE' }).out).toBe('2 ACTIVE');
    expect(engineAtLoad({ MMTL_THREADS: 'many' }).out).toMatch(
      /^E_ARG environment variable MMTL_THREADS must be a positive integer, got 'many'/,
    );
  });
});
