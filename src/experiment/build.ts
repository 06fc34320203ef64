import { join } from 'node:path';
import { MmtlError } from '../core/index.js';
import { POS_TAGS, PosTagger, alignTags, wordTokenizeWithOffsets, type WordVocab } from '../data/index.js';
import { glueTask, loadGlueSplit, type GlueRow } from '../glue/index.js';
import { Linear } from '../nn/index.js';
import { Dataset, MultitaskModel, Payload, Task, tokenLabels } from '../tasks/index.js';
import {
  addSliceAwareLabels,
  addSliceHeads,
  applySFs,
  sentenceSFs,
  sliceAwareTasks,
} from '../slicing/index.js';
import { manualSeed } from '../tensor/index.js';
import {
  customDataset,
  customTask,
  customTaskMeta,
  goldLabelSet,
  loadCustomTask,
  textOf,
  vocabularyTexts,
  type CustomTaskMeta,
  type LoadedCustomTask,
} from './custom-task.js';
import { ENCODERS, type SharedEncoder, type TextEncoding } from './encoder.js';
import type { RunFolder } from './run-folder.js';
import { isFileWeak, type ExperimentConfig } from './schema.js';
import { isCustomTask } from './task-config.js';
import {
  fileWeakPayload,
  glueWeakPayload,
  loadGlueWeakRows,
  readWeakTable,
  type WeakPayload,
  type WeakSummary,
} from './weak.js';

export type { WeakSummary } from './weak.js';

/** The data of one GLUE task, loaded for an experiment. */
export interface TaskData {
  task: string;
  train: Dataset;
  valid: Dataset;
  trainRows: GlueRow[];
  validRows: GlueRow[];
}

/** A custom task of an experiment, loaded and encoded. */
export interface CustomTaskData {
  /** The task's files and settings. */
  loaded: LoadedCustomTask;
  /** Its classes and standardization (saved as `tasks.json`). */
  meta: CustomTaskMeta;
  train: Dataset;
  valid?: Dataset | undefined;
  test?: Dataset | undefined;
}

/** Everything an experiment trains: the model, its payloads and how to encode new rows. */
export interface BuiltExperiment {
  model: MultitaskModel;
  /** Train and valid payloads (what the trainer sees). */
  payloads: Payload[];
  /** Test payloads of custom tasks with a `test` file (scored once at the end). */
  tests: Payload[];
  /** The GLUE tasks' data. */
  data: TaskData[];
  /** The custom tasks' data. */
  custom: CustomTaskData[];
  /** Encodes GLUE rows of `task` the way the training data was encoded (for predict / submissions). */
  encode(task: string, rows: readonly GlueRow[]): Dataset;
  /** The text encoder's data side (absent when every task is tabular). */
  encoding?: TextEncoding | undefined;
  /** The word vocabulary (word encoders). */
  vocab?: WordVocab | undefined;
  /** Per custom task: its classes and standardization. */
  meta: Record<string, CustomTaskMeta>;
  /** With `weak`: what the labeling functions and the label model made of the extra rows. */
  weak?: WeakSummary;
  /**
   * What the user should know about the build but that does not stop it, e.g. a BERT checkpoint without
   * pooler weights (kept in `results.json`, printed by `mmtl train`).
   */
  warnings: string[];
}

/** Options of {@link buildExperiment}. */
export interface BuildExperimentOptions {
  /**
   * The run folder of a run being resumed: the word vocabulary and the custom tasks' classes and
   * standardization come from it (so the data side matches the checkpoints even if files changed).
   */
  saved?: RunFolder | undefined;
}

const POS_TASK = 'POS';

/**
 * The name of every task of an experiment, in order (GLUE tasks as GLUE spells them).
 *
 * @example
 * ```ts
 * experimentTaskNames(parseExperiment({ tasks: ['rte'] })); // ['RTE']
 * ```
 */
export function experimentTaskNames(cfg: Pick<ExperimentConfig, 'tasks'>): string[] {
  return cfg.tasks.map((t) => (isCustomTask(t) ? t.name : glueTask(t).name));
}

function needsText(custom: readonly LoadedCustomTask[], glueCount: number): boolean {
  return glueCount > 0 || custom.some((c) => c.input.kind === 'text');
}

/**
 * Loads the data and builds the model and payloads of an experiment (no training). GLUE tasks load from
 * `glueDir`; custom tasks from their files (their errors name the file, line and field). Text tasks share the
 * encoder, tabular tasks get an MLP each; every head is created after `manualSeed(cfg.seed)` in task order.
 *
 * @example
 * ```ts
 * const built = await buildExperiment(parseExperiment({ tasks: ['RTE'] }));
 * built.model.taskNames(); // ['RTE']
 * ```
 */
export async function buildExperiment(
  cfg: ExperimentConfig,
  options: BuildExperimentOptions = {},
): Promise<BuiltExperiment> {
  const glueNames: string[] = [];
  const customCfgs: { cfg: Extract<ExperimentConfig['tasks'][number], object>; i: number }[] = [];
  cfg.tasks.forEach((t, i) => {
    if (isCustomTask(t)) customCfgs.push({ cfg: t, i });
    else glueNames.push(glueTask(t).name);
  });
  const capOf = (i: number) =>
    i > 0 && cfg.auxMaxTrainRows !== undefined
      ? Math.min(cfg.auxMaxTrainRows, cfg.maxTrainRows ?? Infinity)
      : cfg.maxTrainRows;
  const loaded = await Promise.all(
    cfg.tasks.flatMap((task, i) => {
      if (isCustomTask(task)) return [];
      const spec = glueTask(task);
      return [
        (async () => {
          const train = await loadGlueSplit(cfg.glueDir, spec.name, 'train', { maxRows: capOf(i) });
          const valid = await loadGlueSplit(cfg.glueDir, spec.name, spec.validSplit ?? 'dev');
          return { task: spec.name, trainRows: train.rows, validRows: valid.rows };
        })(),
      ];
    }),
  );
  const custom = await Promise.all(
    customCfgs.map(({ cfg: t, i }) => loadCustomTask(t, `tasks[${i}]`, capOf(i))),
  );
  const w = cfg.weak;
  const mainName = isCustomTask(cfg.tasks[0]!) ? cfg.tasks[0].name : glueTask(cfg.tasks[0]!).name;
  if (w && !isFileWeak(w) && isCustomTask(cfg.tasks[0]!)) {
    throw new MmtlError(
      'E_CONFIG',
      `weak: { fromTask: ${w.fromTask} } labels a GLUE main task, but the first task is '${mainName}'`,
      {
        hint: 'for a task of your own, write weak: { task, data: unlabeled.csv, lfs: ./lfs.ts }',
      },
    );
  }
  const glueWeakRows = w && !isFileWeak(w) ? await loadGlueWeakRows(cfg, w, mainName) : [];
  const weakTask = w && isFileWeak(w) ? custom.find((c) => c.cfg.name === w.task)! : undefined;
  const weakTable = w && isFileWeak(w) ? await readWeakTable(w, weakTask!) : undefined;

  const savedMeta =
    options.saved && custom.length > 0
      ? ((await options.saved.readJson(
          options.saved.tasks,
          'tasks.json',
          'runs with tasks of your own write tasks.json',
        )) as Record<string, CustomTaskMeta>)
      : {};
  const meta: Record<string, CustomTaskMeta> = {};
  for (const c of custom) meta[c.cfg.name] = customTaskMeta(c, savedMeta[c.cfg.name]);

  let encoding: TextEncoding | undefined;
  if (needsText(custom, glueNames.length)) {
    const textsOf = (r: GlueRow) => (r.textB === undefined ? [r.textA] : [r.textA, r.textB]);
    const texts = [
      ...loaded.flatMap((l) => l.trainRows.flatMap(textsOf)),
      ...glueWeakRows.flatMap(textsOf),
      ...custom.flatMap(vocabularyTexts),
      ...(weakTask && weakTable && weakTask.input.kind === 'text'
        ? vocabularyTexts({ ...weakTask, splits: { train: weakTable } })
        : []),
    ];
    encoding = await ENCODERS.get(cfg.encoder.kind).prepare(cfg.encoder, {
      texts,
      maxLength: cfg.maxLength,
      saved: options.saved,
    });
  }
  manualSeed(cfg.seed);
  let model: MultitaskModel;
  let shared: SharedEncoder | undefined;
  const warnings: string[] = [];
  if (encoding) {
    const enc = await ENCODERS.get(cfg.encoder.kind).build(cfg.encoder, encoding, {
      glueTasks: glueNames,
      seed: cfg.seed,
      onWarning: (w) => warnings.push(`encoder: ${w}`),
    });
    model = enc.model;
    shared = enc.shared;
  } else {
    model = new MultitaskModel();
  }
  for (const c of custom) model.addTask(customTask(c, meta[c.cfg.name]!, shared, cfg));
  const encode = (task: string, rows: readonly GlueRow[]): Dataset => {
    if (!encoding) throw new MmtlError('E_STATE', 'buildExperiment: the experiment has no text encoder');
    return encoding.glueDataset(task, rows);
  };
  const data: TaskData[] = loaded.map((l) => ({
    ...l,
    train: encode(l.task, l.trainRows),
    valid: encode(l.task, l.validRows),
  }));
  const ctx = { encoding, maxLength: cfg.maxLength };
  const customData: CustomTaskData[] = custom.map((c) => {
    const m = meta[c.cfg.name]!;
    const { valid, test } = c.splits;
    return {
      loaded: c,
      meta: m,
      train: customDataset(c, m, c.splits.train, 'train', ctx),
      valid: valid && customDataset(c, m, valid, 'valid', ctx),
      test: test && customDataset(c, m, test, 'test', ctx),
    };
  });
  const extraLabels = new Map<string, Record<string, string>>();
  if (cfg.auxiliary.pos) addPosTask(cfg, model, data, extraLabels);
  const payloads = data.flatMap((d) => {
    const gold = glueTask(d.task).goldLabelSet;
    const train = new Payload({
      dataset: d.train,
      split: 'train',
      batchSize: cfg.batchSize,
      labelsToTasks: { [gold]: d.task },
    });
    if (cfg.slices.length > 0) {
      const rows = d.trainRows.map((r) => ({ textA: r.textA, textB: r.textB ?? '' }));
      addSlices(cfg.slices, cfg.sliceMethod, model, d.task, rows, train);
    }
    for (const [labelSet, task] of Object.entries(extraLabels.get(d.task) ?? {}))
      train.addLabelSet(labelSet, task);
    return [
      train,
      new Payload({
        dataset: d.valid,
        split: 'valid',
        batchSize: 2 * cfg.batchSize,
        labelsToTasks: { [gold]: d.task },
      }),
    ];
  });
  const tests: Payload[] = [];
  for (const c of customData) {
    const name = c.loaded.cfg.name;
    const route = { [goldLabelSet(name)]: name };
    const train = new Payload({
      dataset: c.train,
      split: 'train',
      batchSize: cfg.batchSize,
      labelsToTasks: route,
    });
    const input = c.loaded.input;
    if (cfg.slices.length > 0 && input.kind === 'text' && c.loaded.labelType.taskType !== 'token') {
      const rows = c.loaded.splits.train.rows.map(({ record }) => ({
        textA: textOf(record[input.fields[0]!]),
        textB: input.fields[1] === undefined ? '' : textOf(record[input.fields[1]]),
      }));
      addSlices(cfg.slices, cfg.sliceMethod, model, name, rows, train);
    }
    payloads.push(train);
    if (c.valid) {
      payloads.push(
        new Payload({ dataset: c.valid, split: 'valid', batchSize: 2 * cfg.batchSize, labelsToTasks: route }),
      );
    }
    if (c.test) {
      tests.push(
        new Payload({ dataset: c.test, split: 'test', batchSize: 2 * cfg.batchSize, labelsToTasks: route }),
      );
    }
  }
  let weak: WeakPayload | undefined;
  if (w && isFileWeak(w)) {
    weak = await fileWeakPayload(cfg, w, weakTask!, meta[weakTask!.cfg.name]!, weakTable!, encoding);
  } else if (w) {
    weak = glueWeakPayload(cfg, w, mainName, glueWeakRows, encoding!);
  }
  if (weak) payloads.push(weak.payload);
  return {
    model,
    payloads,
    tests,
    data,
    custom: customData,
    encode,
    encoding,
    vocab: encoding?.vocab,
    meta,
    ...(weak ? { weak: weak.summary } : {}),
    warnings,
  };
}

/** MeTaL's slice heads for the named sentence heuristics (slices of either sentence of a pair). */
function addSlices(
  names: readonly string[],
  method: ExperimentConfig['sliceMethod'],
  model: MultitaskModel,
  task: string,
  rows: readonly { textA: string; textB: string }[],
  train: Payload,
): void {
  const available = sentenceSFs({ field: ['textA', 'textB'] });
  const sfs = names.map((n) => {
    const sf = available.find((f) => f.name === n);
    if (!sf)
      throw new MmtlError(
        'E_UNKNOWN',
        `unknown slice '${n}'; expected one of ${available.map((f) => f.name).join(', ')}`,
      );
    return sf;
  });
  const membership = applySFs(sfs, rows);
  if (method === 'heads') {
    addSliceHeads(model, task, names, { payloads: [{ payload: train, membership }] });
    return;
  }
  const sa = sliceAwareTasks(model.removeTask(task), names);
  for (const t of sa.tasks) model.addTask(t);
  addSliceAwareLabels(train, sa, membership);
}

/** POS tags of text A from the offline tagger, aligned to the word tokens, as a token task over the encoder. */
function addPosTask(
  cfg: ExperimentConfig,
  model: MultitaskModel,
  data: TaskData[],
  extra: Map<string, Record<string, string>>,
): void {
  if (cfg.encoder.kind !== 'bilstm') {
    throw new MmtlError('E_CONFIG', 'auxiliary.pos needs a word encoder', {
      hint: 'set encoder.kind: bilstm, or turn auxiliary.pos off',
    });
  }
  if (data.length === 0) {
    throw new MmtlError('E_CONFIG', 'auxiliary.pos tags the texts of GLUE tasks; this experiment has none', {
      hint: 'turn auxiliary.pos off',
    });
  }
  const tagger = new PosTagger();
  for (const d of data) {
    const tags = d.trainRows.map((r) => {
      const t = tagger.tag(r.textA);
      return alignTags(t.offsets, t.tags, wordTokenizeWithOffsets(r.textA).offsets).subarray(
        0,
        cfg.maxLength,
      );
    });
    // glueWordDataset maps an empty text to one [UNK]: keep lengths aligned
    const fixed = tags.map((t) => (t.length === 0 ? Int32Array.of(-1) : t));
    d.train.addLabelSet('pos', tokenLabels(fixed, POS_TAGS.length, 'tokens'));
    extra.set(d.task, { pos: POS_TASK });
  }
  const first = model.task(data[0]!.task);
  const width = 2 * cfg.encoder.hiddenSize;
  model.addTask(
    new Task({
      name: POS_TASK,
      type: 'token',
      cardinality: POS_TAGS.length,
      modules: {
        embed: first.modules.embed!,
        encoder: first.modules.encoder!,
        POS_head: new Linear(width, POS_TAGS.length),
      },
      ops: [
        { name: 'embed_a', module: 'embed', inputs: ['_input_.tokens'] },
        { name: 'encode_a', module: 'encoder', inputs: ['embed_a', '_input_.tokens_lengths'] },
        { name: 'POS_head', module: 'POS_head', inputs: [['encode_a', 'output']] },
      ],
      lossWeight: cfg.auxiliary.posWeight,
    }),
  );
}

/** Default run folder of an experiment. */
export function defaultRunDir(cfg: ExperimentConfig): string {
  return cfg.runDir ?? join('runs', `${cfg.name}-${new Date().toISOString().replace(/[:.]/g, '-')}`);
}
