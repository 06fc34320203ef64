import { describe, expect, it } from 'vitest';
import { buildExperiment } from '../../src/experiment/build.js';
import { parseExperiment } from '../../src/experiment/load.js';
import { Trainer } from '../../src/training/index.js';

const base = {
  tasks: ['RTE'],
  maxTrainRows: 60,
  maxLength: 20,
  encoder: { kind: 'bilstm', embeddings: 'random', hiddenSize: 8, headHidden: 0 },
  slices: ['has_dash', 'many_pronouns'],
} as const;

describe('experiments with slices', () => {
  it('adds MeTaL slice heads by default', async () => {
    const built = await buildExperiment(parseExperiment(base));
    expect(built.model.taskNames()).toEqual(['RTE', 'RTE:has_dash', 'RTE:many_pronouns']);
    built.model.dispose();
  });

  it("builds and trains a slice-based-learning model with sliceMethod 'attention'", async () => {
    const built = await buildExperiment(parseExperiment({ ...base, sliceMethod: 'attention' }));
    const names = built.model.taskNames();
    expect(names[0]).toBe('RTE');
    expect(names).toContain('RTE:ind:has_dash');
    expect(names).toContain('RTE:pred:many_pronouns');
    const train = built.payloads.find((p) => p.split === 'train')!;
    expect(train.labelsToTasks).toContainEqual(['RTE_gold:ind:base', 'RTE:ind:base']);
    const result = await new Trainer({ nEpochs: 1, tensorboard: false }).fit(built.model, built.payloads);
    const acc = result.finalMetrics['RTE/RTE/valid/accuracy']!;
    expect(acc).toBeGreaterThan(0.3);
    expect(result.history[0]!.metrics).toHaveProperty(['RTE:ind:has_dash/RTE/train/loss']);
    built.model.dispose();
  });
});
