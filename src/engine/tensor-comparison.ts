/** Tensor comparisons and logic: elementwise tests, masks and selection by condition. */
import * as ops from './ops.generated.js';
import type { Tensor, TensorLike } from './tensor-core.js';

/**
 * Tensor's comparisons and logic. A set of methods that tensor.ts copies onto Tensor.prototype;
 * never instantiated, hence the `this: Tensor` parameters.
 */
export class ComparisonMethods {
  eq(this: Tensor, other: TensorLike): Tensor { return typeof other === 'number' ? ops.eq_Scalar(this, other) : ops.eq_Tensor(this, other); }
  ne(this: Tensor, other: TensorLike): Tensor { return typeof other === 'number' ? ops.ne_Scalar(this, other) : ops.ne_Tensor(this, other); }
  lt(this: Tensor, other: TensorLike): Tensor { return typeof other === 'number' ? ops.lt_Scalar(this, other) : ops.lt_Tensor(this, other); }
  le(this: Tensor, other: TensorLike): Tensor { return typeof other === 'number' ? ops.le_Scalar(this, other) : ops.le_Tensor(this, other); }
  gt(this: Tensor, other: TensorLike): Tensor { return typeof other === 'number' ? ops.gt_Scalar(this, other) : ops.gt_Tensor(this, other); }
  ge(this: Tensor, other: TensorLike): Tensor { return typeof other === 'number' ? ops.ge_Scalar(this, other) : ops.ge_Tensor(this, other); }
  equal(this: Tensor, other: Tensor): boolean { return ops.equal(this, other); }
  allclose(this: Tensor, other: Tensor, rtol = 1e-5, atol = 1e-8, equalNan = false): boolean { return ops.allclose(this, other, rtol, atol, equalNan); }
  logicalAnd(this: Tensor, other: Tensor): Tensor { return ops.logical_and(this, other); }
  logicalOr(this: Tensor, other: Tensor): Tensor { return ops.logical_or(this, other); }
  logicalNot(this: Tensor): Tensor { return ops.logical_not(this); }
  maximum(this: Tensor, other: Tensor): Tensor { return ops.maximum(this, other); }
  minimum(this: Tensor, other: Tensor): Tensor { return ops.minimum(this, other); }
  /** `where(cond, other)`: this where cond holds, other elsewhere. */
  where(this: Tensor, condition: Tensor, other: TensorLike): Tensor { return ops.where_self(condition, this, other); }
  maskedFill(this: Tensor, mask: Tensor, value: TensorLike): Tensor {
    return typeof value === 'number' ? ops.masked_fill_Scalar(this, mask, value) : ops.masked_fill_Tensor(this, mask, value);
  }
}
