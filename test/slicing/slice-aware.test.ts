import { describe, expect, it } from 'vitest';
import type { Module } from '../../src/nn/index.js';
import { SliceCombiner, addSliceAwareLabels, sliceAwareTasks } from '../../src/slicing/index.js';
import { Dataset, MultitaskModel, Payload } from '../../src/tasks/index.js';
import { manualSeed, noGrad, tensor, tidy, type Tensor } from '../../src/tensor/index.js';
import { Trainer } from '../../src/training/index.js';
import { headTask, threeClassData } from './fixtures.js';

const run = (m: Module, ...xs: Tensor[]): Tensor => (m.forward as (...a: Tensor[]) => Tensor)(...xs);

describe('sliceAwareTasks', () => {
  it('trains a slice-aware 3-class model end to end; the base head predicts from the combined representation', async () => {
    manualSeed(0);
    const train = threeClassData('toy', 600, 1);
    const valid = threeClassData('toy', 300, 2);
    const base = headTask('y', 3, 16);
    const sa = sliceAwareTasks(base, train.S.names);
    expect(sa.slices).toEqual(['base', 'corner', 'left']);
    expect(sa.tasks.map((t) => t.name)).toEqual([
      'y',
      'y:ind:base',
      'y:ind:corner',
      'y:ind:left',
      'y:pred:base',
      'y:pred:corner',
      'y:pred:left',
    ]);
    const model = new MultitaskModel(sa.tasks);
    const trainPayload = new Payload({
      dataset: train.ds,
      split: 'train',
      batchSize: 32,
      labelsToTasks: { gold: 'y' },
    });
    const validPayload = new Payload({
      dataset: valid.ds,
      split: 'valid',
      batchSize: 300,
      labelsToTasks: { gold: 'y' },
    });
    const added = addSliceAwareLabels(trainPayload, sa, train.S);
    expect(added).toContain('gold:pred:corner');
    const predCorner = train.ds.labelSet('gold:pred:corner').values;
    const gold = train.ds.labelSet('gold').values;
    const corner = train.S.column(0);
    for (let i = 0; i < 20; i++) expect(predCorner[i]).toBe(corner[i] === 1 ? gold[i] : -1);

    const before = model.score([validPayload])['y/toy/valid/accuracy']!;
    const result = await new Trainer({ nEpochs: 12, optimizer: { lr: 0.02 }, tensorboard: false }).fit(
      model,
      [trainPayload, validPayload],
    );
    const metrics = result.history.at(-1)!.metrics;
    for (const t of ['y', 'y:ind:corner', 'y:pred:corner', 'y:pred:base']) {
      expect(Number.isFinite(metrics[`${t}/toy/train/loss`])).toBe(true);
    }
    const after = result.finalMetrics['y/toy/valid/accuracy']!;
    expect(after).toBeGreaterThan(Math.max(0.75, before));

    // The base task's graph: body → indicators, experts, shared predictor → combiner → the original head.
    const y = model.task('y');
    expect(y.ops.at(-1)).toEqual({ name: 'y:head', module: 'y_head', inputs: ['y:combine'] });
    expect(y.modules.y_head).toBe(base.modules.y_head);
    expect(model.modules.get('y:combiner')).toBeInstanceOf(SliceCombiner);
    expect(model.modules.get('y:pred:base')).toBeUndefined(); // one shared predictor module
    expect(model.modules.get('y:pred')).toBeDefined();

    // Recompute the base task's logits by hand from the modules: they match the model's predictions.
    const probs = model.predict(validPayload, { tasks: ['y'] }).get('y')!.probs;
    model.eval();
    tidy(() =>
      noGrad(() => {
        const x = tensor(valid.ds.inputs.x!.values).reshape([300, 2]); // [N, 2]
        const mod = (name: string): Module => model.modules.get(name)!;
        const neck = run(mod('body'), x); // [N, 16]
        const ind = sa.slices.map((s) => run(mod(`y:ind:${s}`), neck)); // S × [N, 2]
        const experts = sa.slices.map((s) => run(mod(`y:expert:${s}`), neck)); // S × [N, 16]
        const preds = experts.map((r) => run(mod('y:pred'), r)); // S × [N, 3]
        const z = run(mod('y:combiner'), ...ind, ...preds, ...experts); // [N, 16]
        const manual = run(mod('y_head'), z).softmax(-1).toArray(); // [N, 3]
        manual.forEach((v, i) => expect(v).toBeCloseTo(probs[i]!, 5));
      }),
    );
    model.dispose();
  });

  it('supports regression heads (attention from slice membership alone)', async () => {
    manualSeed(1);
    const { ds, S } = threeClassData('toy', 64, 3);
    const yr = Float32Array.from(ds.labelSet('gold').values, (v) => v / 2);
    ds.addLabelSet('score', { kind: 'regression', values: yr });
    const sa = sliceAwareTasks(headTask('r', 1, 8, 'regression'), S.names);
    expect((sa.tasks[0]!.modules['r:combiner'] as SliceCombiner).confidence).toBe('none');
    const model = new MultitaskModel(sa.tasks);
    const p = new Payload({ dataset: ds, split: 'train', batchSize: 16, labelsToTasks: { score: 'r' } });
    addSliceAwareLabels(p, sa, S);
    expect(Number.isNaN(ds.labelSet('score:pred:corner').values.find((_, i) => S.get(i, 0) !== 1))).toBe(
      true,
    );
    const result = await new Trainer({ nEpochs: 1, tensorboard: false }).fit(model, [p]);
    expect(Number.isFinite(result.history[0]!.metrics['model/all/train/loss'])).toBe(true);
    expect(model.predict(p, { tasks: ['r'] }).get('r')!.preds).toHaveLength(64);
    model.dispose();
  });

  it('names the argument and function in errors', () => {
    const t = headTask('y', 3);
    expect(() => sliceAwareTasks(t, ['base'])).toThrow(/'sliceNames' passed to 'sliceAwareTasks'/);
    expect(() => sliceAwareTasks(headTask('m', 3, 8, 'multilabel'), ['a'])).toThrow(/has type 'multilabel'/);
    const sa = sliceAwareTasks(t, ['a']);
    const ds = new Dataset({
      name: 'd',
      inputs: { x: { kind: 'dense', values: new Float32Array(4), shape: [2, 2] } },
    });
    ds.addLabelSet('g', { kind: 'class', values: Int32Array.of(0, 1), cardinality: 3 });
    const p = new Payload({ dataset: ds, split: 'train', batchSize: 2, labelsToTasks: { g: 'other' } });
    expect(() => addSliceAwareLabels(p, sa, threeClassData('x', 2, 0).S)).toThrow(
      /routes no label set to task 'y'/,
    );
  });
});
