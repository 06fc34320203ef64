/** Where the CLI writes. Tests pass their own to capture output; `main.ts` passes the process streams. */
export interface CliIo {
  /** Writes to standard output (results, JSON lines). */
  out(text: string): void;
  /** Writes to standard error (progress, warnings). */
  err(text: string): void;
  /** Whether stderr is a terminal (progress bars draw only then). */
  isTTY: boolean;
}

/** The process's own streams. */
export const processIo: CliIo = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  isTTY: process.stderr.isTTY,
};
