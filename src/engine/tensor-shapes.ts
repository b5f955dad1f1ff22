/** Tensor shapes and views: reshaping, selecting, joining axes, and Python's indexing. */
import { indexPut, indexTensor, type IndexSpec } from './indexing.js';
import * as ops from './ops.generated.js';
import type { Tensor, TensorLike } from './tensor-core.js';

/** `reshape(2, 3)` and `reshape([2, 3])` alike. */
function dimsOf(dims: readonly (number | readonly number[])[]): number[] {
  return dims.length === 1 && Array.isArray(dims[0]) ? [...(dims[0] as number[])] : (dims as number[]);
}

/**
 * Tensor's shapes, views and indexing. A set of methods that tensor.ts copies onto
 * Tensor.prototype; never instantiated, hence the `this: Tensor` parameters.
 */
export class ShapeMethods {
  reshape(this: Tensor, ...shape: (number | readonly number[])[]): Tensor { return ops.reshape(this, dimsOf(shape)); }
  view(this: Tensor, ...shape: (number | readonly number[])[]): Tensor { return ops.view(this, dimsOf(shape)); }
  viewAs(this: Tensor, other: Tensor): Tensor { return ops.view_as(this, other); }
  permute(this: Tensor, ...dims: (number | readonly number[])[]): Tensor { return ops.permute(this, dimsOf(dims)); }
  transpose(this: Tensor, dim0: number, dim1: number): Tensor { return ops.transpose_int(this, dim0, dim1); }
  /** Transpose of a matrix (PyTorch's `t()`). */
  t(this: Tensor): Tensor { return ops.t(this); }
  // Accessors cannot declare `this: Tensor`; on Tensor.prototype, `this` is a Tensor.
  get T(): Tensor { return ops.numpy_T(this as unknown as Tensor); }
  squeeze(this: Tensor, dim?: number): Tensor { return dim === undefined ? ops.squeeze(this) : ops.squeeze_dim(this, dim); }
  unsqueeze(this: Tensor, dim: number): Tensor { return ops.unsqueeze(this, dim); }
  flatten(this: Tensor, startDim = 0, endDim = -1): Tensor { return ops.flatten_using_ints(this, startDim, endDim); }
  unflatten(this: Tensor, dim: number, sizes: readonly number[]): Tensor { return ops.unflatten_int(this, dim, sizes); }
  expand(this: Tensor, ...shape: (number | readonly number[])[]): Tensor { return ops.expand(this, dimsOf(shape)); }
  expandAs(this: Tensor, other: Tensor): Tensor { return ops.expand_as(this, other); }
  repeat(this: Tensor, ...sizes: (number | readonly number[])[]): Tensor { return ops.repeat(this, dimsOf(sizes)); }
  narrow(this: Tensor, dim: number, start: number, length: number): Tensor { return ops.narrow(this, dim, start, length); }
  select(this: Tensor, dim: number, index: number): Tensor { return ops.select_int(this, dim, index); }
  /** `split(size)` or `split([sizes])` along `dim`. */
  split(this: Tensor, sizeOrSizes: number | readonly number[], dim = 0): Tensor[] {
    return typeof sizeOrSizes === 'number' ? ops.split_Tensor(this, sizeOrSizes, dim) : ops.split_with_sizes(this, sizeOrSizes, dim);
  }
  chunk(this: Tensor, chunks: number, dim = 0): Tensor[] { return ops.chunk(this, chunks, dim); }
  unbind(this: Tensor, dim = 0): Tensor[] { return ops.unbind_int(this, dim); }
  gather(this: Tensor, dim: number, index: Tensor): Tensor { return ops.gather(this, dim, index); }
  scatter(this: Tensor, dim: number, index: Tensor, src: TensorLike): Tensor {
    return typeof src === 'number' ? ops.scatter_value(this, dim, index, src) : ops.scatter_src(this, dim, index, src);
  }
  indexSelect(this: Tensor, dim: number, index: Tensor): Tensor { return ops.index_select(this, dim, index); }
  maskedSelect(this: Tensor, mask: Tensor): Tensor { return ops.masked_select(this, mask); }
  flip(this: Tensor, ...dims: (number | readonly number[])[]): Tensor { return ops.flip(this, dimsOf(dims)); }
  roll(this: Tensor, shifts: number | readonly number[], dims: number | readonly number[] = []): Tensor { return ops.roll(this, shifts, dims); }
  tril(this: Tensor, diagonal = 0): Tensor { return ops.tril(this, diagonal); }
  triu(this: Tensor, diagonal = 0): Tensor { return ops.triu(this, diagonal); }
  nonzero(this: Tensor): Tensor { return ops.nonzero(this); }

  /**
   * Python's indexing: `t.index(0)`, `t.index(':', 1)`, `t.index('1:3')`, `t.index(slice(1, 3), null)`,
   * `t.index('...', 0)`, a boolean mask or an int64 tensor of indices.
   */
  index(this: Tensor, ...specs: IndexSpec[]): Tensor {
    return indexTensor(this, specs);
  }

  /** Python's `t[specs] = value`, in place. */
  indexPut_(this: Tensor, specs: IndexSpec[], value: TensorLike): Tensor {
    indexPut(this, specs, value);
    return this;
  }
}
