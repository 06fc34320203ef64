// The Snorkel spam tutorial done the mmtl way, as a function the demo script and a test both run:
// labeling functions → LF analysis → label model vs majority vote → a GloVe + BiLSTM classifier trained on
// the label model's probabilistic labels, with MeTaL-style slice heads → test accuracy / F1, overall and per slice.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  BiLSTM,
  Dataset,
  Embedding,
  LabelModel,
  LFAnalysis,
  Linear,
  MajorityLabelVoter,
  MultitaskModel,
  Payload,
  Rng,
  Task,
  Trainer,
  WordVocab,
  accuracy,
  applyLFs,
  embeddingMatrixFor,
  f1,
  loadGloveDir,
  manualSeed,
  sequenceField,
  softLabels,
  writeFileAtomic,
  writeRunLFs,
  writeRunReport,
  type LFSummaryRow,
  type Module,
} from '../../src/index.js';
import { lfs, type Comment } from './lfs.js';

/** Options of {@link runSpamDemo}. */
export interface SpamDemoOptions {
  /** Repository data folder (holds wrench/youtube and glove-6b-100d-top30k). */
  dataDir: string;
  /** Where the run writes its files. */
  outDir: string;
  /** Training epochs of the classifier. */
  epochs?: number;
  /** Use only the first N training comments (tests). */
  maxTrain?: number;
  /** Keep the GloVe vectors fixed (default false: fine-tune them; 40% of comment words are not in GloVe). */
  freezeEmbeddings?: boolean;
  /** Seed of everything random. */
  seed?: number;
  /** Progress lines. */
  log?: (line: string) => void;
}

/** Slices: subsets where a classifier may be weak, each with its own head (MeTaL's slice heads). */
export const SLICES: Record<string, (c: Comment) => boolean> = {
  short: (c) => c.text.split(/\s+/).filter(Boolean).length <= 6,
  has_link: (c) => /http|www\.|\.com/i.test(c.text),
};

interface Split {
  comments: Comment[];
  gold: Int32Array;
}

async function readSplit(dir: string, split: string, max?: number): Promise<Split> {
  const raw = JSON.parse(await readFile(join(dir, `${split}.json`), 'utf8')) as Record<
    string,
    { label: number; data: { text: string } }
  >;
  const rows = Object.values(raw).slice(0, max);
  return { comments: rows.map((r) => ({ text: r.data.text })), gold: Int32Array.from(rows, (r) => r.label) };
}

/** What {@link runSpamDemo} returns (also written to `<outDir>/results.json`). */
export interface SpamDemoResult {
  lfSummary: LFSummaryRow[];
  test: {
    majorityVote: { accuracy: number; f1: number };
    labelModel: { accuracy: number; f1: number };
    classifier: { accuracy: number; f1: number };
    slices: Record<string, { size: number; accuracy: number; f1: number }>;
  };
  trainCoverage: number;
  seconds: number;
  /** Path of the HTML report. */
  report?: string;
}

function scores(gold: Int32Array, pred: ArrayLike<number>): { accuracy: number; f1: number } {
  return { accuracy: accuracy(gold, pred), f1: f1(gold, pred) };
}

/**
 * Runs the whole spam pipeline and returns its numbers.
 *
 * @example
 * ```ts
 * const r = await runSpamDemo({ dataDir: 'data', outDir: 'runs/spam' });
 * r.test.labelModel.accuracy; // ≈ 0.86
 * ```
 */
export async function runSpamDemo(options: SpamDemoOptions): Promise<SpamDemoResult> {
  const t0 = Date.now();
  const log = options.log ?? (() => undefined);
  const seed = options.seed ?? 0;
  const dir = join(options.dataDir, 'wrench', 'youtube');
  const [train, valid, test] = await Promise.all([
    readSplit(dir, 'train', options.maxTrain),
    readSplit(dir, 'valid'),
    readSplit(dir, 'test'),
  ]);
  log(
    `comments: ${train.comments.length} train, ${valid.comments.length} valid, ${test.comments.length} test`,
  );

  // 1. Labeling functions → label matrices.
  const L = (s: Split) => applyLFs(lfs, s.comments, { cardinality: 2 }).L;
  const [Ltrain, Lvalid, Ltest] = [L(train), L(valid), L(test)];
  const lfSummary = new LFAnalysis(Lvalid, lfs).lfSummary(valid.gold);
  const trainCoverage = new LFAnalysis(Ltrain).labelCoverage();
  log(`LF coverage on train: ${(trainCoverage * 100).toFixed(1)}%`);

  // 2. Label model vs majority vote (ties broken at random, deterministically, as Snorkel's tutorial).
  const mv = new MajorityLabelVoter(2).predict(Ltest, { tieBreakPolicy: 'random' });
  const lm = new LabelModel(2);
  lm.fit(Ltrain, { seed });
  const lmPred = lm.predict(Ltest, { tieBreakPolicy: 'random' });
  const majorityVote = scores(test.gold, mv);
  const labelModel = scores(test.gold, lmPred);
  log(
    `test accuracy: majority vote ${(majorityVote.accuracy * 100).toFixed(1)}, label model ${(labelModel.accuracy * 100).toFixed(1)}`,
  );

  // 3. Probabilistic training labels; rows no LF voted on are left out (Snorkel's filter_unlabeled).
  const probs = softLabels(lm.predictProba(Ltrain), Ltrain, 2);

  // 4. A GloVe + BiLSTM classifier with one slice head per slice over the shared encoder.
  manualSeed(seed);
  const vocab = WordVocab.build(
    train.comments.map((c) => c.text),
    { minCount: 1 },
  );
  const glove = await loadGloveDir(join(options.dataDir, 'glove-6b-100d-top30k'));
  const { matrix, dims, hitRate } = embeddingMatrixFor(vocab, glove, { rng: new Rng(seed), scale: 0.1 });
  log(`vocabulary ${vocab.size} words, ${(hitRate * 100).toFixed(1)}% in GloVe`);
  const embed = Embedding.fromPretrained(matrix, vocab.size, dims, {
    freeze: options.freezeEmbeddings ?? false,
    paddingIdx: 0,
  });
  const encoder = new BiLSTM(dims, 64, { pooling: 'max' });
  const shared: Record<string, Module> = { embed, encoder };
  const sharedOps = [
    { name: 'embed', module: 'embed', inputs: ['_input_.tokens'] },
    { name: 'encode', module: 'encoder', inputs: ['embed', '_input_.tokens_lengths'] },
  ];
  const headTask = (name: string) =>
    new Task({
      name,
      type: 'classification',
      cardinality: 2,
      modules: { ...shared, [`${name}_head`]: new Linear(128, 2) },
      ops: [...sharedOps, { name: `${name}_head`, module: `${name}_head`, inputs: [['encode', 'pooled']] }],
      metrics: ['accuracy', 'f1'],
    });
  const model = new MultitaskModel([
    headTask('spam'),
    ...Object.keys(SLICES).map((s) => headTask(`spam_${s}`)),
  ]);

  const toDataset = (s: Split, name: string) =>
    new Dataset({
      name,
      inputs: { tokens: sequenceField(s.comments.map((c) => vocab.encode(c.text).subarray(0, 64))) },
      labels: { gold: { kind: 'class', values: s.gold, cardinality: 2 } },
    });
  const trainDs = toDataset(train, 'youtube');
  trainDs.addLabelSet('weak', { kind: 'soft', values: probs, cardinality: 2 });
  const labelsToTasks: Record<string, string> = { weak: 'spam' };
  for (const [name, inSlice] of Object.entries(SLICES)) {
    const masked = probs.slice();
    train.comments.forEach((c, i) => {
      if (!inSlice(c)) masked.fill(0, 2 * i, 2 * i + 2);
    });
    trainDs.addLabelSet(`weak_${name}`, { kind: 'soft', values: masked, cardinality: 2 });
    labelsToTasks[`weak_${name}`] = `spam_${name}`;
  }
  const payloads = [
    new Payload({ dataset: trainDs, split: 'train', batchSize: 32, labelsToTasks }),
    new Payload({
      dataset: toDataset(valid, 'youtube'),
      split: 'valid',
      batchSize: 128,
      labelsToTasks: { gold: 'spam' },
    }),
  ];
  const trainer = new Trainer({
    nEpochs: options.epochs ?? 10,
    seed,
    optimizer: { kind: 'adam', lr: 2e-3 },
    checkpointMetric: 'spam/youtube/valid/accuracy:max',
    runDir: join(options.outDir, 'train'),
  });
  await trainer.fit(model, payloads, {
    onEvaluate: (r) => {
      log(
        `epoch ${r.epoch.toFixed(0)}: train loss ${r.metrics['model/all/train/loss']?.toFixed(4)}, valid accuracy ${r.metrics['spam/youtube/valid/accuracy']?.toFixed(3)}`,
      );
    },
  });

  // 5. Test scores, overall and per slice.
  const testPayload = new Payload({
    dataset: toDataset(test, 'youtube'),
    split: 'test',
    batchSize: 128,
    labelsToTasks: { gold: 'spam' },
  });
  const pred = model.predict(testPayload).get('spam')!.preds;
  const classifier = scores(test.gold, pred);
  const slices: SpamDemoResult['test']['slices'] = {};
  for (const [name, inSlice] of Object.entries(SLICES)) {
    const idx = test.comments.flatMap((c, i) => (inSlice(c) ? [i] : []));
    const g = Int32Array.from(idx, (i) => test.gold[i]!);
    const p = Int32Array.from(idx, (i) => pred[i]!);
    slices[name] = { size: idx.length, ...scores(g, p) };
  }
  log(
    `classifier test accuracy ${(classifier.accuracy * 100).toFixed(1)}, F1 ${(classifier.f1 * 100).toFixed(1)}`,
  );
  model.dispose();
  const result: SpamDemoResult = {
    lfSummary,
    test: { majorityVote, labelModel, classifier, slices },
    trainCoverage,
    seconds: (Date.now() - t0) / 1000,
  };
  await writeFileAtomic(join(options.outDir, 'results.json'), JSON.stringify(result, null, 2));
  const rows = (task: string, r: { accuracy: number; f1: number }) =>
    (['accuracy', 'f1'] as const).map((metric) => ({ task, split: 'test', metric, value: r[metric] }));
  const labelModelWeights = {
    weights: lm.getWeights(),
    lfNames: lfs.map((lf) => lf.name),
    classBalance: lm.getClassBalance(),
  };
  await writeRunLFs(join(options.outDir, 'train'), { lfSummary, labelModel: labelModelWeights });
  result.report = await writeRunReport(join(options.outDir, 'train'), {
    title: 'Spam comments: weak supervision end to end',
    outPath: join(options.outDir, 'report.html'),
    lfSummary,
    labelModel: labelModelWeights,
    scores: [
      ...rows('majority vote', majorityVote),
      ...rows('label model', labelModel),
      ...rows('classifier', classifier),
    ],
    slices: Object.entries(slices).flatMap(([slice, sc]) =>
      (['accuracy', 'f1'] as const).map((metric) => ({
        task: 'spam',
        slice,
        size: sc.size,
        metric,
        score: sc[metric],
        overall: classifier[metric],
        split: 'test',
      })),
    ),
  });
  return result;
}
