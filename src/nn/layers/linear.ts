/** Linear, Identity and Flatten. */
import type { DType } from '../../engine/dtype.js';
import { empty, ops, type Tensor } from '../../engine/index.js';
import { calculateFanInAndFanOut, kaimingUniform_, uniform_ } from '../init.js';
import { Module } from '../module.js';
import { pyBool } from '../pyrepr.js';

export interface LinearOptions {
  /** Learn an additive bias (default true). */
  bias?: boolean;
  dtype?: DType;
  device?: string;
}

/**
 * y = x Wᵀ + b. PyTorch's default init: W ~ kaiming_uniform(a=√5), which is U(-1/√fanIn, 1/√fanIn),
 * and b ~ U(-1/√fanIn, 1/√fanIn).
 */
export class Linear extends Module {
  declare weight: Tensor;
  declare bias: Tensor | null;
  readonly inFeatures: number;
  readonly outFeatures: number;

  constructor(inFeatures: number, outFeatures: number, options: LinearOptions = {}) {
    super();
    this.inFeatures = inFeatures;
    this.outFeatures = outFeatures;
    const f = { dtype: options.dtype, device: options.device };
    this.registerParameter('weight', empty([outFeatures, inFeatures], f));
    this.registerParameter('bias', (options.bias ?? true) ? empty([outFeatures], f) : null);
    this.resetParameters();
  }

  resetParameters(): void {
    kaimingUniform_(this.weight, { a: Math.sqrt(5) });
    if (this.bias !== null) {
      const [fanIn] = calculateFanInAndFanOut(this.weight);
      const bound = fanIn > 0 ? 1 / Math.sqrt(fanIn) : 0;
      uniform_(this.bias, -bound, bound);
    }
  }

  override forward(input: Tensor): Tensor {
    return ops.linear(input, this.weight, this.bias);
  }

  override extraRepr(): string {
    return `in_features=${this.inFeatures}, out_features=${this.outFeatures}, bias=${pyBool(this.bias !== null)}`;
  }
}

/** Returns its input (constructor arguments are ignored, as in PyTorch). */
export class Identity extends Module {
  constructor(...args: unknown[]) {
    super();
    void args;
  }

  override forward(input: Tensor): Tensor {
    return input;
  }
}

/** Flattens dimensions startDim..endDim into one (default: all but the batch dimension). */
export class Flatten extends Module {
  constructor(readonly startDim = 1, readonly endDim = -1) {
    super();
  }

  override forward(input: Tensor): Tensor {
    return input.flatten(this.startDim, this.endDim);
  }

  override extraRepr(): string {
    return `start_dim=${this.startDim}, end_dim=${this.endDim}`;
  }
}
