// Builds the native binding (build/Release/mmtl_native.node) with node-gyp against the libtorch that
// scripts/libtorch.mjs finds. Shared by scripts/setup.mjs (a clone) and scripts/install.mjs (an installed
// package). Skips the build when the addon is newer than its sources and was built against the same libtorch.
import { createRequire } from 'node:module';
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';

/** The built addon, relative to the package root. */
export const ADDON = join('build', 'Release', 'mmtl_native.node');

function newestMtime(paths) {
  let newest = 0;
  for (const p of paths) {
    if (!existsSync(p)) continue;
    const st = statSync(p);
    if (st.isDirectory()) newest = Math.max(newest, newestMtime(readdirSync(p).map((f) => join(p, f))));
    else newest = Math.max(newest, st.mtimeMs);
  }
  return newest;
}

/** True when the addon exists, is newer than native/, binding.gyp and libtorch.mjs, and used `found`. */
export function nativeUpToDate(root, found) {
  const addon = join(root, ADDON);
  const sources = [join(root, 'native'), join(root, 'binding.gyp'), join(root, 'scripts', 'libtorch.mjs')];
  const stampFile = join(root, 'build', 'libtorch-source.txt');
  const sameSource = existsSync(stampFile) && readFileSync(stampFile, 'utf8') === found.source;
  return existsSync(addon) && sameSource && statSync(addon).mtimeMs >= newestMtime(sources);
}

/** The folder holding include/node/node_api.h for this Node (so node-gyp needs no download), or null. */
export function nodeDir() {
  const prefix = dirname(dirname(process.execPath));
  return existsSync(join(prefix, 'include', 'node', 'node_api.h')) ? prefix : null;
}

/**
 * How to run node-gyp: npm's own copy during npm lifecycle scripts (`npm_config_node_gyp`), else the one in
 * node_modules (a clone's devDependency), else `node-gyp` on PATH. Returns [command, args] or null.
 */
export function nodeGypCommand(root) {
  const fromNpm = process.env.npm_config_node_gyp;
  if (fromNpm && existsSync(fromNpm)) return [process.execPath, [fromNpm]];
  try {
    const local = createRequire(join(root, 'package.json')).resolve('node-gyp/bin/node-gyp.js');
    return [process.execPath, [local]];
  } catch {
    // not installed next to the package
  }
  const onPath = spawnSync('sh', ['-c', 'command -v node-gyp'], { encoding: 'utf8' });
  return onPath.status === 0 ? [onPath.stdout.trim(), []] : null;
}

/**
 * Runs `node-gyp rebuild` in `root` against `found` (a findLibtorch() result) and writes the libtorch stamp.
 * Returns { ok: true } or { ok: false, reason }. Output goes to this process's stdout/stderr.
 */
export function buildNative(root, found) {
  const gyp = nodeGypCommand(root);
  if (!gyp)
    return { ok: false, reason: 'node-gyp was not found (npm ships it; or: npm install -g node-gyp)' };
  const nd = nodeDir();
  const jobs = String(Math.max(1, Math.min(4, globalThis.navigator?.hardwareConcurrency ?? 2)));
  const [cmd, pre] = gyp;
  const r = spawnSync(cmd, [...pre, 'rebuild', `--jobs=${jobs}`, ...(nd ? [`--nodedir=${nd}`] : [])], {
    stdio: 'inherit',
    cwd: root,
  });
  if (r.status !== 0) return { ok: false, reason: `node-gyp rebuild failed (exit status ${r.status})` };
  writeFileSync(join(root, 'build', 'libtorch-source.txt'), found.source);
  return { ok: true };
}
