// Issue 4's end-to-end checks on real data: a 2-task model (RTE + MRPC, GloVe, shared BiLSTM) trains,
// checkpoints, resumes exactly and scores with the right keys; a POS token task (tags from the offline
// wink tagger, aligned to the word tokens) trains beside a sentence task.
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Rng } from '../../../src/core/index.js';
import {
  POS_TAGS,
  PosTagger,
  WordVocab,
  alignTags,
  embeddingMatrixFor,
  loadGloveDir,
  wordTokenizeWithOffsets,
} from '../../../src/data/index.js';
import { buildGlueWordModel, glueWordDataset, loadGlueSplit } from '../../../src/glue/index.js';
import { Linear } from '../../../src/nn/index.js';
import { Payload, Task, tokenLabels, type Dataset } from '../../../src/tasks/index.js';
import { manualSeed } from '../../../src/tensor/index.js';
import { Trainer } from '../../../src/training/index.js';

const GLUE = 'data/glue';

async function setup(tasks: string[], rows: number) {
  const splits = await Promise.all(
    tasks.map(async (t) => ({
      task: t,
      train: (await loadGlueSplit(GLUE, t, 'train', { maxRows: rows })).rows,
      dev: (await loadGlueSplit(GLUE, t, 'dev', { maxRows: 120 })).rows,
    })),
  );
  const vocab = WordVocab.build(
    splits.flatMap((s) => s.train.flatMap((r) => [r.textA, r.textB ?? ''])),
    { minCount: 1 },
  );
  const glove = await loadGloveDir('data/glove-6b-100d-top30k');
  const { matrix } = embeddingMatrixFor(vocab, glove, { rng: new Rng(0) });
  const datasets = splits.map((s) => ({
    task: s.task,
    train: glueWordDataset(s.train, { task: s.task, vocab, maxLength: 40 }),
    dev: glueWordDataset(s.dev, { task: s.task, vocab, maxLength: 40 }),
  }));
  return { vocab, matrix, datasets };
}

function payloadsOf(datasets: { task: string; train: Dataset; dev: Dataset }[]): Payload[] {
  return datasets.flatMap((d) => [
    new Payload({
      dataset: d.train,
      split: 'train',
      batchSize: 32,
      labelsToTasks: { [`${d.task}_gold`]: d.task },
    }),
    new Payload({
      dataset: d.dev,
      split: 'valid',
      batchSize: 64,
      labelsToTasks: { [`${d.task}_gold`]: d.task },
    }),
  ]);
}

describe('multi-task training on GLUE (RTE + MRPC, GloVe)', () => {
  it('trains, checkpoints, resumes exactly and scores with task/dataset/split/metric keys', async () => {
    const { vocab, matrix, datasets } = await setup(['RTE', 'MRPC'], 300);
    const build = () => {
      manualSeed(0);
      return buildGlueWordModel({
        tasks: ['RTE', 'MRPC'],
        vocabSize: vocab.size,
        vectors: matrix,
        hiddenSize: 32,
        headHidden: 32,
      });
    };
    const options = { nEpochs: 3, optimizer: { lr: 2e-3 } } as const;
    const fullDir = mkdtempSync(join(tmpdir(), 'mmtl-glue-full-'));
    const full = await new Trainer({ ...options, runDir: fullDir }).fit(build(), payloadsOf(datasets));
    const keys = Object.keys(full.history[0]!.metrics);
    expect(keys).toEqual(
      expect.arrayContaining([
        'RTE/RTE/train/loss',
        'MRPC/MRPC/train/loss',
        'RTE/RTE/valid/accuracy',
        'MRPC/MRPC/valid/acc_f1',
        'MRPC/MRPC/valid/f1',
        'model/all/valid/task_mean',
      ]),
    );
    expect(existsSync(join(fullDir, 'checkpoints', 'best', 'model.safetensors'))).toBe(true);
    expect(full.finalMetrics['MRPC/MRPC/valid/acc_f1']).toBeGreaterThan(0.5);

    const runDir = mkdtempSync(join(tmpdir(), 'mmtl-glue-resume-'));
    const abort = new AbortController();
    const first = await new Trainer({ ...options, runDir }).fit(build(), payloadsOf(datasets), {
      signal: abort.signal,
      onEvaluate: () => abort.abort(),
    });
    expect(first.interrupted).toBe(true);
    const resumed = await new Trainer({ ...options, runDir }).fit(build(), payloadsOf(datasets), {
      resume: true,
    });
    expect(resumed.finalMetrics).toEqual(full.finalMetrics);
    expect(resumed.history.at(-1)!.metrics).toEqual(full.history.at(-1)!.metrics);
  });

  it('trains a POS token task (tags from an off-the-shelf tagger) beside a sentence task', async () => {
    const { vocab, matrix, datasets } = await setup(['SST-2'], 300);
    const tagger = new PosTagger();
    const rows = (await loadGlueSplit(GLUE, 'SST-2', 'train', { maxRows: 300 })).rows;
    const tags = rows.map((r) => {
      const t = tagger.tag(r.textA);
      const words = wordTokenizeWithOffsets(r.textA);
      return alignTags(t.offsets, t.tags, words.offsets).subarray(0, 40);
    });
    const train = datasets[0]!.train;
    train.addLabelSet('pos', tokenLabels(tags, POS_TAGS.length, 'tokens'));
    manualSeed(0);
    const model = buildGlueWordModel({
      tasks: ['SST-2'],
      vocabSize: vocab.size,
      vectors: matrix,
      hiddenSize: 32,
      headHidden: 32,
    });
    const sst = model.task('SST-2');
    model.addTask(
      new Task({
        name: 'POS',
        type: 'token',
        cardinality: POS_TAGS.length,
        modules: {
          embed: sst.modules.embed!,
          encoder: sst.modules.encoder!,
          POS_head: new Linear(64, POS_TAGS.length),
        },
        ops: [
          { name: 'embed_a', module: 'embed', inputs: ['_input_.tokens'] },
          { name: 'encode_a', module: 'encoder', inputs: ['embed_a', '_input_.tokens_lengths'] },
          { name: 'POS_head', module: 'POS_head', inputs: [['encode_a', 'output']] },
        ],
      }),
    );
    const payloads = [
      new Payload({
        dataset: train,
        split: 'train',
        batchSize: 32,
        labelsToTasks: { 'SST-2_gold': 'SST-2', pos: 'POS' },
      }),
      new Payload({
        dataset: train,
        split: 'valid',
        batchSize: 64,
        labelsToTasks: { pos: 'POS' },
        name: 'pos_fit',
      }),
      new Payload({
        dataset: datasets[0]!.dev,
        split: 'valid',
        batchSize: 64,
        labelsToTasks: { 'SST-2_gold': 'SST-2' },
      }),
    ];
    const r = await new Trainer({ nEpochs: 4, optimizer: { lr: 5e-3 } }).fit(model, payloads);
    expect(Object.keys(r.history[0]!.metrics)).toEqual(
      expect.arrayContaining(['POS/SST-2/train/loss', 'SST-2/SST-2/train/loss']),
    );
    // the most frequent tag alone is right on about a quarter of tokens; the token head learns far more
    expect(r.finalMetrics['POS/SST-2/valid/accuracy']).toBeGreaterThan(0.6);
    expect(r.finalMetrics['SST-2/SST-2/valid/accuracy']).toBeGreaterThan(0.4);
  });
});
