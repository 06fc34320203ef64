import { readdir, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { MmtlError, pathExists, writeFileAtomic } from '../core/index.js';
import type { LFSummaryRow } from '../labeling/index.js';
import { readMetricLog, readRunFile, writeRunFile, type MetricRecord } from '../training/index.js';
import type { LabelModelWeights } from './lf-charts.js';
import { buildRunReport, type RunReportInput } from './run-report.js';

/** The file in a run folder that keeps its labeling-function data for later reports ({@link writeRunLFs}). */
export const RUN_LFS_FILE = 'lfs.json';

/** What {@link RUN_LFS_FILE} holds. */
export interface RunLFs {
  lfSummary?: readonly LFSummaryRow[];
  labelModel?: LabelModelWeights;
}

/**
 * Keeps a run's LF summary and label-model weights in `<runDir>/lfs.json` (recorded in the folder's
 * manifest, `RUN_MANIFEST`), so that `mmtl report <runDir>` (which reads the folder only) shows them again.
 *
 * @example
 * ```ts
 * await writeRunLFs('runs/spam/train', { lfSummary, labelModel: { weights: lm.getWeights() } });
 * ```
 */
export async function writeRunLFs(runDir: string, lfs: RunLFs): Promise<void> {
  const labelModel = lfs.labelModel && { ...lfs.labelModel, weights: Array.from(lfs.labelModel.weights) };
  await writeRunFile(runDir, RUN_LFS_FILE, JSON.stringify({ ...lfs, labelModel }), { create: true });
}

/**
 * Writes `<runDir>/report.html` from what a run folder holds (`metrics.jsonl`, and `config.json` when the
 * caller gives no config) plus the caller's extras.
 */

/**
 * What {@link writeRunReport} adds to the run folder's own files.
 *
 * @example
 * ```ts
 * const extras: RunReportExtras = { config: { lr: 1e-3 }, outPath: 'runs/a/index.html' };
 * ```
 */
export interface RunReportExtras extends Omit<RunReportInput, 'records' | 'runDir'> {
  /** Where to write the page (default `<runDir>/report.html`). */
  outPath?: string;
  /** Metric records to use instead of reading `<runDir>/metrics.jsonl`. */
  records?: readonly MetricRecord[];
}

async function readRunLFs(path: string): Promise<RunLFs> {
  const value = await readJson(path, 'LF data');
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new MmtlError(
      'E_DATA',
      `'writeRunReport': '${path}' must hold an object { lfSummary, labelModel }`,
    );
  }
  return value;
}

/** A JSON file of the run folder, checked against its manifest (`readRunFile`: E_CHECKPOINT when edited). */
async function readJson(path: string, what: string): Promise<unknown> {
  const bytes = await readRunFile(dirname(path), basename(path));
  try {
    if (bytes === undefined) throw new Error('no such file');
    return JSON.parse(bytes.toString('utf8')) as unknown;
  } catch (e) {
    throw new MmtlError(
      'E_IO',
      `'writeRunReport' could not read the ${what} '${path}': ${(e as Error).message}`,
      {
        cause: e,
      },
    );
  }
}

/**
 * Reads a run folder's metric log (`<runDir>/metrics.jsonl`; a run without one gets a report without
 * curves or scores) and, unless `extras.config` is given, its `config.json` when present (likewise
 * {@link RUN_LFS_FILE} unless the extras carry LF data), both checked against the folder's manifest
 * (`readRunFile`: a damaged or edited file is `E_CHECKPOINT`); builds the report
 * with {@link buildRunReport} and writes it atomically. Resolves to the written file's path. A missing run
 * folder is an `E_IO` error; a folder that holds no run (no `metrics.jsonl`, `config.json` or `lfs.json`) while
 * the extras bring nothing to show either is an `E_DATA` error naming the sub-folders that do hold runs, and
 * nothing is written.
 *
 * @example
 * ```ts
 * const path = await writeRunReport('runs/spam/train', {
 *   lfSummary: result.lfSummary,
 *   labelModel: { weights: labelModel.getWeights() },
 *   scores: [{ task: 'label model', split: 'test', metric: 'accuracy', value: 0.86 }],
 * });
 * // 'runs/spam/train/report.html'
 * ```
 */
export async function writeRunReport(runDir: string, extras: RunReportExtras = {}): Promise<string> {
  if (typeof runDir !== 'string' || runDir === '') {
    throw new MmtlError(
      'E_ARG',
      `Argument 'runDir' passed to 'writeRunReport' must be a folder path, got ${JSON.stringify(runDir)}`,
    );
  }
  const isDir = await stat(runDir).then(
    (s) => s.isDirectory(),
    () => false,
  );
  if (!isDir) {
    throw new MmtlError('E_IO', `Argument 'runDir' passed to 'writeRunReport' is not a folder: '${runDir}'`);
  }
  const { outPath, records: given, ...rest } = extras;
  const logPath = join(runDir, 'metrics.jsonl');
  const runFiles = ['metrics.jsonl', 'config.json', RUN_LFS_FILE];
  const hasRunFile = async (dir: string): Promise<boolean> => {
    for (const f of runFiles) if (await pathExists(join(dir, f))) return true;
    return false;
  };
  const { title: _title, generatedAt: _at, curves: _curves, ...data } = rest; // presentation, not content
  const extrasShow = given !== undefined || Object.values(data).some((v) => v !== undefined);
  if (!extrasShow && !(await hasRunFile(runDir))) {
    const subs = await readdir(runDir, { withFileTypes: true }).catch(() => []);
    const runs: string[] = [];
    for (const e of subs) if (e.isDirectory() && (await hasRunFile(join(runDir, e.name)))) runs.push(e.name);
    throw new MmtlError(
      'E_DATA',
      `Argument 'runDir' passed to 'writeRunReport' holds no run: '${runDir}' has no ${runFiles.join(', ')}; nothing was written`,
      {
        hint:
          runs.length > 0
            ? `its sub-folders ${runs.map((r) => `'${join(runDir, r)}'`).join(', ')} hold runs: report one of them`
            : 'pass a folder written by mmtl train',
      },
    );
  }
  const records = given ?? ((await pathExists(logPath)) ? await readMetricLog(logPath) : []);
  const configPath = join(runDir, 'config.json');
  const config =
    rest.config ?? ((await pathExists(configPath)) ? await readJson(configPath, 'run config') : undefined);
  const input: RunReportInput = { ...rest, runDir, records };
  if (config !== undefined) input.config = config;
  const lfsPath = join(runDir, RUN_LFS_FILE);
  if (rest.lfSummary === undefined && rest.labelModel === undefined && (await pathExists(lfsPath))) {
    const lfs = await readRunLFs(lfsPath);
    if (lfs.lfSummary) input.lfSummary = lfs.lfSummary;
    if (lfs.labelModel) input.labelModel = lfs.labelModel;
  }
  const html = await buildRunReport(input);
  const path = outPath ?? join(runDir, 'report.html');
  await writeFileAtomic(path, html);
  return path;
}
