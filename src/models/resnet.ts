/**
 * ResNet the way timm builds it (timm/models/resnet.py): the same modules, in the same order,
 * under the same names — `conv1`, `bn1`, `act1`, `maxpool`, `layer1`…`layer4` of `BasicBlock` or
 * `Bottleneck` blocks (`conv1`, `bn1`, `act1`, `conv2`, `bn2`, [`conv3`, `bn3`], `act2`/`act3`,
 * `downsample.0`/`downsample.1`), `global_pool`, `fc` — so that timm's and torchvision's weights
 * load as they are and `toString()` prints what timm's `repr` prints.
 *
 * Registered: resnet18, resnet34, resnet50, resnet101, resnet152, each with the pretrained tags
 * timm publishes for it, in timm's order (the first is the default: `resnet34` means
 * `resnet34.a1_in1k`). torchvision's weights, which fastai uses, are the `tv_in1k` tags: the
 * constants `resnet18` … `resnet152` exported here name those (`visionLearner(dls, resnet34)`).
 *
 * The constructor also takes timm's variant options (deep stems, average-pool downsampling,
 * cardinality and base width, output stride), so ResNet-D, ResNeXt and wide ResNets can be
 * registered with one call each; attention, anti-aliasing and DropBlock are not implemented.
 */
import type { Tensor } from '../engine/index.js';
import { AvgPool2d, BatchNorm2d, Conv2d, Identity, Linear, MaxPool2d, Module, ReLU, Sequential, init } from '../nn/index.js';
import {
  BasicBlock, Bottleneck, createClassifier, pooledHead, resetPooledClassifier,
  type ForwardHeadOptions, type PoolType, type ResNetBlockClass, type SelectAdaptivePool2d,
} from './layers/index.js';
import { registerDeprecated, registerModel, type FeatureInfo, type ModelOptions, type PretrainedCfg, type ZooModel } from './registry.js';
import { resnetCfgs } from './resnet-cfgs.js';

// ---------------------------------------------------------------------------------------------
// Stages

function getPadding(kernelSize: number, stride: number, dilation = 1): number {
  return Math.floor((stride - 1 + dilation * (kernelSize - 1)) / 2);
}

interface DownsampleArgs {
  inChannels: number;
  outChannels: number;
  kernelSize: number;
  stride: number;
  dilation: number;
  firstDilation: number;
}

/** timm's `downsample_conv`: a (strided) convolution and a batch norm. */
function downsampleConv(a: DownsampleArgs): Sequential {
  const kernelSize = a.stride === 1 && a.dilation === 1 ? 1 : a.kernelSize;
  const firstDilation = kernelSize > 1 ? a.firstDilation || a.dilation : 1;
  const padding = getPadding(kernelSize, a.stride, firstDilation);
  return new Sequential(
    new Conv2d(a.inChannels, a.outChannels, kernelSize, { stride: a.stride, padding, dilation: firstDilation, bias: false }),
    new BatchNorm2d(a.outChannels),
  );
}

/** timm's `downsample_avg` (ResNet-D): a 2×2 average pool, a 1×1 convolution and a batch norm. */
function downsampleAvg(a: DownsampleArgs): Sequential {
  const avgStride = a.dilation === 1 ? a.stride : 1;
  let pool: Module;
  if (a.stride === 1 && a.dilation === 1) pool = new Identity();
  else if (avgStride === 1 && a.dilation > 1) throw new Error("ResNet: avgDown with a dilated stage needs timm's AvgPool2dSame, which owlet does not have");
  else pool = new AvgPool2d(2, { stride: avgStride, ceilMode: true, countIncludePad: false });
  return new Sequential(pool, new Conv2d(a.inChannels, a.outChannels, 1, { stride: 1, padding: 0, bias: false }), new BatchNorm2d(a.outChannels));
}

interface MakeBlocksArgs {
  block: ResNetBlockClass;
  channels: readonly number[];
  blockRepeats: readonly number[];
  inplanes: number;
  reduceFirst: number;
  outputStride: number;
  downKernelSize: number;
  avgDown: boolean;
  dropPathRate: number;
  cardinality: number;
  baseWidth: number;
}

/** timm's `make_blocks`: the four stages, with stochastic depth rising linearly over the blocks. */
function makeBlocks(a: MakeBlocksArgs): { stages: [string, Sequential][]; featureInfo: FeatureInfo[] } {
  const stages: [string, Sequential][] = [];
  const featureInfo: FeatureInfo[] = [];
  const netNumBlocks = a.blockRepeats.reduce((s, n) => s + n, 0);
  let netBlockIdx = 0;
  let netStride = 4;
  let dilation = 1;
  let prevDilation = 1;
  let inplanes = a.inplanes;
  const expansion = a.block.expansion;
  a.channels.forEach((planes, stageIdx) => {
    const numBlocks = a.blockRepeats[stageIdx]!;
    let stride = stageIdx === 0 ? 1 : 2;
    if (netStride >= a.outputStride) {
      dilation *= stride;
      stride = 1;
    } else {
      netStride *= stride;
    }
    let downsample: Sequential | null = null;
    if (stride !== 1 || inplanes !== planes * expansion) {
      const args = { inChannels: inplanes, outChannels: planes * expansion, kernelSize: a.downKernelSize, stride, dilation, firstDilation: prevDilation };
      downsample = a.avgDown ? downsampleAvg(args) : downsampleConv(args);
    }
    const blocks: Module[] = [];
    for (let blockIdx = 0; blockIdx < numBlocks; blockIdx++) {
      const dropPath = netNumBlocks > 1 ? (a.dropPathRate * netBlockIdx) / (netNumBlocks - 1) : 0;
      blocks.push(new a.block(inplanes, planes, {
        stride: blockIdx === 0 ? stride : 1,
        downsample: blockIdx === 0 ? downsample : null,
        firstDilation: prevDilation,
        dilation,
        reduceFirst: a.reduceFirst,
        cardinality: a.cardinality,
        baseWidth: a.baseWidth,
        dropPath,
      }));
      prevDilation = dilation;
      inplanes = planes * expansion;
      netBlockIdx++;
    }
    const name = `layer${stageIdx + 1}`;
    stages.push([name, new Sequential(...blocks)]);
    featureInfo.push({ numChs: inplanes, reduction: netStride, module: name });
  });
  return { stages, featureInfo };
}

// ---------------------------------------------------------------------------------------------
// The network

export interface ResNetOptions {
  block: ResNetBlockClass;
  /** Blocks in each of the four stages: [2, 2, 2, 2] for ResNet-18. */
  layers: readonly number[];
  numClasses?: number;
  inChans?: number;
  /** 32 (default), 16 or 8: later stages dilate instead of striding. */
  outputStride?: 8 | 16 | 32;
  globalPool?: PoolType;
  cardinality?: number;
  baseWidth?: number;
  stemWidth?: number;
  /** '' (a 7×7 convolution), 'deep' (three 3×3), 'deep_tiered' (three 3×3 of tiered widths). */
  stemType?: '' | 'deep' | 'deep_tiered';
  blockReduceFirst?: number;
  downKernelSize?: number;
  /** Average-pool downsampling in the shortcuts (ResNet-D). */
  avgDown?: boolean;
  channels?: readonly number[];
  /** Dropout before the classifier. */
  dropRate?: number;
  /** Stochastic depth of the last block (rising linearly from 0 at the first). */
  dropPathRate?: number;
  /** Zero the last batch norm's scale in each block (default true). */
  zeroInitLast?: boolean;
}

/** timm's ResNet (torchvision's, plus its variants). */
export class ResNet extends Module implements ZooModel {
  readonly conv1: Conv2d | Sequential;
  readonly bn1: BatchNorm2d;
  readonly act1: ReLU;
  readonly maxpool: MaxPool2d;
  declare readonly layer1: Sequential;
  declare readonly layer2: Sequential;
  declare readonly layer3: Sequential;
  declare readonly layer4: Sequential;
  global_pool!: SelectAdaptivePool2d;
  fc!: Linear | Identity;
  numClasses: number;
  readonly numFeatures: number;
  readonly dropRate: number;
  readonly featureInfo: FeatureInfo[];
  pretrainedCfg?: PretrainedCfg & { tag: string; architecture: string };

  constructor(options: ResNetOptions) {
    super();
    const {
      block, layers, numClasses = 1000, inChans = 3, outputStride = 32, globalPool = 'avg', cardinality = 1, baseWidth = 64,
      stemWidth = 64, stemType = '', blockReduceFirst = 1, downKernelSize = 1, avgDown = false, channels = [64, 128, 256, 512],
      dropRate = 0, dropPathRate = 0, zeroInitLast = true,
    } = options;
    if (![8, 16, 32].includes(outputStride)) throw new Error(`ResNet: outputStride must be 8, 16 or 32, got ${outputStride}`);
    if (layers.length !== 4 || channels.length !== 4)
      throw new Error(`ResNet: four stages expected, got ${layers.length} depths and ${channels.length} widths`);
    this.numClasses = numClasses;
    this.dropRate = dropRate;

    // Stem
    const deepStem = stemType.includes('deep');
    const inplanes = deepStem ? stemWidth * 2 : 64;
    if (deepStem) {
      const stemChs = stemType.includes('tiered') ? [3 * Math.floor(stemWidth / 4), stemWidth] : [stemWidth, stemWidth];
      this.conv1 = new Sequential(
        new Conv2d(inChans, stemChs[0]!, 3, { stride: 2, padding: 1, bias: false }),
        new BatchNorm2d(stemChs[0]!),
        new ReLU({ inplace: true }),
        new Conv2d(stemChs[0]!, stemChs[1]!, 3, { stride: 1, padding: 1, bias: false }),
        new BatchNorm2d(stemChs[1]!),
        new ReLU({ inplace: true }),
        new Conv2d(stemChs[1]!, inplanes, 3, { stride: 1, padding: 1, bias: false }),
      );
    } else {
      this.conv1 = new Conv2d(inChans, inplanes, 7, { stride: 2, padding: 3, bias: false });
    }
    this.bn1 = new BatchNorm2d(inplanes);
    this.act1 = new ReLU({ inplace: true });
    this.featureInfo = [{ numChs: inplanes, reduction: 2, module: 'act1' }];
    this.maxpool = new MaxPool2d(3, { stride: 2, padding: 1 });

    // Stages
    const { stages, featureInfo } = makeBlocks({
      block, channels, blockRepeats: layers, inplanes, reduceFirst: blockReduceFirst, outputStride, downKernelSize, avgDown,
      dropPathRate, cardinality, baseWidth,
    });
    for (const [name, stage] of stages) this.registerModule(name, stage);
    this.featureInfo.push(...featureInfo);

    // Head
    this.numFeatures = channels[channels.length - 1]! * block.expansion;
    const head = createClassifier(this.numFeatures, numClasses, { poolType: globalPool });
    this.global_pool = head.globalPool;
    this.fc = head.fc;

    this.initWeights(zeroInitLast);
  }

  /** timm's init: kaiming-normal (fan out, ReLU) convolutions, then each block's last BN scale zeroed. */
  initWeights(zeroInitLast = true): void {
    for (const m of this.modules()) if (m instanceof Conv2d) init.kaimingNormal_(m.weight, { mode: 'fan_out', nonlinearity: 'relu' });
    if (zeroInitLast) for (const m of this.modules()) if (m instanceof BasicBlock || m instanceof Bottleneck) m.zeroInitLast();
  }

  /** The classifier (timm's `get_classifier`). */
  getClassifier(): Linear | Identity {
    return this.fc;
  }

  resetClassifier(numClasses: number, globalPool: PoolType = 'avg'): void {
    resetPooledClassifier(this, numClasses, globalPool);
  }

  forwardFeatures(input: Tensor): Tensor {
    let x = this.conv1.call(input);
    x = this.bn1.call(x);
    x = this.act1.call(x);
    x = this.maxpool.call(x);
    x = this.layer1.call(x);
    x = this.layer2.call(x);
    x = this.layer3.call(x);
    return this.layer4.call(x);
  }

  forwardHead(input: Tensor, options: ForwardHeadOptions = {}): Tensor {
    return pooledHead(this, input, options.preLogits ?? false);
  }

  override forward(x: Tensor): Tensor {
    return this.forwardHead(this.forwardFeatures(x));
  }
}

// ---------------------------------------------------------------------------------------------
// Registration

/** Stage depths and block of each registered architecture. */
const RESNET_ARCHS: Record<string, { block: ResNetBlockClass; layers: readonly number[] }> = {
  resnet18: { block: BasicBlock, layers: [2, 2, 2, 2] },
  resnet34: { block: BasicBlock, layers: [3, 4, 6, 3] },
  resnet50: { block: Bottleneck, layers: [3, 4, 6, 3] },
  resnet101: { block: Bottleneck, layers: [3, 4, 23, 3] },
  resnet152: { block: Bottleneck, layers: [3, 8, 36, 3] },
};

function resnetFactory(arch: { block: ResNetBlockClass; layers: readonly number[] }) {
  return (o: ModelOptions): ResNet =>
    new ResNet({ ...arch, numClasses: o.numClasses, inChans: o.inChans, dropRate: o.dropRate, dropPathRate: o.dropPathRate });
}

for (const [name, arch] of Object.entries(RESNET_ARCHS)) registerModel(name, resnetFactory(arch), resnetCfgs(name));

// timm's `register_model_deprecations` for these architectures.
for (const [oldName, newName] of Object.entries({
  tv_resnet34: 'resnet34.tv_in1k', tv_resnet50: 'resnet50.tv_in1k', tv_resnet101: 'resnet101.tv_in1k', tv_resnet152: 'resnet152.tv_in1k',
  ssl_resnet18: 'resnet18.fb_ssl_yfcc100m_ft_in1k', ssl_resnet50: 'resnet50.fb_ssl_yfcc100m_ft_in1k',
  swsl_resnet18: 'resnet18.fb_swsl_ig1b_ft_in1k', swsl_resnet50: 'resnet50.fb_swsl_ig1b_ft_in1k',
  gluon_resnet18_v1b: 'resnet18.gluon_in1k', gluon_resnet34_v1b: 'resnet34.gluon_in1k', gluon_resnet50_v1b: 'resnet50.gluon_in1k',
  gluon_resnet101_v1b: 'resnet101.gluon_in1k', gluon_resnet152_v1b: 'resnet152.gluon_in1k',
})) registerDeprecated(oldName, newName);

// ---------------------------------------------------------------------------------------------
// fastai's architectures

/*
 * fastai's `resnet34` is torchvision's, whose weights timm publishes as `resnet34.tv_in1k` (timm's
 * own default, `resnet34`, is `a1_in1k`). These names make fastai's lines read the same:
 * `await visionLearner(dls, resnet34)`, `await createModel(resnet34, { pretrained: true })`.
 */
export const resnet18 = 'resnet18.tv_in1k';
export const resnet34 = 'resnet34.tv_in1k';
export const resnet50 = 'resnet50.tv_in1k';
export const resnet101 = 'resnet101.tv_in1k';
export const resnet152 = 'resnet152.tv_in1k';
