import { MmtlError } from '../core/index.js';

/** Element types a tensor can hold (those libtorch has on CPU; float16/bfloat16 read back as float32). */
export type DType =
  'float32' | 'float64' | 'int64' | 'int32' | 'bool' | 'float16' | 'bfloat16' | 'uint8' | 'int8' | 'int16';

/** The native binding's dtype codes (index = code; must match native/src/tensor.cc kDtypes). */
export const DTYPE_CODES: readonly DType[] = [
  'float32',
  'float64',
  'int64',
  'int32',
  'bool',
  'float16',
  'bfloat16',
  'uint8',
  'int8',
  'int16',
];

/** Typed arrays a tensor can be created from or read into. */
export type TypedArray =
  Float32Array | Float64Array | BigInt64Array | Int32Array | Int16Array | Int8Array | Uint8Array;

/** The typed array `Tensor.data()` returns for each dtype (float16/bfloat16 widen to Float32Array). */
export interface DataOf {
  float32: Float32Array;
  float64: Float64Array;
  int64: BigInt64Array;
  int32: Int32Array;
  bool: Uint8Array;
  float16: Float32Array;
  bfloat16: Float32Array;
  uint8: Uint8Array;
  int8: Int8Array;
  int16: Int16Array;
}

/** Code of a dtype for the native binding. */
export function dtypeCode(dtype: DType): number {
  const code = DTYPE_CODES.indexOf(dtype);
  if (code < 0) {
    throw new MmtlError(
      'E_DTYPE',
      `unknown dtype '${dtype as string}'; expected one of ${DTYPE_CODES.join(', ')}`,
    );
  }
  return code;
}

/** The dtype that holds a typed array's elements as they are. */
export function dtypeOfArray(data: TypedArray): DType {
  if (data instanceof Float32Array) return 'float32';
  if (data instanceof Float64Array) return 'float64';
  if (data instanceof BigInt64Array) return 'int64';
  if (data instanceof Int32Array) return 'int32';
  if (data instanceof Int16Array) return 'int16';
  if (data instanceof Int8Array) return 'int8';
  return 'uint8';
}

/** Wraps bytes read back from the engine in the typed array of `dtype`. */
export function viewBytes(buffer: ArrayBuffer, dtype: DType): TypedArray {
  switch (dtype) {
    case 'float32':
    case 'float16':
    case 'bfloat16':
      return new Float32Array(buffer);
    case 'float64':
      return new Float64Array(buffer);
    case 'int64':
      return new BigInt64Array(buffer);
    case 'int32':
      return new Int32Array(buffer);
    case 'int16':
      return new Int16Array(buffer);
    case 'int8':
      return new Int8Array(buffer);
    case 'bool':
    case 'uint8':
      return new Uint8Array(buffer);
  }
}

/** Whether a dtype holds floating-point numbers. */
export function isFloating(dtype: DType): boolean {
  return dtype === 'float32' || dtype === 'float64' || dtype === 'float16' || dtype === 'bfloat16';
}
