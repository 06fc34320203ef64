// The Snorkel spam tutorial done the mmtl way, as a function the demo script and a test both run:
// labeling functions → LF analysis → label model vs majority vote → an end model (examples/spam/end-models.ts)
// trained on the label model's probabilistic labels, with MeTaL-style slice heads, its checkpoint chosen on the
// valid split → test accuracy / F1, overall and per slice.
import { join } from 'node:path';
import {
  LabelModel,
  LFAnalysis,
  MajorityLabelVoter,
  Payload,
  accuracy,
  applyLFs,
  f1,
  softLabels,
  writeFileAtomic,
  writeRunLFs,
  writeRunReport,
  type LFSummaryRow,
} from '../../src/index.js';
import { SLICES, readSplit, type Split } from './data.js';
import { buildEndModel, datasetFor, trainEndModel, type EndModelOptions } from './end-models.js';
import { lfs } from './lfs.js';

export { SLICES } from './data.js';

/** Options of {@link runSpamDemo}. */
export interface SpamDemoOptions {
  /** Repository data folder (holds wrench/youtube and glove-6b-100d-top30k). */
  dataDir: string;
  /** Where the run writes its files. */
  outDir: string;
  /** The end model: a key of END_MODELS (default 'bilstm+ngrams'). */
  endModel?: string;
  /** Options over the end model's preset (encoders, dropout, training settings). */
  endModelOptions?: EndModelOptions;
  /** Training epochs of the end model (overrides its preset's). */
  epochs?: number;
  /** Use only the first N training comments (tests). */
  maxTrain?: number;
  /** Seed of everything random. */
  seed?: number;
  /** Progress lines. */
  log?: (line: string) => void;
}

/** What {@link runSpamDemo} returns (also written to `<outDir>/results.json`). */
export interface SpamDemoResult {
  lfSummary: LFSummaryRow[];
  /** The end model's preset name and one-line description. */
  endModel: { name: string; summary: string };
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
  const [train, valid, test] = await Promise.all([
    readSplit(options.dataDir, 'train', options.maxTrain),
    readSplit(options.dataDir, 'valid'),
    readSplit(options.dataDir, 'test'),
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

  // 4. The end model, one slice head per slice over the shared encoders, its checkpoint chosen on valid.
  const endModel = options.endModel ?? 'bilstm+ngrams';
  const overrides = { ...options.endModelOptions, ...(options.epochs ? { epochs: options.epochs } : {}) };
  const m = await buildEndModel(endModel, overrides, {
    train: train.comments,
    dataDir: options.dataDir,
    seed,
  });
  log(`end model '${endModel}': ${m.summary}`);
  await trainEndModel(m, { train, probs, valid, seed, runDir: join(options.outDir, 'train'), log });

  // 5. Test scores, overall and per slice.
  const testPayload = new Payload({
    dataset: datasetFor(m, test),
    split: 'test',
    batchSize: 128,
    labelsToTasks: { gold: 'spam' },
  });
  const pred = m.model.predict(testPayload).get('spam')!.preds;
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
  m.model.dispose();
  const result: SpamDemoResult = {
    lfSummary,
    endModel: { name: endModel, summary: m.summary },
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
