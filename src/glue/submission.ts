import { join } from 'node:path';
import { MmtlError, Registry, writeFileAtomic } from '../core/index.js';
import { GLUE_TASKS } from './registry.js';
import type { GlueSplit } from './task-spec.js';
import { zipStored } from './zip.js';

/** One file of a GLUE submission and where its rows come from. */
export interface GlueSubmissionFile {
  /** File name, e.g. `'MNLI-mm.tsv'`. */
  file: string;
  /** The task whose label strings it uses (`'AX'` for AX.tsv, which MNLI's head predicts). */
  task: string;
  /** The test split it predicts. */
  split: GlueSplit;
  /** The number of rows GLUE expects. */
  rows: number;
}

/**
 * The eleven files of a GLUE submission by file name, from the tasks' `submissions`: CoLA.tsv, SST-2.tsv,
 * MRPC.tsv, QQP.tsv, STS-B.tsv, MNLI-m.tsv, MNLI-mm.tsv, QNLI.tsv, RTE.tsv, WNLI.tsv, AX.tsv.
 *
 * @example
 * ```ts
 * GLUE_SUBMISSION_FILES.get('MNLI-mm.tsv'); // { file: 'MNLI-mm.tsv', task: 'MNLI', split: 'test_mismatched', rows: 9847 }
 * ```
 */
export const GLUE_SUBMISSION_FILES = new Registry<GlueSubmissionFile>('GLUE submission file');
for (const name of GLUE_TASKS.names()) {
  const spec = GLUE_TASKS.get(name);
  for (const { file, split } of spec.submissions) {
    GLUE_SUBMISSION_FILES.register(file, { file, task: name, split, rows: spec.splits[split]?.rows ?? 0 });
  }
}

/** The predictions of one submission file. */
export interface GlueFilePredictions {
  /** The test rows' `index` values, in the order of `preds`. */
  index: readonly string[];
  /** Class ids (classification) or raw 0–5 scores (STS-B), one per index. */
  preds: ArrayLike<number>;
}

/** Options of {@link writeGlueSubmission}. */
export interface WriteGlueSubmissionOptions {
  /** Name of the zip written beside the TSVs (default `'submission.zip'`). */
  zipName?: string;
  /** Accept files with another row count than GLUE's test set (default false: such files fail with `E_DATA`). */
  allowPartial?: boolean;
  /** Modification time stored in the zip (default: now). */
  date?: Date;
}

/** What {@link writeGlueSubmission} wrote. */
export interface GlueSubmissionResult {
  /** Paths of the TSVs, in GLUE's task order. */
  files: string[];
  /** Path of the zip holding them (flat, no folders). */
  zip: string;
}

function tsvOf(entry: GlueSubmissionFile, p: GlueFilePredictions, allowPartial: boolean): string {
  const fn = 'writeGlueSubmission';
  if (p.index.length !== p.preds.length) {
    throw new MmtlError(
      'E_SHAPE',
      `Argument 'predictions' passed to '${fn}': ${entry.file} has ${p.index.length} index values but ${p.preds.length} preds`,
    );
  }
  if (!allowPartial && p.index.length !== entry.rows) {
    throw new MmtlError(
      'E_DATA',
      `Argument 'predictions' passed to '${fn}': ${entry.file} has ${p.index.length} rows; GLUE expects ${entry.rows}`,
      { hint: 'pass allowPartial: true to write it anyway' },
    );
  }
  const spec = GLUE_TASKS.get(entry.task);
  const lines = ['index\tprediction'];
  for (let i = 0; i < p.index.length; i++) {
    const index = p.index[i]!;
    if (index === '' || /[\t\r\n]/.test(index)) {
      throw new MmtlError(
        'E_DATA',
        `Argument 'predictions' passed to '${fn}': ${entry.file} row ${i} has index ${JSON.stringify(index)}; expected a non-empty value without tabs or newlines`,
      );
    }
    let label: string;
    try {
      label = spec.formatLabel(p.preds[i]!);
    } catch (e) {
      throw new MmtlError('E_DATA', `${entry.file} row ${i} (index ${index}): ${(e as Error).message}`, {
        cause: e,
      });
    }
    lines.push(`${index}\t${label}`);
  }
  return `${lines.join('\n')}\n`;
}

/**
 * Writes a GLUE server submission into `dir`: one `index<TAB>prediction` TSV per entry of `predictions`
 * (keyed by file name, `'MNLI-m.tsv'`; the `.tsv` may be left out), predictions written as GLUE's label
 * strings (`entailment`, `not_entailment`, `0`/`1`, …; STS-B scores clipped to [0, 5] with 3 decimals), and
 * a flat zip of those files. Every file is written atomically. An unknown file name fails with
 * `E_UNKNOWN` listing the eleven, mismatched lengths with `E_SHAPE`, a row count other than GLUE's test
 * size (unless `allowPartial`) or a prediction that is no valid class id with `E_DATA`.
 *
 * @example
 * ```ts
 * const { rows } = await loadGlueSplit('data/glue', 'RTE', 'test');
 * await writeGlueSubmission('out/glue', new Map([['RTE.tsv', { index: rows.map((r) => r.index!), preds }]]));
 * // { files: ['out/glue/RTE.tsv'], zip: 'out/glue/submission.zip' }
 * // RTE.tsv: 'index\tprediction\n0\tnot_entailment\n1\tentailment\n…'
 * ```
 */
export async function writeGlueSubmission(
  dir: string,
  predictions: ReadonlyMap<string, GlueFilePredictions>,
  options: WriteGlueSubmissionOptions = {},
): Promise<GlueSubmissionResult> {
  const { zipName = 'submission.zip', allowPartial = false } = options;
  if (predictions.size === 0) {
    throw new MmtlError('E_ARG', `Argument 'predictions' passed to 'writeGlueSubmission' is empty`);
  }
  const byFile = new Map<string, GlueFilePredictions>();
  for (const [key, p] of predictions) {
    const file = key.endsWith('.tsv') ? key : `${key}.tsv`;
    if (!GLUE_SUBMISSION_FILES.has(file)) {
      throw new MmtlError(
        'E_UNKNOWN',
        `Argument 'predictions' passed to 'writeGlueSubmission' names an unknown file '${key}'; expected one of ${GLUE_SUBMISSION_FILES.names().join(', ')}`,
      );
    }
    if (byFile.has(file)) {
      throw new MmtlError(
        'E_ARG',
        `Argument 'predictions' passed to 'writeGlueSubmission' names ${file} twice`,
      );
    }
    byFile.set(file, p);
  }
  const entries = GLUE_SUBMISSION_FILES.names()
    .filter((file) => byFile.has(file))
    .map((file) => ({
      name: file,
      data: tsvOf(GLUE_SUBMISSION_FILES.get(file), byFile.get(file)!, allowPartial),
    }));
  const files = entries.map((e) => join(dir, e.name));
  await Promise.all(entries.map((e, i) => writeFileAtomic(files[i]!, e.data)));
  const zip = join(dir, zipName);
  await writeFileAtomic(zip, zipStored(entries, options.date === undefined ? {} : { date: options.date }));
  return { files, zip };
}
