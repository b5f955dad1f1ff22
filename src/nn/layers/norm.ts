/** Normalisation layers: BatchNorm1d/2d, LayerNorm, timm's LayerNorm2d, GroupNorm. */
import type { DType } from '../../engine/dtype.js';
import { empty, noGrad, ones, ops, zeros, type Tensor } from '../../engine/index.js';
import { batchNorm, layerNorm } from '../functional.js';
import { ones_, zeros_ } from '../init.js';
import { Module } from '../module.js';
import { pyBool, pyFloat, pyOptFloat, pyTuple } from '../pyrepr.js';

export interface BatchNormOptions {
  eps?: number;
  /** Weight of the new batch in the running statistics (default 0.1); null for a cumulative average. */
  momentum?: number | null;
  /** Learn a scale and shift (default true). */
  affine?: boolean;
  /** Keep running statistics for evaluation (default true). */
  trackRunningStats?: boolean;
  dtype?: DType;
  device?: string;
}

/**
 * Batch normalisation's shared part (PyTorch's `_BatchNorm`). Buffers are PyTorch's:
 * `running_mean`, `running_var`, `num_batches_tracked`. In training the batch's statistics are
 * used and the running ones updated; in evaluation the running ones are used.
 */
export class BatchNormBase extends Module {
  declare weight: Tensor | null;
  declare bias: Tensor | null;
  declare running_mean: Tensor | null;
  declare running_var: Tensor | null;
  declare num_batches_tracked: Tensor | null;
  readonly numFeatures: number;
  eps: number;
  momentum: number | null;
  readonly affine: boolean;
  readonly trackRunningStats: boolean;

  constructor(numFeatures: number, options: BatchNormOptions = {}) {
    super();
    this.numFeatures = numFeatures;
    this.eps = options.eps ?? 1e-5;
    this.momentum = options.momentum === undefined ? 0.1 : options.momentum;
    this.affine = options.affine ?? true;
    this.trackRunningStats = options.trackRunningStats ?? true;
    const f = { dtype: options.dtype, device: options.device };
    this.registerParameter('weight', this.affine ? empty([numFeatures], f) : null);
    this.registerParameter('bias', this.affine ? empty([numFeatures], f) : null);
    if (this.trackRunningStats) {
      this.registerBuffer('running_mean', zeros([numFeatures], f));
      this.registerBuffer('running_var', ones([numFeatures], f));
      this.registerBuffer('num_batches_tracked', zeros([], { dtype: 'int64', device: options.device }));
    } else {
      this.registerBuffer('running_mean', null);
      this.registerBuffer('running_var', null);
      this.registerBuffer('num_batches_tracked', null);
    }
    this.resetParameters();
  }

  get runningMean(): Tensor | null { return this.running_mean; }
  get runningVar(): Tensor | null { return this.running_var; }
  get numBatchesTracked(): Tensor | null { return this.num_batches_tracked; }

  resetRunningStats(): void {
    if (!this.trackRunningStats) return;
    this.running_mean!.zero_();
    this.running_var!.fill_(1);
    this.num_batches_tracked!.zero_();
  }

  resetParameters(): void {
    this.resetRunningStats();
    if (this.affine) {
      ones_(this.weight!);
      zeros_(this.bias!);
    }
  }

  /** Throws unless the input has the dimensions this layer takes. */
  protected checkInputDim(input: Tensor): void {
    void input;
  }

  override forward(input: Tensor): Tensor {
    this.checkInputDim(input);
    let factor = this.momentum ?? 0.0;
    if (this.training && this.trackRunningStats && this.num_batches_tracked !== null) {
      ops.add__Scalar(this.num_batches_tracked, 1);
      factor = this.momentum === null ? 1.0 / this.num_batches_tracked.item() : this.momentum;
    }
    const bnTraining = this.training ? true : this.running_mean === null && this.running_var === null;
    const useRunning = !this.training || this.trackRunningStats;
    return batchNorm(input, useRunning ? this.running_mean : null, useRunning ? this.running_var : null, {
      weight: this.weight,
      bias: this.bias,
      training: bnTraining,
      momentum: factor,
      eps: this.eps,
    });
  }

  /** As PyTorch does for checkpoints without version metadata: a missing `num_batches_tracked` reads as 0. */
  protected override loadFromStateDict(
    sd: Map<string, Tensor>,
    prefix: string,
    strict: boolean,
    missingKeys: string[],
    unexpectedKeys: string[],
    errors: string[],
  ): void {
    const key = `${prefix}num_batches_tracked`;
    if (this.trackRunningStats && !sd.has(key)) sd.set(key, zeros([], { dtype: 'int64' }));
    super.loadFromStateDict(sd, prefix, strict, missingKeys, unexpectedKeys, errors);
  }

  override extraRepr(): string {
    return `${this.numFeatures}, eps=${pyFloat(this.eps)}, momentum=${pyOptFloat(this.momentum)}, affine=${pyBool(this.affine)}, track_running_stats=${pyBool(this.trackRunningStats)}`;
  }
}

/** Batch norm over (N, C) or (N, C, L) input. */
export class BatchNorm1d extends BatchNormBase {
  protected override checkInputDim(input: Tensor): void {
    if (input.dim() !== 2 && input.dim() !== 3) throw new Error(`expected 2D or 3D input (got ${input.dim()}D input)`);
  }
}

/** fastai's `BatchNorm(nf, ndim=1)`: BatchNorm1d with weight 1 and bias 1e-3 (in visionLearner's head and the tabular model). */
export function fastaiBatchNorm1d(nf: number): BatchNorm1d {
  const bn = new BatchNorm1d(nf);
  noGrad(() => {
    bn.weight!.fill_(1);
    bn.bias!.fill_(1e-3);
  });
  return bn;
}

/** Batch norm over (N, C, H, W) input. */
export class BatchNorm2d extends BatchNormBase {
  protected override checkInputDim(input: Tensor): void {
    if (input.dim() !== 4) throw new Error(`expected 4D input (got ${input.dim()}D input)`);
  }
}

export interface LayerNormOptions {
  eps?: number;
  /** Learn a scale and shift (default true). */
  elementwiseAffine?: boolean;
  dtype?: DType;
  device?: string;
}

/** Normalises over the last dimensions (`normalizedShape`), per sample. */
export class LayerNorm extends Module {
  declare weight: Tensor | null;
  declare bias: Tensor | null;
  readonly normalizedShape: number[];
  eps: number;
  readonly elementwiseAffine: boolean;

  constructor(normalizedShape: number | readonly number[], options: LayerNormOptions = {}) {
    super();
    this.normalizedShape = typeof normalizedShape === 'number' ? [normalizedShape] : [...normalizedShape];
    this.eps = options.eps ?? 1e-5;
    this.elementwiseAffine = options.elementwiseAffine ?? true;
    const f = { dtype: options.dtype, device: options.device };
    this.registerParameter('weight', this.elementwiseAffine ? empty(this.normalizedShape, f) : null);
    this.registerParameter('bias', this.elementwiseAffine ? empty(this.normalizedShape, f) : null);
    this.resetParameters();
  }

  resetParameters(): void {
    if (this.elementwiseAffine) {
      ones_(this.weight!);
      zeros_(this.bias!);
    }
  }

  override forward(input: Tensor): Tensor {
    return layerNorm(input, this.normalizedShape, this.weight, this.bias, this.eps);
  }

  override extraRepr(): string {
    return `${pyTuple(this.normalizedShape)}, eps=${pyFloat(this.eps)}, elementwise_affine=${pyBool(this.elementwiseAffine)}`;
  }
}

/** timm's LayerNorm2d: LayerNorm over the channels of NCHW input (eps 1e-6 by default). */
export class LayerNorm2d extends LayerNorm {
  constructor(numChannels: number, options: { eps?: number; affine?: boolean; dtype?: DType; device?: string } = {}) {
    super(numChannels, { eps: options.eps ?? 1e-6, elementwiseAffine: options.affine ?? true, dtype: options.dtype, device: options.device });
  }

  override forward(input: Tensor): Tensor {
    return layerNorm(input.permute(0, 2, 3, 1), this.normalizedShape, this.weight, this.bias, this.eps).permute(0, 3, 1, 2);
  }
}

export interface GroupNormOptions {
  eps?: number;
  affine?: boolean;
  dtype?: DType;
  device?: string;
}

/** Normalises groups of channels per sample. */
export class GroupNorm extends Module {
  declare weight: Tensor | null;
  declare bias: Tensor | null;
  readonly numGroups: number;
  readonly numChannels: number;
  eps: number;
  readonly affine: boolean;

  constructor(numGroups: number, numChannels: number, options: GroupNormOptions = {}) {
    super();
    if (numChannels % numGroups !== 0) throw new Error('num_channels must be divisible by num_groups');
    this.numGroups = numGroups;
    this.numChannels = numChannels;
    this.eps = options.eps ?? 1e-5;
    this.affine = options.affine ?? true;
    const f = { dtype: options.dtype, device: options.device };
    this.registerParameter('weight', this.affine ? empty([numChannels], f) : null);
    this.registerParameter('bias', this.affine ? empty([numChannels], f) : null);
    this.resetParameters();
  }

  resetParameters(): void {
    if (this.affine) {
      ones_(this.weight!);
      zeros_(this.bias!);
    }
  }

  override forward(input: Tensor): Tensor {
    return ops.group_norm(input, this.numGroups, this.weight, this.bias, this.eps, true);
  }

  override extraRepr(): string {
    return `${this.numGroups}, ${this.numChannels}, eps=${pyFloat(this.eps)}, affine=${pyBool(this.affine)}`;
  }
}
