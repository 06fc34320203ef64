import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import { MmtlError, assertNoAlias, writeFileAtomic, type PathRole } from '../../core/index.js';
import { labelMatrixFiles, loadLabelMatrix } from '../../labeling/index.js';
import {
  LabelModel,
  evalWrench,
  selectOnDev,
  type LabelModelFitOptions,
  type LabelMetric,
  type SelectMetric,
} from '../../labelmodel/index.js';
import type { CliIo } from '../io.js';

interface FitCliOptions {
  L: string;
  k: number;
  out: string;
  mode?: 'mmtl' | 'snorkel';
  epochs?: number;
  lr?: number;
  seed?: number;
  classBalance?: number[];
  devL?: string;
  devGold?: string;
  selectMetric?: SelectMetric;
}

interface EvalCliOptions {
  model?: string;
  L?: string;
  gold?: string;
  wrench?: string;
  mode?: 'mmtl' | 'snorkel';
  epochs?: number;
  lr?: number;
  seed?: number;
  classBalance?: number[];
  dev?: boolean;
  selectMetric?: SelectMetric;
}

function positiveInt(name: string): (value: string) => number {
  return (value) => {
    const v = Number(value);
    if (!Number.isInteger(v) || v < 1) throw new InvalidArgumentError(`${name} must be an integer ≥ 1`);
    return v;
  };
}

function number(name: string): (value: string) => number {
  return (value) => {
    const v = Number(value);
    if (!Number.isFinite(v)) throw new InvalidArgumentError(`${name} must be a number`);
    return v;
  };
}

function mode(value: string): 'mmtl' | 'snorkel' {
  if (value !== 'mmtl' && value !== 'snorkel')
    throw new InvalidArgumentError('--mode must be mmtl or snorkel');
  return value;
}

function numberList(value: string): number[] {
  const parts = value.split(',').map(Number);
  if (parts.some((v) => !Number.isFinite(v)))
    throw new InvalidArgumentError('--class-balance must be numbers separated by commas');
  return parts;
}

/** Fit options from CLI flags (only the flags that were given). */
function fitOptions(
  o: { mode?: 'mmtl' | 'snorkel'; epochs?: number; lr?: number; seed?: number; classBalance?: number[] },
  io: CliIo,
): LabelModelFitOptions {
  return {
    ...(o.mode === undefined ? {} : { mode: o.mode }),
    ...(o.epochs === undefined ? {} : { nEpochs: o.epochs }),
    ...(o.lr === undefined ? {} : { lr: o.lr }),
    ...(o.seed === undefined ? {} : { seed: o.seed }),
    ...(o.classBalance === undefined ? {} : { classBalance: o.classBalance }),
    onWarning: (w) => io.err(`warning: ${w}\n`),
  };
}

/** Gold labels: a `.json` array, or one integer label per line. */
async function readGold(path: string): Promise<number[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw new MmtlError('E_IO', `could not read gold file '${path}': ${(e as Error).message}`, { cause: e });
  }
  let values: unknown[];
  if (extname(path).toLowerCase() === '.json') {
    const parsed: unknown = JSON.parse(text);
    if (!Array.isArray(parsed))
      throw new MmtlError('E_DATA', `gold file '${path}' must hold a JSON array of labels`);
    values = parsed;
  } else values = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  return values.map((v, i) => {
    const n = typeof v === 'string' ? Number(v) : v;
    if (typeof n !== 'number' || !Number.isInteger(n) || n < -1) {
      throw new MmtlError(
        'E_DATA',
        `gold file '${path}' item ${i}: ${JSON.stringify(v)} is not an integer ≥ -1`,
      );
    }
    return n;
  });
}

/** `.npy` v1.0 bytes of a float32 `n × k` matrix. */
function encodeNpyF32(data: Float32Array, n: number, k: number): Uint8Array {
  let header = `{'descr': '<f4', 'fortran_order': False, 'shape': (${n}, ${k}), }`;
  const total = 10 + header.length + 1;
  header += ' '.repeat((64 - (total % 64)) % 64) + '\n';
  const out = new Uint8Array(10 + header.length + data.byteLength);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0], 0);
  new DataView(out.buffer).setUint16(8, header.length, true);
  out.set(new TextEncoder().encode(header), 10);
  out.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), 10 + header.length);
  return out;
}

/** The files of the label matrix given as `--L` (its `.names.json` sidecar too), for `assertNoAlias`. */
function matrixInputs(path: string): PathRole[] {
  return labelMatrixFiles(path).map((p) => ({ arg: '--L', path: p }));
}

function selectMetric(value: string): SelectMetric {
  if (value !== 'accuracy' && value !== 'f1' && value !== 'macro_f1')
    throw new InvalidArgumentError('--select-metric must be accuracy, f1 or macro_f1');
  return value;
}

async function runFit(opts: FitCliOptions, io: CliIo): Promise<void> {
  const inputs = matrixInputs(opts.L);
  if (opts.devL !== undefined)
    inputs.push(...labelMatrixFiles(opts.devL).map((p) => ({ arg: '--dev-L', path: p })));
  if (opts.devGold !== undefined) inputs.push({ arg: '--dev-gold', path: opts.devGold });
  await assertNoAlias('mmtl labelmodel fit', inputs, [{ arg: '--out', path: opts.out }]);
  const L = await loadLabelMatrix(opts.L);
  if ((opts.devL === undefined) !== (opts.devGold === undefined))
    throw new MmtlError('E_ARG', "'labelmodel fit' needs both --dev-L and --dev-gold, or neither");
  if (opts.devL !== undefined && opts.devGold !== undefined) {
    // dev labels: class balance from them, and the labeler chosen on them
    const devL = await loadLabelMatrix(opts.devL);
    const devY = await readGold(opts.devGold);
    const { onWarning: _quiet, classBalance: _given, ...base } = fitOptions(opts, io);
    const sel = selectOnDev(L, devL, devY, opts.k, { base, seed: opts.seed ?? 0, metric: opts.selectMetric });
    await sel.model.save(opts.out);
    io.out(
      `${JSON.stringify({ out: opts.out, n: L.n, m: L.m, k: opts.k, choice: sel.choice, select_metric: sel.metric, classBalance: sel.model.getClassBalance(), dev: sel.scores })}\n`,
    );
    return;
  }
  const lm = new LabelModel(opts.k);
  const res = lm.fit(L, fitOptions(opts, io));
  await lm.save(opts.out);
  io.out(
    `${JSON.stringify({ out: opts.out, n: L.n, m: L.m, k: opts.k, classBalance: res.classBalance, warnings: res.warnings.length })}\n`,
  );
}

async function runPredict(opts: { model: string; L: string; out: string }, io: CliIo): Promise<void> {
  await assertNoAlias(
    'mmtl labelmodel predict',
    [{ arg: '--model', path: opts.model }, ...matrixInputs(opts.L)],
    [{ arg: '--out', path: opts.out }],
  );
  const lm = await LabelModel.load(opts.model);
  const L = await loadLabelMatrix(opts.L);
  const probs = lm.predictProba(L, { onWarning: (w) => io.err(`warning: ${w}\n`) });
  const ext = extname(opts.out).toLowerCase();
  if (ext === '.json') {
    const rows = Array.from({ length: L.n }, (_, i) => Array.from(probs.subarray(i * lm.k, (i + 1) * lm.k)));
    await writeFileAtomic(opts.out, JSON.stringify(rows));
  } else if (ext === '.npy') {
    await writeFileAtomic(opts.out, encodeNpyF32(Float32Array.from(probs), L.n, lm.k));
  } else {
    throw new MmtlError(
      'E_ARG',
      `Argument '--out' passed to 'labelmodel predict' has extension '${ext}'; expected .json or .npy`,
    );
  }
  io.out(`${JSON.stringify({ out: opts.out, n: L.n, k: lm.k })}\n`);
}

async function runEval(opts: EvalCliOptions, io: CliIo): Promise<void> {
  if (opts.wrench !== undefined) {
    const result = await evalWrench(opts.wrench, {
      ...fitOptions(opts, io),
      dev: opts.dev === false ? 'off' : 'auto',
      ...(opts.selectMetric === undefined ? {} : { selectMetric: opts.selectMetric }),
    });
    io.out(`${JSON.stringify(result)}\n`);
    return;
  }
  if (opts.model === undefined || opts.L === undefined || opts.gold === undefined) {
    throw new MmtlError('E_ARG', "'labelmodel eval' needs --model, --L and --gold (or --wrench <dir>)");
  }
  const lm = await LabelModel.load(opts.model);
  const L = await loadLabelMatrix(opts.L);
  const Y = await readGold(opts.gold);
  const metrics: LabelMetric[] =
    lm.k === 2 ? ['accuracy', 'coverage', 'f1', 'macro_f1'] : ['accuracy', 'coverage', 'macro_f1'];
  // ties broken by Snorkel's row hash alone: scoring a saved model does not depend on a seed
  const scores = lm.score(L, Y, metrics, { tieBreakPolicy: 'random' });
  io.out(`${JSON.stringify(scores)}\n`);
}

/**
 * Registers `mmtl labelmodel fit | predict | eval`.
 *
 * @example
 * ```ts
 * // mmtl labelmodel fit --L L_train.npy --k 2 --out lm.json --mode snorkel --epochs 500 --seed 123
 * // mmtl labelmodel predict --model lm.json --L L_test.npy --out probs.npy
 * // mmtl labelmodel eval --model lm.json --L L_test.npy --gold y_test.json
 * // mmtl labelmodel fit --L L_train.npy --k 2 --out lm.json --dev-L L_valid.npy --dev-gold y_valid.json
 * // mmtl labelmodel eval --wrench data/wrench/youtube --seed 123   # majority, label_model, dev_tuned
 * registerLabelModel(program, processIo);
 * ```
 */
export function registerLabelModel(program: Command, io: CliIo): void {
  const lm = program.command('labelmodel').description('fit, apply and evaluate label models');
  lm.command('fit')
    .description('fit a label model on a label matrix and save it as JSON')
    .requiredOption('--L <file>', 'label matrix (.npy, .json, .csv)')
    .requiredOption('--k <k>', 'number of classes', positiveInt('--k'))
    .requiredOption('--out <file>', 'model file to write (.json)')
    .option('--mode <mode>', 'mmtl (default) or snorkel', mode)
    .option('--epochs <n>', 'SGD steps (default 100 snorkel, 500 mmtl)', positiveInt('--epochs'))
    .option('--lr <lr>', 'learning rate', number('--lr'))
    .option('--seed <seed>', 'random seed', number('--seed'))
    .option('--class-balance <p>', 'known class balance, e.g. 0.7,0.3', numberList)
    .option(
      '--dev-L <file>',
      'label matrix of a labeled dev split (with --dev-gold): balance and choice from dev',
    )
    .option('--dev-gold <file>', 'gold labels of the dev split')
    .option('--select-metric <m>', 'metric maximised on dev: accuracy, f1 or macro_f1', selectMetric)
    .action(async (opts: FitCliOptions) => {
      await runFit(opts, io);
    });
  lm.command('predict')
    .description('write class probabilities of a label matrix (.json rows or .npy float32 n×k)')
    .requiredOption('--model <file>', 'model written by labelmodel fit')
    .requiredOption('--L <file>', 'label matrix (.npy, .json, .csv)')
    .requiredOption('--out <file>', 'probabilities file (.json or .npy)')
    .action(async (opts: { model: string; L: string; out: string }) => {
      await runPredict(opts, io);
    });
  lm.command('eval')
    .description('score a model against gold labels, or run the WRENCH protocol on a dataset folder')
    .option('--model <file>', 'model written by labelmodel fit')
    .option('--L <file>', 'label matrix (.npy, .json, .csv)')
    .option('--gold <file>', 'gold labels: a JSON array or one label per line')
    .option(
      '--wrench <dir>',
      'WRENCH folder (train.json, test.json, valid.json): fit on train, score on test; tune on valid when labeled',
    )
    .option('--mode <mode>', 'mmtl (default) or snorkel (with --wrench)', mode)
    .option('--epochs <n>', 'SGD steps (with --wrench)', positiveInt('--epochs'))
    .option('--lr <lr>', 'learning rate (with --wrench)', number('--lr'))
    .option(
      '--seed <seed>',
      'seed of the fit (with --wrench); tie breaks always use the row hash',
      number('--seed'),
    )
    .option('--class-balance <p>', 'known class balance for the label model (with --wrench)', numberList)
    .option('--no-dev', "do not tune on the WRENCH valid split's labels")
    .option('--select-metric <m>', 'metric maximised on dev: accuracy, f1 or macro_f1', selectMetric)
    .action(async (opts: EvalCliOptions) => {
      await runEval(opts, io);
    });
}
