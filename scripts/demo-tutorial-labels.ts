// The demo's end models trained on the label model fit to the tutorial's own 10 LF outputs (WRENCH weak labels
// in data/wrench/youtube, seed 123, 500 epochs, as the tutorial), 3 seeds: valid and test accuracy.
//   npx tsx scripts/demo-tutorial-labels.ts ngrams,bilstm+ngrams
import { LabelModel, Payload, accuracy, readWrenchSplit, softLabels } from '../src/index.js';
import { readSplit } from '../examples/spam/data.js';
import { buildEndModel, datasetFor, trainEndModel } from '../examples/spam/end-models.js';
const { L } = await readWrenchSplit('data/wrench/youtube/train.json');
const lm = new LabelModel(2);
lm.fit(L, { seed: 123, nEpochs: 500 });
const probs = softLabels(lm.predictProba(L), L, 2);
const [train, valid, test] = await Promise.all(['train', 'valid', 'test'].map((s) => readSplit('data', s)));
for (const name of process.argv[2]!.split(',')) {
  for (const seed of [0, 1, 2]) {
    const m = await buildEndModel(name, {}, { train: train!.comments, dataDir: 'data', seed });
    await trainEndModel(m, { train: train!, probs, valid: valid!, seed });
    const acc = (s: typeof test) =>
      accuracy(
        s!.gold,
        m.model
          .predict(
            new Payload({
              dataset: datasetFor(m, s!),
              split: 'test',
              batchSize: 128,
              labelsToTasks: { gold: 'spam' },
            }),
          )
          .get('spam')!.preds,
      );
    process.stdout.write(
      `${name} seed ${seed}: valid ${(acc(valid) * 100).toFixed(1)} test ${(acc(test) * 100).toFixed(1)}\n`,
    );
    m.model.dispose();
  }
}
