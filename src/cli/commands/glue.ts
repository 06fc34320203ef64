import { appendFile } from 'node:fs/promises';
import { InvalidArgumentError, type Command } from 'commander';
import { assertNoAlias, writeFileAtomic } from '../../core/index.js';
import type { CliIo } from '../io.js';
import { ladderMarkdown, runLadder } from '../../experiment/index.js';

function list(value: string): string[] {
  return value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}
function seeds(value: string): number[] {
  const s = list(value).map(Number);
  if (s.length === 0 || s.some((x) => !Number.isInteger(x)))
    throw new InvalidArgumentError('seeds must be integers, e.g. 0,1,2');
  return s;
}
function positive(value: string): number {
  const v = Number(value);
  if (!Number.isInteger(v) || v < 1) throw new InvalidArgumentError('must be an integer ≥ 1');
  return v;
}

interface LadderCliOptions {
  task: string;
  otherTasks: string[];
  seeds: number[];
  epochs: number;
  encoder: 'bilstm' | 'bert';
  bertDir?: string;
  maxTrainRows?: number;
  auxMaxRows?: number;
  weakMaxRows?: number;
  sliceMethod: 'heads' | 'attention';
  maxLength: number;
  hidden: number;
  glueDir: string;
  runDir?: string;
  out?: string;
}

/** `mmtl glue ladder …`: the supervision ladder on one GLUE task, as a table (and appended to a Markdown file). */
export function registerGlue(program: Command, io: CliIo): void {
  const glue = program.command('glue').description('GLUE: the supervision ladder');
  glue
    .command('ladder')
    .description('train one rung per added supervision signal over several seeds and print the table')
    .option('--task <name>', 'main GLUE task', 'RTE')
    .option('--other-tasks <list>', 'tasks added at the multi-task rung', list, [
      'MRPC',
      'STS-B',
      'CoLA',
      'SST-2',
    ])
    .option('--seeds <list>', 'seeds per rung', seeds, [0, 1, 2])
    .option('--epochs <n>', 'stage-1 epochs per run', positive, 4)
    .option('--encoder <kind>', 'bilstm or bert', 'bilstm')
    .option('--bert-dir <dir>', 'Hugging Face BERT folder (with --encoder bert)')
    .option('--max-train-rows <n>', 'cap on training rows of every task', positive)
    .option('--aux-max-rows <n>', 'cap on training rows of the other tasks', positive, 1000)
    .option(
      '--weak-max-rows <n>',
      "cap on the weak rung's unlabeled rows (default 3000 pairs, 20000 SST-2 rows)",
      positive,
    )
    .option(
      '--slice-method <method>',
      'slice rung: heads (MeTaL) or attention (slice-based learning)',
      'heads',
    )
    .option('--max-length <n>', 'tokens kept per sentence', positive, 50)
    .option('--hidden <n>', 'BiLSTM hidden size', positive, 128)
    .option('--glue-dir <dir>', 'glue_data folder', 'data/glue')
    .option('--run-dir <dir>', 'keep every run under this folder (default: runs/<task>-rungN-sS-<time>)')
    .option('--out <file>', 'append the Markdown table to this file')
    .action(async (o: LadderCliOptions) => {
      if (o.encoder !== 'bilstm' && o.encoder !== 'bert')
        throw new InvalidArgumentError("--encoder must be 'bilstm' or 'bert'");
      if (o.sliceMethod !== 'heads' && o.sliceMethod !== 'attention')
        throw new InvalidArgumentError("--slice-method must be 'heads' or 'attention'");
      if (o.out !== undefined) {
        await assertNoAlias(
          'mmtl glue ladder',
          [
            { arg: '--glue-dir', path: o.glueDir, tree: true },
            ...(o.bertDir === undefined ? [] : [{ arg: '--bert-dir', path: o.bertDir, tree: true }]),
          ],
          [{ arg: '--out', path: o.out }],
        );
      }
      const t0 = Date.now();
      const rows = await runLadder({
        task: o.task,
        otherTasks: o.otherTasks,
        seeds: o.seeds,
        encoder: o.encoder,
        bertDir: o.bertDir,
        weakMaxRows: o.weakMaxRows,
        sliceMethod: o.sliceMethod,
        base: {
          glueDir: o.glueDir,
          maxTrainRows: o.maxTrainRows,
          auxMaxTrainRows: o.auxMaxRows,
          maxLength: o.maxLength,
          encoder:
            o.encoder === 'bert'
              ? { kind: 'bert', dir: o.bertDir ?? '' }
              : { kind: 'bilstm', hiddenSize: o.hidden },
          stage1: { nEpochs: o.epochs },
          runDir: o.runDir,
        },
        log: (line) => io.err(`${line}\n`),
      });
      const minutes = (Date.now() - t0) / 60000;
      const table = ladderMarkdown(o.task, rows);
      io.out(table);
      for (const r of rows) io.out(`${JSON.stringify({ bench: 'ladder', task: o.task, ...r })}\n`);
      if (o.out) {
        const cmd = `mmtl glue ladder ${process.argv.slice(4).join(' ')}`.trim();
        const block = `\n### ${o.task} (${o.encoder})\n\nCommand: \`${cmd}\` — wall time ${minutes.toFixed(1)} min.\n\n${table}`;
        try {
          await appendFile(o.out, block);
        } catch {
          await writeFileAtomic(o.out, block);
        }
      }
    });
}
