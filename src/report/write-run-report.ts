import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { MmtlError, pathExists, writeFileAtomic } from '../core/index.js';
import { readMetricLog, type MetricRecord } from '../training/index.js';
import { buildRunReport, type RunReportInput } from './run-report.js';

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

async function readConfig(path: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as unknown;
  } catch (e) {
    throw new MmtlError(
      'E_IO',
      `'writeRunReport' could not read the run config '${path}': ${(e as Error).message}`,
      {
        cause: e,
      },
    );
  }
}

/**
 * Reads a run folder's metric log (`<runDir>/metrics.jsonl`; a run without one gets a report without
 * curves or scores) and, unless `extras.config` is given, its `config.json` when present; builds the report
 * with {@link buildRunReport} and writes it atomically. Resolves to the written file's path. A missing run
 * folder is an `E_IO` error.
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
  const records = given ?? ((await pathExists(logPath)) ? await readMetricLog(logPath) : []);
  const configPath = join(runDir, 'config.json');
  const config = rest.config ?? ((await pathExists(configPath)) ? await readConfig(configPath) : undefined);
  const input: RunReportInput = { ...rest, runDir, records };
  if (config !== undefined) input.config = config;
  const html = await buildRunReport(input);
  const path = outPath ?? join(runDir, 'report.html');
  await writeFileAtomic(path, html);
  return path;
}
