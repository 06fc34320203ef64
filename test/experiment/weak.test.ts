import { describe, expect, it } from 'vitest';
import { buildExperiment } from '../../src/experiment/build.js';
import { parseExperiment } from '../../src/experiment/load.js';

describe('experiments with weakly labeled extra data', () => {
  it('adds a train payload of label-model soft labels on another file’s unlabeled pairs', async () => {
    const cfg = parseExperiment({
      tasks: ['RTE'],
      maxTrainRows: 50,
      encoder: { kind: 'bilstm', embeddings: 'random', hiddenSize: 8, headHidden: 0 },
      weak: { fromTask: 'QNLI', fromSplit: 'dev', maxRows: 200, swap: true },
    });
    const built = await buildExperiment(cfg);
    const weak = built.payloads.find((p) => p.dataset.name === 'RTE-weak')!;
    expect(weak.split).toBe('train');
    expect(weak.labelsToTasks).toEqual([['weak', 'RTE']]);
    const y = weak.dataset.labelSet('weak');
    expect(y.kind).toBe('soft');
    const probs = (y as { values: Float32Array }).values;
    let voted = 0;
    for (let i = 0; i < 200; i++) {
      const s = probs[2 * i]! + probs[2 * i + 1]!;
      expect([0, 1]).toContainEqual(Math.round(s * 1e5) / 1e5); // a distribution, or zeros where no LF voted
      if (s > 0) voted++;
    }
    expect(voted).toBeGreaterThan(100);
    const summary = built.weak!;
    expect(summary).toMatchObject({ lfs: 'entailment', rows: 200, covered: voted });
    expect(summary.lfSummary.length).toBeGreaterThan(2);
    expect(summary.weights).toHaveLength(summary.lfSummary.length);
    expect(summary.classBalance.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
    built.model.dispose();
  });

  it('labels single sentences with the sentiment LFs: SST-2 train rows past the labeled ones', async () => {
    const cfg = parseExperiment({
      tasks: ['SST-2'],
      maxTrainRows: 100,
      encoder: { kind: 'bilstm', embeddings: 'random', hiddenSize: 8, headHidden: 0 },
      weak: { fromTask: 'SST-2', fromSplit: 'train', skipRows: 100, maxRows: 400, lfs: 'sentiment' },
    });
    const built = await buildExperiment(cfg);
    const weak = built.payloads.find((p) => p.dataset.name === 'SST-2-weak')!;
    expect(weak.dataset.size).toBe(400);
    expect(built.weak).toMatchObject({ lfs: 'sentiment', rows: 400 });
    expect(built.weak!.covered).toBeGreaterThan(150);
    expect(built.weak!.lfSummary.map((r) => r.lf)).toContain('contrast_clause');
    built.model.dispose();
  });

  it('refuses weak rows that are labeled rows too, or of the wrong shape', async () => {
    const base = {
      tasks: ['SST-2'],
      maxTrainRows: 100,
      encoder: { kind: 'bilstm', embeddings: 'random', hiddenSize: 8 },
    } as const;
    await expect(
      buildExperiment(
        parseExperiment({
          ...base,
          weak: { fromTask: 'SST-2', fromSplit: 'train', skipRows: 50, lfs: 'sentiment' },
        }),
      ),
    ).rejects.toThrow(/also labeled training rows .*weak.skipRows ≥ it/);
    await expect(
      buildExperiment(
        parseExperiment({ ...base, weak: { fromTask: 'QNLI', fromSplit: 'dev', lfs: 'sentiment' } }),
      ),
    ).rejects.toThrow(/QNLI rows are sentence pairs but SST-2 takes single sentences/);
  });

  it('rejects a regression main task', async () => {
    const cfg = parseExperiment({
      tasks: ['STS-B'],
      maxTrainRows: 20,
      encoder: { kind: 'bilstm', embeddings: 'random', hiddenSize: 8 },
      weak: { fromTask: 'MRPC', fromSplit: 'dev', maxRows: 20, lfs: 'paraphrase' },
    });
    await expect(buildExperiment(cfg)).rejects.toThrow(/not a classification task/);
  });
});
