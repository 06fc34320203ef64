import { Command, CommanderError } from 'commander';
import { isMmtlError } from '../core/index.js';
import { COMMANDS } from './commands/index.js';
import type { CliIo } from './io.js';

/**
 * Builds the `mmtl` commander program. Each subcommand group lives in `commands/` and registers itself
 * through the `COMMANDS` list.
 *
 * @example
 * ```ts
 * const code = await runCli(['label', 'analyze', '--L', 'L.npy'], processIo);
 * ```
 */
export function buildProgram(io: CliIo): Command {
  const program = new Command('mmtl')
    .description('Massive Multi-Task Learning for TypeScript')
    .version('0.1.0')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s) });
  for (const register of COMMANDS) register(program, io);
  return program;
}

/** Exit status for each error code (1 = generic failure, 2 = bad usage or input). */
const EXIT_BY_CODE: Record<string, number> = { E_ARG: 2, E_CONFIG: 2, E_UNKNOWN: 2, E_DATA: 3, E_IO: 3 };

/** Runs the CLI with `argv` (without node and script) and returns the exit status; never exits itself. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const program = buildProgram(io);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode;
    if (isMmtlError(e)) {
      io.err(`error ${e.code}: ${e.message}\n`);
      return EXIT_BY_CODE[e.code] ?? 1;
    }
    io.err(`error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    return 1;
  }
}
