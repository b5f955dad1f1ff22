/**
 * timm's classifiers (timm/layers/classifier.py): `createClassifier` (global pool and fc, ResNet's
 * head, with its forward and reset), `ClassifierHead` (pool → dropout → fc) and ConvNeXt's
 * `NormMlpClassifierHead` (pool → norm → optional hidden layer → dropout → fc).
 */
import type { DType } from '../../engine/dtype.js';
import { noGrad, type Tensor } from '../../engine/index.js';
import * as nn from '../../nn/index.js';
import type { AnyModule } from '../../nn/index.js';
import { GELU } from './activations.js';
import { SelectAdaptivePool2d, type PoolType } from './adaptive-avgmax-pool.js';
import { linearLayer } from './mlp.js';
import { LayerNorm2d } from './norm.js';
import type { Placement } from './placement.js';

/**
 * What a head's forward (and a zoo model's `forwardHead`) takes besides the features: `preLogits`
 * stops before the classifier (timm's `pre_logits`). Not fastai's `HeadOptions` (vision/head.ts),
 * which configures the head `createHead` builds.
 */
export interface ForwardHeadOptions {
  preLogits?: boolean;
}

/**
 * timm's `create_classifier`: the global pooling (flattened, since a Linear follows) and the
 * classifier, a Linear from `numFeatures · featMult` to `numClasses`, or Identity for 0 classes.
 */
export function createClassifier(
  numFeatures: number,
  numClasses: number,
  options: { poolType?: PoolType; dtype?: DType; device?: string } = {},
): { globalPool: SelectAdaptivePool2d; fc: nn.Linear | nn.Identity } {
  const poolType = options.poolType ?? 'avg';
  const globalPool = new SelectAdaptivePool2d({ poolType, flatten: poolType !== '' });
  const inFeatures = numFeatures * globalPool.featMult();
  const fc = numClasses <= 0 ? new nn.Identity() : new nn.Linear(inFeatures, numClasses, { dtype: options.dtype, device: options.device });
  return { globalPool, fc };
}

/** A model whose head is `createClassifier`'s, held as `global_pool` and `fc` (timm's ResNet, the CIFAR ResNets). */
export interface PooledClassifier {
  global_pool: SelectAdaptivePool2d;
  fc: nn.Linear | nn.Identity;
  numClasses: number;
  readonly numFeatures: number;
  readonly dropRate: number;
  readonly training: boolean;
  /** The stem's norm: its weight tells the dtype and device a new classifier is made with. */
  readonly bn1: nn.BatchNorm2d;
  parameters(): Tensor[];
}

/** timm's ResNet `forward_head`: the global pooling, dropout in training, the classifier (unless `preLogits`). */
export function pooledHead(m: PooledClassifier, input: Tensor, preLogits: boolean): Tensor {
  let x = m.global_pool.call(input);
  if (m.dropRate > 0) x = nn.functional.dropout(x, m.dropRate, m.training);
  return preLogits ? x : m.fc.call(x);
}

/** timm's ResNet `reset_classifier`: a new pooling and classifier for `numClasses`, of the model's dtype and device. */
export function resetPooledClassifier(m: PooledClassifier, numClasses: number, poolType: PoolType = 'avg'): void {
  m.numClasses = numClasses;
  const w = m.bn1.weight ?? m.parameters()[0];
  const head = createClassifier(m.numFeatures, numClasses, { poolType, dtype: w?.dtype, device: w?.device });
  m.global_pool = head.globalPool;
  m.fc = head.fc;
}

/**
 * timm's `ClassifierHead`: pool (flattened) → dropout → fc. With `numClasses` 0 the fc is an
 * Identity and the pooled features come out.
 */
export class ClassifierHead extends nn.Module<[x: Tensor, options?: ForwardHeadOptions]> {
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

  override forward(x: Tensor, options: ForwardHeadOptions = {}): Tensor {
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
export class NormMlpClassifierHead extends nn.Module<[x: Tensor, options?: ForwardHeadOptions]> {
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

  override forward(x: Tensor, options: ForwardHeadOptions = {}): Tensor {
    let y = this.global_pool.call(x);
    y = this.norm.call(y);
    y = this.flatten.call(y);
    y = this.pre_logits.call(y);
    y = this.drop.call(y);
    if (options.preLogits) return y;
    return this.fc.call(y);
  }
}
