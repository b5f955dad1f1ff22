/** Tensor reductions: sums, means, extremes, norms, sorting. */
import type { DType } from './dtype.js';
import * as ops from './ops.generated.js';
import { Tensor } from './tensor-core.js';

/** `max(dim)` and friends: destructure as `[values, indices]` or read `.values` / `.indices`. */
export type ValuesIndices = [Tensor, Tensor] & { values: Tensor; indices: Tensor };

function valuesIndices(pair: [Tensor, Tensor]): ValuesIndices {
  return Object.assign(pair, { values: pair[0], indices: pair[1] });
}

/**
 * Tensor's reductions. A set of methods that tensor.ts copies onto Tensor.prototype; never
 * instantiated, hence the `this: Tensor` parameters.
 */
export class ReductionMethods {
  /** `sum()`, `sum(dim)`, `sum([d0, d1], keepdim)`. */
  sum(this: Tensor, dim?: number | readonly number[], keepdim = false, options: { dtype?: DType } = {}): Tensor {
    if (dim === undefined) return ops.sum(this, options.dtype ?? null);
    return ops.sum_dim_IntList(this, dim, keepdim, options.dtype ?? null);
  }
  mean(this: Tensor, dim?: number | readonly number[], keepdim = false, options: { dtype?: DType } = {}): Tensor {
    if (dim === undefined) return ops.mean(this, options.dtype ?? null);
    return ops.mean_dim(this, dim, keepdim, options.dtype ?? null);
  }
  prod(this: Tensor, dim?: number, keepdim = false): Tensor {
    return dim === undefined ? ops.prod(this) : ops.prod_dim_int(this, dim, keepdim);
  }
  /** `max()` is the largest value; `max(dim)` gives `[values, indices]`; `max(tensor)` is elementwise. */
  max(this: Tensor): Tensor;
  max(this: Tensor, dim: number, keepdim?: boolean): ValuesIndices;
  max(this: Tensor, other: Tensor): Tensor;
  max(this: Tensor, dim?: number | Tensor, keepdim = false): Tensor | ValuesIndices {
    if (dim === undefined) return ops.max(this);
    if (dim instanceof Tensor) return ops.max_other(this, dim);
    return valuesIndices(ops.max_dim(this, dim, keepdim));
  }
  min(this: Tensor): Tensor;
  min(this: Tensor, dim: number, keepdim?: boolean): ValuesIndices;
  min(this: Tensor, other: Tensor): Tensor;
  min(this: Tensor, dim?: number | Tensor, keepdim = false): Tensor | ValuesIndices {
    if (dim === undefined) return ops.min(this);
    if (dim instanceof Tensor) return ops.min_other(this, dim);
    return valuesIndices(ops.min_dim(this, dim, keepdim));
  }
  amax(this: Tensor, dim: number | readonly number[] = [], keepdim = false): Tensor { return ops.amax(this, dim, keepdim); }
  amin(this: Tensor, dim: number | readonly number[] = [], keepdim = false): Tensor { return ops.amin(this, dim, keepdim); }
  argmax(this: Tensor, dim?: number, keepdim = false): Tensor { return ops.argmax(this, dim ?? null, keepdim); }
  argmin(this: Tensor, dim?: number, keepdim = false): Tensor { return ops.argmin(this, dim ?? null, keepdim); }
  /** Standard deviation; `correction` 1 (Bessel's, PyTorch's default) or 0. */
  std(this: Tensor, dim?: number | readonly number[], options: { correction?: number; keepdim?: boolean } = {}): Tensor {
    return ops.std_correction(this, dim ?? null, options.correction ?? 1, options.keepdim ?? false);
  }
  var(this: Tensor, dim?: number | readonly number[], options: { correction?: number; keepdim?: boolean } = {}): Tensor {
    return ops.var_correction(this, dim ?? null, options.correction ?? 1, options.keepdim ?? false);
  }
  norm(this: Tensor, p = 2, dim?: number | readonly number[], keepdim = false): Tensor {
    // PyTorch 1.13's torch.norm reduces over every dim with norm.ScalarOpt_dim when no dim is given.
    return ops.norm_ScalarOpt_dim(this, p, dim ?? Array.from({ length: this.dim() }, (_, i) => i), keepdim);
  }
  cumsum(this: Tensor, dim: number): Tensor { return ops.cumsum(this, dim, null); }
  all(this: Tensor, dim?: number): Tensor { return dim === undefined ? ops.all(this) : ops.all_dim(this, dim); }
  any(this: Tensor, dim?: number): Tensor { return dim === undefined ? ops.any(this) : ops.any_dim(this, dim); }
  sort(this: Tensor, dim = -1, descending = false): ValuesIndices { return valuesIndices(ops.sort(this, dim, descending)); }
  argsort(this: Tensor, dim = -1, descending = false): Tensor { return ops.argsort(this, dim, descending); }
  topk(this: Tensor, k: number, dim = -1, largest = true, sorted = true): ValuesIndices { return valuesIndices(ops.topk(this, k, dim, largest, sorted)); }
}
