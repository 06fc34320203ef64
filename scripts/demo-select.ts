// Model selection for the demo's end model on the VALID split only (the test split is never read here).
// Trains each candidate on the label model's soft labels with several seeds and prints the mean ± sd of the
// valid accuracy of the kept checkpoint, so the demo's defaults come from valid numbers alone.
//   npx tsx scripts/demo-select.ts [seeds=5] [filter]   (SPAM_CANDIDATES='[[name, preset, options], …]' to try others)
import { join } from 'node:path';
import { LabelModel, Payload, accuracy, applyLFs, softLabels } from '../src/index.js';
import { readSplit } from '../examples/spam/data.js';
import {
  buildEndModel,
  datasetFor,
  trainEndModel,
  type EndModelOptions,
} from '../examples/spam/end-models.js';
import { lfs } from '../examples/spam/lfs.js';

const root = join(import.meta.dirname, '..');
const dataDir = join(root, 'data');
const nSeeds = Number(process.argv[2] ?? 5);
const filter = process.argv[3] ?? '';

/** Candidates: [name, end model, options]. */
const CANDIDATES: [string, string, EndModelOptions][] = (JSON.parse(process.env.SPAM_CANDIDATES ?? 'null') as
  [string, string, EndModelOptions][] | null) ?? [['ngrams default', 'ngrams', {}]];

const [train, valid] = await Promise.all([readSplit(dataDir, 'train'), readSplit(dataDir, 'valid')]);
const Ltrain = applyLFs(lfs, train.comments, { cardinality: 2 }).L;

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const sd = (xs: number[]) =>
  Math.sqrt(xs.reduce((a, b) => a + (b - mean(xs)) ** 2, 0) / Math.max(1, xs.length - 1));
for (const [name, kind, options] of CANDIDATES) {
  if (!name.includes(filter)) continue;
  const accs: number[] = [];
  const t0 = Date.now();
  for (let seed = 0; seed < nSeeds; seed++) {
    const lm = new LabelModel(2);
    lm.fit(Ltrain, { seed });
    const probs = softLabels(lm.predictProba(Ltrain), Ltrain, 2);
    const m = await buildEndModel(kind, options, { train: train.comments, dataDir, seed });
    if (process.env.SPAM_VERBOSE) console.log(m.summary);
    await trainEndModel(m, {
      train,
      probs,
      valid,
      seed,
      log: process.env.SPAM_VERBOSE ? console.log : undefined,
    });
    const payload = new Payload({
      dataset: datasetFor(m, valid),
      split: 'valid',
      batchSize: 128,
      labelsToTasks: { gold: 'spam' },
    });
    accs.push(accuracy(valid.gold, m.model.predict(payload).get('spam')!.preds));
    m.model.dispose();
  }
  const s = (Date.now() - t0) / 1000 / nSeeds;
  console.log(
    `${name.padEnd(40)} valid ${(mean(accs) * 100).toFixed(1)} ± ${(sd(accs) * 100).toFixed(1)}  [${accs.map((a) => (a * 100).toFixed(1)).join(' ')}]  ${s.toFixed(1)} s/run`,
  );
}
