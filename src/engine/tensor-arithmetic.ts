/** Tensor arithmetic: broadcasting, with PyTorch's type promotion. */
import { native } from './native.js';
import * as ops from './ops.generated.js';
import { Tensor, type TensorLike } from './tensor-core.js';

/**
 * Tensor's arithmetic (the four basic operations call the addon directly: they are the hot path).
 * A set of methods that tensor.ts copies onto Tensor.prototype; never instantiated, hence the
 * `this: Tensor` parameters.
 */
export class ArithmeticMethods {
  add(this: Tensor, other: TensorLike, alpha?: number): Tensor {
    if (alpha !== undefined) return ops.add_Tensor(this, other, alpha);
    return new Tensor(native.add(this.handle, typeof other === 'number' ? other : other.handle));
  }
  sub(this: Tensor, other: TensorLike, alpha?: number): Tensor {
    if (alpha !== undefined) return ops.sub_Tensor(this, other, alpha);
    return new Tensor(native.sub(this.handle, typeof other === 'number' ? other : other.handle));
  }
  mul(this: Tensor, other: TensorLike): Tensor {
    return new Tensor(native.mul(this.handle, typeof other === 'number' ? other : other.handle));
  }
  div(this: Tensor, other: TensorLike, roundingMode?: 'trunc' | 'floor'): Tensor {
    if (roundingMode !== undefined) return ops.div_Tensor_mode(this, other, roundingMode);
    return new Tensor(native.div(this.handle, typeof other === 'number' ? other : other.handle));
  }
  /** `other - this` (PyTorch's `__rsub__`). */
  rsub(this: Tensor, other: TensorLike): Tensor { return typeof other === 'number' ? ops.rsub_Scalar(this, other) : ops.rsub_Tensor(this, other); }
  pow(this: Tensor, exponent: TensorLike): Tensor {
    return typeof exponent === 'number' ? ops.pow_Tensor_Scalar(this, exponent) : ops.pow_Tensor_Tensor(this, exponent);
  }
  remainder(this: Tensor, other: TensorLike): Tensor { return ops.remainder_Tensor(this, other); }
  fmod(this: Tensor, other: TensorLike): Tensor { return ops.fmod_Tensor(this, other); }
  floorDivide(this: Tensor, other: TensorLike): Tensor { return ops.floor_divide(this, other); }
  neg(this: Tensor): Tensor { return ops.neg(this); }
  reciprocal(this: Tensor): Tensor { return ops.reciprocal(this); }
  matmul(this: Tensor, other: Tensor): Tensor { return ops.matmul(this, other); }
  mm(this: Tensor, other: Tensor): Tensor { return ops.mm(this, other); }
  bmm(this: Tensor, other: Tensor): Tensor { return ops.bmm(this, other); }
  dot(this: Tensor, other: Tensor): Tensor { return ops.dot(this, other); }
  outer(this: Tensor, other: Tensor): Tensor { return ops.outer(this, other); }
  lerp(this: Tensor, end: Tensor, weight: TensorLike): Tensor {
    return typeof weight === 'number' ? ops.lerp_Scalar(this, end, weight) : ops.lerp_Tensor(this, end, weight);
  }
  addcmul(this: Tensor, t1: Tensor, t2: Tensor, value = 1): Tensor { return ops.addcmul(this, t1, t2, value); }
  addcdiv(this: Tensor, t1: Tensor, t2: Tensor, value = 1): Tensor { return ops.addcdiv(this, t1, t2, value); }
}
