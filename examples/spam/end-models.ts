// The demo's end models: classifiers trained on the label model's probabilistic labels, each a multi-task
// model with the main 'spam' head and one MeTaL-style slice head per slice over a shared encoder.
// Encoders: a GloVe + BiLSTM, a bag of n-grams (NgramBag over NgramFeaturizer ids), or both side by side.
import { join } from 'node:path';
import { z } from 'zod';
import {
  BiLSTM,
  Concat,
  Dataset,
  Dropout,
  Embedding,
  Linear,
  MultitaskModel,
  NgramBag,
  NgramFeaturizer,
  NgramFeaturizerOptions,
  Payload,
  Registry,
  Rng,
  Task,
  Trainer,
  WordVocab,
  embeddingMatrixFor,
  loadGloveDir,
  manualSeed,
  sequenceField,
  type Field,
  type Module,
  type InputRef,
  type Operation,
} from '../../src/index.js';
import { SLICES, type Split } from './data.js';
import type { Comment } from './lfs.js';

/** Options of the n-gram encoder: a bag of n-grams (fit on the training comments only) → `dim` features. */
export const NgramEncoderOptions = z.object({
  /** What the n-gram featurizer counts. */
  featurizer: NgramFeaturizerOptions.prefault({ wordNgrams: [1, 2], charNgrams: [2, 5], minDf: 2 }),
  /** Size of the bag's output. */
  dim: z.int().positive().default(32),
  /** How the bag reduces its n-grams. */
  mode: z.enum(['sum', 'mean', 'sqrtn']).default('sqrtn'),
});

/** Options of the BiLSTM encoder: GloVe 100-d → BiLSTM, max-pooled. */
export const BilstmEncoderOptions = z.object({
  /** Keep the GloVe vectors fixed (40% of comment words are not in GloVe, so they are fine-tuned by default). */
  freezeEmbeddings: z.boolean().default(false),
  /** LSTM hidden size per direction. */
  hidden: z.int().positive().default(64),
});

/** Options of an end model: its encoders (their outputs concatenated), dropout, training settings. */
export const EndModelOptions = z
  .object({
    /** The BiLSTM encoder, or null for none. */
    bilstm: BilstmEncoderOptions.nullable().default(null),
    /** The n-gram encoder, or null for none. */
    ngrams: NgramEncoderOptions.nullable().default(null),
    /** Dropout on the encoders' output in training. */
    dropout: z.number().min(0).max(0.9).default(0),
    /** Training epochs (the checkpoint with the best valid accuracy is kept). */
    epochs: z.int().positive().default(10),
    /** Adam learning rate. */
    lr: z.number().positive().default(2e-3),
    /** Adam weight decay (L2). */
    weightDecay: z.number().min(0).default(0),
    /** Training batch size. */
    batchSize: z.int().positive().default(32),
  })
  .refine((o) => o.bilstm !== null || o.ngrams !== null, { message: 'an end model needs bilstm or ngrams' });

/** End-model options as written (every field optional). */
export type EndModelOptions = z.input<typeof EndModelOptions>;

/**
 * The demo's end models by name: option presets, which the caller's options override field by field.
 * - 'bilstm': GloVe (fine-tuned) → BiLSTM (max-pooled) → heads (the demo's first end model).
 * - 'ngrams': a bag of word 1–2-grams and character 2–5-grams → 32 features → heads (fastText's classifier).
 * - 'bilstm+ngrams': both encoders, their outputs concatenated → heads.
 *
 * @example
 * ```ts
 * END_MODELS.get('ngrams'); // { ngrams: {}, lr: 0.01 }
 * ```
 */
export const END_MODELS = new Registry<EndModelOptions>('spam end model')
  .register('bilstm', { bilstm: {} })
  .register('ngrams', { ngrams: {}, lr: 1e-2 })
  .register('bilstm+ngrams', { bilstm: {}, ngrams: {} });

/** A built (untrained) end model. */
export interface EndModel {
  /** The 'spam' head plus one head per slice, over one shared encoder. */
  model: MultitaskModel;
  /** The model's input fields for some comments. */
  inputs(comments: readonly Comment[]): Record<string, Field>;
  /** The options, defaults filled in. */
  options: z.output<typeof EndModelOptions>;
  /** One line describing it, for the log. */
  summary: string;
}

/** What {@link buildEndModel} gets. */
export interface EndModelContext {
  /** Training comments (vocabularies are built from these only). */
  train: readonly Comment[];
  /** Repository data folder (GloVe). */
  dataDir: string;
  /** Seed of the initial weights. */
  seed: number;
}

/**
 * Builds an end model: the named preset (a key of {@link END_MODELS}) with `overrides` on top.
 *
 * @example
 * ```ts
 * const m = await buildEndModel('bilstm+ngrams', { epochs: 5 }, { train: train.comments, dataDir: 'data', seed: 0 });
 * ```
 */
export async function buildEndModel(
  name: string,
  overrides: EndModelOptions,
  ctx: EndModelContext,
): Promise<EndModel> {
  const o = EndModelOptions.parse({ ...END_MODELS.get(name), ...overrides });
  manualSeed(ctx.seed);
  const shared: Record<string, Module> = {};
  const ops: Operation[] = [];
  const outputs: InputRef[] = [];
  const fields: ((comments: readonly Comment[]) => Record<string, Field>)[] = [];
  const parts: string[] = [];
  let width = 0;
  if (o.bilstm) {
    const vocab = WordVocab.build(
      ctx.train.map((c) => c.text),
      { minCount: 1 },
    );
    const glove = await loadGloveDir(join(ctx.dataDir, 'glove-6b-100d-top30k'));
    const { matrix, dims, hitRate } = embeddingMatrixFor(vocab, glove, {
      rng: new Rng(ctx.seed),
      scale: 0.1,
    });
    shared['embed'] = Embedding.fromPretrained(matrix, vocab.size, dims, {
      freeze: o.bilstm.freezeEmbeddings,
      paddingIdx: 0,
    });
    shared['encoder'] = new BiLSTM(dims, o.bilstm.hidden, { pooling: 'max' });
    ops.push(
      { name: 'embed', module: 'embed', inputs: ['_input_.tokens'] },
      { name: 'encode', module: 'encoder', inputs: ['embed', '_input_.tokens_lengths'] },
    );
    outputs.push(['encode', 'pooled']);
    width += 2 * o.bilstm.hidden;
    fields.push((cs) => ({ tokens: sequenceField(cs.map((c) => vocab.encode(c.text).subarray(0, 64))) }));
    parts.push(`GloVe + BiLSTM (${vocab.size} words, ${(hitRate * 100).toFixed(1)}% in GloVe)`);
  }
  if (o.ngrams) {
    const featurizer = NgramFeaturizer.fit(
      ctx.train.map((c) => c.text),
      o.ngrams.featurizer,
    );
    shared['bag'] = new NgramBag(featurizer.size, o.ngrams.dim, { mode: o.ngrams.mode });
    ops.push({ name: 'bag', module: 'bag', inputs: ['_input_.ngrams', '_input_.ngrams_lengths'] });
    outputs.push('bag');
    width += o.ngrams.dim;
    fields.push((cs) => ({ ngrams: sequenceField(cs.map((c) => featurizer.encode(c.text))) }));
    parts.push(`bag of ${featurizer.size - 1} n-grams → ${o.ngrams.dim} (${o.ngrams.mode})`);
  }
  let features: InputRef = outputs[0]!;
  if (outputs.length > 1) {
    shared['concat'] = new Concat();
    ops.push({ name: 'features', module: 'concat', inputs: outputs });
    features = 'features';
  }
  if (o.dropout > 0) {
    shared['dropout'] = new Dropout(o.dropout);
    ops.push({ name: 'dropout', module: 'dropout', inputs: [features] });
    features = 'dropout';
  }
  const headTask = (task: string) =>
    new Task({
      name: task,
      type: 'classification',
      cardinality: 2,
      modules: { ...shared, [`${task}_head`]: new Linear(width, 2) },
      ops: [...ops, { name: `${task}_head`, module: `${task}_head`, inputs: [features] }],
      metrics: ['accuracy', 'f1'],
    });
  return {
    model: new MultitaskModel([headTask('spam'), ...Object.keys(SLICES).map((s) => headTask(`spam_${s}`))]),
    inputs: (comments) => Object.assign({}, ...fields.map((f) => f(comments))) as Record<string, Field>,
    options: o,
    summary: `${parts.join(' ⊕ ')} → heads`,
  };
}

/** Options of {@link trainEndModel}. */
export interface TrainEndModelOptions {
  /** Training comments and their soft labels [N, 2] (rows of zeros: no label, left out). */
  train: Split;
  probs: Float32Array;
  /** Valid comments with gold labels: the checkpoint with the best valid accuracy is kept. */
  valid: Split;
  /** Seed of batch order and dropout. */
  seed: number;
  /** Run folder (metrics, checkpoints); none keeps the best weights in memory. */
  runDir?: string;
  /** Per-epoch progress lines. */
  log?: (line: string) => void;
}

/**
 * The end model's dataset for some comments (gold labels as 'gold').
 *
 * @example
 * ```ts
 * const testPayload = new Payload({ dataset: datasetFor(m, test, 'youtube'), split: 'test', … });
 * ```
 */
export function datasetFor(m: EndModel, split: Split, name = 'youtube'): Dataset {
  return new Dataset({
    name,
    inputs: m.inputs(split.comments),
    labels: { gold: { kind: 'class', values: split.gold, cardinality: 2 } },
  });
}

/**
 * Trains an end model on soft labels: the 'spam' head on all of them, each slice head on its slice's rows,
 * keeping the checkpoint with the best valid accuracy of the 'spam' head.
 *
 * @example
 * ```ts
 * await trainEndModel(m, { train, probs, valid, seed: 0 });
 * ```
 */
export async function trainEndModel(m: EndModel, o: TrainEndModelOptions): Promise<void> {
  const trainDs = datasetFor(m, o.train);
  trainDs.addLabelSet('weak', { kind: 'soft', values: o.probs, cardinality: 2 });
  const labelsToTasks: Record<string, string> = { weak: 'spam' };
  for (const [name, inSlice] of Object.entries(SLICES)) {
    const masked = o.probs.slice();
    o.train.comments.forEach((c, i) => {
      if (!inSlice(c)) masked.fill(0, 2 * i, 2 * i + 2);
    });
    trainDs.addLabelSet(`weak_${name}`, { kind: 'soft', values: masked, cardinality: 2 });
    labelsToTasks[`weak_${name}`] = `spam_${name}`;
  }
  const payloads = [
    new Payload({ dataset: trainDs, split: 'train', batchSize: m.options.batchSize, labelsToTasks }),
    new Payload({
      dataset: datasetFor(m, o.valid),
      split: 'valid',
      batchSize: 128,
      labelsToTasks: { gold: 'spam' },
    }),
  ];
  const trainer = new Trainer({
    nEpochs: m.options.epochs,
    seed: o.seed,
    optimizer: { kind: 'adam', lr: m.options.lr, weightDecay: m.options.weightDecay },
    checkpointMetric: 'spam/youtube/valid/accuracy:max',
    runDir: o.runDir,
    tensorboard: o.runDir !== undefined,
  });
  const log = o.log;
  await trainer.fit(m.model, payloads, {
    onEvaluate: log
      ? (r) =>
          log(
            `epoch ${r.epoch.toFixed(0)}: train loss ${r.metrics['model/all/train/loss']?.toFixed(4)}, valid accuracy ${r.metrics['spam/youtube/valid/accuracy']?.toFixed(3)}`,
          )
      : undefined,
  });
}
