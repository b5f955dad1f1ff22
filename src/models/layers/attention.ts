/**
 * timm's multi-head self-attention (timm/layers/attention.py `Attention`): one `qkv` Linear for
 * queries, keys and values (laid out [q; k; v], as PyTorch's `in_proj_weight`), scaled dot-product
 * attention over the heads, and the output projection `proj`. owlet's libtorch has no fused
 * `scaled_dot_product_attention`, so it computes timm's non-fused path: softmax(q·scale @ kᵀ) @ v.
 * In inference (eval, nothing recorded for autograd, float32 on the CPU, no autocast) it runs the
 * whole block as one fused kernel, `aten::_native_multi_head_attention`, the one PyTorch 1.13's
 * `nn.MultiheadAttention` takes on its fast path (torchvision's ViT runs it in eval).
 */
import { isAutocastEnabled, isGradEnabled, nativeMultiHeadAttention, type Tensor } from '../../engine/index.js';
import * as nn from '../../nn/index.js';
import type { Placement } from './placement.js';

export interface AttentionOptions extends Placement {
  numHeads?: number;
  qkvBias?: boolean;
  attnDrop?: number;
  projDrop?: number;
}

export class Attention extends nn.Module {
  readonly numHeads: number;
  readonly headDim: number;
  readonly scale: number;
  readonly qkv: nn.Linear;
  readonly q_norm: nn.Identity;
  readonly k_norm: nn.Identity;
  readonly attn_drop: nn.Dropout;
  readonly norm: nn.Identity;
  readonly proj: nn.Linear;
  readonly proj_drop: nn.Dropout;

  constructor(dim: number, options: AttentionOptions = {}) {
    super();
    const { numHeads = 8, qkvBias = false, attnDrop = 0, projDrop = 0, device, dtype } = options;
    if (dim % numHeads !== 0) throw new Error(`Attention: dim ${dim} is not divisible by numHeads ${numHeads}`);
    this.numHeads = numHeads;
    this.headDim = dim / numHeads;
    this.scale = this.headDim ** -0.5;
    this.qkv = new nn.Linear(dim, dim * 3, { bias: qkvBias, device, dtype });
    this.q_norm = new nn.Identity();
    this.k_norm = new nn.Identity();
    this.attn_drop = new nn.Dropout(attnDrop);
    this.norm = new nn.Identity();
    this.proj = new nn.Linear(dim, dim, { device, dtype });
    this.proj_drop = new nn.Dropout(projDrop);
  }

  /** (B, N, C) tokens in, (B, N, C) out. */
  override forward(x: Tensor): Tensor {
    if (this.#fastPath(x)) return nativeMultiHeadAttention(x, this.numHeads, this.qkv.weight, this.qkv.bias!, this.proj.weight, this.proj.bias!);
    const [b, n, c] = x.shape as [number, number, number];
    const qkv = this.qkv.call(x).reshape(b, n, 3, this.numHeads, this.headDim).permute(2, 0, 3, 1, 4);
    const [q, k, v] = qkv.unbind(0) as [Tensor, Tensor, Tensor];
    let attn = this.q_norm.call(q).mul(this.scale).matmul(this.k_norm.call(k).transpose(-2, -1));
    attn = this.attn_drop.call(attn.softmax(-1));
    let y = attn.matmul(v).transpose(1, 2).reshape(b, n, c);
    y = this.proj.call(this.norm.call(y));
    return this.proj_drop.call(y);
  }

  /** PyTorch's conditions for `nn.MultiheadAttention`'s fast path, and biases on both projections. */
  #fastPath(x: Tensor): boolean {
    if (this.training || x.dim() !== 3 || x.dtype !== 'float32' || x.device !== 'cpu') return false;
    const { qkv, proj } = this;
    if (qkv.bias === null || proj.bias === null || qkv.weight.dtype !== 'float32' || proj.weight.dtype !== 'float32') return false;
    const recording = isGradEnabled() && (x.requiresGrad || qkv.weight.requiresGrad || qkv.bias.requiresGrad || proj.weight.requiresGrad || proj.bias.requiresGrad);
    return !recording && !isAutocastEnabled('cpu');
  }
}
