/**
 * MobileNetV3 (`Searching for MobileNetV3`, Howard et al. 2019) the way timm builds it
 * (timm/models/mobilenetv3.py): the same block strings, modules, parameter names (`conv_stem`,
 * `bn1`, `blocks.3.1.conv_dw`, `blocks.2.0.se.conv_reduce`, `conv_head`, `classifier`), printing
 * and initialisation, so that the hub's `timm/mobilenetv3_*` weights load as they are. Its
 * "efficient head" pools before a 1×1 `conv_head` (with bias) and hard swish, with no norm.
 *
 *     const model = await createModel('mobilenetv3_large_100.ra_in1k', { pretrained: true });
 */
import type { Tensor } from '../engine/index.js';
import * as nn from '../nn/index.js';
import {
  BatchNormAct2d, SelectAdaptivePool2d, SqueezeExcite, buildEfficientNetStages, decodeArchDef, efficientnetInitWeights,
  roundChannels, type ActName, type BlockArgs, type ForwardHeadOptions, type Placement, type PoolType,
} from './layers/index.js';
import { mobilenetv3Cfgs } from './mobilenetv3-cfgs.js';
import { registerModel, type FeatureInfo, type PretrainedCfg, type ZooModel } from './registry.js';

/** timm's `MobileNetV3(...)` arguments, camel-cased. */
export interface MobileNetV3Args extends Placement {
  blockArgs: BlockArgs[][];
  numClasses?: number;
  inChans?: number;
  stemSize?: number;
  /** Keep the stem's width when the channels are scaled. */
  fixStem?: boolean;
  /** Channels of `conv_head` (timm's `num_features` argument, the model's `head_hidden_size`). */
  headHiddenSize?: number;
  headBias?: boolean;
  actLayer?: ActName;
  /** Channel multiplier (`_100`: 1.0). */
  channelMultiplier?: number;
  dropRate?: number;
  dropPathRate?: number;
  globalPool?: PoolType;
}

/** MobileNetV3: stem → blocks → global pool → conv_head → act2 → classifier. */
export class MobileNetV3 extends nn.Module implements ZooModel {
  numClasses: number;
  readonly dropRate: number;
  /** Channels of the last block: what `forwardFeatures` gives. */
  readonly numFeatures: number;
  /** Channels of `conv_head`: what `forwardHead({preLogits})` gives. */
  readonly headHiddenSize: number;
  readonly featureInfo: FeatureInfo[];
  readonly conv_stem: nn.Conv2d;
  readonly bn1: BatchNormAct2d;
  readonly blocks: nn.Sequential;
  global_pool: SelectAdaptivePool2d;
  readonly conv_head: nn.Conv2d;
  readonly norm_head: nn.Identity;
  readonly act2: nn.AnyModule;
  flatten: nn.Flatten | nn.Identity;
  classifier: nn.Linear | nn.Identity;
  pretrainedCfg?: PretrainedCfg & { tag: string; architecture: string };

  constructor(args: MobileNetV3Args) {
    super();
    const {
      blockArgs, numClasses = 1000, inChans = 3, stemSize = 16, fixStem = false, headHiddenSize = 1280, headBias = true,
      actLayer = 'relu', channelMultiplier = 1.0, dropRate = 0, dropPathRate = 0, globalPool = 'avg', device, dtype,
    } = args;
    const p = { device, dtype };
    this.numClasses = numClasses;
    this.dropRate = dropRate;
    const roundChsFn = (c: number) => roundChannels(c, channelMultiplier);
    const stem = fixStem ? stemSize : roundChsFn(stemSize);
    this.conv_stem = new nn.Conv2d(inChans, stem, 3, { stride: 2, padding: 1, bias: false, ...p });
    this.bn1 = new BatchNormAct2d(stem, { actLayer, ...p });
    // timm's mobilenetv3 SE: hard-sigmoid gate, ReLU inside, reduced channels made divisible by 8.
    const built = buildEfficientNetStages(stem, blockArgs, {
      roundChsFn, seFromExp: true, actLayer, dropPathRate, ...p,
      seLayer: (c, act, rdRatio) => new SqueezeExcite(c, { rdRatio, actLayer: act, forceActLayer: 'relu', gateLayer: 'hard_sigmoid', rdRoundFn: (v) => roundChannels(v), ...p }),
    });
    this.blocks = new nn.Sequential(...built.stages);
    this.featureInfo = built.featureInfo;
    this.numFeatures = built.outChs;
    this.headHiddenSize = headHiddenSize;
    this.global_pool = new SelectAdaptivePool2d({ poolType: globalPool });
    const pooled = this.numFeatures * this.global_pool.featMult();
    this.conv_head = new nn.Conv2d(pooled, headHiddenSize, 1, { bias: headBias, ...p });
    this.norm_head = new nn.Identity();
    this.act2 = actLayer === 'relu' ? new nn.ReLU({ inplace: true }) : actLayer === 'hard_swish' ? new nn.Hardswish() : new nn.SiLU({ inplace: true });
    this.flatten = globalPool ? new nn.Flatten(1) : new nn.Identity();
    this.classifier = numClasses > 0 ? new nn.Linear(headHiddenSize, numClasses, p) : new nn.Identity();
    efficientnetInitWeights(this);
  }

  getClassifier(): nn.Linear | nn.Identity {
    return this.classifier;
  }

  /** A new classifier for `numClasses` (0: none); the pooling can change, not `conv_head`'s input. */
  resetClassifier(numClasses: number, globalPool: PoolType = 'avg'): void {
    this.numClasses = numClasses;
    this.global_pool = new SelectAdaptivePool2d({ poolType: globalPool });
    this.flatten = globalPool ? new nn.Flatten(1) : new nn.Identity();
    const w = this.conv_head.weight;
    this.classifier = numClasses > 0 ? new nn.Linear(this.headHiddenSize, numClasses, { dtype: w.dtype, device: w.device }) : new nn.Identity();
  }

  /** Stem and blocks: the last block's map (N, numFeatures, H/32, W/32). */
  forwardFeatures(x: Tensor): Tensor {
    return this.blocks.call(this.bn1.call(this.conv_stem.call(x)));
  }

  forwardHead(input: Tensor, options: ForwardHeadOptions = {}): Tensor {
    let x = this.global_pool.call(input);
    x = this.conv_head.call(x);
    x = this.norm_head.call(x);
    x = this.act2.call(x) as Tensor;
    x = this.flatten.call(x);
    if (this.dropRate > 0) x = nn.functional.dropout(x, this.dropRate, this.training);
    return options.preLogits ? x : this.classifier.call(x);
  }

  override forward(x: Tensor): Tensor {
    return this.forwardHead(this.forwardFeatures(x));
  }
}

// ---------------------------------------------------------------------------------------------
// The zoo: timm's `_gen_mobilenet_v3` definitions.

/** timm's arch_def for MobileNetV3-Large (ReLU in the first stages, hard swish after). */
export const MOBILENETV3_LARGE_ARCH = [
  ['ds_r1_k3_s1_e1_c16_nre'],
  ['ir_r1_k3_s2_e4_c24_nre', 'ir_r1_k3_s1_e3_c24_nre'],
  ['ir_r3_k5_s2_e3_c40_se0.25_nre'],
  ['ir_r1_k3_s2_e6_c80', 'ir_r1_k3_s1_e2.5_c80', 'ir_r2_k3_s1_e2.3_c80'],
  ['ir_r2_k3_s1_e6_c112_se0.25'],
  ['ir_r3_k5_s2_e6_c160_se0.25'],
  ['cn_r1_k1_s1_c960'],
] as const;

/** timm's arch_def for MobileNetV3-Small. */
export const MOBILENETV3_SMALL_ARCH = [
  ['ds_r1_k3_s2_e1_c16_se0.25_nre'],
  ['ir_r1_k3_s2_e4.5_c24_nre', 'ir_r1_k3_s1_e3.67_c24_nre'],
  ['ir_r1_k5_s2_e4_c40_se0.25', 'ir_r2_k5_s1_e6_c40_se0.25'],
  ['ir_r2_k5_s1_e3_c48_se0.25'],
  ['ir_r3_k5_s2_e6_c96_se0.25'],
  ['cn_r1_k1_s1_c576'],
] as const;

/** The arguments of a registered MobileNetV3 (`mobilenetv3_large_100` → blocks, widths, head). */
export function mobilenetv3Args(name: string): MobileNetV3Args {
  const m = /^mobilenetv3_(large|small)_(\d+)$/.exec(name);
  if (m === null) throw new Error(`'${name}' is not a MobileNetV3 architecture`);
  const small = m[1] === 'small';
  const channelMultiplier = Number(m[2]) / 100;
  return {
    blockArgs: decodeArchDef(small ? MOBILENETV3_SMALL_ARCH : MOBILENETV3_LARGE_ARCH),
    headHiddenSize: small ? 1024 : 1280, stemSize: 16, fixStem: channelMultiplier < 0.75, channelMultiplier, actLayer: 'hard_swish',
  };
}

for (const name of ['mobilenetv3_large_100', 'mobilenetv3_small_100']) {
  registerModel(
    name,
    (o) => new MobileNetV3({ ...mobilenetv3Args(name), numClasses: o.numClasses, inChans: o.inChans, dropRate: o.dropRate, dropPathRate: o.dropPathRate }),
    mobilenetv3Cfgs(name),
  );
}
