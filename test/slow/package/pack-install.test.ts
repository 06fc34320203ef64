// The package as a user gets it: `npm pack` (which builds dist/ through prepack), then `npm install` of the
// tarball into a fresh ES-module project, where plain Node and tsx import 'mmtl', fit a label model, run LF
// modules through the installed `mmtl` command and print its help. Needs the npm registry (or a warm npm cache)
// for the dependencies. The install skips the native build (MMTL_SKIP_NATIVE=1) to stay fast, which also shows
// the label-model half working without the engine; MMTL_TEST_NATIVE_INSTALL=1 adds an install that builds it
// (a few minutes).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../src/cli/index.js';
import { captureIo } from '../../helpers/cli-io.js';

const repo = fileURLToPath(new URL('../../..', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'mmtl-pack-'));
const project = join(work, 'project');

/** This process's environment without what `npm test` sets for its own package. */
function childEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (/^npm_(package_|lifecycle_|command$|config_local_prefix$)|^INIT_CWD$/.test(k)) continue;
    env[k] = v;
  }
  return { ...env, ...extra };
}

/** Runs a command and returns its stdout; a failure shows stdout and stderr. */
function run(cmd: string, args: string[], cwd: string, extra: Record<string, string> = {}): string {
  try {
    return execFileSync(cmd, args, { cwd, env: childEnv(extra), encoding: 'utf8', stdio: 'pipe' });
  } catch (e) {
    const { stdout, stderr } = e as { stdout?: string; stderr?: string };
    throw new Error(`${cmd} ${args.join(' ')} failed in ${cwd}:\n${stdout ?? ''}\n${stderr ?? ''}`, {
      cause: e,
    });
  }
}

interface PackResult {
  filename: string;
  size: number;
  entryCount: number;
  files: { path: string }[];
}

let pack: PackResult;

/** A fresh ES-module project with the tarball installed (no native build). */
function installProject(dir: string, extra: Record<string, string>): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify({ name: 'user-project', private: true, type: 'module' }),
  );
  run(
    'npm',
    [
      'install',
      join(work, pack.filename),
      '--prefer-offline',
      '--no-audit',
      '--no-fund',
      '--foreground-scripts',
    ],
    dir,
    extra,
  );
}

beforeAll(() => {
  pack = (JSON.parse(run('npm', ['pack', '--json', '--pack-destination', work], repo)) as PackResult[])[0]!;
  installProject(project, { MMTL_SKIP_NATIVE: '1' });
}, 600_000);

afterAll(() => rmSync(work, { recursive: true, force: true }), 120_000);

// 300 points, 3 LFs that vote the true label 85% of the time they vote (70%); written for .mjs and .ts.
const FIT_SCRIPT = `
import { LabelMatrix, LabelModel, isMmtlError, tensor } from 'mmtl';
const n = 300, m = 3;
const data = new Int8Array(n * m);
const gold = [];
let s = 7;
const rand = () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
for (let i = 0; i < n; i++) {
  const y = rand() < 0.5 ? 0 : 1;
  gold.push(y);
  for (let j = 0; j < m; j++) data[i * m + j] = rand() < 0.7 ? (rand() < 0.85 ? y : 1 - y) : -1;
}
const lm = new LabelModel(2);
lm.fit(new LabelMatrix({ n, m, data, names: ['a', 'b', 'c'] }), { seed: 1 });
const { accuracy } = lm.score(new LabelMatrix({ n, m, data, names: ['a', 'b', 'c'] }), gold, ['accuracy']);
let engine = 'loaded';
try {
  tensor([1, 2, 3]);
} catch (e) {
  engine = isMmtlError(e) ? e.code + ': ' + e.message : String(e);
}
process.stdout.write(JSON.stringify({ accuracy, engine }));
`;

const LF_MODULE = `
import { keywordLF, type LabelingFunction } from 'mmtl';
const spam: LabelingFunction<unknown> = keywordLF({ name: 'kw_free', keywords: ['free'], label: 1 });
export const lfs = [spam, keywordLF({ name: 'kw_hi', keywords: ['hi'], label: 0 })];
export const cardinality = 2;
`;

describe('the packed package', () => {
  it('holds compiled code with types, the native sources and no data sets', () => {
    const paths = pack.files.map((f) => f.path);
    for (const p of [
      'dist/src/index.js',
      'dist/src/index.d.ts',
      'dist/src/cli/main.js',
      'dist/src/cli/help-manifest.json',
      'bin/mmtl.js',
      'binding.gyp',
      'native/src/binding.cc',
      'scripts/install.mjs',
      'scripts/libtorch.mjs',
    ]) {
      expect(paths, p).toContain(p);
    }
    expect(paths.filter((p) => /^(data|src|test|bench|build)\//.test(p) || p.endsWith('.map'))).toEqual([]);
  });

  it('imports under plain node and tsx, fits a label model without the engine, and names the fix for engine calls', () => {
    writeFileSync(join(project, 'fit.mjs'), FIT_SCRIPT);
    writeFileSync(
      join(project, 'fit.ts'),
      FIT_SCRIPT.replace('const gold = [];', 'const gold: number[] = [];'),
    );
    for (const args of [['fit.mjs'], ['--import', 'tsx', 'fit.ts']]) {
      const out = JSON.parse(run(process.execPath, args, project)) as { accuracy: number; engine: string };
      expect(out.accuracy, args.join(' ')).toBeGreaterThan(0.8);
      expect(out.engine).toMatch(/^E_ENGINE: the native engine \(libtorch\) is not built/);
      expect(out.engine).toContain('npm rebuild mmtl');
      expect(out.engine).toContain('libtorch-dev');
    }
    expect(existsSync(join(project, 'node_modules', 'mmtl', 'build', 'Release', 'mmtl_native.node'))).toBe(
      false,
    );
  });

  it('runs TypeScript LF modules that import mmtl through the installed command, in ESM and CommonJS scopes', () => {
    const data = ['free stuff', 'hi there', 'nothing'].map((text) => JSON.stringify({ text })).join('\n');
    const cjs = join(project, 'cjs');
    mkdirSync(cjs);
    writeFileSync(join(cjs, 'package.json'), JSON.stringify({ type: 'commonjs' }));
    const bin = join(project, 'node_modules', '.bin', 'mmtl');
    for (const dir of [project, cjs]) {
      writeFileSync(join(dir, 'lfs.ts'), LF_MODULE);
      writeFileSync(join(dir, 'data.jsonl'), data);
      for (const workers of ['1', '2']) {
        const out = join(dir, `L${workers}.json`);
        run(
          bin,
          ['label', 'apply', '--lfs', 'lfs.ts', '--data', 'data.jsonl', '--out', out, '--workers', workers],
          dir,
        );
        expect(JSON.parse(readFileSync(out, 'utf8')), `${dir} workers=${workers}`).toMatchObject({
          names: ['kw_free', 'kw_hi'],
          rows: [
            [1, -1],
            [-1, 0],
            [-1, -1],
          ],
        });
      }
    }
  });

  it('prints the same --help as the CLI built from src', async () => {
    const io = captureIo();
    expect(await runCli(['--help'], io)).toBe(0);
    expect(run(join(project, 'node_modules', '.bin', 'mmtl'), ['--help'], project)).toBe(io.stdout);
    expect(run(join(project, 'node_modules', '.bin', 'mmtl'), ['label', '--help'], project)).toMatch(
      /^Usage: mmtl label [\s\S]*apply \[options\]/,
    );
  });

  it.runIf(process.env.MMTL_TEST_NATIVE_INSTALL === '1')(
    'builds the native engine at install when libtorch is found',
    () => {
      const dir = join(work, 'native');
      installProject(dir, {});
      const script = `import { tensor } from 'mmtl'; process.stdout.write(String(tensor([1, 2, 3]).sum().item()));`;
      writeFileSync(join(dir, 'sum.mjs'), script);
      expect(run(process.execPath, ['sum.mjs'], dir)).toBe('6');
    },
    900_000,
  );
});
