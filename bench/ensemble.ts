// Ensemble bench: trains k re-split (or k-fold) BiLSTM + frozen GloVe models on a seeded subset of a GLUE task's
// train data (each member selects its checkpoint on its own valid split), scores every member and the mean
// ensemble on the official dev set, and prints one JSON line per member and one for the ensemble (with its
// margin over the mean member and over the best member). Nothing is tuned on dev.
//
//   npm run bench -- ensemble --task SST-2 --train 6000 --members 3 --epochs 5 --hidden 64 --seed 0
//
// Other flags: --mode kfold|resplit, --valid-fraction, --combiner mean|weighted|vote (weighted: softmax over each
// member's own validation accuracy with --temperature), --max-length, --batch-size, --lr, --run-dir.
// Sentence-pair tasks (RTE, MRPC) encode both texts with the shared BiLSTM and classify [u, v, |u−v|, u⊙v].
import { parseArgs } from 'node:util';
import { Rng } from '../src/core/index.js';
import { WordVocab, embeddingMatrixFor, loadGloveDir } from '../src/data/index.js';
import { trainResplits } from '../src/ensemble/index.js';
import { buildGlueWordModel, glueTask, glueWordDataset, loadGlueSplit } from '../src/glue/index.js';
import { Payload, type Dataset } from '../src/tasks/index.js';

const FLAGS = {
  task: { type: 'string', default: 'SST-2' },
  'glue-dir': { type: 'string', default: 'data/glue' },
  glove: { type: 'string', default: 'data/glove-6b-100d-top30k' },
  train: { type: 'string', default: '6000' },
  members: { type: 'string', default: '3' },
  mode: { type: 'string', default: 'resplit' },
  combiner: { type: 'string', default: 'mean' },
  temperature: { type: 'string', default: '1' },
  'valid-fraction': { type: 'string', default: '0.15' },
  epochs: { type: 'string', default: '5' },
  hidden: { type: 'string', default: '64' },
  'max-length': { type: 'string', default: '40' },
  'batch-size': { type: 'string', default: '32' },
  lr: { type: 'string', default: '0.002' },
  seed: { type: 'string', default: '0' },
  'run-dir': { type: 'string' },
} as const;

/** Runs the bench with its flags (see the header). */
export async function run(argv: string[]): Promise<void> {
  const t0 = Date.now();
  const { values: v } = parseArgs({ args: argv, options: FLAGS, strict: true });
  const spec = glueTask(v.task);
  if (spec.head.kind !== 'classification')
    throw new Error(`--task ${spec.name}: this bench trains classifiers only`);
  const seed = Number(v.seed);
  const hidden = Number(v.hidden);
  const maxLength = Number(v['max-length']);
  const [train, dev] = await Promise.all([
    loadGlueSplit(v['glue-dir'], spec.name, 'train'),
    loadGlueSplit(v['glue-dir'], spec.name, 'dev'),
  ]);
  const pool = new Rng(seed).shuffle([...train.rows]).slice(0, Number(v.train));
  const vocab = WordVocab.build(pool.map((r) => `${r.textA} ${r.textB ?? ''}`));
  const glove = await loadGloveDir(v.glove);
  const { matrix, dims, hitRate } = embeddingMatrixFor(vocab, glove, { rng: new Rng(seed), scale: 0.1 });
  const trainDs = glueWordDataset(pool, { task: spec.name, vocab, maxLength });
  const devDs = glueWordDataset(dev.rows, { task: spec.name, vocab, maxLength });
  const labels = { [spec.goldLabelSet]: spec.name };
  const payload = (ds: Dataset, split: 'train' | 'valid' | 'dev', batchSize: number) =>
    new Payload({ dataset: ds, split, batchSize, labelsToTasks: labels });
  const metrics = [...spec.metrics];
  const header = {
    bench: 'ensemble',
    task: spec.name,
    train_rows: pool.length,
    dev_rows: devDs.size,
    vocab: vocab.size,
    glove_hit_rate: Number(hitRate.toFixed(3)),
  };
  const r = await trainResplits({
    build: () =>
      buildGlueWordModel({
        tasks: [spec.name],
        vocabSize: vocab.size,
        embeddingDim: dims,
        vectors: matrix,
        freezeEmbeddings: true,
        hiddenSize: hidden,
        headHidden: hidden,
        dropout: 0,
      }),
    dataset: trainDs,
    k: Number(v.members),
    mode: v.mode,
    combiner: v.combiner,
    temperature: Number(v.temperature),
    validFraction: Number(v['valid-fraction']),
    seed,
    makePayloads: (tr, va) => [payload(tr, 'train', Number(v['batch-size'])), payload(va, 'valid', 256)],
    trainer: {
      nEpochs: Number(v.epochs),
      seed,
      optimizer: { kind: 'adam', lr: Number(v.lr) },
      checkpointMetric: `${spec.name}/${spec.name}/valid/accuracy:max`,
      tensorboard: false,
      ...(v['run-dir'] === undefined ? {} : { runDir: v['run-dir'] }),
    },
    dev: payload(devDs, 'dev', 256),
    metrics,
    onMember: (m, i) =>
      console.error(
        `member ${i}: valid ${m.best?.key} = ${m.best?.value.toFixed(4)} at step ${m.best?.step} (${((Date.now() - t0) / 1000).toFixed(0)} s)`,
      ),
  });
  const ev = r.evaluation!;
  const primary = metrics[0]!;
  r.members.forEach((m, i) =>
    console.log(
      JSON.stringify({ ...header, model: `member_${i}`, valid: m.best?.value, dev: ev.members[i]!.metrics }),
    ),
  );
  const best = Math.max(...ev.members.map((m) => m.metrics[primary]!));
  const round = (x: number) => Number(x.toFixed(4));
  console.log(
    JSON.stringify({
      ...header,
      model: 'ensemble',
      combiner: r.ensemble.combiner,
      members: r.members.length,
      mode: v.mode,
      dev: ev.ensemble.metrics,
      mean_member: ev.meanMember.metrics,
      [`gain_over_mean_${primary}`]: round(ev.gainOverMean[primary]!),
      [`gain_over_best_${primary}`]: round(ev.ensemble.metrics[primary]! - best),
      seconds: round((Date.now() - t0) / 1000),
    }),
  );
  r.ensemble.dispose();
}
