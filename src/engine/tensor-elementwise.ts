/** Tensor's elementwise math: exponentials, rounding, activations, clamping, NaN checks. */
import type { DType } from './dtype.js';
import { dtypeCode } from './dtype.js';
import { native } from './native.js';
import * as ops from './ops.generated.js';
import { Tensor, type TensorLike } from './tensor-core.js';

/**
 * Tensor's elementwise math. A set of methods that tensor.ts copies onto Tensor.prototype; never
 * instantiated, hence the `this: Tensor` parameters.
 */
export class ElementwiseMethods {
  exp(this: Tensor): Tensor { return ops.exp(this); }
  log(this: Tensor): Tensor { return ops.log(this); }
  log2(this: Tensor): Tensor { return ops.log2(this); }
  log10(this: Tensor): Tensor { return ops.log10(this); }
  log1p(this: Tensor): Tensor { return ops.log1p(this); }
  expm1(this: Tensor): Tensor { return ops.expm1(this); }
  sqrt(this: Tensor): Tensor { return ops.sqrt(this); }
  rsqrt(this: Tensor): Tensor { return ops.rsqrt(this); }
  square(this: Tensor): Tensor { return ops.square(this); }
  abs(this: Tensor): Tensor { return ops.abs(this); }
  sign(this: Tensor): Tensor { return ops.sign(this); }
  sin(this: Tensor): Tensor { return ops.sin(this); }
  cos(this: Tensor): Tensor { return ops.cos(this); }
  tan(this: Tensor): Tensor { return ops.tan(this); }
  floor(this: Tensor): Tensor { return ops.floor(this); }
  ceil(this: Tensor): Tensor { return ops.ceil(this); }
  round(this: Tensor, decimals?: number): Tensor { return decimals === undefined ? ops.round(this) : ops.round_decimals(this, decimals); }
  trunc(this: Tensor): Tensor { return ops.trunc(this); }
  frac(this: Tensor): Tensor { return ops.frac(this); }
  sigmoid(this: Tensor): Tensor { return ops.sigmoid(this); }
  tanh(this: Tensor): Tensor { return ops.tanh(this); }
  relu(this: Tensor): Tensor { return ops.relu(this); }
  gelu(this: Tensor, approximate: 'none' | 'tanh' = 'none'): Tensor { return ops.gelu(this, approximate); }
  silu(this: Tensor): Tensor { return ops.silu(this); }
  softmax(this: Tensor, dim: number, dtype?: DType): Tensor { return ops.softmax_int(this, dim, dtype ?? null); }
  logSoftmax(this: Tensor, dim: number, dtype?: DType): Tensor { return ops.log_softmax_int(this, dim, dtype ?? null); }
  /** `clamp(min, max)`: either bound may be null; bounds may be numbers or tensors. */
  clamp(this: Tensor, min: TensorLike | null = null, max: TensorLike | null = null): Tensor {
    if (min === null && max === null) throw new TypeError('clamp: give at least one of min and max');
    if ((min === null || typeof min === 'number') && (max === null || typeof max === 'number')) return ops.clamp(this, min, max);
    return ops.clamp_Tensor(this, toTensorOrNull(min, this), toTensorOrNull(max, this));
  }
  clip(this: Tensor, min: TensorLike | null = null, max: TensorLike | null = null): Tensor { return this.clamp(min, max); }
  clampMin(this: Tensor, min: number): Tensor { return ops.clamp_min(this, min); }
  clampMax(this: Tensor, max: number): Tensor { return ops.clamp_max(this, max); }
  isnan(this: Tensor): Tensor { return ops.isnan(this); }
  isinf(this: Tensor): Tensor { return ops.isinf(this); }
  isfinite(this: Tensor): Tensor { return ops.isfinite(this); }
  nanToNum(this: Tensor, nan = 0, posinf?: number, neginf?: number): Tensor { return ops.nan_to_num(this, nan, posinf ?? null, neginf ?? null); }
}

function toTensorOrNull(x: TensorLike | null, like: Tensor): Tensor | null {
  if (x === null || x instanceof Tensor) return x;
  return new Tensor(native.fromBuffer(new Float64Array([x]), dtypeCode('float64'), [])).to(like.dtype);
}
