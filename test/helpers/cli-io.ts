// A CliIo that records what the CLI writes, for tests that call runCli.
import type { CliIo } from '../../src/cli/index.js';

/** What {@link captureIo} returns: a CliIo plus everything written to it. */
export type CapturedIo = CliIo & { stdout: string; stderr: string };

/** A CliIo that appends to `stdout` / `stderr` instead of printing. */
export function captureIo(isTTY = false): CapturedIo {
  const io: CapturedIo = {
    stdout: '',
    stderr: '',
    isTTY,
    out: (t: string) => {
      io.stdout += t;
    },
    err: (t: string) => {
      io.stderr += t;
    },
  };
  return io;
}
