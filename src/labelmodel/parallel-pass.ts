// Splits the two whole-matrix passes (kernels.ts) over worker threads, synchronously: helpers get a share
// of the rows in a SharedArrayBuffer, the main thread does its own share meanwhile, then waits on an Atomics
// flag. The API of the label model stays synchronous.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { countRows, posteriorRows } from './kernels.js';
import type { LabelMatrixLike } from './label-matrix.js';

/** Matrices with fewer votes-or-abstains than this run on the calling thread alone. */
const MIN_PARALLEL_ENTRIES = 8_000_000;

/**
 * How many threads a pass over `entries` matrix cells uses: 1 below 8M cells; otherwise the cores
 * (at most 8), or `MMTL_LM_THREADS` when set.
 *
 * @example
 * ```ts
 * passThreads(100_000_000); // 2 on a 2-core machine
 * ```
 */
export function passThreads(entries: number): number {
  const env = Number(process.env.MMTL_LM_THREADS);
  const cores = Number.isInteger(env) && env >= 1 ? env : Math.min(8, availableParallelism());
  return entries < MIN_PARALLEL_ENTRIES ? 1 : Math.max(1, cores);
}

const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
${countRows.toString()}
${posteriorRows.toString()}
const w = workerData;
const data = new globalThis[w.ctorName](w.data);
const flag = new Int32Array(w.flag);
let result;
if (w.kind === 'count') {
  const counts = new Int32Array(w.out);
  const lfVotes = new Float64Array(w.lfVotes);
  result = countRows(data, w.m, w.k, w.d, 0, w.rows, counts, lfVotes, new Int32Array(w.m));
} else {
  const probs = new Float64Array(w.out);
  result = posteriorRows(data, w.m, w.k, new Float64Array(w.logMu), new Float64Array(w.logP), 0, w.rows, probs, new Float64Array(w.k));
}
Atomics.store(flag, 1, result);
Atomics.store(flag, 0, 1);
Atomics.notify(flag, 0);
`;

interface Share {
  from: number;
  to: number;
}

function shares(n: number, threads: number): Share[] {
  const out: Share[] = [];
  for (let t = 0; t < threads; t++)
    out.push({ from: Math.floor((t * n) / threads), to: Math.floor(((t + 1) * n) / threads) });
  return out;
}

/** Copies rows [from, to) of L into shared memory (the helper's own copy). */
function sharedRows(L: LabelMatrixLike, s: Share): SharedArrayBuffer {
  const src = L.data.subarray(s.from * L.m, s.to * L.m);
  const buffer = new SharedArrayBuffer(src.byteLength);
  new Uint8Array(buffer).set(new Uint8Array(src.buffer, src.byteOffset, src.byteLength));
  return buffer;
}

interface Helper {
  worker: Worker;
  flag: Int32Array;
  share: Share;
  out: SharedArrayBuffer;
  lfVotes?: SharedArrayBuffer;
}

function startHelper(
  L: LabelMatrixLike,
  share: Share,
  payload: Record<string, unknown>,
  out: SharedArrayBuffer,
  lfVotes?: SharedArrayBuffer,
): Helper {
  const buffer = sharedRows(L, share);
  const flagBuf = new SharedArrayBuffer(8);
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    // the typed-array constructor cannot cross threads; its name (ctorName) can
    workerData: { ...payload, data: buffer, rows: share.to - share.from, flag: flagBuf, out, lfVotes },
  });
  worker.unref();
  return { worker, flag: new Int32Array(flagBuf), share, out, ...(lfVotes ? { lfVotes } : {}) };
}

function waitFor(h: Helper): number {
  while (Atomics.load(h.flag, 0) === 0) Atomics.wait(h.flag, 0, 0, 50);
  const r = Atomics.load(h.flag, 1);
  void h.worker.terminate();
  return r;
}

/**
 * {@link countRows} over the whole matrix on {@link passThreads} threads; adds into `counts` (upper
 * triangle) and `lfVotes`. Returns the flat index of the first bad vote, or −1.
 *
 * @example
 * ```ts
 * const bad = countAllRows(L, k, counts, lfVotes);
 * ```
 */
export function countAllRows(
  L: LabelMatrixLike,
  k: number,
  counts: Int32Array,
  lfVotes: Float64Array,
): number {
  const { n, m } = L;
  const d = m * k;
  const threads = Math.min(passThreads(n * m), Math.max(1, n));
  const parts = shares(n, threads);
  const helpers = parts
    .slice(1)
    .map((share) =>
      startHelper(
        L,
        share,
        { kind: 'count', m, k, d, ctorName: L.data.constructor.name },
        new SharedArrayBuffer(d * d * 4),
        new SharedArrayBuffer(m * 8),
      ),
    );
  let bad = countRows(L.data, m, k, d, parts[0]!.from, parts[0]!.to, counts, lfVotes, new Int32Array(m));
  for (const h of helpers) {
    const r = waitFor(h);
    if (r >= 0 && bad < 0) bad = r + h.share.from * m;
    const c = new Int32Array(h.out);
    for (let i = 0; i < c.length; i++) counts[i]! += c[i]!;
    const v = new Float64Array(h.lfVotes!);
    for (let j = 0; j < m; j++) lfVotes[j]! += v[j]!;
  }
  return bad;
}

/**
 * {@link posteriorRows} over the whole matrix on {@link passThreads} threads, into `probs` (`n × k`).
 * Returns the collapsed rows, or −(index + 2) of the first bad vote.
 *
 * @example
 * ```ts
 * const collapsed = posteriorAllRows(L, k, logMu, logP, probs);
 * ```
 */
export function posteriorAllRows(
  L: LabelMatrixLike,
  k: number,
  logMu: Float64Array,
  logP: Float64Array,
  probs: Float64Array,
): number {
  const { n, m } = L;
  const threads = Math.min(passThreads(n * m), Math.max(1, n));
  const parts = shares(n, threads);
  const sharedParams = (a: Float64Array): SharedArrayBuffer => {
    const b = new SharedArrayBuffer(a.byteLength);
    new Float64Array(b).set(a);
    return b;
  };
  const helpers = parts.slice(1).map((share) =>
    startHelper(
      L,
      share,
      {
        kind: 'posterior',
        m,
        k,
        logMu: sharedParams(logMu),
        logP: sharedParams(logP),
        ctorName: L.data.constructor.name,
      },
      new SharedArrayBuffer((share.to - share.from) * k * 8),
    ),
  );
  const first = parts[0]!;
  let result = posteriorRows(L.data, m, k, logMu, logP, first.from, first.to, probs, new Float64Array(k));
  for (const h of helpers) {
    const r = waitFor(h);
    if (r < 0) {
      if (result >= 0) result = r - h.share.from * m;
    } else if (result >= 0) result += r;
    probs.set(new Float64Array(h.out), h.share.from * k);
  }
  return result;
}
