import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  LabelModel,
  MajorityLabelVoter,
  evalWrench,
  readWrenchSplit,
  selectOnDev,
  syntheticKeywordLabelData,
} from '../../src/labelmodel/index.js';

let dir: string;
const k = 4;
const m = 24;

/** A WRENCH split whose ids run 10, 9, …, then 0, 11, 12, … (number-like and out of numeric order). */
function split(L: { n: number; data: Int8Array }, Y: Int8Array | null): string {
  const ids = Array.from({ length: L.n }, (_, i) => (i <= 10 ? 10 - i : i));
  const rows = ids.map((id, i) => {
    const weak = [...L.data.subarray(i * m, (i + 1) * m)];
    return `"${id}": {"label": ${Y === null ? -1 : Y[i]}, "weak_labels": [${weak.join(', ')}], "data": {}}`;
  });
  return `{${rows.join(', ')}}`;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mmtl-wrench-'));
  const all = syntheticKeywordLabelData({
    n: 3000,
    m,
    k,
    copyFraction: 0.2,
    recallRange: [0.05, 0.4],
    seed: 5,
  });
  const part = (from: number, to: number): { L: { n: number; data: Int8Array }; Y: Int8Array } => ({
    L: { n: to - from, data: all.L.data.slice(from * m, to * m) },
    Y: all.Y.slice(from, to),
  });
  const [train, valid, test] = [part(0, 2000), part(2000, 2400), part(2400, 3000)];
  for (const name of ['set', 'unlabeled-valid']) {
    await mkdir(join(dir, name));
    await writeFile(join(dir, name, 'train.json'), split(train.L, null));
    await writeFile(join(dir, name, 'test.json'), split(test.L, test.Y));
    await writeFile(join(dir, name, 'valid.json'), split(valid.L, name === 'set' ? valid.Y : null));
    await writeFile(join(dir, name, 'label.json'), JSON.stringify({ a: 0, b: 1, c: 2, d: 3 }));
  }
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('WRENCH evaluation', () => {
  it('reads rows in file order, ids included', async () => {
    const s = await readWrenchSplit(join(dir, 'set', 'test.json'));
    expect(s.ids.slice(0, 12)).toEqual(['10', '9', '8', '7', '6', '5', '4', '3', '2', '1', '0', '11']);
  });

  it('reports majority vote, the unsupervised label model and, with valid labels, the dev-tuned choice', async () => {
    const r = await evalWrench(join(dir, 'set'), { seed: 1 });
    expect(r.k).toBe(k);
    expect(Object.keys(r).sort()).toEqual(['dataset', 'dev_tuned', 'k', 'label_model', 'majority', 'mode']);
    expect(r.label_model.fit_s).toBeGreaterThan(0);
    expect(r.dev_tuned!.choice).toMatch(/^(majority|lm:)/);
    expect(r.dev_tuned!.select_metric).toBe('accuracy');
    // the dev-tuned labeler is the best candidate on dev, and on this set at least as good as majority vote
    expect(r.dev_tuned!.accuracy).toBeGreaterThanOrEqual(r.majority.accuracy - 0.02);
    const off = await evalWrench(join(dir, 'set'), { seed: 1, dev: 'off' });
    expect(off.dev_tuned).toBeUndefined();
    expect(off.label_model.accuracy).toBe(r.label_model.accuracy);
    expect(off.label_model.class_balance).toEqual(r.label_model.class_balance);
  });

  it('leaves dev_tuned out when the valid split has no labels', async () => {
    const r = await evalWrench(join(dir, 'unlabeled-valid'), { seed: 1 });
    expect(r.dev_tuned).toBeUndefined();
  });
});

describe('selectOnDev', () => {
  it('takes the class balance from dev labels and returns the best candidate on dev', async () => {
    const train = await readWrenchSplit(join(dir, 'set', 'train.json'));
    const valid = await readWrenchSplit(join(dir, 'set', 'valid.json'));
    const sel = selectOnDev(train.L, valid.L, valid.Y, k, { seed: 1 });
    const counts = new Array<number>(k).fill(0);
    for (const y of valid.Y) counts[y]!++;
    expect(sel.devBalance).toEqual(counts.map((c) => c / valid.Y.length));
    const best = Math.max(...sel.scores.map((s) => s.dev));
    expect(sel.scores.find((s) => s.name === sel.choice)!.dev).toBe(best);
    expect(sel.scores[0]!.name).toBe('majority');
    // majority vote wins when it is the only candidate; a dev-balance model carries that balance
    const mv = selectOnDev(train.L, valid.L, valid.Y, k, { candidates: [{ name: 'majority' }] });
    expect([...mv.model.predictProba(valid.L)]).toEqual([...new MajorityLabelVoter(k).predictProba(valid.L)]);
    const devModel = selectOnDev(train.L, valid.L, valid.Y, k, {
      candidates: [{ name: 'lm:dev', fit: { classBalance: sel.devBalance } }],
    });
    expect(devModel.model.getClassBalance()).toEqual(sel.devBalance);
    expect(devModel.model).toBeInstanceOf(LabelModel);
  });

  it('rejects dev labels with no labeled row', () => {
    const L = { n: 2, m: 3, data: Int8Array.from([0, 1, 0, 1, 1, -1]) };
    expect(() => selectOnDev(L, L, [-1, -1], 2)).toThrow(/no labels/);
  });
});
