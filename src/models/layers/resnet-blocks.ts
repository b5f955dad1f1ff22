/**
 * ResNet's residual blocks, `BasicBlock` and `Bottleneck`, as timm builds them (timm/models/resnet.py):
 * the same children in the same order under the same names. timm keeps them in resnet.py; here
 * they are layers because two families build with them (timm's ResNet and the CIFAR ResNets), and
 * families import layers, never each other.
 */
import type { Tensor } from '../../engine/index.js';
import { BatchNorm2d, Conv2d, DropPath, Identity, Module, ReLU, Sequential, init } from '../../nn/index.js';

/** What `makeBlocks` passes to each block. */
export interface BlockOptions {
  stride?: number;
  /** The shortcut's projection (`downsample`), when the block changes shape. */
  downsample?: Sequential | null;
  /** Groups of the 3×3 convolution (Bottleneck only). */
  cardinality?: number;
  /** Width of the 3×3 convolution per group (Bottleneck only): planes · baseWidth / 64 · cardinality. */
  baseWidth?: number;
  /** Divides the width of the first convolution's output (2 in SENet). */
  reduceFirst?: number;
  dilation?: number;
  /** Dilation of the first 3×3 convolution (default: `dilation`). */
  firstDilation?: number;
  /** Stochastic depth of this block (a DropPath on the residual branch when > 0). */
  dropPath?: number;
}

/** The interface both blocks have: `expansion` on the class, `zeroInitLast()` on the instance. */
export interface ResNetBlockClass {
  readonly expansion: number;
  new (inplanes: number, planes: number, options?: BlockOptions): BasicBlock | Bottleneck;
}

/**
 * Two 3×3 convolutions with a residual connection (ResNet-18 and -34). Children, in timm's order:
 * conv1, bn1, drop_block, act1, aa, conv2, bn2, act2, [downsample], [drop_path].
 */
export class BasicBlock extends Module {
  static readonly expansion = 1;
  readonly conv1: Conv2d;
  readonly bn1: BatchNorm2d;
  /** timm's DropBlock slot (not implemented: always Identity). */
  readonly drop_block: Identity;
  readonly act1: ReLU;
  /** timm's anti-aliasing slot (not implemented: always Identity). */
  readonly aa: Identity;
  readonly conv2: Conv2d;
  readonly bn2: BatchNorm2d;
  readonly act2: ReLU;
  readonly downsample: Sequential | null;
  readonly drop_path: DropPath | null;
  readonly stride: number;
  readonly dilation: number;

  constructor(inplanes: number, planes: number, options: BlockOptions = {}) {
    super();
    const { stride = 1, downsample = null, cardinality = 1, baseWidth = 64, reduceFirst = 1, dilation = 1, dropPath = 0 } = options;
    if (cardinality !== 1) throw new Error('BasicBlock only supports cardinality of 1');
    if (baseWidth !== 64) throw new Error('BasicBlock does not support changing base width');
    const firstPlanes = Math.floor(planes / reduceFirst);
    const outplanes = planes * BasicBlock.expansion;
    const firstDilation = options.firstDilation || dilation;
    this.conv1 = new Conv2d(inplanes, firstPlanes, 3, { stride, padding: firstDilation, dilation: firstDilation, bias: false });
    this.bn1 = new BatchNorm2d(firstPlanes);
    this.drop_block = new Identity();
    this.act1 = new ReLU({ inplace: true });
    this.aa = new Identity();
    this.conv2 = new Conv2d(firstPlanes, outplanes, 3, { padding: dilation, dilation, bias: false });
    this.bn2 = new BatchNorm2d(outplanes);
    this.act2 = new ReLU({ inplace: true });
    this.downsample = downsample;
    this.stride = stride;
    this.dilation = dilation;
    this.drop_path = dropPath > 0 ? new DropPath(dropPath) : null;
  }

  /** Zeroes the last batch norm's scale, so that the block starts as the identity. */
  zeroInitLast(): void {
    if (this.bn2.weight !== null) init.zeros_(this.bn2.weight);
  }

  override forward(input: Tensor): Tensor {
    let x = this.conv1.call(input);
    x = this.bn1.call(x);
    x = this.drop_block.call(x);
    x = this.act1.call(x);
    x = this.aa.call(x);
    x = this.conv2.call(x);
    x = this.bn2.call(x);
    if (this.drop_path !== null) x = this.drop_path.call(x);
    const shortcut = this.downsample !== null ? this.downsample.call(input) : input;
    x.add_(shortcut);
    return this.act2.call(x);
  }
}

/**
 * 1×1, 3×3 (grouped for ResNeXt), 1×1 convolutions with a residual connection (ResNet-50 and up).
 * Children, in timm's order: conv1, bn1, act1, conv2, bn2, drop_block, act2, aa, conv3, bn3, act3,
 * [downsample], [drop_path].
 */
export class Bottleneck extends Module {
  static readonly expansion = 4;
  readonly conv1: Conv2d;
  readonly bn1: BatchNorm2d;
  readonly act1: ReLU;
  readonly conv2: Conv2d;
  readonly bn2: BatchNorm2d;
  readonly drop_block: Identity;
  readonly act2: ReLU;
  readonly aa: Identity;
  readonly conv3: Conv2d;
  readonly bn3: BatchNorm2d;
  readonly act3: ReLU;
  readonly downsample: Sequential | null;
  readonly drop_path: DropPath | null;
  readonly stride: number;
  readonly dilation: number;

  constructor(inplanes: number, planes: number, options: BlockOptions = {}) {
    super();
    const { stride = 1, downsample = null, cardinality = 1, baseWidth = 64, reduceFirst = 1, dilation = 1, dropPath = 0 } = options;
    const width = Math.floor(planes * (baseWidth / 64)) * cardinality;
    const firstPlanes = Math.floor(width / reduceFirst);
    const outplanes = planes * Bottleneck.expansion;
    const firstDilation = options.firstDilation || dilation;
    this.conv1 = new Conv2d(inplanes, firstPlanes, 1, { bias: false });
    this.bn1 = new BatchNorm2d(firstPlanes);
    this.act1 = new ReLU({ inplace: true });
    this.conv2 = new Conv2d(firstPlanes, width, 3, { stride, padding: firstDilation, dilation: firstDilation, groups: cardinality, bias: false });
    this.bn2 = new BatchNorm2d(width);
    this.drop_block = new Identity();
    this.act2 = new ReLU({ inplace: true });
    this.aa = new Identity();
    this.conv3 = new Conv2d(width, outplanes, 1, { bias: false });
    this.bn3 = new BatchNorm2d(outplanes);
    this.act3 = new ReLU({ inplace: true });
    this.downsample = downsample;
    this.stride = stride;
    this.dilation = dilation;
    this.drop_path = dropPath > 0 ? new DropPath(dropPath) : null;
  }

  zeroInitLast(): void {
    if (this.bn3.weight !== null) init.zeros_(this.bn3.weight);
  }

  override forward(input: Tensor): Tensor {
    let x = this.conv1.call(input);
    x = this.bn1.call(x);
    x = this.act1.call(x);
    x = this.conv2.call(x);
    x = this.bn2.call(x);
    x = this.drop_block.call(x);
    x = this.act2.call(x);
    x = this.aa.call(x);
    x = this.conv3.call(x);
    x = this.bn3.call(x);
    if (this.drop_path !== null) x = this.drop_path.call(x);
    const shortcut = this.downsample !== null ? this.downsample.call(input) : input;
    x.add_(shortcut);
    return this.act3.call(x);
  }
}
