/**
 * Tensor methods that change the tensor in place (PyTorch's trailing underscore). Each returns the
 * tensor it changed, typed as its own class.
 */
import { native } from './native.js';
import * as ops from './ops.generated.js';
import type { Tensor, TensorLike } from './tensor-core.js';

/**
 * Tensor's in-place operations. A set of methods that tensor.ts copies onto Tensor.prototype;
 * never instantiated, hence the `this` parameters.
 */
export class InPlaceMethods {
  add_<T extends Tensor>(this: T, other: TensorLike, alpha?: number): T {
    if (alpha !== undefined) ops.add__Tensor(this, other, alpha);
    else native.add_(this.handle, typeof other === 'number' ? other : other.handle);
    return this;
  }
  sub_<T extends Tensor>(this: T, other: TensorLike, alpha?: number): T {
    if (alpha !== undefined) ops.sub__Tensor(this, other, alpha);
    else native.sub_(this.handle, typeof other === 'number' ? other : other.handle);
    return this;
  }
  mul_<T extends Tensor>(this: T, other: TensorLike): T {
    native.mul_(this.handle, typeof other === 'number' ? other : other.handle);
    return this;
  }
  div_<T extends Tensor>(this: T, other: TensorLike): T {
    ops.div__Tensor(this, other);
    return this;
  }
  pow_<T extends Tensor>(this: T, exponent: TensorLike): T {
    if (typeof exponent === 'number') ops.pow__Scalar(this, exponent);
    else ops.pow__Tensor(this, exponent);
    return this;
  }
  zero_<T extends Tensor>(this: T): T {
    ops.zero_(this);
    return this;
  }
  fill_<T extends Tensor>(this: T, value: TensorLike): T {
    if (typeof value === 'number') ops.fill__Scalar(this, value);
    else ops.fill__Tensor(this, value);
    return this;
  }
  copy_<T extends Tensor>(this: T, src: Tensor, nonBlocking = false): T {
    ops.copy_(this, src, nonBlocking);
    return this;
  }
  clamp_<T extends Tensor>(this: T, min: number | null = null, max: number | null = null): T {
    ops.clamp_(this, min, max);
    return this;
  }
  addcmul_<T extends Tensor>(this: T, t1: Tensor, t2: Tensor, value = 1): T {
    ops.addcmul_(this, t1, t2, value);
    return this;
  }
  addcdiv_<T extends Tensor>(this: T, t1: Tensor, t2: Tensor, value = 1): T {
    ops.addcdiv_(this, t1, t2, value);
    return this;
  }
  lerp_<T extends Tensor>(this: T, end: Tensor, weight: number): T {
    ops.lerp__Scalar(this, end, weight);
    return this;
  }
  sqrt_<T extends Tensor>(this: T): T {
    ops.sqrt_(this);
    return this;
  }
  exp_<T extends Tensor>(this: T): T {
    ops.exp_(this);
    return this;
  }
  relu_<T extends Tensor>(this: T): T {
    ops.relu_(this);
    return this;
  }
  neg_<T extends Tensor>(this: T): T {
    ops.neg_(this);
    return this;
  }
  maskedFill_<T extends Tensor>(this: T, mask: Tensor, value: number): T {
    ops.masked_fill__Scalar(this, mask, value);
    return this;
  }
  uniform_<T extends Tensor>(this: T, from = 0, to = 1): T {
    ops.uniform_(this, from, to, null);
    return this;
  }
  normal_<T extends Tensor>(this: T, mean = 0, std = 1): T {
    ops.normal_(this, mean, std, null);
    return this;
  }
}
