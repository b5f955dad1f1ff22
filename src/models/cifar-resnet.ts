/**
 * The ResNets He et al. made for 32×32 images (CIFAR-10; "Deep Residual Learning for Image
 * Recognition", 2016, section 4.2): a 3×3 stem of stride 1 and no pooling, then three stages of
 * `n` basic blocks with 16, 32 and 64 channels at full, half and quarter resolution, global average
 * pooling and the classifier — 6n + 2 layers: `resnet20` (n = 3), `resnet32`, `resnet44`, `resnet56`,
 * `resnet110`.
 *
 * timm's ResNets divide the input by 4 before the first stage, which leaves 7×7 of a 28 px image;
 * these keep its resolution, which is what small images (Fashion-MNIST, CIFAR) need. The modules and
 * their names are those of the torchvision-style CIFAR models people publish
 * (chenyaofo/pytorch-cifar-models): `conv1`, `bn1`, `relu`, `layer1`…`layer3` of timm's
 * `BasicBlock`, with a 1×1 convolution and batch norm as the shortcut where a block changes shape
 * (the paper's option B), `global_pool`, `fc`. There are no pretrained weights to load.
 */
import type { Tensor } from '../engine/index.js';
import { BatchNorm2d, Conv2d, Identity, Linear, Module, ReLU, Sequential, init } from '../nn/index.js';
import {
  BasicBlock, createClassifier, pooledHead, resetPooledClassifier, type ForwardHeadOptions, type SelectAdaptivePool2d,
} from './layers/index.js';
import { registerModel, type FeatureInfo, type ModelOptions, type ZooModel } from './registry.js';

export interface CifarResNetOptions {
  /** Basic blocks per stage: 3 for ResNet-20 (depth 6n + 2). */
  blocksPerStage: number;
  numClasses?: number;
  inChans?: number;
  /** Channels of the three stages (default [16, 32, 64], the paper's). */
  channels?: readonly [number, number, number];
  /** Dropout before the classifier. */
  dropRate?: number;
  /** Zero the last batch norm's scale in each block, as timm does (default true). */
  zeroInitLast?: boolean;
}

/** He et al.'s CIFAR ResNet (see the top of this file). */
export class CifarResNet extends Module implements ZooModel {
  readonly conv1: Conv2d;
  readonly bn1: BatchNorm2d;
  readonly relu: ReLU;
  declare readonly layer1: Sequential;
  declare readonly layer2: Sequential;
  declare readonly layer3: Sequential;
  global_pool!: SelectAdaptivePool2d;
  fc!: Linear | Identity;
  numClasses: number;
  readonly numFeatures: number;
  readonly dropRate: number;
  readonly featureInfo: FeatureInfo[];

  constructor(options: CifarResNetOptions) {
    super();
    const { blocksPerStage, numClasses = 1000, inChans = 3, channels = [16, 32, 64], dropRate = 0, zeroInitLast = true } = options;
    if (!Number.isInteger(blocksPerStage) || blocksPerStage < 1) throw new Error(`CifarResNet: blocksPerStage must be a whole number of at least 1, got ${blocksPerStage}`);
    this.numClasses = numClasses;
    this.dropRate = dropRate;
    this.conv1 = new Conv2d(inChans, channels[0], 3, { stride: 1, padding: 1, bias: false });
    this.bn1 = new BatchNorm2d(channels[0]);
    this.relu = new ReLU({ inplace: true });
    this.featureInfo = [{ numChs: channels[0], reduction: 1, module: 'relu' }];
    let inplanes = channels[0];
    channels.forEach((planes, i) => {
      const stride = i === 0 ? 1 : 2;
      const downsample = stride !== 1 || inplanes !== planes
        ? new Sequential(new Conv2d(inplanes, planes, 1, { stride, bias: false }), new BatchNorm2d(planes))
        : null;
      const blocks: Module[] = [];
      for (let b = 0; b < blocksPerStage; b++) {
        blocks.push(new BasicBlock(inplanes, planes, { stride: b === 0 ? stride : 1, downsample: b === 0 ? downsample : null }));
        inplanes = planes;
      }
      const name = `layer${i + 1}`;
      this.registerModule(name, new Sequential(...blocks));
      this.featureInfo.push({ numChs: planes, reduction: 2 ** i, module: name });
    });
    this.numFeatures = inplanes;
    const head = createClassifier(this.numFeatures, numClasses);
    this.global_pool = head.globalPool;
    this.fc = head.fc;
    for (const m of this.modules()) if (m instanceof Conv2d) init.kaimingNormal_(m.weight, { mode: 'fan_out', nonlinearity: 'relu' });
    if (zeroInitLast) for (const m of this.modules()) if (m instanceof BasicBlock) m.zeroInitLast();
  }

  getClassifier(): Linear | Identity {
    return this.fc;
  }

  resetClassifier(numClasses: number): void {
    resetPooledClassifier(this, numClasses);
  }

  forwardFeatures(input: Tensor): Tensor {
    let x = this.relu.call(this.bn1.call(this.conv1.call(input)));
    x = this.layer1.call(x);
    x = this.layer2.call(x);
    return this.layer3.call(x);
  }

  forwardHead(input: Tensor, options: ForwardHeadOptions = {}): Tensor {
    return pooledHead(this, input, options.preLogits ?? false);
  }

  override forward(x: Tensor): Tensor {
    return this.forwardHead(this.forwardFeatures(x));
  }
}

/** Depth 6n + 2 of each registered name. */
const CIFAR_RESNETS: Record<string, number> = { resnet20: 3, resnet32: 5, resnet44: 7, resnet56: 9, resnet110: 18 };

for (const [name, n] of Object.entries(CIFAR_RESNETS)) {
  registerModel(name, (o: ModelOptions) => new CifarResNet({ blocksPerStage: n, numClasses: o.numClasses, inChans: o.inChans, dropRate: o.dropRate }));
}
