// cli: the commander program behind the `mmtl` command (the only layer that prints or exits).
export { buildProgram, runCli } from './program.js';
export type { CliIo } from './io.js';
