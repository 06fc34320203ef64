import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import {
  MmtlError,
  assertNoAlias,
  isMmtlError,
  readRecords,
  recordFormatOf,
  type RecordFormat,
} from '../../core/index.js';
import {
  LFAnalysis,
  applyLFsParallel,
  applyLFsToFile,
  labelMatrixFiles,
  loadLabelMatrix,
  loadLFModule,
  saveLabelMatrix,
  type ApplyProgress,
  type ApplyResult,
  type LFSummaryRow,
} from '../../labeling/index.js';
import type { CliIo } from '../io.js';
import { createProgress } from '../progress.js';

function positiveInt(name: string): (value: string) => number {
  return (value) => {
    const v = Number(value);
    if (!Number.isInteger(v) || v < 1) throw new InvalidArgumentError(`${name} must be an integer ≥ 1`);
    return v;
  };
}

interface ApplyCliOptions {
  lfs: string;
  data: string;
  out: string;
  faultTolerant?: boolean;
  workers?: number;
  cardinality?: number;
  format?: RecordFormat;
  idField?: string;
}

interface AnalyzeCliOptions {
  L: string;
  gold?: string;
  goldField: string;
  json?: boolean;
}

/** The labeling progress bar (bytes read, rows labeled). */
function progressBar(io: CliIo): { update: (p: ApplyProgress) => void; stop: () => void } {
  const bar = createProgress(io, 'labeling {bar} {percentage}% | {rows} rows | ETA {eta_formatted}');
  return {
    update: (p) => bar.update(p.bytesRead, p.totalBytes, { rows: p.rows }),
    stop: () => bar.stop(),
  };
}

/** The library's hint names the API option; from the command line the flag is what to pass. */
function withCliHint(e: unknown): unknown {
  if (!isMmtlError(e, 'E_LF') || e.hint === undefined || !e.hint.includes('faultTolerant')) return e;
  const message = e.message.endsWith(` (${e.hint})`) ? e.message.slice(0, -e.hint.length - 3) : e.message;
  return new MmtlError('E_LF', message, {
    hint: 'pass --fault-tolerant to count failures as abstains',
    details: e.details,
    cause: e,
  });
}

async function runApply(opts: ApplyCliOptions, io: CliIo): Promise<void> {
  await assertNoAlias(
    'mmtl label apply',
    [
      { arg: '--lfs', path: opts.lfs },
      { arg: '--data', path: opts.data },
    ],
    labelMatrixFiles(opts.out).map((path) => ({ arg: '--out', path })),
  );
  const bar = progressBar(io);
  const common = {
    cardinality: opts.cardinality,
    faultTolerant: opts.faultTolerant ?? false,
    format: opts.format,
    idField: opts.idField,
    onProgress: bar.update,
  };
  let result: ApplyResult;
  try {
    if ((opts.workers ?? 1) > 1) {
      result = await applyLFsParallel(opts.lfs, opts.data, { ...common, workers: opts.workers });
    } else {
      let mod: Awaited<ReturnType<typeof loadLFModule>> | undefined;
      try {
        mod = await loadLFModule(opts.lfs);
      } catch (e) {
        // A TypeScript LF module this process cannot import: one worker thread registers tsx and loads it.
        const code = isMmtlError(e, 'E_LF') ? (e.cause as { code?: string } | undefined)?.code : undefined;
        if (code !== 'ERR_UNKNOWN_FILE_EXTENSION') throw e;
      }
      result = mod
        ? await applyLFsToFile(mod.lfs, opts.data, {
            ...common,
            cardinality: opts.cardinality ?? mod.cardinality,
          })
        : await applyLFsParallel(opts.lfs, opts.data, { ...common, workers: 1 });
    }
  } catch (e) {
    throw withCliHint(e);
  } finally {
    bar.stop();
  }
  const { L, failures } = result;
  if (L.n === 0) {
    // An empty matrix can be neither fit nor analyzed, and writing it would replace a good --out of an earlier
    // run: an empty input is almost always an upstream failure, so stop here, where its cause is visible.
    throw new MmtlError('E_DATA', `mmtl label apply: '${opts.data}' holds no rows; nothing was written`, {
      hint: 'check the --data file (an empty file, or a CSV/TSV with only a header, has no rows)',
    });
  }
  await saveLabelMatrix(opts.out, L);
  const coverage = new LFAnalysis(L).labelCoverage();
  const failed = Object.entries(failures).filter(([, c]) => c > 0);
  const failText =
    failed.length === 0 ? '' : `; failures: ${failed.map(([lf, c]) => `${lf} ${c}`).join(', ')}`;
  io.out(
    `labeled ${L.n} rows with ${L.m} LFs -> ${opts.out} (coverage ${(100 * coverage).toFixed(1)}%)${failText}\n`,
  );
}

function toLabel(value: unknown, where: string): number {
  const v = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < -1) {
    throw new MmtlError('E_DATA', `${where}: gold label ${JSON.stringify(value)} is not an integer ≥ -1`);
  }
  return v;
}

/**
 * Reads gold labels: a `.json` array; the `field` of each record of a `.jsonl`/`.csv`/`.tsv` file; or any
 * other file with one label per line.
 */
async function readGold(path: string, field: string): Promise<number[]> {
  const ext = extname(path).toLowerCase();
  if (ext === '.json') {
    let value: unknown;
    try {
      value = JSON.parse(await readFile(path, 'utf8'));
    } catch (e) {
      throw new MmtlError('E_DATA', `gold file '${path}' is not a JSON array: ${(e as Error).message}`, {
        cause: e,
      });
    }
    if (!Array.isArray(value))
      throw new MmtlError('E_DATA', `gold file '${path}' must hold a JSON array of labels`);
    return value.map((v, i) => toLabel(v, `'${path}' item ${i}`));
  }
  let structured = true;
  try {
    recordFormatOf(path);
  } catch {
    structured = false;
  }
  if (structured) {
    const labels: number[] = [];
    for await (const { record, line } of readRecords(path)) {
      if (!(field in record)) throw new MmtlError('E_DATA', `'${path}' line ${line} has no field '${field}'`);
      labels.push(toLabel(record[field], `'${path}' line ${line}`));
    }
    return labels;
  }
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw new MmtlError('E_IO', `could not read gold file '${path}': ${(e as Error).message}`, { cause: e });
  }
  const lines = text.split(/\r?\n/);
  if (lines.at(-1) === '') lines.pop();
  return lines.map((l, i) => toLabel(l, `'${path}' line ${i + 1}`));
}

function fmt(v: number | null | undefined): string {
  return v === null || v === undefined ? '-' : Number.isInteger(v) ? String(v) : v.toFixed(3);
}

/** Renders summary rows as an aligned text table. */
function table(rows: LFSummaryRow[]): string {
  const gold = rows.some((r) => r.correct !== undefined);
  const header = ['lf', 'j', 'polarity', 'coverage', 'overlaps', 'conflicts'];
  if (gold) header.push('correct', 'incorrect', 'emp_acc');
  const cells = rows.map((r) => {
    const c = [
      r.lf,
      String(r.j),
      `[${r.polarity.join(',')}]`,
      fmt(r.coverage),
      fmt(r.overlaps),
      fmt(r.conflicts),
    ];
    if (gold) c.push(fmt(r.correct), fmt(r.incorrect), fmt(r.empAcc));
    return c;
  });
  const widths = header.map((h, k) => Math.max(h.length, ...cells.map((c) => c[k]!.length)));
  const line = (c: string[]): string =>
    c.map((s, k) => (k === 0 ? s.padEnd(widths[k]!) : s.padStart(widths[k]!))).join('  ');
  return [line(header), ...cells.map(line)].join('\n') + '\n';
}

async function runAnalyze(opts: AnalyzeCliOptions, io: CliIo): Promise<void> {
  const L = await loadLabelMatrix(opts.L);
  const Y = opts.gold === undefined ? undefined : await readGold(opts.gold, opts.goldField);
  const analysis = new LFAnalysis(L);
  const rows = analysis.lfSummary(Y);
  if (L.n > 0 && !L.data.includes(-1) && L.data.includes(0)) {
    io.err(
      `warning: no LF abstains anywhere in '${opts.L}' (every coverage is 1) and 0 is a vote. mmtl reads 0 as ` +
        'class 0 and -1 as abstain; if 0 means abstain here (MeTaL: classes 1..k, 0 = abstain), convert the ' +
        'matrix first (fromMetalLabels: 0 → -1, v → v − 1)\n',
    );
  }
  if (opts.json) {
    io.out(JSON.stringify(rows, null, 2) + '\n');
    return;
  }
  io.out(
    `${L.n} rows, ${L.m} LFs: coverage ${fmt(analysis.labelCoverage())}, overlap ${fmt(analysis.labelOverlap())}, conflict ${fmt(analysis.labelConflict())}\n`,
  );
  io.out(table(rows));
}

/**
 * Registers `mmtl label apply` (run an LF module over a data file into a label matrix) and
 * `mmtl label analyze` (LF summary of a label matrix, optionally against gold labels).
 *
 * @example
 * ```ts
 * // mmtl label apply --lfs lfs/youtube.ts --data train.jsonl --out L_train.npy --workers 4
 * // mmtl label analyze --L L_train.npy --gold train.jsonl --json
 * registerLabel(program, processIo);
 * ```
 */
export function registerLabel(program: Command, io: CliIo): void {
  const label = program.command('label').description('apply and analyze labeling functions');
  label
    .command('apply')
    .description('apply the LFs exported by a module to a JSONL/CSV/TSV file and save the label matrix')
    .requiredOption(
      '--lfs <module>',
      "module exporting the LFs ('export const lfs = [...]' or a default array)",
    )
    .requiredOption('--data <file>', 'data file (.jsonl, .csv, .tsv)')
    .requiredOption('--out <file>', 'label matrix to write (.npy, .json, .csv)')
    .option('--fault-tolerant', 'count an LF that throws as an abstain instead of failing')
    .option('--workers <n>', 'worker threads (1 = in this thread)', positiveInt('--workers'))
    .option(
      '--cardinality <k>',
      "number of classes (default: the module's 'cardinality' export, else 2)",
      positiveInt('--cardinality'),
    )
    .option('--format <format>', 'data format when the extension does not say (jsonl, csv, tsv, json)')
    .option('--id-field <field>', 'field holding the row id, saved with the matrix')
    .action(async (opts: ApplyCliOptions) => {
      await runApply(opts, io);
    });
  label
    .command('analyze')
    .description(
      'summarize a label matrix: polarity, coverage, overlaps, conflicts (and accuracy with --gold)',
    )
    .requiredOption('--L <file>', 'label matrix (.npy, .json, .csv)')
    .option('--gold <file>', 'gold labels: a JSON array, a .jsonl/.csv/.tsv field, or one label per line')
    .option('--gold-field <field>', 'field of the gold labels in a .jsonl/.csv/.tsv file', 'label')
    .option('--json', 'print the summary rows as JSON')
    .action(async (opts: AnalyzeCliOptions) => {
      await runAnalyze(opts, io);
    });
}
