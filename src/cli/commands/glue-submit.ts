import type { Command } from 'commander';
import { submitGlueRun } from '../../experiment/index.js';
import type { CliIo } from '../io.js';

interface SubmitCliOptions {
  out?: string;
  stage?: string;
  glueDir?: string;
}

/**
 * `mmtl glue submit <runDir> [--out dir] [--stage s] [--glue-dir d]`: predicts every task of a run on its
 * GLUE test split(s) (MNLI: matched and mismatched, plus AX with MNLI's head) and writes a GLUE server
 * submission (one TSV per file and a flat zip; partial, since a run rarely covers all nine tasks) into
 * `--out` (default `<runDir>/glue-submission`), then prints the zip's path. Registers `submit` on the `glue`
 * command, creating that command when absent.
 *
 * @example
 * ```sh
 * mmtl glue submit runs/rte-mrpc
 * # runs/rte-mrpc/glue-submission/submission.zip   (holds MRPC.tsv and RTE.tsv)
 * ```
 */
export function registerGlueSubmit(program: Command, io: CliIo): void {
  const glue = program.commands.find((c) => c.name() === 'glue') ?? program.command('glue');
  glue.description('GLUE: the supervision ladder and test-set submissions');
  glue
    .command('submit')
    .description("predict a run's tasks on their GLUE test splits and zip a submission")
    .argument('<runDir>', 'run folder written by mmtl train')
    .option('--out <dir>', 'submission folder (default <runDir>/glue-submission)')
    .option('--stage <stage>', 'stage1, or a task name for its stage-2 model (default: the best per task)')
    .option('--glue-dir <dir>', "glue_data folder (default: the run's glueDir)")
    .action(async (runDir: string, opts: SubmitCliOptions) => {
      io.out(`${await submitGlueRun(runDir, opts)}\n`);
    });
}
