import { join } from 'node:path';
import { MmtlError, Rng } from '../core/index.js';
import {
  BertTokenizer,
  POS_TAGS,
  PosTagger,
  WordVocab,
  alignTags,
  embeddingMatrixFor,
  loadGloveDir,
  wordTokenizeWithOffsets,
} from '../data/index.js';
import {
  WEAK_LF_SETS,
  buildGlueBertModel,
  buildGlueWordModel,
  glueDataset,
  glueTask,
  glueWordDataset,
  loadGlueSplit,
  type GlueRow,
  type GlueSplit,
} from '../glue/index.js';
import { BertModel, Linear } from '../nn/index.js';
import { Dataset, MultitaskModel, Payload, Task, tokenLabels } from '../tasks/index.js';
import { LFAnalysis, applyLFs, type LFSummaryRow } from '../labeling/index.js';
import { LabelModel, softLabels } from '../labelmodel/index.js';
import {
  addSliceAwareLabels,
  addSliceHeads,
  applySFs,
  sentenceSFs,
  sliceAwareTasks,
} from '../slicing/index.js';
import { manualSeed } from '../tensor/index.js';
import type { ExperimentConfig } from './schema.js';

/** The data of one GLUE task, loaded for an experiment. */
export interface TaskData {
  task: string;
  train: Dataset;
  valid: Dataset;
  trainRows: GlueRow[];
  validRows: GlueRow[];
}

/** Everything an experiment trains: the model, its payloads and how to encode new rows. */
export interface BuiltExperiment {
  model: MultitaskModel;
  payloads: Payload[];
  data: TaskData[];
  /** Encodes rows of `task` the way the training data was encoded (for predict / submissions). */
  encode(task: string, rows: readonly GlueRow[]): Dataset;
  /** The word vocabulary (word encoders). */
  vocab?: WordVocab;
  /** With `weak`: what the labeling functions and the label model made of the extra rows. */
  weak?: WeakSummary;
}

/** The weak payload's labeling, for results.json and the run report. */
export interface WeakSummary {
  /** The LF set (a WEAK_LF_SETS name). */
  lfs: string;
  /** Name of the weak train payload. */
  payload: string;
  /** Rows of the weak source. */
  rows: number;
  /** Rows at least one LF voted on (the rows that train). */
  covered: number;
  /** `LFAnalysis.lfSummary()` of the LFs on those rows (no gold: the rows are used as unlabeled). */
  lfSummary: LFSummaryRow[];
  /** The label model's estimated accuracy per LF, in `lfSummary` order. */
  weights: number[];
  /** The class balance the label model learned. */
  classBalance: number[];
}

const POS_TASK = 'POS';

/**
 * Loads the data and builds the model and payloads of an experiment (no training).
 *
 * @example
 * ```ts
 * const built = await buildExperiment(parseExperiment({ tasks: ['RTE'] }));
 * built.model.taskNames(); // ['RTE']
 * ```
 */
export async function buildExperiment(cfg: ExperimentConfig): Promise<BuiltExperiment> {
  const loaded = await Promise.all(
    cfg.tasks.map(async (task, i) => {
      const spec = glueTask(task);
      const maxRows =
        i > 0 && cfg.auxMaxTrainRows !== undefined
          ? Math.min(cfg.auxMaxTrainRows, cfg.maxTrainRows ?? Infinity)
          : cfg.maxTrainRows;
      const train = await loadGlueSplit(cfg.glueDir, spec.name, 'train', { maxRows });
      const valid = await loadGlueSplit(cfg.glueDir, spec.name, spec.validSplit ?? 'dev');
      return { task: spec.name, trainRows: train.rows, validRows: valid.rows };
    }),
  );
  const weakRows = cfg.weak ? await loadWeakRows(cfg) : [];
  manualSeed(cfg.seed);
  let model: MultitaskModel;
  let encode: (task: string, rows: readonly GlueRow[]) => Dataset;
  let vocab: WordVocab | undefined;
  const enc = cfg.encoder;
  if (enc.kind === 'bilstm') {
    const textsOf = (r: GlueRow) => (r.textB === undefined ? [r.textA] : [r.textA, r.textB]);
    const texts = [...loaded.flatMap((l) => l.trainRows.flatMap(textsOf)), ...weakRows.flatMap(textsOf)];
    const v = WordVocab.build(texts, { minCount: enc.minCount });
    vocab = v;
    let vectors: Float32Array | undefined;
    if (enc.embeddings === 'glove') {
      const glove = await loadGloveDir(enc.gloveDir);
      vectors = embeddingMatrixFor(v, glove, { rng: new Rng(cfg.seed) }).matrix;
    }
    model = buildGlueWordModel({
      tasks: cfg.tasks,
      vocabSize: v.size,
      vectors,
      freezeEmbeddings: enc.freezeEmbeddings,
      hiddenSize: enc.hiddenSize,
      attention: enc.attention,
      headHidden: enc.headHidden,
      dropout: enc.dropout,
    });
    encode = (task, rows) => glueWordDataset(rows, { task, vocab: v, maxLength: cfg.maxLength });
  } else {
    const tokenizer = await BertTokenizer.fromDir(enc.dir);
    const bert = await BertModel.fromPretrained(enc.dir);
    model = buildGlueBertModel({ tasks: cfg.tasks, bert, dropout: enc.dropout, headHidden: enc.headHidden });
    encode = (task, rows) => glueDataset(rows, { task, tokenizer, maxLength: cfg.maxLength });
  }
  const data: TaskData[] = loaded.map((l) => ({
    ...l,
    train: encode(l.task, l.trainRows),
    valid: encode(l.task, l.validRows),
  }));
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
    if (cfg.slices.length > 0) addSlices(cfg.slices, cfg.sliceMethod, model, d, train);
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
  let weak: WeakSummary | undefined;
  if (cfg.weak) {
    const w = weakPayload(cfg, weakRows, encode);
    payloads.push(w.payload);
    weak = w.summary;
  }
  return weak === undefined
    ? { model, payloads, data, encode, vocab }
    : { model, payloads, data, encode, vocab, weak };
}

/**
 * The unlabeled rows of the weak-supervision source (labels dropped; pairs premise first), rows
 * `skipRows … skipRows + maxRows` of its file. Rows must have the main task's shape (pair or single sentence),
 * and when the source is the main task's own train file they must not overlap the labeled rows.
 */
async function loadWeakRows(cfg: ExperimentConfig): Promise<GlueRow[]> {
  const w = cfg.weak!;
  const main = glueTask(cfg.tasks[0]!);
  const source = glueTask(w.fromTask);
  const isPair = (t: typeof main) => Object.values(t.splits).some((f) => f.textB !== undefined);
  if (isPair(main) !== isPair(source)) {
    const shape = (t: typeof main) => (isPair(t) ? 'sentence pairs' : 'single sentences');
    throw new MmtlError(
      'E_CONFIG',
      `weak: ${source.name} rows are ${shape(source)} but ${main.name} takes ${shape(main)}; pick a weak.fromTask of the same shape`,
    );
  }
  if (source.name === main.name && w.fromSplit === 'train' && w.skipRows < (cfg.maxTrainRows ?? Infinity)) {
    throw new MmtlError(
      'E_CONFIG',
      `weak: rows ${w.skipRows}… of ${main.name} train are also labeled training rows (maxTrainRows ${cfg.maxTrainRows ?? 'unset: all'}); set maxTrainRows and weak.skipRows ≥ it`,
    );
  }
  const rows = (
    await loadGlueSplit(cfg.glueDir, source.name, w.fromSplit as GlueSplit, {
      maxRows: w.skipRows + w.maxRows,
    })
  ).rows.slice(w.skipRows);
  return rows.map((r) =>
    r.textB === undefined
      ? { line: r.line, textA: r.textA }
      : { line: r.line, textA: w.swap ? r.textB : r.textA, textB: w.swap ? r.textA : r.textB },
  );
}

/**
 * Labels the weak rows with the LF set for the main task, turns the votes into probabilistic labels with the
 * label model, and returns a train payload of those soft labels for the main task (rows no LF voted on are left
 * out: their label rows are zero) with a summary of the labeling.
 */
function weakPayload(
  cfg: ExperimentConfig,
  rows: GlueRow[],
  encode: (task: string, rows: readonly GlueRow[]) => Dataset,
): { payload: Payload; summary: WeakSummary } {
  const main = glueTask(cfg.tasks[0]!);
  if (main.head.kind !== 'classification')
    throw new MmtlError('E_CONFIG', `weak: the main task ${main.name} is not a classification task`);
  const k = main.head.cardinality;
  const pairs = rows.map((r) => ({ textA: r.textA, textB: r.textB }));
  const lfs = WEAK_LF_SETS.get(cfg.weak!.lfs)(main.name);
  const { L } = applyLFs(lfs, pairs, { cardinality: k });
  const lm = new LabelModel(k);
  lm.fit(L, { seed: cfg.seed });
  const probs = softLabels(lm.predictProba(L), L, k);
  const encoded = encode(main.name, rows);
  const dataset = new Dataset({
    name: `${main.name}-weak`,
    inputs: encoded.inputs,
    labels: { weak: { kind: 'soft', values: probs, cardinality: k } },
  });
  const payload = new Payload({
    dataset,
    split: 'train',
    batchSize: cfg.batchSize,
    labelsToTasks: { weak: main.name },
  });
  const analysis = new LFAnalysis(L, lfs);
  const summary: WeakSummary = {
    lfs: cfg.weak!.lfs,
    payload: payload.name,
    rows: L.n,
    covered: Math.round(analysis.labelCoverage() * L.n),
    lfSummary: analysis.lfSummary(),
    weights: [...lm.getWeights()],
    classBalance: lm.getClassBalance(),
  };
  return { payload, summary };
}

/** MeTaL's slice heads for the named sentence heuristics (slices of either sentence of a pair). */
function addSlices(
  names: readonly string[],
  method: ExperimentConfig['sliceMethod'],
  model: MultitaskModel,
  d: TaskData,
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
  const rows = d.trainRows.map((r) => ({ textA: r.textA, textB: r.textB ?? '' }));
  const membership = applySFs(sfs, rows);
  if (method === 'heads') {
    addSliceHeads(model, d.task, names, { payloads: [{ payload: train, membership }] });
    return;
  }
  const sa = sliceAwareTasks(model.removeTask(d.task), names);
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
  const first = model.task(cfg.tasks[0]!);
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
