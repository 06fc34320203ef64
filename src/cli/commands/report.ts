import type { Command } from 'commander';
import { writeRunReport } from '../../report/index.js';
import type { CliIo } from '../io.js';

/** `mmtl report <run dir>`: writes `<run dir>/report.html` from the run's metric log and config. */
export function registerReport(program: Command, io: CliIo): void {
  program
    .command('report')
    .description('write a self-contained HTML report of a run folder')
    .argument('<runDir>', 'a run folder (holds metrics.jsonl)')
    .option('--title <title>', 'page title')
    .action(async (runDir: string, opts: { title?: string }) => {
      const path = await writeRunReport(runDir, opts.title === undefined ? {} : { title: opts.title });
      io.out(`${path}\n`);
    });
}
