/**
 * Functional forms (PyTorch's `torch.nn.functional`): activations, layers without state, and losses.
 * Each is a thin, checked call of the aten operator that PyTorch 1.13's Python calls.
 */
import type { DType } from '../engine/dtype.js';
import { empty, ops, type Tensor } from '../engine/index.js';

/** How a loss reduces over the batch. */
export type Reduction = 'none' | 'mean' | 'sum';

/** aten's reduction code: 0 none, 1 mean, 2 sum. */
export function reductionCode(reduction: Reduction): number {
  switch (reduction) {
    case 'none': return 0;
    case 'mean': return 1;
    case 'sum': return 2;
    default: throw new Error(`${String(reduction)} is not a valid value for reduction`);
  }
}

/** An `int[2]` argument as a pair: the engine passes a lone number as a one-element list. */
function pair2(x: number | readonly number[]): number[] {
  return typeof x === 'number' ? [x, x] : [...x];
}

function shapeStr(s: readonly number[]): string {
  return `[${s.join(', ')}]`;
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

// ---------------------------------------------------------------------------------------------
// Activations

export function relu(input: Tensor, options: { inplace?: boolean } = {}): Tensor {
  return options.inplace ? ops.relu_(input) : ops.relu(input);
}

/** GELU; `approximate: 'tanh'` for the tanh approximation. */
export function gelu(input: Tensor, options: { approximate?: 'none' | 'tanh' } = {}): Tensor {
  return ops.gelu(input, options.approximate ?? 'none');
}

/** SiLU (swish): x * sigmoid(x). */
export function silu(input: Tensor, options: { inplace?: boolean } = {}): Tensor {
  return options.inplace ? ops.silu_(input) : ops.silu(input);
}

export function sigmoid(input: Tensor): Tensor {
  return ops.sigmoid(input);
}

export function tanh(input: Tensor): Tensor {
  return ops.tanh(input);
}

export function leakyRelu(input: Tensor, negativeSlope = 0.01, options: { inplace?: boolean } = {}): Tensor {
  return options.inplace ? ops.leaky_relu_(input, negativeSlope) : ops.leaky_relu(input, negativeSlope);
}

export function hardswish(input: Tensor, options: { inplace?: boolean } = {}): Tensor {
  return options.inplace ? ops.hardswish_(input) : ops.hardswish(input);
}

export function hardsigmoid(input: Tensor, options: { inplace?: boolean } = {}): Tensor {
  return options.inplace ? ops.hardsigmoid_(input) : ops.hardsigmoid(input);
}

export function softmax(input: Tensor, dim: number, options: { dtype?: DType } = {}): Tensor {
  return ops.softmax_int(input, dim, options.dtype ?? null);
}

export function logSoftmax(input: Tensor, dim: number, options: { dtype?: DType } = {}): Tensor {
  return ops.log_softmax_int(input, dim, options.dtype ?? null);
}

// ---------------------------------------------------------------------------------------------
// Layers without state

export function linear(input: Tensor, weight: Tensor, bias: Tensor | null = null): Tensor {
  return ops.linear(input, weight, bias);
}

export interface Conv2dArgs {
  stride?: number | readonly number[];
  /** Zeros on each side, or 'same' / 'valid'. */
  padding?: number | readonly number[] | 'same' | 'valid';
  dilation?: number | readonly number[];
  groups?: number;
}

export function conv2d(input: Tensor, weight: Tensor, bias: Tensor | null = null, args: Conv2dArgs = {}): Tensor {
  const { stride = 1, padding = 0, dilation = 1, groups = 1 } = args;
  if (typeof padding === 'string') return ops.conv2d_padding(input, weight, bias, pair2(stride), padding, pair2(dilation), groups);
  return ops.conv2d(input, weight, bias, pair2(stride), pair2(padding), pair2(dilation), groups);
}

export function dropout(input: Tensor, p = 0.5, training = true, options: { inplace?: boolean } = {}): Tensor {
  if (p < 0 || p > 1) throw new Error(`dropout probability has to be between 0 and 1, but got ${p}`);
  return options.inplace ? ops.dropout_(input, p, training) : ops.dropout(input, p, training);
}

/**
 * timm's `drop_path` (stochastic depth): in training, zeroes whole samples with probability `p` and
 * scales the kept ones by 1/(1-p) (`scaleByKeep`).
 */
export function dropPath(input: Tensor, p = 0, training = false, scaleByKeep = true): Tensor {
  if (p === 0 || !training) return input;
  const keep = 1 - p;
  const shape = [input.shape[0]!, ...new Array<number>(input.dim() - 1).fill(1)];
  const mask = ops.bernoulli__float(empty(shape, { dtype: input.dtype, device: input.device }), keep);
  if (keep > 0 && scaleByKeep) mask.div_(keep);
  return input.mul(mask);
}

export interface BatchNormArgs {
  weight?: Tensor | null;
  bias?: Tensor | null;
  training?: boolean;
  momentum?: number;
  eps?: number;
}

/** Batch normalisation; in training the running statistics (when given) are updated in place. */
export function batchNorm(input: Tensor, runningMean: Tensor | null, runningVar: Tensor | null, args: BatchNormArgs = {}): Tensor {
  const { weight = null, bias = null, training = false, momentum = 0.1, eps = 1e-5 } = args;
  if (training) {
    const size = input.shape;
    let n = size[0]!;
    for (let i = 2; i < size.length; i++) n *= size[i]!;
    if (n === 1) throw new Error(`Expected more than 1 value per channel when training, got input size torch.Size(${shapeStr(size)})`);
  }
  return ops.batch_norm(input, weight, bias, runningMean, runningVar, training, momentum, eps, true);
}

/**
 * Layer normalisation over the last `normalizedShape` dimensions. The affine parameters are used in
 * the input's dtype: under CPU autocast a convolution hands bfloat16 on while a norm's weights stay
 * float32, and aten's CPU `layer_norm` takes one dtype only (PyTorch 1.13's CPU autocast fails on
 * ConvNeXt there). The cast is differentiable, so gradients reach the float32 parameters; the kernel
 * accumulates in float32 either way.
 */
export function layerNorm(input: Tensor, normalizedShape: readonly number[], weight: Tensor | null = null, bias: Tensor | null = null, eps = 1e-5): Tensor {
  const cast = (t: Tensor | null) => (t === null || t.dtype === input.dtype || !input.isFloatingPoint() ? t : t.to(input.dtype));
  return ops.layer_norm(input, normalizedShape, cast(weight), cast(bias), eps, true);
}

export function groupNorm(input: Tensor, numGroups: number, weight: Tensor | null = null, bias: Tensor | null = null, eps = 1e-5): Tensor {
  return ops.group_norm(input, numGroups, weight, bias, eps, true);
}

export interface MaxPool2dArgs {
  stride?: number | readonly number[] | null;
  padding?: number | readonly number[];
  dilation?: number | readonly number[];
  ceilMode?: boolean;
}

export function maxPool2d(input: Tensor, kernelSize: number | readonly number[], args: MaxPool2dArgs = {}): Tensor {
  const { stride = null, padding = 0, dilation = 1, ceilMode = false } = args;
  return ops.max_pool2d(input, pair2(kernelSize), stride === null ? [] : pair2(stride), pair2(padding), pair2(dilation), ceilMode);
}

export interface AvgPool2dArgs {
  stride?: number | readonly number[] | null;
  padding?: number | readonly number[];
  ceilMode?: boolean;
  countIncludePad?: boolean;
  divisorOverride?: number | null;
}

export function avgPool2d(input: Tensor, kernelSize: number | readonly number[], args: AvgPool2dArgs = {}): Tensor {
  const { stride = null, padding = 0, ceilMode = false, countIncludePad = true, divisorOverride = null } = args;
  return ops.avg_pool2d(input, pair2(kernelSize), stride === null ? [] : pair2(stride), pair2(padding), ceilMode, countIncludePad, divisorOverride);
}

/** Output sizes with null meaning "the input's size" (PyTorch's `_list_with_default`). */
function withDefault(outputSize: number | readonly (number | null)[], inputShape: readonly number[]): number[] {
  if (typeof outputSize === 'number') return [outputSize, outputSize];
  const tail = inputShape.slice(inputShape.length - outputSize.length);
  return outputSize.map((v, i) => v ?? tail[i]!);
}

export function adaptiveAvgPool2d(input: Tensor, outputSize: number | readonly (number | null)[]): Tensor {
  return ops.adaptive_avg_pool2d(input, withDefault(outputSize, input.shape));
}

export function adaptiveMaxPool2d(input: Tensor, outputSize: number | readonly (number | null)[]): Tensor {
  return ops.adaptive_max_pool2d(input, withDefault(outputSize, input.shape))[0];
}

export function embedding(input: Tensor, weight: Tensor, paddingIdx: number | null = null): Tensor {
  let pad = -1;
  if (paddingIdx !== null) {
    const n = weight.shape[0]!;
    if (paddingIdx >= n || paddingIdx < -n) throw new Error('Padding_idx must be within num_embeddings');
    pad = paddingIdx < 0 ? n + paddingIdx : paddingIdx;
  }
  return ops.embedding(weight, input, pad, false, false);
}

export function oneHot(input: Tensor, numClasses = -1): Tensor {
  return ops.one_hot(input, numClasses);
}

/** Constant padding: `pad` lists (left, right) amounts from the last dimension backwards. */
export function pad(input: Tensor, padding: readonly number[], value = 0): Tensor {
  return ops.constant_pad_nd(input, padding, value);
}

// ---------------------------------------------------------------------------------------------
// Losses

export interface CrossEntropyArgs {
  /** A weight per class. */
  weight?: Tensor | null;
  /** Targets equal to this class are skipped (class-index targets only). Default -100. */
  ignoreIndex?: number;
  reduction?: Reduction;
  /** Mixes the target with the uniform distribution: (1 - ε) target + ε / C. Default 0. */
  labelSmoothing?: number;
}

/**
 * Cross-entropy of logits `input` (N, C, ...) against class indices (N, ...) or class
 * probabilities (N, C, ...).
 */
export function crossEntropy(input: Tensor, target: Tensor, args: CrossEntropyArgs = {}): Tensor {
  const { weight = null, ignoreIndex = -100, reduction = 'mean', labelSmoothing = 0 } = args;
  return ops.cross_entropy_loss(input, target, weight, reductionCode(reduction), ignoreIndex, labelSmoothing);
}

export interface NllArgs {
  weight?: Tensor | null;
  ignoreIndex?: number;
  reduction?: Reduction;
}

/** Negative log-likelihood of log-probabilities `input` (N, C, ...) against class indices. */
export function nllLoss(input: Tensor, target: Tensor, args: NllArgs = {}): Tensor {
  const { weight = null, ignoreIndex = -100, reduction = 'mean' } = args;
  return ops.nll_loss_nd(input, target, weight, reductionCode(reduction), ignoreIndex);
}

/** PyTorch broadcasts input and target of different sizes, with a warning. */
function broadcastPair(input: Tensor, target: Tensor): [Tensor, Tensor] {
  if (sameShape(input.shape, target.shape)) return [input, target];
  process.emitWarning(
    `Using a target size (${shapeStr(target.shape)}) that is different to the input size (${shapeStr(input.shape)}). ` +
      'This will likely lead to incorrect results due to broadcasting. Please ensure they have the same size.',
  );
  const [a, b] = ops.broadcast_tensors([input, target]);
  return [a!, b!];
}

export function mseLoss(input: Tensor, target: Tensor, args: { reduction?: Reduction } = {}): Tensor {
  const [a, b] = broadcastPair(input, target);
  return ops.mse_loss(a, b, reductionCode(args.reduction ?? 'mean'));
}

export function l1Loss(input: Tensor, target: Tensor, args: { reduction?: Reduction } = {}): Tensor {
  const [a, b] = broadcastPair(input, target);
  return ops.l1_loss(a, b, reductionCode(args.reduction ?? 'mean'));
}

/** Smooth L1: quadratic below `beta` (default 1), linear above; `beta` 0 is L1. */
export function smoothL1Loss(input: Tensor, target: Tensor, args: { reduction?: Reduction; beta?: number } = {}): Tensor {
  const [a, b] = broadcastPair(input, target);
  const beta = args.beta ?? 1.0;
  const r = reductionCode(args.reduction ?? 'mean');
  return beta === 0 ? ops.l1_loss(a, b, r) : ops.smooth_l1_loss(a, b, r, beta);
}

export function huberLoss(input: Tensor, target: Tensor, args: { reduction?: Reduction; delta?: number } = {}): Tensor {
  const [a, b] = broadcastPair(input, target);
  return ops.huber_loss(a, b, reductionCode(args.reduction ?? 'mean'), args.delta ?? 1.0);
}

export interface BceArgs {
  weight?: Tensor | null;
  reduction?: Reduction;
}

function checkSameSize(input: Tensor, target: Tensor): void {
  if (!sameShape(input.shape, target.shape))
    throw new Error(`Target size (${shapeStr(target.shape)}) must be the same as input size (${shapeStr(input.shape)})`);
}

/** Binary cross-entropy of probabilities. */
export function binaryCrossEntropy(input: Tensor, target: Tensor, args: BceArgs = {}): Tensor {
  checkSameSize(input, target);
  let weight = args.weight ?? null;
  if (weight !== null) {
    const [w] = ops.broadcast_tensors([weight, target]);
    weight = w!;
  }
  return ops.binary_cross_entropy(input, target, weight, reductionCode(args.reduction ?? 'mean'));
}

/** Binary cross-entropy of logits, computed stably; `posWeight` weighs the positive class. */
export function binaryCrossEntropyWithLogits(input: Tensor, target: Tensor, args: BceArgs & { posWeight?: Tensor | null } = {}): Tensor {
  checkSameSize(input, target);
  return ops.binary_cross_entropy_with_logits(input, target, args.weight ?? null, args.posWeight ?? null, reductionCode(args.reduction ?? 'mean'));
}

/** KL divergence of log-probabilities `input` from `target`; 'batchmean' divides the sum by the batch size. */
export function klDiv(input: Tensor, target: Tensor, args: { reduction?: Reduction | 'batchmean'; logTarget?: boolean } = {}): Tensor {
  const reduction = args.reduction ?? 'mean';
  const logTarget = args.logTarget ?? false;
  if (reduction === 'batchmean') {
    const s = ops.kl_div(input, target, reductionCode('sum'), logTarget);
    return input.dim() === 0 ? s : s.div(input.shape[0]!);
  }
  return ops.kl_div(input, target, reductionCode(reduction), logTarget);
}
