/**
 * Small CNNs for small images (≤ 64 px: digits, Fashion-MNIST, icons): a 3×3 stem at full
 * resolution, then three stages of 3×3 convolution, batch norm and ReLU, each stage after the first
 * halving the resolution with a 2×2 max-pool, global average pooling and the classifier.
 *
 * Why a family of its own: timm's ImageNet models divide the input by 4 before their first stage
 * (7×7 of a 28 px image), and He et al.'s CIFAR ResNets keep the resolution but spend their compute
 * on many narrow layers, which a CPU without bf16 instructions runs slowly. These nets are plain
 * VGG-style stacks of fewer, wider layers, which oneDNN runs faster per multiply-add and which reach
 * Fashion-MNIST's 0.92–0.93 in a few epochs. There are no pretrained weights: they train from scratch.
 *
 * Names: `conv1`, `bn1`, `relu` (the stem), `layer1`…`layer3` (each a Sequential of an optional
 * `MaxPool2d` and `Sequential(Conv2d, BatchNorm2d, ReLU)` units), `global_pool`, `fc`.
 */
import type { Tensor } from '../engine/index.js';
import { BatchNorm2d, Conv2d, Identity, Linear, MaxPool2d, Module, ReLU, Sequential, init } from '../nn/index.js';
import { createClassifier, pooledHead, resetPooledClassifier, type SelectAdaptivePool2d } from './layers/index.js';
import { registerModel, type FeatureInfo, type ModelOptions, type ZooModel } from './registry.js';

export interface SmallCnnOptions {
  /** Channels of the stem and of the three stages. */
  widths: readonly [number, number, number, number];
  /** Conv units in each of the three stages. */
  depths: readonly [number, number, number];
  numClasses?: number;
  inChans?: number;
  /** Dropout before the classifier. */
  dropRate?: number;
}

/** conv 3×3 (no bias) → batch norm → ReLU, the unit every layer is made of. */
function convUnit(cin: number, cout: number): Sequential {
  return new Sequential(new Conv2d(cin, cout, 3, { padding: 1, bias: false }), new BatchNorm2d(cout), new ReLU({ inplace: true }));
}

/** A small CNN (see the top of this file). */
export class SmallCnn extends Module implements ZooModel {
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

  constructor(options: SmallCnnOptions) {
    super();
    const { widths, depths, numClasses = 1000, inChans = 3, dropRate = 0 } = options;
    if (!depths.every((d) => Number.isInteger(d) && d >= 1)) throw new Error(`SmallCnn: each stage needs at least one conv unit, got depths [${depths.join(', ')}]`);
    this.numClasses = numClasses;
    this.dropRate = dropRate;
    this.conv1 = new Conv2d(inChans, widths[0], 3, { padding: 1, bias: false });
    this.bn1 = new BatchNorm2d(widths[0]);
    this.relu = new ReLU({ inplace: true });
    this.featureInfo = [{ numChs: widths[0], reduction: 1, module: 'relu' }];
    let cin = widths[0];
    depths.forEach((depth, i) => {
      const cout = widths[i + 1]!;
      const units: Module[] = i === 0 ? [] : [new MaxPool2d(2)];
      for (let d = 0; d < depth; d++) {
        units.push(convUnit(cin, cout));
        cin = cout;
      }
      const name = `layer${i + 1}`;
      this.registerModule(name, new Sequential(...units));
      this.featureInfo.push({ numChs: cout, reduction: 2 ** i, module: name });
    });
    this.numFeatures = cin;
    const head = createClassifier(this.numFeatures, numClasses);
    this.global_pool = head.globalPool;
    this.fc = head.fc;
    for (const m of this.modules()) if (m instanceof Conv2d) init.kaimingNormal_(m.weight, { mode: 'fan_out', nonlinearity: 'relu' });
  }

  getClassifier(): Linear | Identity {
    return this.fc;
  }

  resetClassifier(numClasses: number): void {
    resetPooledClassifier(this, numClasses);
  }

  forwardFeatures(input: Tensor): Tensor {
    const x = this.relu.call(this.bn1.call(this.conv1.call(input)));
    return this.layer3.call(this.layer2.call(this.layer1.call(x)));
  }

  forwardHead(input: Tensor, options: { preLogits?: boolean } = {}): Tensor {
    return pooledHead(this, input, options.preLogits ?? false);
  }

  override forward(x: Tensor): Tensor {
    return this.forwardHead(this.forwardFeatures(x));
  }
}

/** The registered sizes: stem and stage widths, conv units a stage. */
export const SMALL_CNNS: Record<string, Pick<SmallCnnOptions, 'widths' | 'depths'>> = {
  small_cnn: { widths: [32, 32, 64, 128], depths: [1, 2, 2] },
  small_cnn_wide: { widths: [48, 48, 96, 192], depths: [1, 2, 2] },
};

for (const [name, cfg] of Object.entries(SMALL_CNNS)) {
  registerModel(name, (o: ModelOptions) => new SmallCnn({ ...cfg, numClasses: o.numClasses, inChans: o.inChans, dropRate: o.dropRate }));
}
