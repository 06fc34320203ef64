// One idempotent set-up step for `npm test`, `npm run demo` and `npm run bench`:
//   1. libtorch present? ($LIBTORCH, else the system package, else an installed PyTorch); on Debian/Ubuntu
//      install libtorch-dev with apt-get when missing and we are root or have sudo; otherwise stop with
//      one message naming the exact command.
//   2. `npm ci` when node_modules does not match package-lock.json.
//   3. the native binding (node-gyp) when any of its sources is newer than the built addon.
// Fast when everything is already done. `--native-only` skips step 2; `--check` only reports.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findLibtorch } from './libtorch.mjs';
import { buildNative, nativeUpToDate } from './native-build.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = new Set(process.argv.slice(2));
const log = (msg) => process.stderr.write(`[mmtl setup] ${msg}\n`);

function run(cmd, argv, opts = {}) {
  const r = spawnSync(cmd, argv, { stdio: 'inherit', cwd: root, ...opts });
  if (r.status !== 0) {
    log(`command failed: ${cmd} ${argv.join(' ')}`);
    process.exit(r.status ?? 1);
  }
}

function isDebianLike() {
  try {
    const osr = readFileSync('/etc/os-release', 'utf8');
    return /^(ID|ID_LIKE)=.*(debian|ubuntu)/m.test(osr);
  } catch {
    return false;
  }
}

function hasCommand(cmd) {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
}

function aptInstall(packages) {
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const sudo =
    !isRoot && hasCommand('sudo') && spawnSync('sudo', ['-n', 'true'], { stdio: 'ignore' }).status === 0;
  if (!isDebianLike() || !(isRoot || sudo)) return false;
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const cmd = sudo ? 'sudo' : 'apt-get';
  const pre = sudo ? ['-n', 'apt-get'] : [];
  run(cmd, [...pre, 'update', '-q'], { env });
  run(cmd, [...pre, 'install', '-y', '-q', ...packages], { env });
  return true;
}

function debInstalled(pkg) {
  const r = spawnSync('dpkg-query', ['-W', '-f=${Status}', pkg], { encoding: 'utf8' });
  return r.status === 0 && r.stdout.includes('install ok installed');
}

// Debian's libtorch calls whatever libblas.so.3 is selected, and the default is the slow reference BLAS
// (matrix products 10–20× slower). OpenBLAS built for OpenMP follows libtorch's thread setting.
const OPENBLAS = 'libopenblas0-openmp';

function ensureFastBlas(found) {
  if (!found.source.startsWith('system package') || !isDebianLike()) return;
  if (['libopenblas0-openmp', 'libopenblas0-pthread', 'libblis4-openmp', 'libmkl-rt'].some(debInstalled))
    return;
  log(`the system BLAS is the slow reference one; installing ${OPENBLAS} (one time)`);
  if (!aptInstall([OPENBLAS])) {
    log(`warning: training stays 10–20× slower until you run: sudo apt-get install -y ${OPENBLAS}`);
  }
}

function ensureLibtorch() {
  let found = findLibtorch();
  if (found) return found;
  const installCmd = `apt-get update && apt-get install -y libtorch-dev ${OPENBLAS}`;
  if (isDebianLike())
    log('libtorch not found; installing the Debian package libtorch-dev (one time, a few minutes)');
  if (aptInstall(['libtorch-dev', OPENBLAS])) {
    found = findLibtorch();
    if (found) return found;
  }
  log(
    'libtorch was not found. Install it with `sudo ' +
      installCmd +
      '` (Debian/Ubuntu), or set LIBTORCH=/path/to/libtorch (an unpacked pytorch.org libtorch), ' +
      'or set LIBTORCH_USE_PYTORCH=1 to use an installed PyTorch.',
  );
  process.exit(1);
}

function lockHash() {
  return createHash('sha256')
    .update(readFileSync(join(root, 'package-lock.json')))
    .digest('hex');
}

function ensureNodeModules() {
  const stamp = join(root, 'node_modules', '.mmtl-lock-hash');
  const want = lockHash();
  if (existsSync(stamp) && readFileSync(stamp, 'utf8') === want) return;
  log('node_modules is missing or stale; running npm ci');
  run('npm', ['ci', '--no-audit', '--no-fund']);
  writeFileSync(stamp, want);
}

function ensureNative(found) {
  if (nativeUpToDate(root, found)) return;
  log(`building the native binding against ${found.source}`);
  const r = buildNative(root, found);
  if (!r.ok) {
    log(r.reason);
    process.exit(1);
  }
}

const found = ensureLibtorch();
ensureFastBlas(found);
if (!args.has('--native-only')) ensureNodeModules();
ensureNative(found);
