// Entry point of the `mmtl` command: the only place that reads argv and exits. `--help` and `--version` are
// answered from the manifest the build stores next to this file, without loading the commands.
import { fileURLToPath } from 'node:url';
import { HELP_MANIFEST_FILE, quickAnswer } from './help-manifest.js';

const argv = process.argv.slice(2);
const quick = quickAnswer(argv, fileURLToPath(new URL(HELP_MANIFEST_FILE, import.meta.url)));
if (quick !== undefined) {
  process.stdout.write(quick);
} else {
  const [{ processIo }, { runCli }] = await Promise.all([import('./io.js'), import('./program.js')]);
  process.exitCode = await runCli(argv, processIo);
}
