/**
 * ConvNeXt (`A ConvNet for the 2020s`, Liu et al. 2022) and ConvNeXt-V2 (Woo et al. 2023) the way
 * timm builds them (timm/models/convnext.py): the same modules, parameter names
 * (`stem.0`, `stages.1.downsample.1`, `stages.0.blocks.2.mlp.fc1`, `head.fc`, …), printing and
 * initialisation, so that the hub's `timm/convnext_*` weights load as they are.
 *
 *     const model = await createModel('convnext_tiny.fb_in22k', { pretrained: true });
 */
import { full, linspace, noGrad, type Tensor } from '../engine/index.js';
import * as nn from '../nn/index.js';
import {
  ClassifierHead, GlobalResponseNormMlp, LayerNorm, LayerNorm2d, Mlp, NormMlpClassifierHead,
  type ForwardHeadOptions, type Placement, type PoolType,
} from './layers/index.js';
import { convnextCfgs, convnextDeprecations } from './convnext-cfgs.js';
import { registerDeprecated, registerModel, type FeatureInfo, type PretrainedCfg, type ZooModel } from './registry.js';

export type ConvNeXtStemType = 'patch' | 'overlap' | 'overlap_tiered' | 'overlap_act';

/** timm's `ConvNeXt(...)` arguments, camel-cased. */
export interface ConvNeXtArgs extends Placement {
  inChans?: number;
  numClasses?: number;
  globalPool?: PoolType;
  /** Blocks per stage (default [3, 3, 9, 3]). */
  depths?: readonly number[];
  /** Channels per stage (default [96, 192, 384, 768]). */
  dims?: readonly number[];
  /** Depthwise kernel size, one for all stages or one per stage (default 7). */
  kernelSizes?: number | readonly number[];
  /** Layer-scale init value (`gamma`); null: no layer scale (V2). Default 1e-6. */
  lsInitValue?: number | null;
  /** 'patch': a 4×4 stride-4 conv; 'overlap*': two 3×3 stride-2 convs (the `_ols` models). */
  stemType?: ConvNeXtStemType;
  patchSize?: number;
  /** Scales the classifier's initial weights and biases (default 1). */
  headInitScale?: number;
  /** Norm before pooling (`norm_pre`) and a plain `ClassifierHead` (the `_hnf` model). */
  headNormFirst?: boolean;
  /** A hidden fc + GELU in the head (`convnext_large_mlp`: 1536). */
  headHiddenSize?: number | null;
  /** 1×1 convs for the MLP on NCHW input, with LayerNorm2d (faster for the small models). */
  convMlp?: boolean;
  convBias?: boolean;
  /** Global Response Norm in the MLP (ConvNeXt-V2). */
  useGrn?: boolean;
  /** LayerNorm eps for every norm (default: timm's layer default, 1e-6). */
  normEps?: number | null;
  /** Dropout before the classifier. */
  dropRate?: number;
  /** Stochastic depth: the rate rises linearly from 0 at the first block to this at the last. */
  dropPathRate?: number;
}

/** timm's `make_divisible`: `v` rounded to a multiple of `divisor`, never more than 10% below. */
function makeDivisible(v: number, divisor = 8, roundLimit = 0.9): number {
  let n = Math.max(divisor, Math.floor((v + divisor / 2) / divisor) * divisor);
  if (n < roundLimit * v) n += divisor;
  return n;
}

type NormMaker = (channels: number) => LayerNorm | LayerNorm2d;

export interface ConvNeXtBlockOptions extends Placement {
  kernelSize?: number;
  mlpRatio?: number;
  convMlp?: boolean;
  convBias?: boolean;
  useGrn?: boolean;
  lsInitValue?: number | null;
  /** The norm after the depthwise conv (default: LayerNorm2d with convMlp, else channels-last LayerNorm). */
  normLayer?: NormMaker;
  dropPath?: number;
}

/**
 * A ConvNeXt block: 7×7 depthwise conv → LayerNorm → MLP (4×, GELU; GRN in V2) → layer scale
 * (`gamma`) → stochastic depth, plus the input. Without `convMlp` the norm and MLP run channels-last
 * on a permuted tensor, as timm and the original do.
 */
export class ConvNeXtBlock extends nn.Module {
  readonly useConvMlp: boolean;
  readonly conv_dw: nn.Conv2d;
  readonly norm: LayerNorm | LayerNorm2d;
  readonly mlp: Mlp | GlobalResponseNormMlp;
  declare gamma: Tensor | null;
  readonly shortcut: nn.Identity;
  readonly drop_path: nn.DropPath | nn.Identity;

  constructor(dim: number, options: ConvNeXtBlockOptions = {}) {
    super();
    const {
      kernelSize = 7, mlpRatio = 4, convMlp = false, convBias = true, useGrn = false, lsInitValue = 1e-6,
      dropPath = 0, device, dtype,
    } = options;
    const p = { device, dtype };
    const normLayer: NormMaker = options.normLayer ?? ((c) => (convMlp ? new LayerNorm2d(c, p) : new LayerNorm(c, p)));
    this.useConvMlp = convMlp;
    // timm's create_conv2d(depthwise=True): symmetric padding ((stride - 1) + (k - 1)) / 2.
    this.conv_dw = new nn.Conv2d(dim, dim, kernelSize, { padding: Math.floor((kernelSize - 1) / 2), groups: dim, bias: convBias, ...p });
    this.norm = normLayer(dim);
    const hidden = Math.trunc(mlpRatio * dim);
    this.mlp = useGrn ? new GlobalResponseNormMlp(dim, hidden, { useConv: convMlp, ...p }) : new Mlp(dim, hidden, { useConv: convMlp, ...p });
    this.registerParameter('gamma', lsInitValue === null ? null : full([dim], lsInitValue, p));
    this.shortcut = new nn.Identity();
    this.drop_path = dropPath > 0 ? new nn.DropPath(dropPath) : new nn.Identity();
  }

  override forward(input: Tensor): Tensor {
    let x = this.conv_dw.call(input);
    if (this.useConvMlp) {
      x = this.norm.call(x);
      x = this.mlp.call(x);
    } else {
      x = x.permute(0, 2, 3, 1);
      x = this.norm.call(x);
      x = this.mlp.call(x);
      x = x.permute(0, 3, 1, 2);
    }
    if (this.gamma !== null) x = x.mul(this.gamma.reshape(1, -1, 1, 1));
    return this.drop_path.call(x).add(this.shortcut.call(input));
  }
}

export interface ConvNeXtStageOptions extends Placement {
  kernelSize?: number;
  /** 2: a LayerNorm2d + 2×2 stride-2 conv first (`downsample`); 1: none when the channels stay. */
  stride?: number;
  depth?: number;
  dropPathRates?: readonly number[];
  lsInitValue?: number | null;
  convMlp?: boolean;
  convBias?: boolean;
  useGrn?: boolean;
  /** The NCHW norm (downsample; blocks with convMlp). */
  normLayer: NormMaker;
  /** The channels-last norm (blocks without convMlp). */
  normLayerCl: NormMaker;
}

/** A stage: an optional downsample, then `depth` blocks. */
export class ConvNeXtStage extends nn.Module {
  readonly downsample: nn.Sequential | nn.Identity;
  readonly blocks: nn.Sequential;

  constructor(inChs: number, outChs: number, options: ConvNeXtStageOptions) {
    super();
    const {
      kernelSize = 7, stride = 2, depth = 2, lsInitValue = 1.0, convMlp = false, convBias = true, useGrn = false,
      normLayer, normLayerCl, device, dtype,
    } = options;
    const p = { device, dtype };
    if (inChs !== outChs || stride > 1) {
      const ks = stride > 1 ? 2 : 1;
      this.downsample = new nn.Sequential(normLayer(inChs), new nn.Conv2d(inChs, outChs, ks, { stride, bias: convBias, ...p }));
    } else {
      this.downsample = new nn.Identity();
    }
    const rates = options.dropPathRates ?? new Array<number>(depth).fill(0);
    const blocks: ConvNeXtBlock[] = [];
    for (let i = 0; i < depth; i++) {
      blocks.push(new ConvNeXtBlock(outChs, {
        kernelSize, dropPath: rates[i] ?? 0, lsInitValue, convMlp, convBias, useGrn,
        normLayer: convMlp ? normLayer : normLayerCl, ...p,
      }));
    }
    this.blocks = new nn.Sequential(...blocks);
  }

  override forward(x: Tensor): Tensor {
    return this.blocks.call(this.downsample.call(x));
  }
}

/**
 * ConvNeXt: stem → four stages → `norm_pre` → head. The head pools, normalises (LayerNorm2d) and
 * classifies (`NormMlpClassifierHead`); with `headNormFirst` the norm comes before pooling.
 */
export class ConvNeXt extends nn.Module implements ZooModel {
  numClasses: number;
  readonly dropRate: number;
  readonly featureInfo: FeatureInfo[] = [];
  readonly stem: nn.Sequential;
  readonly stages: nn.Sequential;
  /** Channels of the last stage: what the head sees. */
  readonly numFeatures: number;
  /** Features before the classifier (`headHiddenSize` when the head has a hidden layer). */
  readonly headHiddenSize: number;
  readonly norm_pre: LayerNorm2d | nn.Identity;
  readonly head: NormMlpClassifierHead | ClassifierHead;
  pretrainedCfg?: PretrainedCfg & { tag: string; architecture: string };

  constructor(args: ConvNeXtArgs = {}) {
    super();
    const inChans = args.inChans ?? 3;
    const numClasses = args.numClasses ?? 1000;
    const globalPool = args.globalPool ?? 'avg';
    const depths = args.depths ?? [3, 3, 9, 3];
    const dims = args.dims ?? [96, 192, 384, 768];
    if (depths.length !== 4 || dims.length !== 4) throw new Error('ConvNeXt has four stages: depths and dims need four entries each');
    const ks = args.kernelSizes ?? 7;
    const kernelSizes = typeof ks === 'number' ? [ks, ks, ks, ks] : [...ks];
    const lsInitValue = args.lsInitValue === undefined ? 1e-6 : args.lsInitValue;
    const stemType = args.stemType ?? 'patch';
    const patchSize = args.patchSize ?? 4;
    const headInitScale = args.headInitScale ?? 1.0;
    const headNormFirst = args.headNormFirst ?? false;
    const headHiddenSize = args.headHiddenSize ?? null;
    const convMlp = args.convMlp ?? false;
    const convBias = args.convBias ?? true;
    const useGrn = args.useGrn ?? false;
    const eps = args.normEps ?? undefined;
    const dropPathRate = args.dropPathRate ?? 0;
    const p: Placement = { device: args.device, dtype: args.dtype };
    // timm's _get_norm_layers('layernorm', conv_mlp, norm_eps).
    const normLayer: NormMaker = (c) => new LayerNorm2d(c, { eps, ...p });
    const normLayerCl: NormMaker = convMlp ? normLayer : (c) => new LayerNorm(c, { eps, ...p });

    this.numClasses = numClasses;
    this.dropRate = args.dropRate ?? 0;

    let stemStride: number;
    if (stemType === 'patch') {
      this.stem = new nn.Sequential(
        new nn.Conv2d(inChans, dims[0]!, patchSize, { stride: patchSize, bias: convBias, ...p }),
        normLayer(dims[0]!),
      );
      stemStride = patchSize;
    } else {
      const mid = stemType.includes('tiered') ? makeDivisible(Math.floor(dims[0]! / 2)) : dims[0]!;
      const layers: nn.AnyModule[] = [new nn.Conv2d(inChans, mid, 3, { stride: 2, padding: 1, bias: convBias, ...p })];
      if (stemType.includes('act')) layers.push(new nn.GELU());
      layers.push(new nn.Conv2d(mid, dims[0]!, 3, { stride: 2, padding: 1, bias: convBias, ...p }), normLayer(dims[0]!));
      this.stem = new nn.Sequential(...layers);
      stemStride = 4;
    }

    // timm: torch.linspace(0, drop_path_rate, sum(depths)).split(depths), in float32.
    const total = depths.reduce((a, b) => a + b, 0);
    const rates = linspace(0, dropPathRate, total).toFlatArray() as number[];
    const stages: ConvNeXtStage[] = [];
    let prevChs = dims[0]!;
    let currStride = stemStride;
    let offset = 0;
    for (let i = 0; i < 4; i++) {
      const stride = currStride === 2 || i > 0 ? 2 : 1;
      currStride *= stride;
      stages.push(new ConvNeXtStage(prevChs, dims[i]!, {
        kernelSize: kernelSizes[i], stride, depth: depths[i], dropPathRates: rates.slice(offset, offset + depths[i]!),
        lsInitValue, convMlp, convBias, useGrn, normLayer, normLayerCl, ...p,
      }));
      offset += depths[i]!;
      prevChs = dims[i]!;
      this.featureInfo.push({ numChs: prevChs, reduction: currStride, module: `stages.${i}` });
    }
    this.stages = new nn.Sequential(...stages);
    this.numFeatures = prevChs;

    if (headNormFirst) {
      if (headHiddenSize) throw new Error('headHiddenSize needs headNormFirst false');
      this.norm_pre = normLayer(this.numFeatures);
      this.head = new ClassifierHead(this.numFeatures, numClasses, { poolType: globalPool, dropRate: this.dropRate, ...p });
      this.headHiddenSize = this.numFeatures;
    } else {
      this.norm_pre = new nn.Identity();
      const head = new NormMlpClassifierHead(this.numFeatures, numClasses, {
        hiddenSize: headHiddenSize, poolType: globalPool, dropRate: this.dropRate, normEps: eps, ...p,
      });
      this.head = head;
      this.headHiddenSize = head.numFeatures;
    }
    this.#initWeights(headInitScale);
  }

  /** timm's `_init_weights`: conv and linear weights ~ trunc_normal(std .02), biases 0, head scaled. */
  #initWeights(headInitScale: number): void {
    for (const [name, m] of this.namedModules()) {
      if (m instanceof nn.Conv2d) {
        nn.init.truncNormal_(m.weight, { std: 0.02 });
        if (m.bias !== null) nn.init.zeros_(m.bias);
      } else if (m instanceof nn.Linear) {
        nn.init.truncNormal_(m.weight, { std: 0.02 });
        if (m.bias !== null) nn.init.zeros_(m.bias);
        if (name.includes('head.') && headInitScale !== 1) {
          noGrad(() => {
            m.weight.mul_(headInitScale);
            m.bias?.mul_(headInitScale);
          });
        }
      }
    }
  }

  /** The classifier (`head.fc`). */
  getClassifier(): nn.AnyModule {
    return this.head.fc;
  }

  /** A new classifier for `numClasses` (0: none, pooled features out), optionally with another pooling. */
  resetClassifier(numClasses: number, globalPool?: PoolType): void {
    this.numClasses = numClasses;
    this.head.reset(numClasses, globalPool);
  }

  /** Stem, stages and `norm_pre`: the last stage's feature map (N, numFeatures, H/32, W/32). */
  forwardFeatures(x: Tensor): Tensor {
    return this.norm_pre.call(this.stages.call(this.stem.call(x)));
  }

  /** The head on features; `preLogits` stops before the classifier. */
  forwardHead(x: Tensor, options: ForwardHeadOptions = {}): Tensor {
    return this.head.call(x, options);
  }

  override forward(x: Tensor): Tensor {
    return this.forwardHead(this.forwardFeatures(x));
  }
}

// ---------------------------------------------------------------------------------------------
// The zoo: timm's model definitions, one registration a model.

const defs: Record<string, ConvNeXtArgs> = {
  convnext_atto: { depths: [2, 2, 6, 2], dims: [40, 80, 160, 320], convMlp: true },
  convnext_atto_ols: { depths: [2, 2, 6, 2], dims: [40, 80, 160, 320], convMlp: true, stemType: 'overlap_tiered' },
  convnext_femto: { depths: [2, 2, 6, 2], dims: [48, 96, 192, 384], convMlp: true },
  convnext_femto_ols: { depths: [2, 2, 6, 2], dims: [48, 96, 192, 384], convMlp: true, stemType: 'overlap_tiered' },
  convnext_pico: { depths: [2, 2, 6, 2], dims: [64, 128, 256, 512], convMlp: true },
  convnext_pico_ols: { depths: [2, 2, 6, 2], dims: [64, 128, 256, 512], convMlp: true, stemType: 'overlap_tiered' },
  convnext_nano: { depths: [2, 2, 8, 2], dims: [80, 160, 320, 640], convMlp: true },
  convnext_nano_ols: { depths: [2, 2, 8, 2], dims: [80, 160, 320, 640], convMlp: true, stemType: 'overlap' },
  convnext_tiny_hnf: { depths: [3, 3, 9, 3], dims: [96, 192, 384, 768], headNormFirst: true, convMlp: true },
  convnext_tiny: { depths: [3, 3, 9, 3], dims: [96, 192, 384, 768] },
  convnext_small: { depths: [3, 3, 27, 3], dims: [96, 192, 384, 768] },
  convnext_base: { depths: [3, 3, 27, 3], dims: [128, 256, 512, 1024] },
  convnext_large: { depths: [3, 3, 27, 3], dims: [192, 384, 768, 1536] },
  convnext_large_mlp: { depths: [3, 3, 27, 3], dims: [192, 384, 768, 1536], headHiddenSize: 1536 },
  convnext_xlarge: { depths: [3, 3, 27, 3], dims: [256, 512, 1024, 2048] },
  convnext_xxlarge: { depths: [3, 4, 30, 3], dims: [384, 768, 1536, 3072], normEps: 1e-5 },
  convnextv2_atto: { depths: [2, 2, 6, 2], dims: [40, 80, 160, 320], useGrn: true, lsInitValue: null, convMlp: true },
  convnextv2_femto: { depths: [2, 2, 6, 2], dims: [48, 96, 192, 384], useGrn: true, lsInitValue: null, convMlp: true },
  convnextv2_pico: { depths: [2, 2, 6, 2], dims: [64, 128, 256, 512], useGrn: true, lsInitValue: null, convMlp: true },
  convnextv2_nano: { depths: [2, 2, 8, 2], dims: [80, 160, 320, 640], useGrn: true, lsInitValue: null, convMlp: true },
  convnextv2_tiny: { depths: [3, 3, 9, 3], dims: [96, 192, 384, 768], useGrn: true, lsInitValue: null },
  convnextv2_small: { depths: [3, 3, 27, 3], dims: [96, 192, 384, 768], useGrn: true, lsInitValue: null },
  convnextv2_base: { depths: [3, 3, 27, 3], dims: [128, 256, 512, 1024], useGrn: true, lsInitValue: null },
  convnextv2_large: { depths: [3, 3, 27, 3], dims: [192, 384, 768, 1536], useGrn: true, lsInitValue: null },
  convnextv2_huge: { depths: [3, 3, 27, 3], dims: [352, 704, 1408, 2816], useGrn: true, lsInitValue: null },
};

/** The ConvNeXt arguments of a registered architecture (`convnext_tiny` → depths, dims, …). */
export function convnextArgs(name: string): ConvNeXtArgs {
  const d = defs[name];
  if (d === undefined) throw new Error(`'${name}' is not a ConvNeXt architecture`);
  return { ...d };
}

for (const [name, d] of Object.entries(defs)) {
  registerModel(
    name,
    (o) => new ConvNeXt({
      ...d,
      numClasses: o.numClasses,
      inChans: o.inChans,
      dropRate: o.dropRate,
      dropPathRate: o.dropPathRate,
    }),
    convnextCfgs.get(name) ?? {},
  );
}
for (const [oldName, newName] of convnextDeprecations) registerDeprecated(oldName, newName);
