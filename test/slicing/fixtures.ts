// Shared fixtures of the slicing tests: a small 3-class problem over x ∈ [-1,1]² with a slice where labels
// are shifted, and a body + Linear head task.
import { Rng } from '../../src/core/index.js';
import { Activation, Linear, Sequential } from '../../src/nn/index.js';
import { sliceMatrix } from '../../src/slicing/index.js';
import { Dataset, chainTask, type Task } from '../../src/tasks/index.js';
import type { LabelMatrix } from '../../src/labeling/index.js';

/** y = which third of [-1, 1] x1 falls in (0, 1, 2), shifted by one class inside the slice `corner` (x2 > 0.5). */
export function threeClassData(name: string, n: number, seed: number): { ds: Dataset; S: LabelMatrix } {
  const rng = new Rng(seed);
  const x = new Float32Array(2 * n);
  const y = new Int32Array(n);
  const corner = new Uint8Array(n);
  const left = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const a = rng.float() * 2 - 1;
    const b = rng.float() * 2 - 1;
    x[2 * i] = a;
    x[2 * i + 1] = b;
    const c = a < -1 / 3 ? 0 : a < 1 / 3 ? 1 : 2;
    corner[i] = b > 0.5 ? 1 : 0;
    left[i] = a < 0 ? 1 : 0;
    y[i] = corner[i] ? (c + 1) % 3 : c;
  }
  const ds = new Dataset({
    name,
    inputs: { x: { kind: 'dense', values: x, shape: [n, 2] } },
    labels: { gold: { kind: 'class', values: y, cardinality: 3 } },
  });
  return { ds, S: sliceMatrix({ corner, left }) };
}

/** Body Linear(2,h)→ReLU, head Linear(h,k). */
export function headTask(name: string, k: number, h = 8, type = 'classification'): Task {
  return chainTask({
    name,
    type,
    cardinality: k,
    fields: ['x'],
    chain: [
      { name: 'body', module: new Sequential([new Linear(2, h), new Activation('relu')]) },
      { name: `${name}_head`, module: new Linear(h, k) },
    ],
  });
}
