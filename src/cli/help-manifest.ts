// `mmtl --help` and `mmtl --version` without loading the commands (and through them the whole library): the
// build runs the full CLI once and stores both answers next to the compiled entry point
// (scripts/build.mjs), as oclif's command manifest does. Any other argv runs the full CLI.
import { existsSync, readFileSync } from 'node:fs';

/** File name of the manifest, next to the compiled `main.js`. */
export const HELP_MANIFEST_FILE = 'help-manifest.json';

/** What the manifest holds: the full CLI's output for `--help` and for `--version`. */
export interface HelpManifest {
  /** Output of `mmtl --help`. */
  help: string;
  /** Output of `mmtl --version`. */
  version: string;
}

const HELP_FLAGS = new Set(['--help', '-h']);
const VERSION_FLAGS = new Set(['--version', '-V']);

/**
 * The stored answer to `argv` when it is exactly one help or version flag and the manifest at `path` exists and
 * is well-formed; otherwise undefined (run the full CLI).
 *
 * @example
 * ```ts
 * quickAnswer(['--help'], 'dist/src/cli/help-manifest.json'); // 'Usage: mmtl [options] [command]\n…'
 * quickAnswer(['train', 'x.yaml'], 'dist/src/cli/help-manifest.json'); // undefined
 * ```
 */
export function quickAnswer(argv: readonly string[], path: string): string | undefined {
  const flag = argv.length === 1 ? argv[0]! : '';
  if (!HELP_FLAGS.has(flag) && !VERSION_FLAGS.has(flag)) return undefined;
  if (!existsSync(path)) return undefined;
  let manifest: Partial<HelpManifest>;
  try {
    manifest = JSON.parse(readFileSync(path, 'utf8')) as Partial<HelpManifest>;
  } catch {
    return undefined;
  }
  const answer = HELP_FLAGS.has(flag) ? manifest.help : manifest.version;
  return typeof answer === 'string' && answer !== '' ? answer : undefined;
}
