import { describe, expect, it } from 'vitest';
import { Linear } from '../../src/nn/index.js';
import { addSliceHeads } from '../../src/slicing/index.js';
import { MultitaskModel, Payload } from '../../src/tasks/index.js';
import { manualSeed } from '../../src/tensor/index.js';
import { Trainer } from '../../src/training/index.js';
import { headTask, threeClassData } from './fixtures.js';

describe('addSliceHeads', () => {
  it('adds one head per slice over the shared body, supervised on the slice only', async () => {
    manualSeed(0);
    const { ds, S } = threeClassData('toy', 200, 1);
    const model = new MultitaskModel([headTask('y', 3)]);
    const train = new Payload({ dataset: ds, split: 'train', batchSize: 50, labelsToTasks: { gold: 'y' } });
    const tasks = addSliceHeads(model, 'y', S.names, { payloads: [{ payload: train, membership: S }] });

    expect(tasks.map((t) => t.name)).toEqual(['y:corner', 'y:left']);
    expect(model.taskNames()).toEqual(['y', 'y:corner', 'y:left']);
    const base = model.task('y');
    const corner = model.task('y:corner');
    expect(corner.modules.body).toBe(base.modules.body); // hard parameter sharing
    const head = corner.modules['y_head:corner']!;
    expect(head).toBeInstanceOf(Linear);
    expect(head).not.toBe(base.modules.y_head);
    expect(head.toConfig()).toEqual(base.modules.y_head!.toConfig());
    expect(corner.ops.map((o) => o.name)).toEqual(['body', 'y_head:corner']);

    expect(train.labelsToTasks).toEqual([
      ['gold', 'y'],
      ['gold:corner', 'y:corner'],
      ['gold:left', 'y:left'],
    ]);
    const gold = ds.labelSet('gold').values;
    const masked = ds.labelSet('gold:corner').values;
    const inCorner = S.column(0);
    for (let i = 0; i < ds.size; i++) expect(masked[i]).toBe(inCorner[i] === 1 ? gold[i] : -1);

    const result = await new Trainer({ nEpochs: 1, tensorboard: false }).fit(model, [train]);
    expect(result.updates).toBe(4);
    const loss = result.history[0]!.metrics;
    expect(Object.keys(loss)).toContain('y:corner/toy/train/loss');
    model.dispose();
  });

  it('copies the base head weights on request', () => {
    const model = new MultitaskModel([headTask('y', 3)]);
    const [t] = addSliceHeads(model, 'y', ['a'], { copyWeights: true });
    const w = t!.modules['y_head:a']!.stateDict().get('weight')!.toArray();
    expect(w).toEqual(model.task('y').modules.y_head!.stateDict().get('weight')!.toArray());
    model.dispose();
  });

  it('names the argument and function in errors', () => {
    const model = new MultitaskModel([headTask('y', 3)]);
    expect(() => addSliceHeads(model, 'y', [])).toThrow(/'slices' passed to 'addSliceHeads'/);
    expect(() => addSliceHeads(model, 'nope', ['a'])).toThrow(/unknown task 'nope'/);
    model.dispose();
  });
});
