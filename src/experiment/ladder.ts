// The supervision ladder: one rung per added signal, each trained over several seeds, reported as a table.
import { MmtlError } from '../core/index.js';
import { glueTask } from '../glue/index.js';
import { Scorer } from '../metrics/index.js';
import { predsFromProbs, type MultitaskModel } from '../tasks/index.js';
import { parseExperiment } from './load.js';
import { runExperiment, type ExperimentResult } from './run.js';
import type { ExperimentOptions, GlueWeakConfig } from './schema.js';

/** Options of {@link runLadder}. */
export interface LadderOptions {
  /** The main task (its dev metric is reported). */
  task: string;
  /** Tasks added at the multi-task rung. */
  otherTasks: readonly string[];
  /** Seeds per rung (≥ 3 for a mean ± sd). */
  seeds: readonly number[];
  /** Settings shared by every rung (epochs, row caps, run folder root, …). */
  base: Omit<ExperimentOptions, 'tasks'>;
  /** 'bilstm' (the seed's ladder) or 'bert' (rungs from a pretrained BERT folder `bertDir`). */
  encoder: 'bilstm' | 'bert';
  bertDir?: string;
  /** Cap on the weak rung's unlabeled rows (default: the source's own, 3000 pairs or 20000 SST-2 rows). */
  weakMaxRows?: number | undefined;
  /** How the slice rung spends its slices: MeTaL's slice heads (default) or slice-based learning. */
  sliceMethod?: 'heads' | 'attention' | undefined;
  /** Slices of the slice rung (default: the seed's rare punctuation and multiple pronouns). */
  slices?: readonly string[];
  /** Progress lines. */
  log?: (line: string) => void;
}

/** One row of the ladder table. */
export interface LadderRow {
  rung: string;
  /** The dev metric key, e.g. 'RTE/RTE/valid/accuracy'. */
  metric: string;
  /** One value per seed (the ensemble rung: one value). */
  values: number[];
  mean: number;
  sd: number;
  /** Mean minus the previous rung's mean (null on the first rung or when either did not run). */
  delta: number | null;
  /** Why a rung did not run, or what it is. */
  note?: string;
}

interface Rung {
  name: string;
  /** Experiment settings added by this rung (cumulative with the previous rungs). */
  apply: (cfg: ExperimentOptions, o: LadderOptions) => ExperimentOptions;
  /** A rung that is not trained but computed from the previous rung's models, or not available. */
  kind?: 'ensemble' | 'unavailable';
  note?: string;
}

function rungs(o: LadderOptions): Rung[] {
  const bilstm = (e: Record<string, unknown>) => (cfg: ExperimentOptions) =>
    ({ ...cfg, encoder: { ...(cfg.encoder as object), kind: 'bilstm', ...e } }) as ExperimentOptions;
  const encoderRungs: Rung[] =
    o.encoder === 'bert'
      ? [
          {
            name: `single-task BERT (${o.bertDir ?? '?'})`,
            apply: (cfg) => ({ ...cfg, encoder: { kind: 'bert', dir: o.bertDir! } }),
          },
        ]
      : [
          { name: 'single-task BiLSTM, random embeddings', apply: bilstm({ embeddings: 'random' }) },
          { name: '+ GloVe (transfer)', apply: bilstm({ embeddings: 'glove' }) },
          { name: '+ attention', apply: bilstm({ attention: true }) },
        ];
  return [
    ...encoderRungs,
    {
      name: '+ multi-task with the other tasks',
      apply: (cfg) => ({ ...cfg, tasks: [o.task, ...o.otherTasks] }),
    },
    {
      name: '+ per-task fine-tuning (two-stage)',
      apply: (cfg) => ({
        ...cfg,
        stage2: cfg.stage2 ?? { nEpochs: Math.max(1, Math.ceil((cfg.stage1?.nEpochs ?? 3) / 2)) },
      }),
    },
    {
      name: o.sliceMethod === 'attention' ? '+ slice-based learning (attention)' : '+ slice heads',
      apply: (cfg) => ({
        ...cfg,
        slices: [...(o.slices ?? ['has_dash', 'has_semicolon', 'many_pronouns'])],
        sliceMethod: o.sliceMethod ?? 'heads',
      }),
    },
    weakRung(o),
    ...(o.encoder === 'bilstm'
      ? [
          {
            name: '+ auxiliary POS token task',
            apply: (cfg: ExperimentOptions) => ({ ...cfg, auxiliary: { pos: true } }),
          },
        ]
      : []),
    { name: '+ ensemble of the seeds’ models (mean probabilities)', apply: (cfg) => cfg, kind: 'ensemble' },
  ];
}

/**
 * Unlabeled rows (labels never read) and the LF set that labels them, for each task that has one: RTE gets
 * QNLI dev pairs (sentence as premise, question as hypothesis) with the entailment LFs; MRPC gets STS-B train
 * pairs with the paraphrase LFs; SST-2 gets its own train rows past the labeled cap (`maxTrainRows`) with the
 * sentiment LFs.
 */
const WEAK_SOURCES: Readonly<
  Record<string, Partial<GlueWeakConfig> & { fromTask: string; lfs: string; maxRows: number }>
> = {
  RTE: { fromTask: 'QNLI', fromSplit: 'dev', swap: true, lfs: 'entailment', maxRows: 3000 },
  MRPC: { fromTask: 'STS-B', fromSplit: 'train', lfs: 'paraphrase', maxRows: 3000 },
  'SST-2': { fromTask: 'SST-2', fromSplit: 'train', lfs: 'sentiment', maxRows: 20000 },
};

function weakRung(o: LadderOptions): Rung {
  const name = '+ weakly labeled extra data (labeling functions)';
  const task = o.task;
  const main = glueTask(task).name;
  const known = WEAK_SOURCES[main];
  if (!known) {
    return {
      name,
      apply: (cfg) => cfg,
      kind: 'unavailable',
      note: `not run: no labeling functions for ${task} yet (${Object.keys(WEAK_SOURCES).join(', ')} have them)`,
    };
  }
  const source = o.weakMaxRows === undefined ? known : { ...known, maxRows: o.weakMaxRows };
  const ownRows = source.fromTask === main;
  const cap = o.base.maxTrainRows;
  if (ownRows && cap === undefined) {
    return {
      name,
      apply: (cfg) => cfg,
      kind: 'unavailable',
      note: `not run: the weak rows are ${main} train rows past the labeled ones; cap them with --max-train-rows`,
    };
  }
  return {
    name,
    // the task's own train rows: those past the labeled cap (loadWeakRows refuses an overlap)
    apply: (cfg) => ({ ...cfg, weak: ownRows ? { ...source, skipRows: cap } : source }),
    note: ownRows
      ? `${main} train rows past the labeled ones (≤ ${source.maxRows}, labels unused), ${source.lfs} LFs, label model`
      : `${source.fromTask} ${source.fromSplit} pairs (≤ ${source.maxRows}, labels unused), ${source.lfs} LFs, label model`,
  };
}

function stats(values: number[]): { mean: number; sd: number } {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const sd =
    values.length > 1 ? Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / (values.length - 1)) : 0;
  return { mean, sd };
}

/** The model that predicts the main task after an experiment (stage 2's when it ran). */
function mainModel(r: ExperimentResult, task: string): MultitaskModel {
  return r.finetuned.get(task) ?? r.model;
}

function disposeRun(r: ExperimentResult): void {
  r.model.dispose();
  for (const m of r.finetuned.values()) m.dispose();
}

/** Mean of the members' dev probabilities (regression: values), scored with the task's first metric. */
function ensembleScore(runs: ExperimentResult[], task: string): number {
  const name = glueTask(task).name;
  const preds = runs.map((r) => {
    const valid = r.built.payloads.find((p) => p.split === 'valid' && p.tasks.includes(name))!;
    return {
      p: mainModel(r, name)
        .predict(valid, { tasks: [name] })
        .get(name)!,
      metric: r.model.task(name).metrics[0]!,
    };
  });
  const { k, golds } = preds[0]!.p;
  const mean = new Float32Array(preds[0]!.p.probs.length);
  for (const { p } of preds) p.probs.forEach((v, i) => (mean[i] = mean[i]! + v / preds.length));
  const gold = [...golds.values()][0]!;
  const pred = glueTask(name).head.kind === 'regression' ? mean : predsFromProbs(mean, k);
  return new Scorer({ metrics: [preds[0]!.metric] }).score(gold, pred)[preds[0]!.metric]!;
}

/**
 * Runs the supervision ladder on one GLUE task: each rung adds one signal to the previous rung's setup and
 * trains it once per seed; the table reports the main task's dev metric as mean ± sd and the change from the
 * previous rung (rungs that do not help show a negative change). Nothing is tuned on test data.
 *
 * @example
 * ```ts
 * const rows = await runLadder({ task: 'RTE', otherTasks: ['MRPC'], seeds: [0, 1, 2], encoder: 'bilstm', base: { stage1: { nEpochs: 3 } } });
 * rows[1]; // { rung: '+ GloVe (transfer)', metric: 'RTE/RTE/valid/accuracy', mean: 0.55, sd: 0.01, … }
 * ```
 */
export async function runLadder(o: LadderOptions): Promise<LadderRow[]> {
  if (o.seeds.length === 0) throw new MmtlError('E_ARG', "Argument 'seeds' passed to 'runLadder' is empty");
  if (o.encoder === 'bert' && !o.bertDir)
    throw new MmtlError('E_ARG', 'the BERT ladder needs --bert-dir <Hugging Face folder>');
  const log = o.log ?? (() => undefined);
  const main = glueTask(o.task).name;
  const rows: LadderRow[] = [];
  let cfg: ExperimentOptions = { ...o.base, tasks: [main] };
  let previous: ExperimentResult[] = [];
  let previousMean: number | null = null;
  const metric = (r: ExperimentResult) => r.tasks[main]!;
  try {
    for (const rung of rungs(o)) {
      if (rung.kind === 'unavailable') {
        rows.push({
          rung: rung.name,
          metric: '',
          values: [],
          mean: Number.NaN,
          sd: Number.NaN,
          delta: null,
          note: rung.note,
        });
        log(`${rung.name}: ${rung.note}`);
        continue;
      }
      if (rung.kind === 'ensemble') {
        const value = ensembleScore(previous, main);
        const m = metric(previous[0]!).metric;
        rows.push({
          rung: rung.name,
          metric: m,
          values: [value],
          mean: value,
          sd: 0,
          delta: previousMean === null ? null : value - previousMean,
          note: `${previous.length} members`,
        });
        log(`${rung.name}: ${value.toFixed(4)}`);
        continue;
      }
      cfg = rung.apply(cfg, o);
      for (const r of previous) disposeRun(r);
      previous = [];
      for (const seed of o.seeds) {
        const runDir =
          o.base.runDir === undefined ? undefined : `${o.base.runDir}/rung${rows.length + 1}-seed${seed}`;
        const r = await runExperiment(
          parseExperiment({
            ...cfg,
            seed,
            name: `${main}-rung${rows.length + 1}-s${seed}`,
            ...(runDir ? { runDir } : {}),
          }),
          { overwrite: true },
        );
        previous.push(r);
        const t = metric(r);
        log(
          `${rung.name} seed ${seed}: ${t.metric} = ${(t.stage2 ?? t.stage1).toFixed(4)} (${r.seconds.toFixed(0)} s)`,
        );
      }
      const values = previous.map((r) => metric(r).stage2 ?? metric(r).stage1);
      const { mean, sd } = stats(values);
      rows.push({
        rung: rung.name,
        metric: metric(previous[0]!).metric,
        values,
        mean,
        sd,
        delta: previousMean === null ? null : mean - previousMean,
        ...(rung.note ? { note: rung.note } : {}),
      });
      previousMean = mean;
    }
  } finally {
    for (const r of previous) disposeRun(r);
  }
  return rows;
}

/** The ladder as a Markdown table. */
export function ladderMarkdown(task: string, rows: readonly LadderRow[]): string {
  const metric =
    rows
      .find((r) => r.metric)
      ?.metric.split('/')
      .at(-1) ?? 'metric';
  const lines = [
    `| ${task} rung | dev ${metric} (mean ± sd) | change | seeds | note |`,
    '|---|---|---|---|---|',
  ];
  for (const r of rows) {
    const v = Number.isNaN(r.mean) ? '—' : `${(100 * r.mean).toFixed(1)} ± ${(100 * r.sd).toFixed(1)}`;
    const d =
      r.delta === null
        ? ''
        : `${r.delta >= 0 ? '+' : ''}${(100 * r.delta).toFixed(1)}${r.delta < 0 ? ' (does not help)' : ''}`;
    lines.push(`| ${r.rung} | ${v} | ${d} | ${r.values.length || ''} | ${r.note ?? ''} |`);
  }
  return `${lines.join('\n')}\n`;
}
