/**
 * The core of owlet's Tensor: a libtorch tensor seen from TypeScript, with what needs no operator
 * (its facts, memory, values out to JavaScript, printing and autograd state).
 *
 * The operator methods (`add`, `sum`, `reshape`, …) call the generated wrappers in
 * ops.generated.ts, and those wrappers make Tensors: so the class cannot import them without an
 * import circle. They live in the tensor-*.ts method files instead, and tensor.ts installs them on
 * this class's prototype (declaring them on its type there); import Tensor from tensor.ts (or
 * index.ts), which always gives the whole class.
 *
 * Memory: libtorch's allocations are reported to V8, so dropped tensors are collected like any other
 * object; `dispose()`, `using` and `tidy()` release them at once in hot loops.
 */
import { inspect } from 'node:util';
import type { DType } from './dtype.js';
import { dtypeFromCode } from './dtype.js';
import { formatTensor } from './format.js';
import { memoryFormatCode, type MemoryFormat } from './memory-format.js';
import { trackTensor } from './memory.js';
import type { Handle } from './native.js';
import { native } from './native.js';

/** What arithmetic accepts on its right: a tensor or a plain number (PyTorch's wrapped scalar). */
export type TensorLike = Tensor | number;

export interface GradFn {
  /** PyTorch's node name, such as `MeanBackward0`. */
  readonly name: string;
}

export type NestedArray = number | boolean | NestedArray[];

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
    // to() is a conversion method (tensor-conversion.ts), on the prototype before any tensor exists.
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
}

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
