/**
 * timm's norm + activation layers (timm/layers/norm_act.py, conv_bn_act.py): `BatchNormAct2d`, a
 * BatchNorm2d whose forward goes on through `drop` and `act` (its parameters keep BatchNorm2d's
 * names: `bn1.weight`, `bn1.running_mean`), and `ConvNormAct`, a conv and a BatchNormAct2d.
 */
import type { Tensor } from '../../engine/index.js';
import * as nn from '../../nn/index.js';
import type { AnyModule } from '../../nn/index.js';
import { getActLayer, type ActLayer, type ActName } from './create-act.js';
import type { Placement } from './placement.js';

export interface BatchNormActOptions extends Placement {
  eps?: number;
  momentum?: number;
  /** The activation (default ReLU); null or `applyAct: false`: Identity. */
  actLayer?: ActName | ActLayer | null;
  applyAct?: boolean;
  /** timm builds its activations in place (default true): ReLU prints `ReLU(inplace=True)`. */
  inplace?: boolean;
}

/** BatchNorm2d → `drop` (Identity) → `act`, printed as timm prints it. */
export class BatchNormAct2d extends nn.BatchNorm2d {
  readonly drop: nn.Identity;
  readonly act: AnyModule;

  constructor(numFeatures: number, options: BatchNormActOptions = {}) {
    const { eps, momentum, actLayer = 'relu', applyAct = true, inplace = true, device, dtype } = options;
    super(numFeatures, { eps, momentum, device, dtype });
    this.drop = new nn.Identity();
    this.act = actLayer !== null && applyAct ? getActLayer(actLayer)(inplace ? { inplace: true } : {}) : new nn.Identity();
  }

  override forward(input: Tensor): Tensor {
    return this.act.call(this.drop.call(super.forward(input))) as Tensor;
  }
}

/** timm's `get_padding`: symmetric padding of a (strided, dilated) convolution. */
export function getPadding(kernelSize: number, stride = 1, dilation = 1): number {
  return Math.floor((stride - 1 + dilation * (kernelSize - 1)) / 2);
}

export interface ConvNormActOptions extends BatchNormActOptions {
  stride?: number;
  dilation?: number;
  groups?: number;
  bias?: boolean;
}

/** timm's `ConvNormAct`: `conv` (symmetric padding, no bias) then `bn` (a BatchNormAct2d). */
export class ConvNormAct extends nn.Module {
  readonly conv: nn.Conv2d;
  readonly bn: BatchNormAct2d;

  constructor(inChannels: number, outChannels: number, kernelSize: number, options: ConvNormActOptions = {}) {
    super();
    const { stride = 1, dilation = 1, groups = 1, bias = false, device, dtype, ...bn } = options;
    this.conv = new nn.Conv2d(inChannels, outChannels, kernelSize, {
      stride, dilation, groups, bias, padding: getPadding(kernelSize, stride, dilation), device, dtype,
    });
    this.bn = new BatchNormAct2d(outChannels, { ...bn, device, dtype });
  }

  override forward(x: Tensor): Tensor {
    return this.bn.call(this.conv.call(x));
  }
}
