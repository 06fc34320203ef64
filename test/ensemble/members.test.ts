import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isMmtlError } from '../../src/core/index.js';
import {
  Ensemble,
  alignMembers,
  evaluateEnsemble,
  loadEnsemble,
  loadModel,
  memberOutputs,
  type MemberOutputs,
} from '../../src/ensemble/index.js';
import { BiLSTM, Embedding, Linear } from '../../src/nn/index.js';
import { Dataset, MultitaskModel, Payload, Task, sequenceField } from '../../src/tasks/index.js';
import { manualSeed } from '../../src/tensor/index.js';

const texts: Record<string, string> = {
  a: 'The cat sat',
  b: 'A dog ran far',
  c: 'the Cat ran',
  d: 'Dogs sat',
};
const golds: Record<string, number> = { a: 1, b: 0, c: 1, d: 0 };

/** A word tokenizer with its own vocabulary: cased or lowercased words → ids from 1 (0 = padding). */
function tokenizer(cased: boolean): (t: string) => number[] {
  const vocab = new Map<string, number>();
  return (t) =>
    t.split(' ').map((w) => {
      const key = cased ? w : w.toLowerCase();
      if (!vocab.has(key)) vocab.set(key, vocab.size + 1);
      return vocab.get(key)!;
    });
}

/** Payload over `ids` (in that order) tokenized by `tok`. */
function payloadFor(ids: string[], tok: (t: string) => number[]): Payload {
  const ds = new Dataset({
    name: 'toy',
    inputs: { tokens: sequenceField(ids.map((id) => tok(texts[id]!))) },
    labels: { gold: { kind: 'class', values: Int32Array.from(ids, (id) => golds[id]!), cardinality: 2 } },
    rowIds: ids,
  });
  return new Payload({ dataset: ds, split: 'valid', batchSize: 3, labelsToTasks: { gold: 'toy' } });
}

/** Embedding → BiLSTM (max pooled) → Linear head over `vocabSize` word ids. */
function tinyModel(vocabSize: number, dim: number, seed: number): MultitaskModel {
  manualSeed(seed);
  return new MultitaskModel([
    new Task({
      name: 'toy',
      type: 'classification',
      cardinality: 2,
      modules: {
        embed: new Embedding(vocabSize, dim, { paddingIdx: 0 }),
        encoder: new BiLSTM(dim, 3, { pooling: 'max' }),
        toy_head: new Linear(6, 2),
      },
      ops: [
        { name: 'embed', module: 'embed', inputs: ['_input_.tokens'] },
        { name: 'encoder', module: 'encoder', inputs: ['embed', '_input_.tokens_lengths'] },
        { name: 'toy_head', module: 'toy_head', inputs: [['encoder', 'pooled']] },
      ],
    }),
  ]);
}

function setup(): { cased: MultitaskModel; uncased: MultitaskModel; pCased: Payload; pUncased: Payload } {
  const cased = tinyModel(12, 4, 1);
  const uncased = tinyModel(9, 5, 2);
  // the same rows, different tokenizations and a different row order
  const pCased = payloadFor(['a', 'b', 'c', 'd'], tokenizer(true));
  const pUncased = payloadFor(['c', 'a', 'd', 'b'], tokenizer(false));
  return { cased, uncased, pCased, pUncased };
}

describe('Ensemble over models', () => {
  it('each member scores its own payload; outputs are aligned by row id', () => {
    const { cased, uncased, pCased, pUncased } = setup();
    const ens = new Ensemble([cased, uncased], { task: 'toy' });
    const pred = ens.predict([pCased, pUncased]);
    expect(pred.rowIds).toEqual(['a', 'b', 'c', 'd']);
    const pc = cased.predict(pCased).get('toy')!.probs;
    const pu = uncased.predict(pUncased).get('toy')!.probs; // rows c, a, d, b
    const order = { a: 1, b: 3, c: 0, d: 2 } as const;
    (['a', 'b', 'c', 'd'] as const).forEach((id, i) => {
      for (let j = 0; j < 2; j++) {
        expect(pred.probs[i * 2 + j]).toBeCloseTo((pc[i * 2 + j]! + pu[order[id] * 2 + j]!) / 2, 6);
      }
    });
    const ev = evaluateEnsemble(ens, [pCased, pUncased], { metrics: ['accuracy'] });
    expect(ev.members).toHaveLength(2);
    expect(ev.meanMember.metrics.accuracy).toBeCloseTo(
      (ev.members[0]!.metrics.accuracy! + ev.members[1]!.metrics.accuracy!) / 2,
      12,
    );
    ens.dispose();
  });

  it('mixes model members and precomputed members', () => {
    const { cased, pCased } = setup();
    const fixed: MemberOutputs = {
      rowIds: ['d', 'c', 'b', 'a'],
      probs: Float32Array.of(1, 0, 0, 1, 1, 0, 0, 1),
      k: 2,
      type: 'classification',
    };
    const ens = new Ensemble([cased, fixed], { task: 'toy', combiner: 'vote', tiePolicy: 'abstain' });
    const pred = ens.predict([pCased, undefined]);
    expect(pred.members[1]).toEqual(Float32Array.of(0, 1, 1, 0, 0, 1, 1, 0));
    expect(() => ens.predict([undefined, undefined])).toThrow(/member 0 is a model and needs a payload/);
    expect(() => ens.predict([pCased, pCased])).toThrow(/member 1 is precomputed/);
    ens.dispose();
  });

  it('fails with E_DATA when members score different rows', () => {
    const { cased, uncased, pCased } = setup();
    const other = payloadFor(['a', 'b', 'c'], tokenizer(false));
    const ens = new Ensemble([cased, uncased], { task: 'toy' });
    let err: unknown;
    try {
      ens.predict([pCased, other]);
    } catch (e) {
      err = e;
    }
    expect(isMmtlError(err, 'E_DATA')).toBe(true);
    expect(String(err)).toMatch(/member 1's row ids differ from member 0's \(missing \[d\], extra \[\]\)/);
    const dup: MemberOutputs = {
      rowIds: ['a', 'a'],
      probs: new Float32Array(4),
      k: 2,
      type: 'classification',
    };
    expect(() => alignMembers([dup], 'test')).toThrow(/duplicate row ids/);
    const wrongK: MemberOutputs = { rowIds: ['a'], probs: new Float32Array(3), k: 3, type: 'classification' };
    const okK: MemberOutputs = { rowIds: ['a'], probs: new Float32Array(2), k: 2, type: 'classification' };
    expect(() => alignMembers([okK, wrongK], 'test')).toThrow(/k=3/);
    ens.dispose();
  });

  it('save → loadEnsemble gives identical predictions', async () => {
    const { cased, uncased, pCased, pUncased } = setup();
    const dir = mkdtempSync(join(tmpdir(), 'mmtl-ensemble-'));
    const paths = [join(dir, 'cased.safetensors'), join(dir, 'uncased.safetensors')];
    await cased.save(paths[0]!);
    await uncased.save(paths[1]!);
    const before = new Ensemble([cased, uncased], { task: 'toy', combiner: 'weighted', weights: [1, 3] });
    const loaded = await loadEnsemble(paths, { task: 'toy', combiner: 'weighted', weights: [1, 3] });
    const p0 = before.predict([pCased, pUncased]);
    const p1 = loaded.predict([pCased, pUncased]);
    expect(p1.probs).toEqual(p0.probs);
    expect(p1.preds).toEqual(p0.preds);
    expect(memberOutputs(loaded.members[1] as MultitaskModel, pUncased, 'toy').probs).toEqual(
      memberOutputs(uncased, pUncased, 'toy').probs,
    );
    await expect(loadModel(join(dir, 'missing.safetensors'))).rejects.toThrow(/could not read/);
    before.dispose();
    loaded.dispose();
  });
});
