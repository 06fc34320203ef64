import { availableParallelism } from 'node:os';
import { isAbsolute, resolve } from 'node:path';
import type { Worker } from 'node:worker_threads';
import { MmtlError, assert } from '../core/index.js';
import type { ApplyResult } from './apply.js';
import { checkCardinality, isList } from './checks.js';
import { LabelMatrix, allocateLabelData } from './label-matrix.js';
import { rebuild, startWorker } from './parallel.js';
import type { ToMain, ToWorker } from './worker-protocol.js';

/** Options of {@link LFApplierPool.start}. */
export interface LFApplierPoolOptions {
  /** Worker threads. Default: available cores, at most 8. */
  workers?: number | undefined;
  /** Count an LF that throws as an abstain (see `applyLFs`). Default false. */
  faultTolerant?: boolean | undefined;
  /** Number of classes; default the module's `cardinality` export, else 2. */
  cardinality?: number | undefined;
}

interface PoolWorker {
  worker: Worker;
  /** Resolves the chunk in flight. */
  settle?: (msg: ToMain) => void;
}

/**
 * Worker threads that keep an LF module loaded, for labeling many batches of in-memory rows: each
 * {@link LFApplierPool.apply} splits the rows into one contiguous share per worker, so the per-call cost is
 * one message each way per worker (module loading, and tsx for `.ts` modules, is paid once at `start`).
 * Results equal {@link applyLFs} with the module's LFs, errors included (the earliest failing row wins).
 *
 * @example
 * ```ts
 * const pool = await LFApplierPool.start('lfs/reviews.ts', { workers: 4 });
 * const { L } = await pool.apply(rows);   // rows: plain objects
 * await pool.close();
 * ```
 */
export class LFApplierPool {
  private nextId = 0;
  private closed = false;

  private constructor(
    private readonly workers: PoolWorker[],
    /** LF names (label-matrix columns). */
    readonly names: string[],
    /** Number of classes. */
    readonly cardinality: number,
    private readonly path: string,
  ) {}

  /** Starts `workers` threads, each loading `lfModule` once; resolves when all are ready. */
  static async start(lfModule: string, opts: LFApplierPoolOptions = {}): Promise<LFApplierPool> {
    assert(
      typeof lfModule === 'string' && lfModule !== '',
      'E_ARG',
      () =>
        "Argument 'lfModule' passed to 'LFApplierPool.start' must be the path of a module that exports LFs",
    );
    const n = opts.workers ?? Math.min(8, availableParallelism());
    assert(
      Number.isInteger(n) && n >= 1,
      'E_ARG',
      () => `Argument 'workers' passed to 'LFApplierPool.start' must be an integer ≥ 1, got ${n}`,
    );
    const modulePath = isAbsolute(lfModule) ? lfModule : resolve(lfModule);
    const pool: PoolWorker[] = [];
    const ready = await Promise.allSettled(
      Array.from({ length: n }, () => {
        const worker = startWorker({ modulePath, faultTolerant: opts.faultTolerant ?? false });
        const slot: PoolWorker = { worker };
        pool.push(slot);
        return new Promise<{ names: string[]; cardinality?: number | undefined }>((res, rej) => {
          worker.once('error', (e) =>
            rej(new MmtlError('E_LF', `LF worker failed: ${e.message}`, { cause: e })),
          );
          worker.on('message', (msg: ToMain) => {
            if (msg.type === 'ready') res(msg);
            else if (msg.type === 'fatal') rej(rebuild(msg.error));
            else slot.settle?.(msg);
          });
        });
      }),
    );
    const failure = ready.find((r) => r.status === 'rejected');
    if (failure !== undefined) {
      await Promise.all(pool.map((w) => w.worker.terminate()));
      throw failure.reason;
    }
    const first = (ready[0] as PromiseFulfilledResult<{ names: string[]; cardinality?: number | undefined }>)
      .value;
    const k = checkCardinality(opts.cardinality ?? first.cardinality, 'LFApplierPool.start');
    return new LFApplierPool(pool, first.names, k, modulePath);
  }

  /** Labels `items` (structured-cloneable data points) with every LF; row i of L is items[i]. */
  async apply(items: readonly unknown[]): Promise<ApplyResult> {
    assert(!this.closed, 'E_STATE', () => "'LFApplierPool.apply' called after 'close'");
    assert(isList(items), 'E_ARG', () => "Argument 'items' passed to 'LFApplierPool.apply' must be an array");
    const m = this.names.length;
    const k = this.cardinality;
    const n = items.length;
    const data = allocateLabelData(n * m, k);
    const failures = new Int32Array(m);
    const W = Math.min(this.workers.length, Math.max(1, n));
    const results = await Promise.all(
      Array.from({ length: W }, (_, w) => {
        const start = Math.floor((w * n) / W);
        const end = Math.floor(((w + 1) * n) / W);
        const slot = this.workers[w]!;
        const id = this.nextId++;
        return new Promise<ToMain>((res) => {
          slot.settle = res;
          const msg: ToWorker = {
            type: 'chunk',
            id,
            start,
            cardinality: k,
            items: items.slice(start, end),
            raw: false,
          };
          slot.worker.postMessage(msg);
        }).then((msg) => ({ msg, start }));
      }),
    );
    let error: { row: number; error: MmtlError } | undefined;
    for (const { msg, start } of results) {
      if (msg.type === 'result') {
        data.set(msg.data, start * m);
        msg.failures.forEach((c, j) => (failures[j]! += c));
      } else if (msg.type === 'failed') {
        const e = rebuild(msg.error);
        const row = typeof e.details?.row === 'number' ? e.details.row : msg.row;
        if (error === undefined || row < error.row) error = { row, error: e };
      } else if (msg.type === 'fatal') throw rebuild(msg.error);
    }
    if (error !== undefined) throw error.error;
    const L = new LabelMatrix({ n, m, data, names: this.names });
    return { L, failures: Object.fromEntries(this.names.map((name, j) => [name, failures[j]!])) };
  }

  /** Stops the workers. */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.workers.map((w) => w.worker.terminate()));
  }

  /** The LF module the workers loaded. */
  get module(): string {
    return this.path;
  }
}
