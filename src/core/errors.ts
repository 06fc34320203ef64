/**
 * The single error class of mmtl. Every failure the library reports is an `MmtlError` whose `code` says
 * what kind of failure it is, so callers (and the CLI's exit status) can tell failures apart.
 */

/** Error codes, one per kind of failure. */
export const ERROR_CODES = {
  /** An argument has the wrong type, range or value. */
  E_ARG: 'E_ARG',
  /** Tensor shapes do not fit together. */
  E_SHAPE: 'E_SHAPE',
  /** A tensor has a dtype the operation cannot take. */
  E_DTYPE: 'E_DTYPE',
  /** A configuration object or file failed validation. */
  E_CONFIG: 'E_CONFIG',
  /** Input data is malformed (bad rows, labels out of range, …). */
  E_DATA: 'E_DATA',
  /** A file could not be read, written or parsed. */
  E_IO: 'E_IO',
  /** A labeling or slicing function failed. */
  E_LF: 'E_LF',
  /** A checkpoint is missing, corrupt or does not match the model. */
  E_CHECKPOINT: 'E_CHECKPOINT',
  /** The native engine (libtorch) reported an error or is unavailable. */
  E_ENGINE: 'E_ENGINE',
  /** A name was looked up in a registry that does not hold it. */
  E_UNKNOWN: 'E_UNKNOWN',
  /** An object was used after it was disposed, or in the wrong state. */
  E_STATE: 'E_STATE',
  /** A numeric procedure diverged or produced NaN. */
  E_NUMERIC: 'E_NUMERIC',
} as const;

/** One of the {@link ERROR_CODES}. */
export type ErrorCode = keyof typeof ERROR_CODES;

/** Options of {@link MmtlError}. */
export interface MmtlErrorOptions {
  /** How to fix the problem, shown after the message. */
  hint?: string;
  /** The underlying error, if any. */
  cause?: unknown;
  /** Structured details (shapes, file and line, …) for programs that handle the error. */
  details?: Record<string, unknown>;
}

/**
 * An error with a machine-readable `code`.
 *
 * @example
 * ```ts
 * try {
 *   throw new MmtlError('E_ARG', "Argument 'k' passed to 'LabelModel' must be ≥ 2, got 1");
 * } catch (e) {
 *   if (e instanceof MmtlError) console.log(e.code); // 'E_ARG'
 * }
 * ```
 */
export class MmtlError extends Error {
  override readonly name = 'MmtlError';
  readonly code: ErrorCode;
  readonly hint: string | undefined;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message: string, options: MmtlErrorOptions = {}) {
    super(options.hint === undefined ? message : `${message} (${options.hint})`, { cause: options.cause });
    this.code = code;
    this.hint = options.hint;
    this.details = options.details;
  }
}

/**
 * Throws an {@link MmtlError} when `condition` is false. The message is built lazily.
 *
 * @example
 * ```ts
 * assert(n > 0, 'E_ARG', () => `Argument 'n' passed to 'range' must be > 0, got ${n}`);
 * ```
 */
export function assert(
  condition: unknown,
  code: ErrorCode,
  message: () => string,
  options?: MmtlErrorOptions,
): asserts condition {
  if (!condition) throw new MmtlError(code, message(), options);
}

/** True when `e` is an {@link MmtlError}, optionally with the given code. */
export function isMmtlError(e: unknown, code?: ErrorCode): e is MmtlError {
  return e instanceof MmtlError && (code === undefined || e.code === code);
}
