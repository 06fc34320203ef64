import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/index.js';
import { SPLIT_MODES, subsetDataset, trainResplits } from '../../src/ensemble/index.js';
import { Activation, Linear, Sequential } from '../../src/nn/index.js';
import {
  Dataset,
  Payload,
  MultitaskModel,
  chainTask,
  sequenceField,
  tokenLabels,
} from '../../src/tasks/index.js';

describe('subsetDataset', () => {
  it('slices dense fields and label sets, re-offsets ragged ones, keeps row ids', () => {
    const ds = new Dataset({
      name: 'toy',
      inputs: {
        x: { kind: 'dense', values: Float32Array.of(0, 1, 2, 3, 4, 5), shape: [3, 2] },
        tokens: sequenceField([[1, 2], [3], [4, 5, 6]], 0),
      },
      labels: {
        gold: { kind: 'class', values: Int32Array.of(1, -1, 0), cardinality: 2 },
        score: { kind: 'regression', values: Float32Array.of(0.5, NaN, 2) },
        soft: { kind: 'soft', values: Float32Array.of(1, 0, 0.5, 0.5, 0, 1), cardinality: 2 },
        tags: tokenLabels([[0, 1], [2], [1, 1, 0]], 3, 'tokens'),
      },
      rowIds: ['r0', 'r1', 'r2'],
    });
    const sub = subsetDataset(ds, [2, 0]);
    expect(sub.name).toBe('toy');
    expect(sub.rowIds).toEqual(['r2', 'r0']);
    expect(sub.inputs.x).toEqual({ kind: 'dense', values: Float32Array.of(4, 5, 0, 1), shape: [2, 2] });
    expect(sub.inputs.tokens).toEqual({
      kind: 'sequence',
      values: Int32Array.of(4, 5, 6, 1, 2),
      offsets: Int32Array.of(0, 3, 5),
      padValue: 0,
    });
    expect(sub.labelSet('gold')).toEqual({ kind: 'class', values: Int32Array.of(0, 1), cardinality: 2 });
    expect(sub.labelSet('score').values).toEqual(Float32Array.of(2, 0.5));
    expect(sub.labelSet('soft').values).toEqual(Float32Array.of(0, 1, 1, 0));
    const tags = sub.labelSet('tags');
    expect(tags.kind === 'token' && Array.from(tags.values)).toEqual([1, 1, 0, 0, 1]);
    expect(subsetDataset(ds, []).size).toBe(0);
    expect(() => subsetDataset(ds, [3])).toThrow(/row 3 at position 0, expected an integer in 0..2/);
  });
});

describe('split modes', () => {
  it('kfold validates every row exactly once; resplit holds out validFraction per member', () => {
    const folds = SPLIT_MODES.get('kfold')({ n: 10, k: 3, validFraction: 0.5, seed: 1 });
    const seen = folds.flatMap((f) => Array.from(f.valid)).sort((x, y) => x - y);
    expect(seen).toEqual(Array.from({ length: 10 }, (_, i) => i));
    for (const f of folds) expect(f.train.length + f.valid.length).toBe(10);
    const re = SPLIT_MODES.get('resplit')({ n: 10, k: 3, validFraction: 0.2, seed: 1 });
    expect(re.map((s) => s.valid.length)).toEqual([2, 2, 2]);
    expect(new Set(re.map((s) => Array.from(s.valid).join())).size).toBeGreaterThan(1);
    expect(() => SPLIT_MODES.get('kfold')({ n: 2, k: 3, validFraction: 0.1, seed: 0 })).toThrow(/2\.\.2/);
    expect(() => SPLIT_MODES.get('loo')).toThrow(/expected one of kfold, resplit/);
  });
});

/** x ~ U[-1, 1]², y = 1[x1 > x2]. */
function synthetic(n: number, seed: number): Dataset {
  const rng = new Rng(seed);
  const x = Float32Array.from({ length: 2 * n }, () => rng.float() * 2 - 1);
  const y = Int32Array.from({ length: n }, (_, i) => (x[2 * i]! > x[2 * i + 1]! ? 1 : 0));
  return new Dataset({
    name: 'syn',
    inputs: { x: { kind: 'dense', values: x, shape: [n, 2] } },
    labels: { gold: { kind: 'class', values: y, cardinality: 2 } },
  });
}

function build(): MultitaskModel {
  return new MultitaskModel([
    chainTask({
      name: 'syn',
      type: 'classification',
      cardinality: 2,
      fields: ['x'],
      chain: [
        { name: 'body', module: new Sequential([new Linear(2, 16), new Activation('relu')]) },
        { name: 'syn_head', module: new Linear(16, 2) },
      ],
    }),
  ]);
}

describe('trainResplits', () => {
  it('trains k members on their own splits and scores members, mean member and ensemble on dev', async () => {
    const dev = new Payload({
      dataset: synthetic(300, 9),
      split: 'test',
      batchSize: 300,
      labelsToTasks: { gold: 'syn' },
    });
    const seen: number[] = [];
    const r = await trainResplits({
      build,
      dataset: synthetic(400, 3),
      k: 3,
      mode: 'kfold',
      seed: 5,
      combiner: 'weighted',
      temperature: 0.1,
      makePayloads: (train, valid) => [
        new Payload({ dataset: train, split: 'train', batchSize: 32, labelsToTasks: { gold: 'syn' } }),
        new Payload({ dataset: valid, split: 'valid', batchSize: 256, labelsToTasks: { gold: 'syn' } }),
      ],
      trainer: { nEpochs: 4, optimizer: { lr: 0.02 }, tensorboard: false },
      dev,
      metrics: ['accuracy', 'f1'],
      onMember: (_m, i) => seen.push(i),
    });
    expect(seen).toEqual([0, 1, 2]);
    expect(r.members).toHaveLength(3);
    for (const m of r.members) {
      expect(m.split.train.length + m.split.valid.length).toBe(400);
      expect(m.best!.value).toBeGreaterThan(0.8);
      expect(m.validMetrics['syn/syn/valid/accuracy']).toBe(m.best!.value);
    }
    expect(r.ensemble.weights!.reduce((s, w) => s + w, 0)).toBeCloseTo(1, 10);
    const ev = r.evaluation!;
    expect(ev.members).toHaveLength(3);
    expect(Object.keys(ev.ensemble.metrics)).toEqual(['accuracy', 'f1']);
    expect(ev.ensemble.metrics.accuracy).toBeGreaterThan(0.85);
    expect(ev.gainOverMean.accuracy).toBeCloseTo(
      ev.ensemble.metrics.accuracy! - ev.meanMember.metrics.accuracy!,
      12,
    );
    // members differ (different splits and initializations)
    const probs = r.members.map((m) => m.model.predict(dev).get('syn')!.probs);
    expect(probs[0]).not.toEqual(probs[1]);
    r.ensemble.dispose();
  });

  it('rejects bad options with E_CONFIG and unknown modes with E_UNKNOWN', async () => {
    const base = { build, dataset: synthetic(20, 1), makePayloads: () => [] };
    await expect(trainResplits({ ...base, validFraction: 1.5 })).rejects.toThrow(/validFraction/);
    await expect(trainResplits({ ...base, mode: 'bootstrap' })).rejects.toThrow(
      /unknown split mode 'bootstrap'/,
    );
  });
});
