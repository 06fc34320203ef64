import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  LabelModel,
  MajorityLabelVoter,
  MultiTaskLabelModel,
  TaskGraph,
} from '../../src/labelmodel/index.js';
import { Rng } from '../../src/core/index.js';

/** animal(0)/vehicle(1) → dog(0)/cat(1) under animal, car(0)/bike(1) under vehicle. */
function hierarchyData(n: number, seed: number) {
  const graph = TaskGraph.hierarchy([
    { k: 2 },
    { k: 2, parent: { task: 0, value: 0 } },
    { k: 2, parent: { task: 0, value: 1 } },
  ]);
  const rng = new Rng(seed);
  const widths = [4, 3, 3];
  const Ls = widths.map((m) => ({ n, m, data: new Int8Array(n * m).fill(-1) }));
  const Y = widths.map(() => new Int32Array(n));
  for (let i = 0; i < n; i++) {
    const f = graph.feasible[rng.int(0, graph.size - 1)]!;
    f.forEach((v, t) => (Y[t]![i] = v));
    Ls.forEach((L, t) => {
      for (let j = 0; j < L.m; j++) {
        const acc = 0.65 + 0.05 * j;
        const applies = f[t]! >= 0;
        if (rng.float() >= (applies ? 0.5 : 0.1)) continue;
        L.data[i * L.m + j] = applies ? (rng.float() < acc ? f[t]! : 1 - f[t]!) : rng.int(0, 1);
      }
    });
  }
  return { graph, Ls, Y };
}

function accuracyOn(pred: Int32Array, gold: Int32Array): number {
  let right = 0;
  let total = 0;
  for (let i = 0; i < gold.length; i++) {
    if (gold[i]! < 0) continue;
    total++;
    if (pred[i] === gold[i]) right++;
  }
  return right / total;
}

describe('TaskGraph', () => {
  it('enumerates independent and hierarchical feasible sets', () => {
    expect(TaskGraph.independent([2, 3]).size).toBe(6);
    const { graph } = hierarchyData(1, 0);
    expect(graph.feasible).toEqual([
      [0, 0, -1],
      [0, 1, -1],
      [1, -1, 0],
      [1, -1, 1],
    ]);
    expect(() => TaskGraph.hierarchy([{ k: 2, parent: { task: 1, value: 0 } }, { k: 2 }])).toThrow(
      /parents come first/,
    );
  });
});

describe('MultiTaskLabelModel', () => {
  const { graph, Ls, Y } = hierarchyData(6000, 1);
  const mt = new MultiTaskLabelModel(graph);
  mt.fit(Ls, { seed: 0 });

  it('predicts feasible label vectors; the parent task gains from its children', () => {
    const preds = mt.predict(Ls);
    let infeasible = 0;
    for (let i = 0; i < 6000; i++) {
      if (!graph.feasible.some((f) => f.every((v, t) => v === preds[t]![i]))) infeasible++;
    }
    expect(infeasible).toBe(0);
    const baseline = (t: number): number => {
      const single = new LabelModel(2);
      single.fit(Ls[t]!, { seed: 0 });
      const mv = new MajorityLabelVoter(2).predict(Ls[t]!, { tieBreakPolicy: 'random' });
      return Math.max(
        accuracyOn(mv, Y[t]!),
        accuracyOn(single.predict(Ls[t]!, { tieBreakPolicy: 'random' }), Y[t]!),
      );
    };
    // parent: 0.91 vs 0.75 for its own LFs alone (child LFs fire mostly under their own parent value)
    expect(accuracyOn(preds[0]!, Y[0]!)).toBeGreaterThan(baseline(0) + 0.1);
    // children, judged by their marginals on the rows where they apply: no worse than voting on their own LFs
    const { tasks } = mt.predictProba(Ls);
    for (const t of [1, 2]) {
      const cond = Int32Array.from({ length: 6000 }, (_, i) =>
        tasks[t]![2 * i]! >= tasks[t]![2 * i + 1]! ? 0 : 1,
      );
      expect(accuracyOn(cond, Y[t]!)).toBeGreaterThan(baseline(t) - 0.01);
    }
  });

  it('returns per-task marginals that put little mass on a task that does not apply', () => {
    const { tasks, joint } = mt.predictProba(Ls);
    expect(joint.length).toBe(6000 * 4);
    let naMass = 0;
    let naRows = 0;
    for (let i = 0; i < 6000; i++) {
      const s1 = tasks[1]![2 * i]! + tasks[1]![2 * i + 1]!;
      const s2 = tasks[2]![2 * i]! + tasks[2]![2 * i + 1]!;
      expect(s1 + s2).toBeCloseTo(1, 9); // exactly one child applies in every feasible vector
      if (Y[1]![i] === -1) {
        naMass += s1;
        naRows++;
      }
    }
    expect(naMass / naRows).toBeLessThan(0.2);
  });

  it('round-trips through save/load with its task graph, and rejects malformed files', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mmtl-mtlm-'));
    const path = join(dir, 'mt.json');
    await mt.save(path);
    const back = await MultiTaskLabelModel.load(path);
    expect(back.graph.feasible).toEqual(graph.feasible);
    expect(back.getClassBalance()).toEqual(mt.getClassBalance());
    expect(back.predictProba(Ls).joint).toEqual(mt.predictProba(Ls).joint);
    const json = mt.toJSON();
    expect(() => MultiTaskLabelModel.fromJSON({ ...json, mu: json.mu.slice(1) })).toThrow(
      /mu has \d+ entries, expected/,
    );
    expect(() =>
      MultiTaskLabelModel.fromJSON({
        ...json,
        feasible: [
          [0, 5, -1],
          [1, -1, 0],
        ],
      }),
    ).toThrow(/not a multi-task label model: .*invalid vector/);
    expect(() => MultiTaskLabelModel.fromJSON({ format: 'mmtl-label-model' })).toThrow(/not a multi-task/);
    writeFileSync(join(dir, 'bad.json'), '{');
    await expect(MultiTaskLabelModel.load(join(dir, 'bad.json'))).rejects.toThrow(/not valid JSON/);
    await expect(MultiTaskLabelModel.load(join(dir, 'none.json'))).rejects.toThrow(/could not read/);
    expect(() => new MultiTaskLabelModel(graph).toJSON()).toThrow(/before 'fit'/);
  });

  it('rejects mismatched inputs', () => {
    expect(() => mt.predictProba(Ls.slice(0, 2))).toThrow(/3 tasks/);
    expect(() => new MultiTaskLabelModel(graph).predictProba(Ls)).toThrow(/before 'fit'/);
  });
});
