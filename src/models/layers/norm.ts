/** timm's norm layers (timm/layers/norm.py): `LayerNorm` (channels-last) and `LayerNorm2d` (NCHW), eps 1e-6. */
import * as nn from '../../nn/index.js';
import type { Placement } from './placement.js';

/** timm's `LayerNorm`: over the last dimension (channels-last input), eps 1e-6 by default. */
export class LayerNorm extends nn.LayerNorm {
  constructor(numChannels: number, options: { eps?: number; affine?: boolean } & Placement = {}) {
    super(numChannels, { eps: options.eps ?? 1e-6, elementwiseAffine: options.affine ?? true, dtype: options.dtype, device: options.device });
  }
}

/** timm's `LayerNorm2d`: over the channels of NCHW input (permute, layer_norm, permute back), eps 1e-6. */
export const LayerNorm2d = nn.LayerNorm2d;
export type LayerNorm2d = nn.LayerNorm2d;
