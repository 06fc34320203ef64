import { join } from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import { assertNoAlias, writeFileAtomic } from '../../core/index.js';
import { COMBINERS, SPLIT_MODES, trainResplits } from '../../ensemble/index.js';
import { glueTask } from '../../glue/index.js';
import { Payload, type MultitaskModel } from '../../tasks/index.js';
import { buildExperiment, defaultRunDir, type BuiltExperiment } from '../experiment/build.js';
import { experimentInputs } from '../experiment/inputs.js';
import { loadExperiment } from '../experiment/load.js';
import type { ExperimentConfig } from '../experiment/schema.js';
import type { CliIo } from '../io.js';

interface EnsembleCliOptions {
  members: number;
  mode: string;
  combiner: string;
  validFraction: number;
  set: string[];
  runDir?: string;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function members(value: string): number {
  const v = Number(value);
  if (!Number.isInteger(v) || v < 2) throw new InvalidArgumentError('must be an integer ≥ 2');
  return v;
}

function fraction(value: string): number {
  const v = Number(value);
  if (!(v > 0 && v < 1)) throw new InvalidArgumentError('must be a number between 0 and 1');
  return v;
}

/** Prefixes metric names with `task/dataset/split/`. */
function keyed(prefix: string, metrics: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(metrics).map(([k, v]) => [`${prefix}/${k}`, v]));
}

/**
 * `mmtl ensemble <experiment> --members 3 --mode resplit|kfold [--combiner mean|weighted|vote]
 * [--valid-fraction 0.1] [--set k=v …] [--run-dir d]`: trains the experiment's main task (the first of
 * `tasks`; the other tasks and stage 2 are left out) as one member per re-split or k-fold train/valid split of
 * its training rows, each member built as the experiment builds its model (seed + member) and selecting its
 * checkpoint on its own valid rows; then scores every member, the mean member and the ensemble on the task's
 * dev split. Prints one JSON line per member and a last one for the ensemble with its gain over the mean
 * member; the run folder holds `config.json`, `vocab.json`, `member-<i>/` and `ensemble.json` (members
 * restore with `restoreRun(dir, { stage: 'member-0' })`).
 *
 * @example
 * ```sh
 * mmtl ensemble exp.yaml --members 3 --mode kfold --combiner mean
 * # {"member":0,"trainRows":1660,"validRows":830,"valid":0.55,"dev":{"RTE/RTE/dev/accuracy":0.552}}
 * # …
 * # {"ensemble":"mean","mode":"kfold","members":3,"dev":{"RTE/RTE/dev/accuracy":0.574},"meanMember":{…},"gainOverMean":{"RTE/RTE/dev/accuracy":0.012},"runDir":"runs/…"}
 * ```
 */
export function registerEnsemble(program: Command, io: CliIo): void {
  program
    .command('ensemble')
    .description("train the experiment's main task as re-split / k-fold members and score their ensemble")
    .argument('<config>', 'experiment file')
    .option('--members <k>', 'members (folds in kfold mode)', members, 3)
    .option('--mode <mode>', `how rows are split: ${SPLIT_MODES.names().join(', ')}`, 'resplit')
    .option('--combiner <name>', `how members combine: ${COMBINERS.names().join(', ')}`, 'mean')
    .option('--valid-fraction <f>', 'share of rows each resplit member validates on', fraction, 0.1)
    .option('--set <key=value>', 'override a setting, e.g. --set stage1.nEpochs=2 (repeatable)', collect, [])
    .option('--run-dir <dir>', 'run folder (default runs/<name>-ensemble-<time>)')
    .action(async (path: string, opts: EnsembleCliOptions) => {
      SPLIT_MODES.get(opts.mode);
      COMBINERS.get(opts.combiner);
      const full = await loadExperiment(path, opts.set);
      const main = glueTask(full.tasks[0]!).name;
      if (full.tasks.length > 1 || full.stage2 !== undefined) {
        io.err(`mmtl ensemble: training ${main} alone in one stage (other tasks and stage 2 are left out)\n`);
      }
      const cfg: ExperimentConfig = { ...full, tasks: [main], stage2: undefined };
      const runDir = opts.runDir ?? defaultRunDir({ ...cfg, name: `${cfg.name}-ensemble` });
      cfg.runDir = runDir;
      await assertNoAlias('mmtl ensemble', experimentInputs(path, cfg), [
        { arg: '--run-dir', path: runDir, tree: true },
      ]);
      // Every member's model is built as the experiment builds it, initialized with seed + member.
      const built: BuiltExperiment[] = [];
      let used = 0;
      try {
        for (let i = 0; i < opts.members; i++)
          built.push(await buildExperiment({ ...cfg, seed: cfg.seed + i }));
        const first = built[0]!;
        await writeFileAtomic(join(runDir, 'config.json'), JSON.stringify(cfg, null, 2));
        if (first.vocab)
          await writeFileAtomic(join(runDir, 'vocab.json'), JSON.stringify(first.vocab.toConfig()));
        const data = first.data[0]!;
        const gold = glueTask(main).goldLabelSet;
        const trainRoutes = Object.fromEntries(
          first.payloads.find((p) => p.split === 'train' && p.dataset === data.train)!.labelsToTasks,
        );
        const split = glueTask(main).validSplit ?? 'dev';
        const dev = new Payload({
          dataset: data.valid,
          split,
          batchSize: 2 * cfg.batchSize,
          labelsToTasks: { [gold]: main },
        });
        const prefix = `${main}/${data.valid.name}/${split}`;
        const metrics = [...first.model.task(main).metrics];
        const r = await trainResplits({
          k: opts.members,
          mode: opts.mode,
          validFraction: opts.validFraction,
          seed: cfg.seed,
          task: main,
          combiner: opts.combiner,
          build: (i): MultitaskModel => {
            used = Math.max(used, i + 1);
            return built[i]!.model;
          },
          dataset: data.train,
          makePayloads: (train, valid) => [
            new Payload({
              dataset: train,
              split: 'train',
              batchSize: cfg.batchSize,
              labelsToTasks: trainRoutes,
            }),
            new Payload({
              dataset: valid,
              split: 'valid',
              batchSize: 2 * cfg.batchSize,
              labelsToTasks: { [gold]: main },
            }),
          ],
          trainer: { ...cfg.stage1, seed: cfg.seed, runDir },
          dev,
          metrics,
          onMember: (m, i) => {
            if (!io.isTTY) io.err(`member ${i}: best ${m.best === null ? '-' : m.best.value.toFixed(4)}\n`);
          },
        });
        used = opts.members;
        try {
          const ev = r.evaluation!;
          const lines: Record<string, unknown>[] = r.members.map((m, i) => ({
            member: i,
            trainRows: m.split.train.length,
            validRows: m.split.valid.length,
            valid: m.best?.value ?? null,
            dev: keyed(prefix, ev.members[i]!.metrics),
          }));
          lines.push({
            ensemble: opts.combiner,
            mode: opts.mode,
            members: opts.members,
            weights: r.ensemble.weights === null ? null : Array.from(r.ensemble.weights),
            dev: keyed(prefix, ev.ensemble.metrics),
            meanMember: keyed(prefix, ev.meanMember.metrics),
            gainOverMean: keyed(prefix, ev.gainOverMean),
            runDir,
          });
          await writeFileAtomic(join(runDir, 'ensemble.json'), JSON.stringify(lines, null, 2));
          for (const line of lines) io.out(`${JSON.stringify(line)}\n`);
        } finally {
          r.ensemble.dispose();
        }
      } finally {
        // models trainResplits never took (it disposes its own on failure)
        for (const b of built.slice(used)) b.model.dispose();
      }
    });
}
