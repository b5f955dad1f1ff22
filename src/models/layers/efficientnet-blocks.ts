/**
 * The blocks of EfficientNet and MobileNetV3 (timm/models/_efficientnet_blocks.py):
 * `DepthwiseSeparableConv`, `InvertedResidual` (MBConv) and `ConvBnAct`, with timm's names
 * (`conv_pw`, `bn1`, `conv_dw`, `bn2`, `aa`, `se`, `conv_pwl`, `bn3`, `drop_path`) and printing.
 */
import type { Tensor } from '../../engine/index.js';
import * as nn from '../../nn/index.js';
import type { AnyModule } from '../../nn/index.js';
import type { ActLayer, ActName } from './create-act.js';
import { BatchNormAct2d, getPadding } from './norm-act.js';
import type { Placement } from './placement.js';

/** timm's `make_divisible`: `v` rounded to a multiple of `divisor`, at least `minValue`, never below `roundLimit`·v. */
export function makeDivisible(v: number, divisor = 8, minValue?: number, roundLimit = 0.9): number {
  const min = minValue ?? divisor;
  let n = Math.max(min, Math.floor(Math.trunc(v + divisor / 2) / divisor) * divisor);
  if (n < roundLimit * v) n += divisor;
  return n;
}

/** Makes a block's SE layer for its (expanded) channels, with the block's activation. */
export type SeLayer = (channels: number, actLayer: ActName | ActLayer) => AnyModule;

/** What every block takes from the builder. */
export interface BlockCommon extends Placement {
  stride?: number;
  dilation?: number;
  actLayer: ActName | ActLayer;
  /** BatchNorm eps and momentum (timm's `norm_layer=partial(nn.BatchNorm2d, …)`). */
  bnEps?: number;
  bnMomentum?: number;
  seLayer?: SeLayer | null;
  noskip?: boolean;
  dropPathRate?: number;
}

/** timm's `create_conv2d` with `pad_type=''`: symmetric padding, no bias. */
function conv(inChs: number, outChs: number, k: number, o: { stride?: number; dilation?: number; groups?: number } & Placement): nn.Conv2d {
  const { stride = 1, dilation = 1, groups = 1, device, dtype } = o;
  return new nn.Conv2d(inChs, outChs, k, { stride, dilation, groups, bias: false, padding: getPadding(k, stride, dilation), device, dtype });
}

function bnAct(chs: number, o: BlockCommon, applyAct = true): BatchNormAct2d {
  return new BatchNormAct2d(chs, { eps: o.bnEps, momentum: o.bnMomentum, actLayer: o.actLayer, applyAct, device: o.device, dtype: o.dtype });
}

function dropPath(rate: number | undefined): nn.DropPath | nn.Identity {
  return rate ? new nn.DropPath(rate) : new nn.Identity();
}

/** A block's shortcut: the input added to its (stochastically dropped) output when `hasSkip`. */
function residual(out: Tensor, shortcut: Tensor, hasSkip: boolean, dp: nn.DropPath | nn.Identity): Tensor {
  return hasSkip ? (dp.call(out) as Tensor).add(shortcut) : out;
}

/** Depthwise conv → BN+act → SE → pointwise conv → BN (+ act with `pwAct`), plus the input when the shape stays. */
export class DepthwiseSeparableConv extends nn.Module {
  readonly hasSkip: boolean;
  readonly conv_dw: nn.Conv2d;
  readonly bn1: BatchNormAct2d;
  readonly aa: nn.Identity;
  readonly se: AnyModule;
  readonly conv_pw: nn.Conv2d;
  readonly bn2: BatchNormAct2d;
  readonly drop_path: nn.DropPath | nn.Identity;

  constructor(inChs: number, outChs: number, o: BlockCommon & { dwKernelSize: number; pwKernelSize?: number; pwAct?: boolean }) {
    super();
    const { stride = 1, dilation = 1, device, dtype } = o;
    this.hasSkip = stride === 1 && inChs === outChs && !o.noskip;
    this.conv_dw = conv(inChs, inChs, o.dwKernelSize, { stride, dilation, groups: inChs, device, dtype });
    this.bn1 = bnAct(inChs, o);
    this.aa = new nn.Identity();
    this.se = o.seLayer ? o.seLayer(inChs, o.actLayer) : new nn.Identity();
    this.conv_pw = conv(inChs, outChs, o.pwKernelSize ?? 1, { device, dtype });
    this.bn2 = bnAct(outChs, o, o.pwAct ?? false);
    this.drop_path = dropPath(o.dropPathRate);
  }

  override forward(input: Tensor): Tensor {
    // nn.chain: in inference each intermediate is released once the next module has used it
    const x = nn.chain([this.conv_dw, this.bn1, this.aa, this.se, this.conv_pw, this.bn2], input, this.training);
    return residual(x, input, this.hasSkip, this.drop_path);
  }
}

/** MBConv: pointwise expansion → BN+act → depthwise conv → BN+act → SE → pointwise projection → BN, plus the input when the shape stays. */
export class InvertedResidual extends nn.Module {
  readonly hasSkip: boolean;
  readonly conv_pw: nn.Conv2d;
  readonly bn1: BatchNormAct2d;
  readonly conv_dw: nn.Conv2d;
  readonly bn2: BatchNormAct2d;
  readonly aa: nn.Identity;
  readonly se: AnyModule;
  readonly conv_pwl: nn.Conv2d;
  readonly bn3: BatchNormAct2d;
  readonly drop_path: nn.DropPath | nn.Identity;

  constructor(inChs: number, outChs: number, o: BlockCommon & { dwKernelSize: number; expRatio: number; expKernelSize?: number; pwKernelSize?: number }) {
    super();
    const { stride = 1, dilation = 1, device, dtype } = o;
    this.hasSkip = inChs === outChs && stride === 1 && !o.noskip;
    const midChs = makeDivisible(inChs * o.expRatio);
    this.conv_pw = conv(inChs, midChs, o.expKernelSize ?? 1, { device, dtype });
    this.bn1 = bnAct(midChs, o);
    this.conv_dw = conv(midChs, midChs, o.dwKernelSize, { stride, dilation, groups: midChs, device, dtype });
    this.bn2 = bnAct(midChs, o);
    this.aa = new nn.Identity();
    this.se = o.seLayer ? o.seLayer(midChs, o.actLayer) : new nn.Identity();
    this.conv_pwl = conv(midChs, outChs, o.pwKernelSize ?? 1, { device, dtype });
    this.bn3 = bnAct(outChs, o, false);
    this.drop_path = dropPath(o.dropPathRate);
  }

  override forward(input: Tensor): Tensor {
    const x = nn.chain([this.conv_pw, this.bn1, this.conv_dw, this.bn2, this.aa, this.se, this.conv_pwl, this.bn3], input, this.training);
    return residual(x, input, this.hasSkip, this.drop_path);
  }
}

/** Conv → BN+act, plus the input with `skip` when the shape stays (MobileNetV3's last 1×1 block). */
export class ConvBnAct extends nn.Module {
  readonly hasSkip: boolean;
  readonly conv: nn.Conv2d;
  readonly bn1: BatchNormAct2d;
  readonly aa: nn.Identity;
  readonly drop_path: nn.DropPath | nn.Identity;

  constructor(inChs: number, outChs: number, o: BlockCommon & { kernelSize: number; skip?: boolean }) {
    super();
    const { stride = 1, dilation = 1, device, dtype } = o;
    this.hasSkip = (o.skip ?? false) && stride === 1 && inChs === outChs;
    this.conv = conv(inChs, outChs, o.kernelSize, { stride, dilation, device, dtype });
    this.bn1 = bnAct(outChs, o);
    this.aa = new nn.Identity();
    this.drop_path = dropPath(o.dropPathRate);
  }

  override forward(input: Tensor): Tensor {
    const x = this.aa.call(this.bn1.call(this.conv.call(input))) as Tensor;
    return residual(x, input, this.hasSkip, this.drop_path);
  }
}
