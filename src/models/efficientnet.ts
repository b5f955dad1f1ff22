/**
 * EfficientNet (Tan & Le 2019) the way timm builds it (timm/models/efficientnet.py): the same block
 * strings, modules, parameter names (`conv_stem`, `bn1`, `blocks.1.0.conv_pw`, `blocks.1.0.se.conv_reduce`,
 * `conv_head`, `bn2`, `classifier`), printing and initialisation, so that the hub's
 * `timm/efficientnet_*` weights load as they are. Swish (SiLU) throughout, SE with a sigmoid gate.
 * The `tf_*` variants (TensorFlow 'same' padding, BN eps 1e-3) are not in owlet.
 *
 *     const model = await createModel('efficientnet_b0.ra_in1k', { pretrained: true });
 */
import type { Tensor } from '../engine/index.js';
import * as nn from '../nn/index.js';
import {
  BatchNormAct2d, SelectAdaptivePool2d, SqueezeExcite, buildEfficientNetStages, createClassifier, decodeArchDef,
  efficientnetInitWeights, roundChannels, type ActName, type BlockArgs, type ForwardHeadOptions, type Placement, type PoolType,
} from './layers/index.js';
import { efficientnetCfgs } from './efficientnet-cfgs.js';
import { registerModel, type FeatureInfo, type PretrainedCfg, type ZooModel } from './registry.js';

/** timm's `EfficientNet(...)` arguments, camel-cased. */
export interface EfficientNetArgs extends Placement {
  blockArgs: BlockArgs[][];
  numClasses?: number;
  /** Channels of `conv_head` (before the width multiplier is applied: 1280). */
  numFeatures?: number;
  inChans?: number;
  stemSize?: number;
  channelMultiplier?: number;
  actLayer?: ActName;
  dropRate?: number;
  dropPathRate?: number;
  globalPool?: PoolType;
}

/** EfficientNet: stem → blocks → conv_head → bn2 → global pool → classifier. */
export class EfficientNet extends nn.Module implements ZooModel {
  numClasses: number;
  readonly dropRate: number;
  readonly numFeatures: number;
  readonly featureInfo: FeatureInfo[];
  readonly conv_stem: nn.Conv2d;
  readonly bn1: BatchNormAct2d;
  readonly blocks: nn.Sequential;
  readonly conv_head: nn.Conv2d;
  readonly bn2: BatchNormAct2d;
  global_pool: SelectAdaptivePool2d;
  classifier: nn.Linear | nn.Identity;
  pretrainedCfg?: PretrainedCfg & { tag: string; architecture: string };

  constructor(args: EfficientNetArgs) {
    super();
    const {
      blockArgs, numClasses = 1000, numFeatures = 1280, inChans = 3, stemSize = 32, channelMultiplier = 1.0, actLayer = 'swish',
      dropRate = 0, dropPathRate = 0, globalPool = 'avg', device, dtype,
    } = args;
    const p = { device, dtype };
    this.numClasses = numClasses;
    this.dropRate = dropRate;
    const roundChsFn = (c: number) => roundChannels(c, channelMultiplier);
    const stem = roundChsFn(stemSize);
    this.conv_stem = new nn.Conv2d(inChans, stem, 3, { stride: 2, padding: 1, bias: false, ...p });
    this.bn1 = new BatchNormAct2d(stem, { actLayer, ...p });
    // SE channels from the block's input: ratio / expansion of the expanded width, Python-rounded.
    const built = buildEfficientNetStages(stem, blockArgs, {
      roundChsFn, seFromExp: false, actLayer, dropPathRate, ...p,
      seLayer: (c, act, rdRatio) => new SqueezeExcite(c, { rdRatio, actLayer: act, ...p }),
    });
    this.blocks = new nn.Sequential(...built.stages);
    this.featureInfo = built.featureInfo;
    this.numFeatures = roundChsFn(numFeatures);
    this.conv_head = new nn.Conv2d(built.outChs, this.numFeatures, 1, { bias: false, ...p });
    this.bn2 = new BatchNormAct2d(this.numFeatures, { actLayer, ...p });
    const head = createClassifier(this.numFeatures, numClasses, { poolType: globalPool, ...p });
    this.global_pool = head.globalPool;
    this.classifier = head.fc;
    efficientnetInitWeights(this);
  }

  getClassifier(): nn.Linear | nn.Identity {
    return this.classifier;
  }

  resetClassifier(numClasses: number, globalPool: PoolType = 'avg'): void {
    this.numClasses = numClasses;
    const w = this.conv_head.weight;
    const head = createClassifier(this.numFeatures, numClasses, { poolType: globalPool, dtype: w.dtype, device: w.device });
    this.global_pool = head.globalPool;
    this.classifier = head.fc;
  }

  /** Stem, blocks, conv_head and bn2: (N, numFeatures, H/32, W/32). */
  forwardFeatures(input: Tensor): Tensor {
    const x = this.blocks.call(this.bn1.call(this.conv_stem.call(input)));
    return this.bn2.call(this.conv_head.call(x));
  }

  forwardHead(input: Tensor, options: ForwardHeadOptions = {}): Tensor {
    let x = this.global_pool.call(input);
    if (this.dropRate > 0) x = nn.functional.dropout(x, this.dropRate, this.training);
    return options.preLogits ? x : this.classifier.call(x);
  }

  override forward(x: Tensor): Tensor {
    return this.forwardHead(this.forwardFeatures(x));
  }
}

// ---------------------------------------------------------------------------------------------
// The zoo: timm's `_gen_efficientnet` definition, scaled.

/** timm's arch_def for EfficientNet-B0. */
export const EFFICIENTNET_ARCH = [
  ['ds_r1_k3_s1_e1_c16_se0.25'],
  ['ir_r2_k3_s2_e6_c24_se0.25'],
  ['ir_r2_k5_s2_e6_c40_se0.25'],
  ['ir_r3_k3_s2_e6_c80_se0.25'],
  ['ir_r3_k5_s1_e6_c112_se0.25'],
  ['ir_r4_k5_s2_e6_c192_se0.25'],
  ['ir_r1_k3_s1_e6_c320_se0.25'],
] as const;

/** Width and depth multipliers of each model (timm's `efficientnet_bN` registrations). */
const SCALING: Record<string, [number, number]> = {
  efficientnet_b0: [1.0, 1.0],
  efficientnet_b1: [1.0, 1.1],
  efficientnet_b2: [1.1, 1.2],
  efficientnet_b3: [1.2, 1.4],
};

/** The arguments of a registered EfficientNet (`efficientnet_b2` → blocks, widths). */
export function efficientnetArgs(name: string): EfficientNetArgs {
  const s = SCALING[name];
  if (s === undefined) throw new Error(`'${name}' is not an EfficientNet architecture`);
  const [channelMultiplier, depthMultiplier] = s;
  return { blockArgs: decodeArchDef(EFFICIENTNET_ARCH, depthMultiplier), channelMultiplier, numFeatures: 1280, stemSize: 32, actLayer: 'swish' };
}

for (const name of Object.keys(SCALING)) {
  registerModel(
    name,
    (o) => new EfficientNet({ ...efficientnetArgs(name), numClasses: o.numClasses, inChans: o.inChans, dropRate: o.dropRate, dropPathRate: o.dropPathRate }),
    efficientnetCfgs(name),
  );
}
