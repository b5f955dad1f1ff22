/**
 * The timm layers that ConvNeXt is built of, with timm's class names, parameter names and printing:
 * `GELU`, `LayerNorm`, `LayerNorm2d`, `Mlp`, `GlobalResponseNorm`, `GlobalResponseNormMlp`,
 * `SelectAdaptivePool2d`, `ClassifierHead` and `NormMlpClassifierHead`
 * (timm/layers/{activations,norm,mlp,grn,adaptive_avgmax_pool,classifier}.py).
 */
import { cat, empty, noGrad, type Tensor } from '../engine/index.js';
import type { DType } from '../engine/dtype.js';
import * as nn from '../nn/index.js';
import type { AnyModule } from '../nn/index.js';

/** Device and dtype of the parameters a layer makes. */
export interface Placement {
  device?: string;
  dtype?: DType;
}

/** timm's `GELU` (what `get_act_layer('gelu')` gives): exact GELU that prints as `GELU()`. */
export class GELU extends nn.GELU {
  override extraRepr(): string {
    return '';
  }
}

/** timm's `LayerNorm`: over the last dimension (channels-last input), eps 1e-6 by default. */
export class LayerNorm extends nn.LayerNorm {
  constructor(numChannels: number, options: { eps?: number; affine?: boolean } & Placement = {}) {
    super(numChannels, { eps: options.eps ?? 1e-6, elementwiseAffine: options.affine ?? true, dtype: options.dtype, device: options.device });
  }
}

/** timm's `LayerNorm2d`: over the channels of NCHW input (permute, layer_norm, permute back), eps 1e-6. */
export const LayerNorm2d = nn.LayerNorm2d;
export type LayerNorm2d = nn.LayerNorm2d;

/** `nn.Linear`, or with `useConv` a 1×1 `nn.Conv2d` (timm's `partial(nn.Conv2d, kernel_size=1)`). */
function linearLayer(inFeatures: number, outFeatures: number, useConv: boolean, p: Placement): nn.Linear | nn.Conv2d {
  return useConv ? new nn.Conv2d(inFeatures, outFeatures, 1, { ...p }) : new nn.Linear(inFeatures, outFeatures, { ...p });
}

export interface MlpOptions extends Placement {
  outFeatures?: number;
  /** Dropout after each linear layer (default 0). */
  drop?: number;
  /** 1×1 convolutions on NCHW input instead of linear layers on channels-last input. */
  useConv?: boolean;
}

/** timm's `Mlp`: fc1 → act → drop1 → norm (Identity) → fc2 → drop2. */
export class Mlp extends nn.Module {
  readonly fc1: nn.Linear | nn.Conv2d;
  readonly act: GELU;
  readonly drop1: nn.Dropout;
  readonly norm: nn.Identity;
  readonly fc2: nn.Linear | nn.Conv2d;
  readonly drop2: nn.Dropout;

  constructor(inFeatures: number, hiddenFeatures: number, options: MlpOptions = {}) {
    super();
    const { outFeatures = inFeatures, drop = 0, useConv = false, ...p } = options;
    this.fc1 = linearLayer(inFeatures, hiddenFeatures, useConv, p);
    this.act = new GELU();
    this.drop1 = new nn.Dropout(drop);
    this.norm = new nn.Identity();
    this.fc2 = linearLayer(hiddenFeatures, outFeatures, useConv, p);
    this.drop2 = new nn.Dropout(drop);
  }

  override forward(input: Tensor): Tensor {
    let x = this.fc1.call(input);
    x = this.act.call(x);
    x = this.drop1.call(x);
    x = this.norm.call(x);
    x = this.fc2.call(x);
    return this.drop2.call(x);
  }
}

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

/** timm's `GlobalResponseNormMlp`: fc1 → act → drop1 → grn → fc2 → drop2. */
export class GlobalResponseNormMlp extends nn.Module {
  readonly fc1: nn.Linear | nn.Conv2d;
  readonly act: GELU;
  readonly drop1: nn.Dropout;
  readonly grn: GlobalResponseNorm;
  readonly fc2: nn.Linear | nn.Conv2d;
  readonly drop2: nn.Dropout;

  constructor(inFeatures: number, hiddenFeatures: number, options: MlpOptions = {}) {
    super();
    const { outFeatures = inFeatures, drop = 0, useConv = false, ...p } = options;
    this.fc1 = linearLayer(inFeatures, hiddenFeatures, useConv, p);
    this.act = new GELU();
    this.drop1 = new nn.Dropout(drop);
    this.grn = new GlobalResponseNorm(hiddenFeatures, { channelsLast: !useConv, ...p });
    this.fc2 = linearLayer(hiddenFeatures, outFeatures, useConv, p);
    this.drop2 = new nn.Dropout(drop);
  }

  override forward(input: Tensor): Tensor {
    let x = this.fc1.call(input);
    x = this.act.call(x);
    x = this.drop1.call(x);
    x = this.grn.call(x);
    x = this.fc2.call(x);
    return this.drop2.call(x);
  }
}

/** Global pooling types: average, max, their mean (`avgmax`), their concatenation (`catavgmax`), or none (''). */
export type PoolType = '' | 'avg' | 'max' | 'avgmax' | 'catavgmax';

/** timm's `AdaptiveAvgMaxPool2d`: the mean of adaptive average and max pooling. */
export class AdaptiveAvgMaxPool2d extends nn.Module {
  constructor(readonly outputSize: nn.OutputSize2 = 1) {
    super();
  }

  override forward(x: Tensor): Tensor {
    const F = nn.functional;
    return F.adaptiveAvgPool2d(x, this.outputSize).add(F.adaptiveMaxPool2d(x, this.outputSize)).mul(0.5);
  }
}

/** timm's `AdaptiveCatAvgMaxPool2d`: adaptive average and max pooling concatenated on channels (average first). */
export class AdaptiveCatAvgMaxPool2d extends nn.Module {
  constructor(readonly outputSize: nn.OutputSize2 = 1) {
    super();
  }

  override forward(x: Tensor): Tensor {
    const F = nn.functional;
    return cat([F.adaptiveAvgPool2d(x, this.outputSize), F.adaptiveMaxPool2d(x, this.outputSize)], 1);
  }
}

/**
 * timm's `SelectAdaptivePool2d`: global pooling chosen by name, optionally flattened. Prints as
 * timm does, `SelectAdaptivePool2d(pool_type=avg, flatten=Identity())`, without its children.
 */
export class SelectAdaptivePool2d extends nn.Module {
  readonly poolType: PoolType;
  readonly pool: AnyModule;
  readonly flatten: nn.Flatten | nn.Identity;

  constructor(options: { poolType?: PoolType; flatten?: boolean; outputSize?: nn.OutputSize2 } = {}) {
    super();
    const { poolType = 'avg', flatten = false, outputSize = 1 } = options;
    this.poolType = poolType;
    switch (poolType) {
      case '': this.pool = new nn.Identity(); break;
      case 'avg': this.pool = new nn.AdaptiveAvgPool2d(outputSize); break;
      case 'max': this.pool = new nn.AdaptiveMaxPool2d(outputSize); break;
      case 'avgmax': this.pool = new AdaptiveAvgMaxPool2d(outputSize); break;
      case 'catavgmax': this.pool = new AdaptiveCatAvgMaxPool2d(outputSize); break;
      default: throw new Error(`Invalid pool type: ${String(poolType)}`);
    }
    this.flatten = flatten ? new nn.Flatten(1) : new nn.Identity();
  }

  isIdentity(): boolean {
    return this.poolType === '';
  }

  /** How many times the channels the pooled output has (2 for `catavgmax`). */
  featMult(): number {
    return this.poolType.endsWith('catavgmax') ? 2 : 1;
  }

  override forward(x: Tensor): Tensor {
    return this.flatten.call(this.pool.call(x) as Tensor);
  }

  override toString(): string {
    return `${this.getName()}(pool_type=${this.poolType}, flatten=${this.flatten.toString()})`;
  }
}

/** What a head's forward takes besides the features: `preLogits` stops before the classifier. */
export interface HeadOptions {
  preLogits?: boolean;
}

/**
 * timm's `ClassifierHead`: pool (flattened) → dropout → fc. With `numClasses` 0 the fc is an
 * Identity and the pooled features come out.
 */
export class ClassifierHead extends nn.Module<[x: Tensor, options?: HeadOptions]> {
  readonly inFeatures: number;
  global_pool: SelectAdaptivePool2d;
  readonly drop: nn.Dropout;
  fc: nn.Linear | nn.Identity;
  readonly flatten: nn.Identity;
  readonly #placement: Placement;

  constructor(inFeatures: number, numClasses: number, options: { poolType?: PoolType; dropRate?: number } & Placement = {}) {
    super();
    const { poolType = 'avg', dropRate = 0, ...p } = options;
    this.#placement = p;
    this.inFeatures = inFeatures;
    this.global_pool = new SelectAdaptivePool2d({ poolType, flatten: poolType !== '' });
    this.drop = new nn.Dropout(dropRate);
    this.fc = this.#makeFc(numClasses);
    this.flatten = new nn.Identity();
  }

  #makeFc(numClasses: number): nn.Linear | nn.Identity {
    const n = this.inFeatures * this.global_pool.featMult();
    return numClasses > 0 ? new nn.Linear(n, numClasses, { ...this.#placement }) : new nn.Identity();
  }

  /** A new classifier for `numClasses` (0: none), optionally with another pooling. */
  reset(numClasses: number, poolType?: PoolType): void {
    if (poolType !== undefined && poolType !== this.global_pool.poolType)
      this.global_pool = new SelectAdaptivePool2d({ poolType, flatten: poolType !== '' });
    this.fc = this.#makeFc(numClasses);
  }

  override forward(x: Tensor, options: HeadOptions = {}): Tensor {
    let y = this.global_pool.call(x);
    y = this.drop.call(y);
    if (options.preLogits) return this.flatten.call(y);
    y = this.fc.call(y);
    return this.flatten.call(y);
  }
}

/**
 * timm's `NormMlpClassifierHead`, ConvNeXt's head: pool → LayerNorm2d → flatten → pre_logits (an
 * fc and GELU when `hiddenSize` is given, else Identity) → dropout → fc.
 */
export class NormMlpClassifierHead extends nn.Module<[x: Tensor, options?: HeadOptions]> {
  readonly inFeatures: number;
  readonly hiddenSize: number | null;
  /** Features the fc sees: `hiddenSize`, or `inFeatures`. */
  readonly numFeatures: number;
  useConv: boolean;
  global_pool: SelectAdaptivePool2d;
  readonly norm: LayerNorm2d;
  flatten: nn.Flatten | nn.Identity;
  readonly pre_logits: nn.Sequential | nn.Identity;
  readonly drop: nn.Dropout;
  fc: nn.Linear | nn.Conv2d | nn.Identity;
  readonly #placement: Placement;

  constructor(
    inFeatures: number,
    numClasses: number,
    options: { hiddenSize?: number | null; poolType?: PoolType; dropRate?: number; normEps?: number } & Placement = {},
  ) {
    super();
    const { hiddenSize = null, poolType = 'avg', dropRate = 0, normEps, ...p } = options;
    this.#placement = p;
    this.inFeatures = inFeatures;
    this.hiddenSize = hiddenSize;
    this.numFeatures = inFeatures;
    this.useConv = poolType === '';
    this.global_pool = new SelectAdaptivePool2d({ poolType });
    this.norm = new LayerNorm2d(inFeatures, { eps: normEps, ...p });
    this.flatten = poolType !== '' ? new nn.Flatten(1) : new nn.Identity();
    if (hiddenSize) {
      this.pre_logits = new nn.Sequential(new Map<string, AnyModule>([
        ['fc', linearLayer(inFeatures, hiddenSize, this.useConv, p)],
        ['act', new GELU()],
      ]));
      this.numFeatures = hiddenSize;
    } else {
      this.pre_logits = new nn.Identity();
    }
    this.drop = new nn.Dropout(dropRate);
    this.fc = numClasses > 0 ? linearLayer(this.numFeatures, numClasses, this.useConv, p) : new nn.Identity();
  }

  /** A new classifier for `numClasses` (0: none); `poolType` '' keeps NCHW maps (1×1 conv classifier). */
  reset(numClasses: number, poolType?: PoolType): void {
    if (poolType !== undefined) {
      this.global_pool = new SelectAdaptivePool2d({ poolType });
      this.flatten = poolType !== '' ? new nn.Flatten(1) : new nn.Identity();
    }
    this.useConv = this.global_pool.isIdentity();
    if (this.hiddenSize && this.pre_logits instanceof nn.Sequential) {
      // A pooled head needs a Linear, an unpooled one a 1×1 conv: the same weights, reshaped.
      const old = this.pre_logits.at(0) as nn.Linear | nn.Conv2d;
      if ((old instanceof nn.Conv2d) !== this.useConv) {
        const fresh = linearLayer(this.inFeatures, this.hiddenSize, this.useConv, this.#placement);
        noGrad(() => {
          fresh.weight.copy_(old.weight.reshape(fresh.weight.shape));
          fresh.bias!.copy_(old.bias!);
        });
        this.pre_logits.registerModule('fc', fresh);
      }
    }
    this.fc = numClasses > 0 ? linearLayer(this.numFeatures, numClasses, this.useConv, this.#placement) : new nn.Identity();
  }

  override forward(x: Tensor, options: HeadOptions = {}): Tensor {
    let y = this.global_pool.call(x);
    y = this.norm.call(y);
    y = this.flatten.call(y);
    y = this.pre_logits.call(y);
    y = this.drop.call(y);
    if (options.preLogits) return y;
    return this.fc.call(y);
  }
}
