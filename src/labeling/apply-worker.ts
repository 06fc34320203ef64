// Worker-thread side of applyLFsParallel: loads the LF module once, then labels the chunks of rows the
// main thread sends and posts back their votes (a transferable typed array) and failure counts.
import { parentPort, workerData } from 'node:worker_threads';
import { MmtlError, parseJsonlLine } from '../core/index.js';
import { rowIdOf } from './checks.js';
import { allocateLabelData } from './label-matrix.js';
import { loadLFModule } from './lf-module.js';
import { LFRunner } from './lf-runner.js';
import type { SerializedError, ToMain, ToWorker, WorkerInit } from './worker-protocol.js';

const port = parentPort!;
const init = workerData as WorkerInit;

function serialize(e: unknown): SerializedError {
  const cause = e instanceof Error && e.cause instanceof Error ? e.cause : undefined;
  const message = e instanceof Error ? e.message : String(e);
  const mm = e instanceof MmtlError ? e : undefined;
  return {
    code: mm?.code ?? 'E_LF',
    message: mm?.hint !== undefined ? message.slice(0, -(mm.hint.length + 3)) : message,
    hint: mm?.hint,
    details: mm?.details,
    cause: cause ? { name: cause.name, message: cause.message, stack: cause.stack } : undefined,
  };
}

try {
  const { lfs, cardinality } = await loadLFModule(init.modulePath);
  const m = lfs.length;
  let runner: LFRunner | undefined;
  port.postMessage({ type: 'ready', names: lfs.map((lf) => lf.name), cardinality } satisfies ToMain);
  port.on('message', (msg: ToWorker) => {
    if (msg.type === 'close') {
      port.close();
      return;
    }
    runner ??= new LFRunner(lfs, msg.cardinality, init.faultTolerant);
    runner.failures.fill(0);
    const data = allocateLabelData(msg.items.length * m, msg.cardinality);
    const ids: string[] | undefined = init.idField === undefined ? undefined : [];
    try {
      msg.items.forEach((item, i) => {
        const row = msg.start + i;
        const line = msg.lines?.[i];
        const x = msg.raw ? parseJsonlLine(item as string, init.path!, line!) : item;
        if (ids) {
          const where =
            init.path === undefined
              ? `Argument 'data' passed to 'applyLFsParallel': row ${row}`
              : `'${init.path}' line ${line}`;
          ids.push(rowIdOf(x, init.idField!, where));
        }
        runner!.applyRow(x, { row, path: init.path, line }, data, i * m);
      });
    } catch (e) {
      port.postMessage({ type: 'failed', id: msg.id, row: msg.start, error: serialize(e) } satisfies ToMain);
      return;
    }
    const failures = runner.failures.slice();
    port.postMessage({ type: 'result', id: msg.id, data, failures, ids } satisfies ToMain, [
      data.buffer as ArrayBuffer,
      failures.buffer,
    ]);
  });
} catch (e) {
  port.postMessage({ type: 'fatal', error: serialize(e) } satisfies ToMain);
}
