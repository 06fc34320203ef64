import { SingleBar } from 'cli-progress';
import type { CliIo } from './io.js';

/** A progress bar that draws on `io.err` only when it is a terminal (a no-op otherwise, e.g. in CI logs). */
export interface Progress {
  /** Sets the bar's total and current value (starts it on the first call). */
  update(value: number, total: number, payload?: Record<string, string | number>): void;
  /** Removes the bar (safe when it never started). */
  stop(): void;
}

/**
 * Creates a {@link Progress} with a cli-progress format string (tokens: `{bar}`, `{percentage}`, `{value}`,
 * `{total}`, `{eta_formatted}` and payload keys).
 *
 * @example
 * ```ts
 * const p = createProgress(io, 'train {bar} {value}/{total} steps | loss {loss}');
 * p.update(10, 100, { loss: '0.52' });
 * p.stop();
 * ```
 */
export function createProgress(io: CliIo, format: string): Progress {
  if (!io.isTTY) return { update: () => undefined, stop: () => undefined };
  const stream = {
    isTTY: true,
    write(text: string, cb?: () => void): boolean {
      io.err(text);
      cb?.();
      return true;
    },
  } as unknown as NodeJS.WritableStream;
  const bar = new SingleBar({ stream, format, hideCursor: true });
  let started = false;
  return {
    update(value, total, payload = {}) {
      if (!started) bar.start(Math.max(1, total), 0, payload);
      started = true;
      bar.setTotal(Math.max(1, total));
      bar.update(Math.min(value, total), payload);
    },
    stop() {
      if (started) bar.stop();
      started = false;
    },
  };
}
