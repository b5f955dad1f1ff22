/** ConvNeXt-V2's `GlobalResponseNorm` (timm/layers/grn.py). */
import { empty, type Tensor } from '../../engine/index.js';
import * as nn from '../../nn/index.js';
import type { Placement } from './placement.js';

/**
 * ConvNeXt-V2's Global Response Normalization: each channel's L2 norm over space, divided by the
 * mean of those norms over the channels, rescales the input: `x + bias + weight·(x·n)`. `weight`
 * and `bias` are 1-d (C), start at zero, and are viewed as (1, 1, 1, C) channels-last or
 * (1, C, 1, 1) — the shapes of timm's checkpoints.
 */
export class GlobalResponseNorm extends nn.Module {
  declare weight: Tensor;
  declare bias: Tensor;
  readonly eps: number;
  readonly spatialDim: [number, number];
  readonly channelDim: number;
  readonly wbShape: [number, number, number, number];

  constructor(dim: number, options: { eps?: number; channelsLast?: boolean } & Placement = {}) {
    super();
    this.eps = options.eps ?? 1e-6;
    const channelsLast = options.channelsLast ?? true;
    this.spatialDim = channelsLast ? [1, 2] : [2, 3];
    this.channelDim = channelsLast ? -1 : 1;
    this.wbShape = channelsLast ? [1, 1, 1, -1] : [1, -1, 1, 1];
    const f = { dtype: options.dtype, device: options.device };
    this.registerParameter('weight', zerosOf([dim], f));
    this.registerParameter('bias', zerosOf([dim], f));
  }

  override forward(x: Tensor): Tensor {
    const xg = x.norm(2, this.spatialDim, true);
    const xn = xg.div(xg.mean(this.channelDim, true).add(this.eps));
    return x.add(this.bias.view(this.wbShape).addcmul(this.weight.view(this.wbShape), x.mul(xn)));
  }
}

function zerosOf(shape: number[], f: Placement): Tensor {
  return nn.init.zeros_(empty(shape, { dtype: f.dtype, device: f.device }));
}
