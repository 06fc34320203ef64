// Messages between applyLFsParallel (main thread) and apply-worker.ts (worker threads).
import type { ErrorCode } from '../core/index.js';
import type { LabelData } from './label-matrix.js';

/** `workerData` of an apply worker. */
export interface WorkerInit {
  /** Absolute path of the LF module. */
  modulePath: string;
  /** Count throwing LFs as abstains. */
  faultTolerant: boolean;
  /** The data file, for error messages (absent for in-memory items). */
  path?: string | undefined;
  /** Field holding the row id; the worker returns the ids of each chunk. */
  idField?: string | undefined;
}

/** An error that crossed the thread boundary. */
export interface SerializedError {
  code: ErrorCode;
  message: string;
  hint?: string | undefined;
  details?: Record<string, unknown> | undefined;
  cause?: { name: string; message: string; stack?: string | undefined } | undefined;
}

/** Main thread → worker. */
export type ToWorker =
  | {
      type: 'chunk';
      /** Chunk id. */
      id: number;
      /** Dataset row index of the chunk's first item. */
      start: number;
      cardinality: number;
      /** Data points, or unparsed JSONL lines when `raw`. */
      items: unknown[];
      /** Items are JSONL lines for the worker to parse. */
      raw: boolean;
      /** File line of each item, when read from a file. */
      lines?: number[] | undefined;
    }
  | { type: 'close' };

/** Worker → main thread. */
export type ToMain =
  | { type: 'ready'; names: string[]; cardinality?: number | undefined }
  | { type: 'result'; id: number; data: LabelData; failures: Int32Array; ids?: string[] | undefined }
  | { type: 'failed'; id: number; row: number; error: SerializedError }
  | { type: 'fatal'; error: SerializedError };
