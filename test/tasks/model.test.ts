import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Activation, Embedding, Linear, Sequential } from '../../src/nn/index.js';
import {
  Dataset,
  MultitaskModel,
  Payload,
  Task,
  chainTask,
  collate,
  predsFromProbs,
  sequenceField,
  tokenLabels,
} from '../../src/tasks/index.js';
import { crossEntropy, manualSeed, mseLoss, tensor, tidy } from '../../src/tensor/index.js';

function toyData(): Dataset {
  // 6 rows, 2 features; class labels with abstains, regression targets with a missing value
  return new Dataset({
    name: 'toy',
    inputs: {
      x: { kind: 'dense', values: Float32Array.from([0, 1, 1, 0, 1, 1, 0, 0, 2, 1, 1, 2]), shape: [6, 2] },
    },
    labels: {
      cls: { kind: 'class', values: Int32Array.from([1, -1, 0, 1, -1, 0]), cardinality: 2 },
      reg: { kind: 'regression', values: Float32Array.from([0.5, 1, NaN, 0, 2, 1]) },
      none: { kind: 'class', values: Int32Array.from([-1, -1, -1, -1, -1, -1]), cardinality: 2 },
    },
  });
}

function twoTaskModel(): { model: MultitaskModel; body: Sequential; calls: { n: number } } {
  manualSeed(0);
  const body = new Sequential([new Linear(2, 8), new Activation('relu')]);
  const calls = { n: 0 };
  const forward = body.forward.bind(body);
  body.forward = (x) => {
    calls.n++;
    return forward(x);
  };
  const cls = chainTask({
    name: 'cls',
    type: 'classification',
    cardinality: 2,
    fields: ['x'],
    chain: [
      { name: 'body', module: body },
      { name: 'cls_head', module: new Linear(8, 2) },
    ],
  });
  const reg = chainTask({
    name: 'reg',
    type: 'regression',
    cardinality: 1,
    fields: ['x'],
    chain: [
      { name: 'body', module: body },
      { name: 'reg_head', module: new Linear(8, 1) },
    ],
  });
  return { model: new MultitaskModel([cls, reg]), body, calls };
}

describe('MultitaskModel', () => {
  it('runs a shared op once per batch and counts only supervised rows in the loss', () => {
    const { model, calls } = twoTaskModel();
    const ds = toyData();
    const payload = new Payload({
      dataset: ds,
      split: 'train',
      batchSize: 6,
      labelsToTasks: { cls: 'cls', reg: 'reg' },
    });
    tidy(() => {
      const batch = collate(ds, Int32Array.from([0, 1, 2, 3, 4, 5]), ['cls', 'reg']);
      const { total, parts } = model.calculateLoss(batch, payload);
      expect(calls.n).toBe(1);
      expect([...parts.keys()]).toEqual(['cls/toy/train/loss', 'reg/toy/train/loss']);
      expect(parts.get('cls/toy/train/loss')!.count).toBe(4);
      expect(parts.get('reg/toy/train/loss')!.count).toBe(5);
      // reference: the same losses on the supervised rows only
      const out = model.forward(batch);
      const active = tensor([0, 2, 3, 5], { dtype: 'int64' });
      const ce = crossEntropy(out.get('cls')!.index(active), tensor([1, 0, 1, 0], { dtype: 'int64' })).item();
      const regRows = tensor([0, 1, 3, 4, 5], { dtype: 'int64' });
      const mse = mseLoss(out.get('reg')!.squeeze(1).index(regRows), tensor([0.5, 1, 0, 2, 1])).item();
      expect(parts.get('cls/toy/train/loss')!.loss.item()).toBeCloseTo(ce, 6);
      expect(parts.get('reg/toy/train/loss')!.loss.item()).toBeCloseTo(mse, 6);
      expect(total!.item()).toBeCloseTo(ce + mse, 5);
    });
  });

  it('skips a label set with no supervised row in the batch', () => {
    const { model } = twoTaskModel();
    const ds = toyData();
    const payload = new Payload({
      dataset: ds,
      split: 'train',
      batchSize: 6,
      labelsToTasks: { none: 'cls' },
    });
    tidy(() => {
      const { total, parts } = model.calculateLoss(collate(ds, Int32Array.from([0, 1]), ['none']), payload);
      expect(total).toBeNull();
      expect(parts.size).toBe(0);
    });
  });

  it('scores payloads into task/dataset/split/metric keys', () => {
    const { model } = twoTaskModel();
    const ds = toyData();
    const valid = new Payload({
      dataset: ds,
      split: 'valid',
      batchSize: 4,
      labelsToTasks: { cls: 'cls', reg: 'reg' },
    });
    const scores = model.score([valid]);
    expect(Object.keys(scores).sort()).toEqual([
      'cls/toy/valid/accuracy',
      'reg/toy/valid/pearson',
      'reg/toy/valid/spearman',
    ]);
    expect(scores['cls/toy/valid/accuracy']).toBeGreaterThanOrEqual(0);
  });

  it('saves, loads and rebuilds from config; non-strict load tolerates other heads', async () => {
    const { model } = twoTaskModel();
    const ds = toyData();
    const valid = new Payload({ dataset: ds, split: 'valid', batchSize: 6, labelsToTasks: { cls: 'cls' } });
    const dir = mkdtempSync(join(tmpdir(), 'mmtl-model-'));
    await model.save(join(dir, 'm.safetensors'));
    const copy = MultitaskModel.fromConfig(
      JSON.parse(JSON.stringify(model.toConfig())) as ReturnType<typeof model.toConfig>,
    );
    await copy.load(join(dir, 'm.safetensors'));
    expect([...copy.predict(valid).get('cls')!.probs]).toEqual([...model.predict(valid).get('cls')!.probs]);
    copy.removeTask('reg');
    await expect(copy.load(join(dir, 'm.safetensors'))).rejects.toThrow(/unexpected \[reg_head/);
    const r = await copy.load(join(dir, 'm.safetensors'), { strict: false });
    expect(r.unexpected.sort()).toEqual(['reg_head.bias', 'reg_head.weight']);
  });

  it('rejects a module name clash and an unknown task', () => {
    const { model } = twoTaskModel();
    const clash = chainTask({
      name: 'other',
      type: 'classification',
      cardinality: 2,
      fields: ['x'],
      chain: [{ name: 'body', module: new Linear(2, 2) }],
    });
    expect(() => model.addTask(clash)).toThrow(/differs from the pool's module/);
    expect(() => model.task('nope')).toThrow("unknown task 'nope'; expected one of cls, reg");
  });

  it('trains a token task beside a sentence task, and a task from soft labels', () => {
    manualSeed(1);
    const emb = new Embedding(10, 4);
    const ds = new Dataset({
      name: 'seq',
      inputs: { tokens: sequenceField([[1, 2, 3], [4, 5], [6]]) },
      labels: {
        tags: tokenLabels([[0, 1, -1], [2, 0], [1]], 3, 'tokens'),
        soft: { kind: 'soft', values: Float32Array.from([0.9, 0.1, 0, 0, 0.2, 0.8]), cardinality: 2 },
      },
    });
    const tag = new Task({
      name: 'tag',
      type: 'token',
      cardinality: 3,
      modules: { emb, tag_head: new Linear(4, 3) },
      ops: [
        { name: 'emb', module: 'emb', inputs: ['_input_.tokens'] },
        { name: 'tag_head', module: 'tag_head', inputs: ['emb'] },
      ],
    });
    const pool = new Task({
      name: 'sent',
      type: 'classification',
      cardinality: 2,
      modules: { emb, sent_head: new Linear(4, 2) },
      ops: [
        { name: 'emb', module: 'emb', inputs: ['_input_.tokens'] },
        { name: 'sent_head', module: 'sent_head', inputs: ['emb'] },
      ],
      output: 'sent_head',
    });
    // a sentence head over token embeddings: take the first token
    const sentHead = pool.modules.sent_head as Linear;
    const fwd = sentHead.forward.bind(sentHead);
    sentHead.forward = (x) => fwd(x.select(1, 0));
    const model = new MultitaskModel([tag, pool]);
    const payload = new Payload({
      dataset: ds,
      split: 'train',
      batchSize: 3,
      labelsToTasks: { tags: 'tag', soft: 'sent' },
    });
    tidy(() => {
      const { parts } = model.calculateLoss(
        collate(ds, Int32Array.from([0, 1, 2]), ['tags', 'soft']),
        payload,
      );
      expect(parts.get('tag/seq/train/loss')!.count).toBe(3);
      expect(parts.get('sent/seq/train/loss')!.count).toBe(2); // the zero row is missing
      expect(Number.isFinite(parts.get('tag/seq/train/loss')!.loss.item())).toBe(true);
    });
    const preds = model.predict(payload);
    expect(preds.get('tag')!.preds.length).toBe(6); // one prediction per token
    expect(preds.get('sent')!.probs.length).toBe(6);
  });
});

describe('predsFromProbs', () => {
  it('applies tie policies', () => {
    const p = Float32Array.from([0.5, 0.5, 0.1, 0.9]);
    expect([...predsFromProbs(p, 2, 'first')]).toEqual([0, 1]);
    expect([...predsFromProbs(p, 2, 'abstain')]).toEqual([-1, 1]);
    expect([...predsFromProbs(p, 2, 'random')]).toEqual([...predsFromProbs(p, 2, 'random')]);
    expect(() => predsFromProbs(p, 3)).toThrow(/not a multiple of k=3/);
  });
});
