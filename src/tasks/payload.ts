import { assert, MmtlError, Rng, type SplitName } from '../core/index.js';
import type { Dataset } from './dataset.js';

/** What a {@link Payload} is made from. */
export interface PayloadInit {
  /** The rows. */
  dataset: Dataset;
  /** Split name ('train', 'valid', 'test', …): the `split` part of metric keys. */
  split: SplitName;
  /** Rows per batch. */
  batchSize: number;
  /** Which label set supervises which task: `{ gold: 'RTE', weak: 'RTE' }`. */
  labelsToTasks: Record<string, string>;
  /** Shuffle rows each epoch (default: true for 'train', false otherwise). */
  shuffle?: boolean;
  /** Payload name (default `<dataset>_<split>`). */
  name?: string;
}

/**
 * A dataset split fed to the trainer or scorer in batches, with the map from label sets to tasks. Several label
 * sets may feed one task (gold + weak labels); label sets can be added and removed later.
 *
 * @example
 * ```ts
 * const train = new Payload({ dataset: ds, split: 'train', batchSize: 32, labelsToTasks: { gold: 'RTE' } });
 * train.numBatches; // ceil(ds.size / 32)
 * for (const rows of train.batchRows(0, 42)) { ... }
 * ```
 */
export class Payload {
  readonly name: string;
  readonly dataset: Dataset;
  readonly split: SplitName;
  readonly batchSize: number;
  readonly shuffle: boolean;
  private readonly map: Map<string, string>;

  constructor(init: PayloadInit) {
    assert(
      Number.isInteger(init.batchSize) && init.batchSize > 0,
      'E_ARG',
      () => `Argument 'batchSize' passed to 'Payload' must be a positive integer, got ${init.batchSize}`,
    );
    this.dataset = init.dataset;
    this.split = init.split;
    this.batchSize = init.batchSize;
    this.shuffle = init.shuffle ?? init.split === 'train';
    this.name = init.name ?? `${init.dataset.name}_${init.split}`;
    this.map = new Map();
    for (const [labelSet, task] of Object.entries(init.labelsToTasks)) this.addLabelSet(labelSet, task);
  }

  /** Routes label set `labelSet` (which must exist in the dataset) to task `task`. */
  addLabelSet(labelSet: string, task: string): this {
    this.dataset.labelSet(labelSet); // throws E_UNKNOWN when absent
    this.map.set(labelSet, task);
    return this;
  }

  /** Stops feeding label set `labelSet`; returns whether it was fed. */
  removeLabelSet(labelSet: string): boolean {
    return this.map.delete(labelSet);
  }

  /** `[labelSet, task]` pairs. */
  get labelsToTasks(): [string, string][] {
    return [...this.map.entries()];
  }

  /** Names of the tasks this payload supervises. */
  get tasks(): string[] {
    return [...new Set(this.map.values())];
  }

  /** Batches per epoch. */
  get numBatches(): number {
    return Math.ceil(this.dataset.size / this.batchSize);
  }

  /**
   * Row indices of each batch for `epoch`. Shuffled payloads draw a permutation from `seed` and `epoch` alone,
   * so a resumed run sees the same batches as an uninterrupted one.
   */
  batchRows(epoch: number, seed: number): Int32Array[] {
    const n = this.dataset.size;
    if (n === 0) throw new MmtlError('E_DATA', `Payload '${this.name}' has no rows`);
    const order = this.shuffle
      ? new Rng((seed * 1_000_003 + epoch * 7919 + hash(this.name)) | 0).permutation(n)
      : Int32Array.from({ length: n }, (_, i) => i);
    const out: Int32Array[] = [];
    for (let s = 0; s < n; s += this.batchSize) out.push(order.subarray(s, Math.min(n, s + this.batchSize)));
    return out;
  }
}

function hash(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h | 0;
}
