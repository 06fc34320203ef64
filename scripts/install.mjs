// npm's install step for mmtl: builds the native engine (libtorch binding) when libtorch is found, and
// otherwise succeeds with one line saying how to enable it. The weak-supervision half (labeling functions,
// label model) is pure TypeScript and works either way; engine calls without the binding fail with E_ENGINE.
//   MMTL_SKIP_NATIVE=1   skip the build (e.g. CI jobs that only need the label model)
//   LIBTORCH=/path       an unpacked pytorch.org libtorch; else Debian/Ubuntu libtorch-dev; else
//                        LIBTORCH_USE_PYTORCH=1 for an installed PyTorch (see scripts/libtorch.mjs)
// Never runs apt-get: a clone's `node scripts/setup.mjs` does that, an installed package only finds libtorch.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findLibtorch } from './libtorch.mjs';
import { buildNative, nativeUpToDate } from './native-build.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const say = (msg) => process.stderr.write(`mmtl: ${msg}\n`);
const ENABLE =
  'install libtorch (sudo apt-get install -y libtorch-dev libopenblas0-openmp, or set LIBTORCH=/path/to/libtorch) ' +
  'and run `npm rebuild mmtl`';

function main() {
  if (process.env.MMTL_SKIP_NATIVE === '1') {
    say(`skipped the native engine build (MMTL_SKIP_NATIVE=1); to enable training, ${ENABLE}`);
    return 0;
  }
  let found;
  try {
    found = findLibtorch();
  } catch (e) {
    say(`${e.message}; fix LIBTORCH or unset it, then run \`npm rebuild mmtl\``);
    return 1;
  }
  if (!found) {
    say(`libtorch not found: label model and labeling functions work; to enable training, ${ENABLE}`);
    return 0;
  }
  if (nativeUpToDate(root, found)) return 0;
  say(`building the native engine against ${found.source} (a few minutes)`);
  const r = buildNative(root, found);
  if (!r.ok) {
    say(
      `${r.reason}: the native engine is not built (label model and labeling functions work); ` +
        'fix the cause above and run `npm rebuild mmtl`',
    );
  }
  return 0;
}

process.exitCode = main();
