/** Making tensors: from JavaScript data, and PyTorch's factories (`zeros`, `arange`, `randn`, …). */
import type { DType } from './dtype.js';
import { dtypeCode, parseDType } from './dtype.js';
import { native } from './native.js';
import * as ops from './ops.generated.js';
import { memoryFormatCode, type MemoryFormat } from './memory-format.js';
import { Tensor, type NestedArray } from './tensor.js';

export interface TensorOptions {
  dtype?: DType;
  device?: string;
  requiresGrad?: boolean;
}

type Shape = number | readonly number[];
type TypedArray = Float32Array | Float64Array | Int32Array | Int16Array | Int8Array | Uint8Array | Uint8ClampedArray | BigInt64Array;
export type TensorData = NestedArray | TypedArray | readonly NestedArray[];

function dims(shape: Shape): number[] {
  const s = typeof shape === 'number' ? [shape] : [...shape];
  for (const d of s)
    if (!Number.isInteger(d) || d < 0) throw new RangeError(`a shape holds non-negative integers, got [${s.join(', ')}]`);
  return s;
}

function finish(t: Tensor, options: TensorOptions): Tensor {
  let out = t;
  if (options.device !== undefined && options.device !== 'cpu') out = out.to(options.device);
  if (options.requiresGrad) out.requiresGrad_(true);
  return out;
}

function typedDType(data: TypedArray): DType {
  if (data instanceof Float32Array) return 'float32';
  if (data instanceof Float64Array) return 'float64';
  if (data instanceof Int32Array) return 'int32';
  if (data instanceof Int16Array) return 'int16';
  if (data instanceof Int8Array) return 'int8';
  if (data instanceof BigInt64Array) return 'int64';
  return 'uint8';
}

function inferShape(data: NestedArray, path = 'data'): number[] {
  if (!Array.isArray(data)) return [];
  if (data.length === 0) return [0];
  const inner = inferShape(data[0] as NestedArray, `${path}[0]`);
  for (let i = 1; i < data.length; i++) {
    const s = inferShape(data[i] as NestedArray, `${path}[${i}]`);
    if (s.length !== inner.length || s.some((d, k) => d !== inner[k]))
      throw new RangeError(`ragged nested array: ${path}[${i}] has shape [${s.join(', ')}] but ${path}[0] has [${inner.join(', ')}]`);
  }
  return [data.length, ...inner];
}

function flatten(data: NestedArray, out: (number | boolean)[]): void {
  if (Array.isArray(data)) for (const d of data) flatten(d, out);
  else if (typeof data === 'number' || typeof data === 'boolean') out.push(data);
  else throw new TypeError(`a tensor holds numbers or booleans, got ${typeof data}`);
}

function bufferFor(values: (number | boolean)[], dtype: DType): ArrayBufferView {
  switch (dtype) {
    case 'float32': return Float32Array.from(values as number[], Number);
    case 'float64': return Float64Array.from(values as number[], Number);
    case 'int64': return BigInt64Array.from(values, (v) => BigInt(Math.trunc(Number(v))));
    case 'int32': return Int32Array.from(values, Number);
    case 'int16': return Int16Array.from(values, Number);
    case 'int8': return Int8Array.from(values, Number);
    case 'uint8': return Uint8Array.from(values, Number);
    case 'bool': return Uint8Array.from(values, (v) => (v ? 1 : 0));
    case 'float16':
    case 'bfloat16': return Float32Array.from(values as number[], Number);
  }
}

/**
 * A tensor from JavaScript data (copied), as `torch.tensor`: nested arrays of numbers give int64
 * when every value is an integer and float32 otherwise (a JavaScript number cannot tell `1.0` from
 * `1`: pass `{dtype: 'float32'}` to be sure); booleans give bool; typed arrays keep their type.
 */
export function tensor(data: TensorData, options: TensorOptions & { shape?: readonly number[] } = {}): Tensor {
  let shape: number[];
  let dtype: DType;
  let buffer: ArrayBufferView;
  if (ArrayBuffer.isView(data)) {
    const typed = data as TypedArray;
    shape = options.shape ? dims(options.shape) : [typed.length];
    dtype = typedDType(typed);
    buffer = typed;
  } else {
    shape = inferShape(data as NestedArray);
    const values: (number | boolean)[] = [];
    flatten(data as NestedArray, values);
    if (options.dtype) dtype = options.dtype;
    else if (values.length > 0 && values.every((v) => typeof v === 'boolean')) dtype = 'bool';
    else if (values.some((v) => typeof v === 'boolean')) throw new TypeError('a tensor cannot mix booleans and numbers');
    else dtype = values.every((v) => Number.isInteger(v)) && values.length > 0 ? 'int64' : 'float32';
    if (options.shape) shape = dims(options.shape);
    buffer = bufferFor(values, dtype);
    if (dtype === 'float16' || dtype === 'bfloat16') {
      const t = new Tensor(native.fromBuffer(buffer, dtypeCode('float32'), shape)).to(dtype);
      return finish(t, options);
    }
  }
  let t = new Tensor(native.fromBuffer(buffer, dtypeCode(dtype), shape));
  if (options.dtype && options.dtype !== dtype) t = t.to(options.dtype);
  return finish(t, options);
}

/** A 0-dim tensor holding one number. */
export function scalarTensor(value: number, options: TensorOptions = {}): Tensor {
  return finish(ops.scalar_tensor(value, options.dtype ?? 'float32'), options);
}

export function zeros(shape: Shape, options: TensorOptions = {}): Tensor {
  return finish(ops.zeros(dims(shape), options.dtype ?? null), options);
}

export function ones(shape: Shape, options: TensorOptions = {}): Tensor {
  return finish(ops.ones(dims(shape), options.dtype ?? null), options);
}

export function empty(shape: Shape, options: TensorOptions & { memoryFormat?: MemoryFormat } = {}): Tensor {
  const mf = options.memoryFormat ? memoryFormatCode(options.memoryFormat) : null;
  return finish(ops.empty_memory_format(dims(shape), options.dtype ?? null, null, null, null, mf), options);
}

/** `full(shape, value)`: the dtype follows the value (int64 for an integer, float32 otherwise) unless given. */
export function full(shape: Shape, value: number | boolean, options: TensorOptions = {}): Tensor {
  const dtype = options.dtype ?? (typeof value === 'boolean' ? 'bool' : Number.isInteger(value) ? 'int64' : 'float32');
  return finish(ops.full(dims(shape), value, dtype), options);
}

/** `arange(end)`, `arange(start, end)`, `arange(start, end, step)`. */
export function arange(start: number, end?: number, step = 1, options: TensorOptions = {}): Tensor {
  const [s, e] = end === undefined ? [0, start] : [start, end];
  const dtype = options.dtype ?? ([s, e, step].every(Number.isInteger) ? 'int64' : 'float32');
  return finish(ops.arange_start_step(s, e, step, dtype), options);
}

export function linspace(start: number, end: number, steps: number, options: TensorOptions = {}): Tensor {
  return finish(ops.linspace(start, end, steps, options.dtype ?? null), options);
}

export function eye(n: number, m?: number, options: TensorOptions = {}): Tensor {
  return finish(m === undefined ? ops.eye(n, options.dtype ?? null) : ops.eye_m(n, m, options.dtype ?? null), options);
}

/** Uniform on [0, 1). */
export function rand(shape: Shape, options: TensorOptions = {}): Tensor {
  return finish(ops.rand(dims(shape), options.dtype ?? null), options);
}

/** Standard normal. */
export function randn(shape: Shape, options: TensorOptions = {}): Tensor {
  return finish(ops.randn(dims(shape), options.dtype ?? null), options);
}

/** Integers in [low, high). */
export function randint(low: number, high: number, shape: Shape, options: TensorOptions = {}): Tensor {
  return finish(ops.randint_low(low, high, dims(shape), options.dtype ?? 'int64'), options);
}

export function randperm(n: number, options: TensorOptions = {}): Tensor {
  return finish(ops.randperm(n, options.dtype ?? 'int64'), options);
}

export function zerosLike(t: Tensor, options: TensorOptions = {}): Tensor {
  return finish(ops.zeros_like(t, options.dtype ?? null), options);
}

export function onesLike(t: Tensor, options: TensorOptions = {}): Tensor {
  return finish(ops.ones_like(t, options.dtype ?? null), options);
}

export function emptyLike(t: Tensor, options: TensorOptions = {}): Tensor {
  return finish(ops.empty_like(t, options.dtype ?? null), options);
}

export function fullLike(t: Tensor, value: number, options: TensorOptions = {}): Tensor {
  return finish(ops.full_like(t, value, options.dtype ?? null), options);
}

export function randLike(t: Tensor, options: TensorOptions = {}): Tensor {
  return finish(ops.rand_like(t, options.dtype ?? null), options);
}

export function randnLike(t: Tensor, options: TensorOptions = {}): Tensor {
  return finish(ops.randn_like(t, options.dtype ?? null), options);
}

export function cat(tensors: readonly Tensor[], dim = 0): Tensor {
  return ops.cat(tensors, dim);
}

export function stack(tensors: readonly Tensor[], dim = 0): Tensor {
  return ops.stack(tensors, dim);
}

/** `where(condition, x, y)`: x where the condition holds, y elsewhere (numbers allowed). */
export function where(condition: Tensor, x: Tensor | number, y: Tensor | number): Tensor {
  return ops.where_self(condition, x, y);
}

export { parseDType };
