/**
 * owlet's Tensor: a libtorch tensor seen from TypeScript, with PyTorch's API in TypeScript's naming.
 *
 * Memory: libtorch's allocations are reported to V8, so dropped tensors are collected like any other
 * object; `dispose()`, `using` and `tidy()` release them at once in hot loops.
 */
import { inspect } from 'node:util';
import type { DType } from './dtype.js';
import { dtypeCode, dtypeFromCode, isDType, parseDType } from './dtype.js';
import { formatTensor } from './format.js';
import { indexTensor, indexPut, type IndexSpec } from './indexing.js';
import { trackTensor } from './memory.js';
import type { Handle } from './native.js';
import { native } from './native.js';
import * as ops from './ops.generated.js';

/** What arithmetic accepts on its right: a tensor or a plain number (PyTorch's wrapped scalar). */
export type TensorLike = Tensor | number;

/** `max(dim)` and friends: destructure as `[values, indices]` or read `.values` / `.indices`. */
export type ValuesIndices = [Tensor, Tensor] & { values: Tensor; indices: Tensor };

export interface GradFn {
  /** PyTorch's node name, such as `MeanBackward0`. */
  readonly name: string;
}

/** Memory formats, numbered as libtorch numbers them. */
export type MemoryFormat = 'contiguous' | 'preserve' | 'channelsLast' | 'channelsLast3d';
const MEMORY_FORMATS: Record<MemoryFormat, number> = { contiguous: 0, preserve: 1, channelsLast: 2, channelsLast3d: 3 };
export function memoryFormatCode(f: MemoryFormat): number {
  const code = MEMORY_FORMATS[f];
  if (code === undefined) throw new TypeError(`unknown memory format '${String(f)}': use ${Object.keys(MEMORY_FORMATS).join(', ')}`);
  return code;
}

function valuesIndices(pair: [Tensor, Tensor]): ValuesIndices {
  return Object.assign(pair, { values: pair[0], indices: pair[1] });
}

function dimsOf(dims: readonly (number | readonly number[])[]): number[] {
  return dims.length === 1 && Array.isArray(dims[0]) ? [...(dims[0] as number[])] : (dims as number[]);
}

export class Tensor {
  #h: Handle;
  #dtype: DType | undefined;

  /** Wraps a native handle; use `tensor()`, `zeros()` and the other factories to make tensors. */
  constructor(handle: Handle) {
    this.#h = handle;
    trackTensor(this);
  }

  /** The native handle, for owlet's own layers. */
  get handle(): Handle {
    return this.#h;
  }

  // ---------------------------------------------------------------------------------------------
  // Facts

  get shape(): number[] {
    return native.shape(this.#h);
  }

  /** `size()` is the shape; `size(d)` one dimension (negative counts from the end). */
  size(): number[];
  size(dim: number): number;
  size(dim?: number): number[] | number {
    const s = native.shape(this.#h);
    if (dim === undefined) return s;
    const d = dim < 0 ? dim + s.length : dim;
    if (d < 0 || d >= s.length)
      throw new RangeError(`size(${dim}): dimension out of range for a tensor of shape [${s.join(', ')}] (expected -${s.length}..${s.length - 1})`);
    return s[d]!;
  }

  stride(): number[] {
    return native.strides(this.#h);
  }

  get ndim(): number {
    return native.dim(this.#h);
  }

  dim(): number {
    return native.dim(this.#h);
  }

  numel(): number {
    return native.numel(this.#h);
  }

  get dtype(): DType {
    return (this.#dtype ??= dtypeFromCode(native.dtype(this.#h)));
  }

  get device(): string {
    return native.device(this.#h);
  }

  isContiguous(memoryFormat: MemoryFormat = 'contiguous'): boolean {
    return native.isContiguous(this.#h, memoryFormatCode(memoryFormat));
  }

  isFloatingPoint(): boolean {
    const d = this.dtype;
    return d === 'float32' || d === 'float64' || d === 'float16' || d === 'bfloat16';
  }

  // ---------------------------------------------------------------------------------------------
  // Memory

  /** Releases libtorch's memory now. The tensor cannot be used afterwards. */
  dispose(): void {
    native.dispose(this.#h);
  }

  [Symbol.dispose](): void {
    native.dispose(this.#h);
  }

  get isDisposed(): boolean {
    return native.isDisposed(this.#h);
  }

  // ---------------------------------------------------------------------------------------------
  // Out to JavaScript

  /** The value of a one-element tensor. */
  item(): number {
    return native.item(this.#h) as number;
  }

  /** A copy of the data as the typed array of this dtype (float16 and bfloat16 as raw Uint16Array). */
  toTypedArray(): Float32Array | Float64Array | Int32Array | Int16Array | Int8Array | Uint8Array | Uint16Array | BigInt64Array {
    return typedArrayOf(native.toBuffer(this.#h), this.dtype);
  }

  /**
   * A typed array over this tensor's own memory (CPU, contiguous): no copy, and writes go through to
   * the tensor. It keeps the memory alive as long as it lives.
   */
  dataView(): Float32Array | Float64Array | Int32Array | Int16Array | Int8Array | Uint8Array | Uint16Array | BigInt64Array {
    return typedArrayOf(native.dataView(this.#h), this.dtype);
  }

  /** The values, flat, as JavaScript numbers (booleans for bool). */
  toFlatArray(): number[] | boolean[] {
    const d = this.dtype;
    if (d === 'float16' || d === 'bfloat16') return this.to('float32').toFlatArray();
    const data = this.toTypedArray();
    if (d === 'bool') return Array.from(data as Uint8Array, (v) => v !== 0);
    if (data instanceof BigInt64Array) return Array.from(data, (v) => Number(v));
    return Array.from(data as Float32Array);
  }

  /** The values as nested arrays of the tensor's shape (PyTorch's `tolist()`); a number for 0-dim. */
  toArray(): NestedArray {
    const flat = this.toFlatArray();
    const shape = this.shape;
    if (shape.length === 0) return flat[0]!;
    return nest(flat, shape, 0, 0).value;
  }

  tolist(): NestedArray {
    return this.toArray();
  }

  toString(): string {
    const d = this.dtype;
    const values = this.toFlatArray();
    const gradFn = native.gradFn(this.#h);
    return formatTensor({
      shape: this.shape,
      dtype: d,
      values,
      device: this.device,
      requiresGrad: native.requiresGrad(this.#h),
      gradFn,
    });
  }

  [inspect.custom](): string {
    if (native.isDisposed(this.#h)) return 'tensor(<disposed>)';
    return this.toString();
  }

  // ---------------------------------------------------------------------------------------------
  // Conversion

  /** `to('float64')`, `to('cuda')`, `to({dtype, device, memoryFormat})`. */
  to(target: DType | string | { dtype?: DType; device?: string; memoryFormat?: MemoryFormat; copy?: boolean }): Tensor {
    if (typeof target === 'string') {
      if (isDType(target) || target.startsWith('torch.')) return ops.to_dtype(this, parseDType(target));
      return ops.to_device(this, target, this.dtype);
    }
    const dtype = target.dtype ?? this.dtype;
    const mf = target.memoryFormat === undefined ? undefined : memoryFormatCode(target.memoryFormat);
    if (target.device !== undefined) return ops.to_device(this, target.device, dtype, false, target.copy ?? false, mf);
    return ops.to_dtype(this, dtype, false, target.copy ?? false, mf);
  }

  float(): Tensor { return this.to('float32'); }
  double(): Tensor { return this.to('float64'); }
  half(): Tensor { return this.to('float16'); }
  bfloat16(): Tensor { return this.to('bfloat16'); }
  long(): Tensor { return this.to('int64'); }
  int(): Tensor { return this.to('int32'); }
  bool(): Tensor { return this.to('bool'); }
  cpu(): Tensor { return this.to('cpu'); }
  cuda(device = 0): Tensor { return this.to(`cuda:${device}`); }
  type(dtype: DType): Tensor { return this.to(dtype); }

  // ---------------------------------------------------------------------------------------------
  // Arithmetic (broadcasting, PyTorch's type promotion)

  add(other: TensorLike, alpha?: number): Tensor {
    if (alpha !== undefined) return ops.add_Tensor(this, other, alpha);
    return new Tensor(native.add(this.#h, typeof other === 'number' ? other : other.#h));
  }
  sub(other: TensorLike, alpha?: number): Tensor {
    if (alpha !== undefined) return ops.sub_Tensor(this, other, alpha);
    return new Tensor(native.sub(this.#h, typeof other === 'number' ? other : other.#h));
  }
  mul(other: TensorLike): Tensor {
    return new Tensor(native.mul(this.#h, typeof other === 'number' ? other : other.#h));
  }
  div(other: TensorLike, roundingMode?: 'trunc' | 'floor'): Tensor {
    if (roundingMode !== undefined) return ops.div_Tensor_mode(this, other, roundingMode);
    return new Tensor(native.div(this.#h, typeof other === 'number' ? other : other.#h));
  }
  /** `other - this` (PyTorch's `__rsub__`). */
  rsub(other: TensorLike): Tensor { return typeof other === 'number' ? ops.rsub_Scalar(this, other) : ops.rsub_Tensor(this, other); }
  pow(exponent: TensorLike): Tensor {
    return typeof exponent === 'number' ? ops.pow_Tensor_Scalar(this, exponent) : ops.pow_Tensor_Tensor(this, exponent);
  }
  remainder(other: TensorLike): Tensor { return ops.remainder_Tensor(this, other); }
  fmod(other: TensorLike): Tensor { return ops.fmod_Tensor(this, other); }
  floorDivide(other: TensorLike): Tensor { return ops.floor_divide(this, other); }
  neg(): Tensor { return ops.neg(this); }
  reciprocal(): Tensor { return ops.reciprocal(this); }
  matmul(other: Tensor): Tensor { return ops.matmul(this, other); }
  mm(other: Tensor): Tensor { return ops.mm(this, other); }
  bmm(other: Tensor): Tensor { return ops.bmm(this, other); }
  dot(other: Tensor): Tensor { return ops.dot(this, other); }
  outer(other: Tensor): Tensor { return ops.outer(this, other); }
  lerp(end: Tensor, weight: TensorLike): Tensor {
    return typeof weight === 'number' ? ops.lerp_Scalar(this, end, weight) : ops.lerp_Tensor(this, end, weight);
  }
  addcmul(t1: Tensor, t2: Tensor, value = 1): Tensor { return ops.addcmul(this, t1, t2, value); }
  addcdiv(t1: Tensor, t2: Tensor, value = 1): Tensor { return ops.addcdiv(this, t1, t2, value); }

  // ---------------------------------------------------------------------------------------------
  // Elementwise math

  exp(): Tensor { return ops.exp(this); }
  log(): Tensor { return ops.log(this); }
  log2(): Tensor { return ops.log2(this); }
  log10(): Tensor { return ops.log10(this); }
  log1p(): Tensor { return ops.log1p(this); }
  expm1(): Tensor { return ops.expm1(this); }
  sqrt(): Tensor { return ops.sqrt(this); }
  rsqrt(): Tensor { return ops.rsqrt(this); }
  square(): Tensor { return ops.square(this); }
  abs(): Tensor { return ops.abs(this); }
  sign(): Tensor { return ops.sign(this); }
  sin(): Tensor { return ops.sin(this); }
  cos(): Tensor { return ops.cos(this); }
  tan(): Tensor { return ops.tan(this); }
  floor(): Tensor { return ops.floor(this); }
  ceil(): Tensor { return ops.ceil(this); }
  round(decimals?: number): Tensor { return decimals === undefined ? ops.round(this) : ops.round_decimals(this, decimals); }
  trunc(): Tensor { return ops.trunc(this); }
  frac(): Tensor { return ops.frac(this); }
  sigmoid(): Tensor { return ops.sigmoid(this); }
  tanh(): Tensor { return ops.tanh(this); }
  relu(): Tensor { return ops.relu(this); }
  gelu(approximate: 'none' | 'tanh' = 'none'): Tensor { return ops.gelu(this, approximate); }
  silu(): Tensor { return ops.silu(this); }
  softmax(dim: number, dtype?: DType): Tensor { return ops.softmax_int(this, dim, dtype ?? null); }
  logSoftmax(dim: number, dtype?: DType): Tensor { return ops.log_softmax_int(this, dim, dtype ?? null); }
  /** `clamp(min, max)`: either bound may be null; bounds may be numbers or tensors. */
  clamp(min: TensorLike | null = null, max: TensorLike | null = null): Tensor {
    if (min === null && max === null) throw new TypeError('clamp: give at least one of min and max');
    if ((min === null || typeof min === 'number') && (max === null || typeof max === 'number')) return ops.clamp(this, min, max);
    return ops.clamp_Tensor(this, toTensorOrNull(min, this), toTensorOrNull(max, this));
  }
  clip(min: TensorLike | null = null, max: TensorLike | null = null): Tensor { return this.clamp(min, max); }
  clampMin(min: number): Tensor { return ops.clamp_min(this, min); }
  clampMax(max: number): Tensor { return ops.clamp_max(this, max); }
  isnan(): Tensor { return ops.isnan(this); }
  isinf(): Tensor { return ops.isinf(this); }
  isfinite(): Tensor { return ops.isfinite(this); }
  nanToNum(nan = 0, posinf?: number, neginf?: number): Tensor { return ops.nan_to_num(this, nan, posinf ?? null, neginf ?? null); }

  // ---------------------------------------------------------------------------------------------
  // Comparisons and logic

  eq(other: TensorLike): Tensor { return typeof other === 'number' ? ops.eq_Scalar(this, other) : ops.eq_Tensor(this, other); }
  ne(other: TensorLike): Tensor { return typeof other === 'number' ? ops.ne_Scalar(this, other) : ops.ne_Tensor(this, other); }
  lt(other: TensorLike): Tensor { return typeof other === 'number' ? ops.lt_Scalar(this, other) : ops.lt_Tensor(this, other); }
  le(other: TensorLike): Tensor { return typeof other === 'number' ? ops.le_Scalar(this, other) : ops.le_Tensor(this, other); }
  gt(other: TensorLike): Tensor { return typeof other === 'number' ? ops.gt_Scalar(this, other) : ops.gt_Tensor(this, other); }
  ge(other: TensorLike): Tensor { return typeof other === 'number' ? ops.ge_Scalar(this, other) : ops.ge_Tensor(this, other); }
  equal(other: Tensor): boolean { return ops.equal(this, other); }
  allclose(other: Tensor, rtol = 1e-5, atol = 1e-8, equalNan = false): boolean { return ops.allclose(this, other, rtol, atol, equalNan); }
  logicalAnd(other: Tensor): Tensor { return ops.logical_and(this, other); }
  logicalOr(other: Tensor): Tensor { return ops.logical_or(this, other); }
  logicalNot(): Tensor { return ops.logical_not(this); }
  maximum(other: Tensor): Tensor { return ops.maximum(this, other); }
  minimum(other: Tensor): Tensor { return ops.minimum(this, other); }
  /** `where(cond, other)`: this where cond holds, other elsewhere. */
  where(condition: Tensor, other: TensorLike): Tensor { return ops.where_self(condition, this, other); }
  maskedFill(mask: Tensor, value: TensorLike): Tensor {
    return typeof value === 'number' ? ops.masked_fill_Scalar(this, mask, value) : ops.masked_fill_Tensor(this, mask, value);
  }

  // ---------------------------------------------------------------------------------------------
  // Reductions

  /** `sum()`, `sum(dim)`, `sum([d0, d1], keepdim)`. */
  sum(dim?: number | readonly number[], keepdim = false, options: { dtype?: DType } = {}): Tensor {
    if (dim === undefined) return ops.sum(this, options.dtype ?? null);
    return ops.sum_dim_IntList(this, dim, keepdim, options.dtype ?? null);
  }
  mean(dim?: number | readonly number[], keepdim = false, options: { dtype?: DType } = {}): Tensor {
    if (dim === undefined) return ops.mean(this, options.dtype ?? null);
    return ops.mean_dim(this, dim, keepdim, options.dtype ?? null);
  }
  prod(dim?: number, keepdim = false): Tensor {
    return dim === undefined ? ops.prod(this) : ops.prod_dim_int(this, dim, keepdim);
  }
  /** `max()` is the largest value; `max(dim)` gives `[values, indices]`; `max(tensor)` is elementwise. */
  max(): Tensor;
  max(dim: number, keepdim?: boolean): ValuesIndices;
  max(other: Tensor): Tensor;
  max(dim?: number | Tensor, keepdim = false): Tensor | ValuesIndices {
    if (dim === undefined) return ops.max(this);
    if (dim instanceof Tensor) return ops.max_other(this, dim);
    return valuesIndices(ops.max_dim(this, dim, keepdim));
  }
  min(): Tensor;
  min(dim: number, keepdim?: boolean): ValuesIndices;
  min(other: Tensor): Tensor;
  min(dim?: number | Tensor, keepdim = false): Tensor | ValuesIndices {
    if (dim === undefined) return ops.min(this);
    if (dim instanceof Tensor) return ops.min_other(this, dim);
    return valuesIndices(ops.min_dim(this, dim, keepdim));
  }
  amax(dim: number | readonly number[] = [], keepdim = false): Tensor { return ops.amax(this, dim, keepdim); }
  amin(dim: number | readonly number[] = [], keepdim = false): Tensor { return ops.amin(this, dim, keepdim); }
  argmax(dim?: number, keepdim = false): Tensor { return ops.argmax(this, dim ?? null, keepdim); }
  argmin(dim?: number, keepdim = false): Tensor { return ops.argmin(this, dim ?? null, keepdim); }
  /** Standard deviation; `correction` 1 (Bessel's, PyTorch's default) or 0. */
  std(dim?: number | readonly number[], options: { correction?: number; keepdim?: boolean } = {}): Tensor {
    return ops.std_correction(this, dim ?? null, options.correction ?? 1, options.keepdim ?? false);
  }
  var(dim?: number | readonly number[], options: { correction?: number; keepdim?: boolean } = {}): Tensor {
    return ops.var_correction(this, dim ?? null, options.correction ?? 1, options.keepdim ?? false);
  }
  norm(p = 2, dim?: number | readonly number[], keepdim = false): Tensor {
    // PyTorch 1.13's torch.norm reduces over every dim with norm.ScalarOpt_dim when no dim is given.
    return ops.norm_ScalarOpt_dim(this, p, dim ?? Array.from({ length: this.dim() }, (_, i) => i), keepdim);
  }
  cumsum(dim: number): Tensor { return ops.cumsum(this, dim, null); }
  all(dim?: number): Tensor { return dim === undefined ? ops.all(this) : ops.all_dim(this, dim); }
  any(dim?: number): Tensor { return dim === undefined ? ops.any(this) : ops.any_dim(this, dim); }
  sort(dim = -1, descending = false): ValuesIndices { return valuesIndices(ops.sort(this, dim, descending)); }
  argsort(dim = -1, descending = false): Tensor { return ops.argsort(this, dim, descending); }
  topk(k: number, dim = -1, largest = true, sorted = true): ValuesIndices { return valuesIndices(ops.topk(this, k, dim, largest, sorted)); }

  // ---------------------------------------------------------------------------------------------
  // Shapes and views

  reshape(...shape: (number | readonly number[])[]): Tensor { return ops.reshape(this, dimsOf(shape)); }
  view(...shape: (number | readonly number[])[]): Tensor { return ops.view(this, dimsOf(shape)); }
  viewAs(other: Tensor): Tensor { return ops.view_as(this, other); }
  permute(...dims: (number | readonly number[])[]): Tensor { return ops.permute(this, dimsOf(dims)); }
  transpose(dim0: number, dim1: number): Tensor { return ops.transpose_int(this, dim0, dim1); }
  /** Transpose of a matrix (PyTorch's `t()`). */
  t(): Tensor { return ops.t(this); }
  get T(): Tensor { return ops.numpy_T(this); }
  squeeze(dim?: number): Tensor { return dim === undefined ? ops.squeeze(this) : ops.squeeze_dim(this, dim); }
  unsqueeze(dim: number): Tensor { return ops.unsqueeze(this, dim); }
  flatten(startDim = 0, endDim = -1): Tensor { return ops.flatten_using_ints(this, startDim, endDim); }
  unflatten(dim: number, sizes: readonly number[]): Tensor { return ops.unflatten_int(this, dim, sizes); }
  expand(...shape: (number | readonly number[])[]): Tensor { return ops.expand(this, dimsOf(shape)); }
  expandAs(other: Tensor): Tensor { return ops.expand_as(this, other); }
  repeat(...sizes: (number | readonly number[])[]): Tensor { return ops.repeat(this, dimsOf(sizes)); }
  contiguous(memoryFormat: MemoryFormat = 'contiguous'): Tensor { return ops.contiguous(this, memoryFormatCode(memoryFormat)); }
  narrow(dim: number, start: number, length: number): Tensor { return ops.narrow(this, dim, start, length); }
  select(dim: number, index: number): Tensor { return ops.select_int(this, dim, index); }
  /** `split(size)` or `split([sizes])` along `dim`. */
  split(sizeOrSizes: number | readonly number[], dim = 0): Tensor[] {
    return typeof sizeOrSizes === 'number' ? ops.split_Tensor(this, sizeOrSizes, dim) : ops.split_with_sizes(this, sizeOrSizes, dim);
  }
  chunk(chunks: number, dim = 0): Tensor[] { return ops.chunk(this, chunks, dim); }
  unbind(dim = 0): Tensor[] { return ops.unbind_int(this, dim); }
  gather(dim: number, index: Tensor): Tensor { return ops.gather(this, dim, index); }
  scatter(dim: number, index: Tensor, src: TensorLike): Tensor {
    return typeof src === 'number' ? ops.scatter_value(this, dim, index, src) : ops.scatter_src(this, dim, index, src);
  }
  indexSelect(dim: number, index: Tensor): Tensor { return ops.index_select(this, dim, index); }
  maskedSelect(mask: Tensor): Tensor { return ops.masked_select(this, mask); }
  flip(...dims: (number | readonly number[])[]): Tensor { return ops.flip(this, dimsOf(dims)); }
  roll(shifts: number | readonly number[], dims: number | readonly number[] = []): Tensor { return ops.roll(this, shifts, dims); }
  tril(diagonal = 0): Tensor { return ops.tril(this, diagonal); }
  triu(diagonal = 0): Tensor { return ops.triu(this, diagonal); }
  nonzero(): Tensor { return ops.nonzero(this); }
  clone(memoryFormat: MemoryFormat = 'preserve'): Tensor { return ops.clone(this, memoryFormatCode(memoryFormat)); }

  /**
   * Python's indexing: `t.index(0)`, `t.index(':', 1)`, `t.index('1:3')`, `t.index(slice(1, 3), null)`,
   * `t.index('...', 0)`, a boolean mask or an int64 tensor of indices.
   */
  index(...specs: IndexSpec[]): Tensor {
    return indexTensor(this, specs);
  }

  /** Python's `t[specs] = value`, in place. */
  indexPut_(specs: IndexSpec[], value: TensorLike): Tensor {
    indexPut(this, specs, value);
    return this;
  }

  // ---------------------------------------------------------------------------------------------
  // In place

  add_(other: TensorLike, alpha?: number): this {
    if (alpha !== undefined) ops.add__Tensor(this, other, alpha);
    else native.add_(this.#h, typeof other === 'number' ? other : other.#h);
    return this;
  }
  sub_(other: TensorLike, alpha?: number): this {
    if (alpha !== undefined) ops.sub__Tensor(this, other, alpha);
    else native.sub_(this.#h, typeof other === 'number' ? other : other.#h);
    return this;
  }
  mul_(other: TensorLike): this {
    native.mul_(this.#h, typeof other === 'number' ? other : other.#h);
    return this;
  }
  div_(other: TensorLike): this {
    ops.div__Tensor(this, other);
    return this;
  }
  pow_(exponent: TensorLike): this {
    if (typeof exponent === 'number') ops.pow__Scalar(this, exponent);
    else ops.pow__Tensor(this, exponent);
    return this;
  }
  zero_(): this {
    ops.zero_(this);
    return this;
  }
  fill_(value: TensorLike): this {
    if (typeof value === 'number') ops.fill__Scalar(this, value);
    else ops.fill__Tensor(this, value);
    return this;
  }
  copy_(src: Tensor, nonBlocking = false): this {
    ops.copy_(this, src, nonBlocking);
    return this;
  }
  clamp_(min: number | null = null, max: number | null = null): this {
    ops.clamp_(this, min, max);
    return this;
  }
  addcmul_(t1: Tensor, t2: Tensor, value = 1): this {
    ops.addcmul_(this, t1, t2, value);
    return this;
  }
  addcdiv_(t1: Tensor, t2: Tensor, value = 1): this {
    ops.addcdiv_(this, t1, t2, value);
    return this;
  }
  lerp_(end: Tensor, weight: number): this {
    ops.lerp__Scalar(this, end, weight);
    return this;
  }
  sqrt_(): this {
    ops.sqrt_(this);
    return this;
  }
  exp_(): this {
    ops.exp_(this);
    return this;
  }
  relu_(): this {
    ops.relu_(this);
    return this;
  }
  neg_(): this {
    ops.neg_(this);
    return this;
  }
  maskedFill_(mask: Tensor, value: number): this {
    ops.masked_fill__Scalar(this, mask, value);
    return this;
  }
  uniform_(from = 0, to = 1): this {
    ops.uniform_(this, from, to, null);
    return this;
  }
  normal_(mean = 0, std = 1): this {
    ops.normal_(this, mean, std, null);
    return this;
  }

  // ---------------------------------------------------------------------------------------------
  // Autograd

  get requiresGrad(): boolean {
    return native.requiresGrad(this.#h);
  }

  requiresGrad_(requiresGrad = true): this {
    native.setRequiresGrad(this.#h, requiresGrad);
    return this;
  }

  /** The accumulated gradient, or null. Accumulates across `backward()` calls, as in PyTorch. */
  get grad(): Tensor | null {
    const g = native.grad(this.#h);
    return g === null ? null : new Tensor(g);
  }

  set grad(g: Tensor | null) {
    native.setGrad(this.#h, g === null ? null : g.#h);
  }

  get gradFn(): GradFn | null {
    const name = native.gradFn(this.#h);
    return name === null ? null : { name, toString: () => `<${name}>` } as GradFn;
  }

  get isLeaf(): boolean {
    return native.isLeaf(this.#h);
  }

  retainGrad(): this {
    native.retainGrad(this.#h);
    return this;
  }

  /** Computes gradients of this tensor with respect to the leaves that require them. */
  backward(gradient?: Tensor | null, options: { retainGraph?: boolean; createGraph?: boolean } = {}): void {
    const create = options.createGraph ?? false;
    native.backward(this.#h, gradient ? gradient.#h : null, options.retainGraph ?? create, create);
  }

  /**
   * PyTorch's `t.data = src`: this same tensor object takes src's data, dtype and device (how
   * Module.to() moves parameters while every reference to them stays valid).
   */
  setData_(src: Tensor): this {
    native.setData(this.#h, src.#h);
    this.#dtype = undefined;
    return this;
  }

  /** A tensor sharing the data, cut from the graph. */
  detach(): Tensor {
    return ops.detach(this);
  }
}

export type NestedArray = number | boolean | NestedArray[];

function nest(flat: (number | boolean)[], shape: readonly number[], dim: number, offset: number): { value: NestedArray[]; next: number } {
  const n = shape[dim]!;
  const out: NestedArray[] = [];
  let at = offset;
  if (dim === shape.length - 1) {
    for (let i = 0; i < n; i++) out.push(flat[at++]!);
    return { value: out, next: at };
  }
  for (let i = 0; i < n; i++) {
    const r = nest(flat, shape, dim + 1, at);
    out.push(r.value);
    at = r.next;
  }
  return { value: out, next: at };
}

function typedArrayOf(buf: ArrayBuffer, dtype: DType) {
  switch (dtype) {
    case 'float32': return new Float32Array(buf);
    case 'float64': return new Float64Array(buf);
    case 'int64': return new BigInt64Array(buf);
    case 'int32': return new Int32Array(buf);
    case 'int16': return new Int16Array(buf);
    case 'int8': return new Int8Array(buf);
    case 'uint8':
    case 'bool': return new Uint8Array(buf);
    case 'float16':
    case 'bfloat16': return new Uint16Array(buf);
  }
}

function toTensorOrNull(x: TensorLike | null, like: Tensor): Tensor | null {
  if (x === null || x instanceof Tensor) return x;
  return new Tensor(native.fromBuffer(new Float64Array([x]), dtypeCode('float64'), [])).to(like.dtype);
}
