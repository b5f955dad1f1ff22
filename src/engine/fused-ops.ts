/**
 * Fused inference kernels that libtorch keeps private (a leading `_`, so the generator leaves them
 * out of ops.generated.ts) but PyTorch's own modules call on their fast paths. They have no
 * backward: call them only where autograd records nothing (grad off, or no input requiring grad).
 */
import { native } from './native.js';
import * as rt from './op-runtime.js';
import type { Tensor } from './tensor-core.js';

let $mha: number | undefined;

/**
 * `aten::_native_multi_head_attention` without a mask and without the weights, the kernel that
 * PyTorch 1.13's `nn.MultiheadAttention` runs in eval for self-attention: (B, N, C) `x` through the
 * [q; k; v] projection (`qkvWeight` (3C, C), `qkvBias` (3C)), softmax(q·k^T/√d)·v over `numHeads`
 * heads, and the output projection. Returns (B, N, C).
 */
export function nativeMultiHeadAttention(x: Tensor, numHeads: number, qkvWeight: Tensor, qkvBias: Tensor, projWeight: Tensor, projBias: Tensor): Tensor {
  const c = x.shape[x.shape.length - 1]!;
  const r = native.call($mha ??= rt.op('aten::_native_multi_head_attention', ''), x.handle, x.handle, x.handle, c, numHeads,
    qkvWeight.handle, qkvBias.handle, projWeight.handle, projBias.handle, null, false, true, null) as unknown[];
  // with need_weights=false the second result is an undefined tensor (null here)
  return rt.t(r[0] as never);
}
