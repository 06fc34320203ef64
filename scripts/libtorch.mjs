// Finds libtorch the way tch-rs does: $LIBTORCH (an unpacked pytorch.org zip), else the system package
// (Debian/Ubuntu libtorch-dev), else an installed PyTorch when LIBTORCH_USE_PYTORCH=1.
// Used by scripts/setup.mjs and by binding.gyp (`node scripts/libtorch.mjs include|libdir|rpath`).
import { existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

/** @returns {{source: string, includes: string[], libdir: string|null} | null} */
export function findLibtorch(env = process.env) {
  if (env.LIBTORCH) {
    const root = env.LIBTORCH;
    if (!existsSync(join(root, 'include', 'torch'))) {
      throw new Error(
        `LIBTORCH=${root} does not contain include/torch; point it at an unpacked libtorch folder`,
      );
    }
    return {
      source: `LIBTORCH=${root}`,
      includes: [join(root, 'include'), join(root, 'include', 'torch', 'csrc', 'api', 'include')],
      libdir: join(root, 'lib'),
    };
  }
  if (existsSync('/usr/include/torch/csrc/api/include/torch/torch.h')) {
    return {
      source: 'system package libtorch-dev',
      includes: ['/usr/include', '/usr/include/torch/csrc/api/include'],
      libdir: null,
    };
  }
  if (env.LIBTORCH_USE_PYTORCH === '1') {
    try {
      const root = execFileSync(
        'python3',
        ['-c', 'import torch, os; print(os.path.dirname(torch.__file__))'],
        {
          encoding: 'utf8',
        },
      ).trim();
      return {
        source: `PyTorch at ${root}`,
        includes: [join(root, 'include'), join(root, 'include', 'torch', 'csrc', 'api', 'include')],
        libdir: join(root, 'lib'),
      };
    } catch {
      return null;
    }
  }
  return null;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const what = process.argv[2];
  const found = findLibtorch();
  if (!found) process.exit(1);
  if (what === 'include') console.log(found.includes.join(' '));
  else if (what === 'libdir') console.log(found.libdir ? `-L${found.libdir}` : '');
  else if (what === 'rpath') console.log(found.libdir ? `-Wl,-rpath,${found.libdir}` : '');
  else console.log(JSON.stringify(found));
}
