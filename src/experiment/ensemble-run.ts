// `mmtl ensemble` as a library call: the experiment's main task trained as re-split / k-fold members.
import { MmtlError } from '../core/index.js';
import { COMBINERS, SPLIT_MODES, trainResplits } from '../ensemble/index.js';
import { glueTask } from '../glue/index.js';
import { Payload, type Dataset, type MultitaskModel } from '../tasks/index.js';
import { buildExperiment, experimentTaskNames, type BuiltExperiment } from './build.js';
import { goldLabelSet } from './custom-task.js';
import { defaultRunDir } from './run.js';
import { experimentInputs } from './inputs.js';
import { RunFolder } from './run-folder.js';
import type { ExperimentConfig } from './schema.js';
import { isCustomTask } from './task-config.js';

/** Options of {@link runEnsemble}. */
export interface EnsembleRunOptions {
  /** Members (folds in kfold mode), ≥ 2. */
  members: number;
  /** How rows are split (SPLIT_MODES): resplit or kfold. */
  mode: string;
  /** How members combine (COMBINERS): mean, weighted or vote. */
  combiner: string;
  /** Share of rows each resplit member validates on. */
  validFraction: number;
  /** Run folder (default `runs/<name>-ensemble-<time>`). */
  runDir?: string | undefined;
  /** Replace an existing, non-empty run folder. */
  overwrite?: boolean | undefined;
  /** Called after each member is trained, with its best selection value. */
  onMember?: (i: number, best: number | null) => void;
}

/** One line of the ensemble's report (`ensemble.json`): a member, then the ensemble. */
export type EnsembleLine = Record<string, unknown>;

/** Prefixes metric names with `task/dataset/split/`. */
function keyed(prefix: string, metrics: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(metrics).map(([k, v]) => [`${prefix}/${k}`, v]));
}

/** The main task's train and evaluation data, GLUE or custom. */
function mainData(
  cfg: ExperimentConfig,
  built: BuiltExperiment,
): {
  task: string;
  train: Dataset;
  dev: Dataset;
  gold: string;
  split: string;
} {
  const main = experimentTaskNames(cfg)[0]!;
  if (!isCustomTask(cfg.tasks[0]!)) {
    const d = built.data[0]!;
    return {
      task: main,
      train: d.train,
      dev: d.valid,
      gold: glueTask(main).goldLabelSet,
      split: glueTask(main).validSplit ?? 'dev',
    };
  }
  const c = built.custom[0]!;
  if (!c.valid) {
    throw new MmtlError(
      'E_CONFIG',
      `mmtl ensemble: task '${main}' has no valid file to score the members on`,
      {
        hint: 'add data.valid to the task',
      },
    );
  }
  return { task: main, train: c.train, dev: c.valid, gold: goldLabelSet(main), split: 'valid' };
}

/**
 * Trains the experiment's main task (the first of `tasks`; other tasks and stage 2 are left out) as one
 * member per re-split or k-fold train/valid split of its training rows, each member built as the experiment
 * builds its model (seed + member) and selecting its checkpoint on its own valid rows; then scores every
 * member, the mean member and the ensemble on the task's dev (GLUE) or valid (custom) rows. The run folder
 * holds `config.json`, `vocab.json`, `member-<i>/` and `ensemble.json` (members restore with
 * `restoreRun(dir, { stage: 'member-0' })`). The last line holds `warnings` when a member's build warned
 * (e.g. a BERT checkpoint without pooler weights).
 *
 * @example
 * ```ts
 * const lines = await runEnsemble(cfg, { members: 3, mode: 'kfold', combiner: 'mean', validFraction: 0.1 });
 * lines.at(-1); // { ensemble: 'mean', mode: 'kfold', members: 3, dev: { 'RTE/RTE/dev/accuracy': 0.574 }, gainOverMean: {…}, runDir }
 * ```
 */
export async function runEnsemble(full: ExperimentConfig, o: EnsembleRunOptions): Promise<EnsembleLine[]> {
  SPLIT_MODES.get(o.mode);
  COMBINERS.get(o.combiner);
  const cfg: ExperimentConfig = { ...full, tasks: [full.tasks[0]!], stage2: undefined };
  const runDir = o.runDir ?? defaultRunDir({ ...cfg, name: `${cfg.name}-ensemble` });
  cfg.runDir = runDir;
  const folder = new RunFolder(runDir);
  // Every member's model is built as the experiment builds it, initialized with seed + member.
  const built: BuiltExperiment[] = [];
  let used = 0;
  try {
    for (let i = 0; i < o.members; i++) built.push(await buildExperiment({ ...cfg, seed: cfg.seed + i }));
    const first = built[0]!;
    const warnings = [...new Set(built.flatMap((b) => b.warnings))];
    await folder.claim(o, 'runEnsemble', experimentInputs(cfg));
    if (first.vocab) await folder.writeJson(folder.vocab, first.vocab.toConfig());
    if (first.custom.length > 0) await folder.writeJson(folder.tasks, first.meta);
    await folder.writeJson(folder.config, cfg);
    const m = mainData(cfg, first);
    const trainRoutes = Object.fromEntries(
      first.payloads.find((p) => p.split === 'train' && p.dataset === m.train)!.labelsToTasks,
    );
    const dev = new Payload({
      dataset: m.dev,
      split: m.split,
      batchSize: 2 * cfg.batchSize,
      labelsToTasks: { [m.gold]: m.task },
    });
    const prefix = `${m.task}/${m.dev.name}/${m.split}`;
    const r = await trainResplits({
      k: o.members,
      mode: o.mode,
      validFraction: o.validFraction,
      seed: cfg.seed,
      task: m.task,
      combiner: o.combiner,
      build: (i): MultitaskModel => {
        used = Math.max(used, i + 1);
        return built[i]!.model;
      },
      dataset: m.train,
      makePayloads: (train, valid) => [
        new Payload({ dataset: train, split: 'train', batchSize: cfg.batchSize, labelsToTasks: trainRoutes }),
        new Payload({
          dataset: valid,
          split: 'valid',
          batchSize: 2 * cfg.batchSize,
          labelsToTasks: { [m.gold]: m.task },
        }),
      ],
      trainer: { ...cfg.stage1, seed: cfg.seed, runDir },
      dev,
      metrics: [...first.model.task(m.task).metrics],
      onMember: (member, i) => o.onMember?.(i, member.best?.value ?? null),
    });
    used = o.members;
    try {
      const ev = r.evaluation!;
      const lines: EnsembleLine[] = r.members.map((member, i) => ({
        member: i,
        trainRows: member.split.train.length,
        validRows: member.split.valid.length,
        valid: member.best?.value ?? null,
        dev: keyed(prefix, ev.members[i]!.metrics),
      }));
      lines.push({
        ensemble: o.combiner,
        mode: o.mode,
        members: o.members,
        weights: r.ensemble.weights === null ? null : Array.from(r.ensemble.weights),
        dev: keyed(prefix, ev.ensemble.metrics),
        meanMember: keyed(prefix, ev.meanMember.metrics),
        gainOverMean: keyed(prefix, ev.gainOverMean),
        runDir,
        // what every member's build warned about (e.g. a BERT checkpoint without pooler weights), once
        ...(warnings.length > 0 ? { warnings } : {}),
      });
      await folder.writeJson(folder.ensemble, lines);
      return lines;
    } finally {
      r.ensemble.dispose();
    }
  } finally {
    // models trainResplits never took (it disposes its own on failure)
    for (const b of built.slice(used)) b.model.dispose();
  }
}
