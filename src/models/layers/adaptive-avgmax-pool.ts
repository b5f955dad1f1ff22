/**
 * timm's global pooling (timm/layers/adaptive_avgmax_pool.py): `SelectAdaptivePool2d` picks
 * average, max, their mean or their concatenation by name.
 */
import { cat, type Tensor } from '../../engine/index.js';
import * as nn from '../../nn/index.js';
import type { AnyModule } from '../../nn/index.js';

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
