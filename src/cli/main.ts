// Entry point of the `mmtl` command: the only place that reads argv and exits.
import { processIo } from './io.js';
import { runCli } from './program.js';

process.exitCode = await runCli(process.argv.slice(2), processIo);
