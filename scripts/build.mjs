// `npm run build` (and `npm pack` through prepack): a clean dist/ compiled by tsc (tsconfig.build.json: src/
// only, with .d.ts), then the CLI's help manifest: the full CLI's answers to `--help` and `--version`, which the
// compiled entry point prints without loading the commands (src/cli/help-manifest.ts).
import { spawnSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');

rmSync(dist, { recursive: true, force: true });
const tsc = createRequire(join(root, 'package.json')).resolve('typescript/bin/tsc');
const r = spawnSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json')], { stdio: 'inherit' });
if (r.status !== 0) process.exit(r.status ?? 1);

// Help text as a non-terminal sees it (commander wraps at 80 columns then), whatever runs the build.
Object.defineProperty(process.stdout, 'isTTY', { value: false });
const cliDir = join(dist, 'src', 'cli');
const { runCli } = await import(pathToFileURL(join(cliDir, 'program.js')).href);
const { HELP_MANIFEST_FILE } = await import(pathToFileURL(join(cliDir, 'help-manifest.js')).href);
async function capture(argv) {
  let out = '';
  const io = { out: (t) => (out += t), err: (t) => process.stderr.write(t), isTTY: false };
  const code = await runCli(argv, io);
  if (code !== 0) throw new Error(`mmtl ${argv.join(' ')} exited with ${code}`);
  return out;
}
const manifest = { help: await capture(['--help']), version: await capture(['--version']) };
writeFileSync(join(cliDir, HELP_MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
