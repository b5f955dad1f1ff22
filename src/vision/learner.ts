/**
 * `visionLearner(dls, arch, options)`: fastai's vision_learner for any zoo model — the body of the
 * pretrained model without its classifier (TimmBody), fastai's head, parameter groups
 * [body, head], frozen when pretrained, the data normalised with the model's mean and std.
 *
 *     const learn = await visionLearner(dls, 'resnet34', { metrics: [errorRate] });
 *     await learn.fineTune(3);
 */
import type { DataLoaders } from '../data/types.js';
import { Learner, type LearnerOptions, type Splitter } from '../learner/learner.js';
import type { Precision } from '../learner/precision.js';
import type { Sequential } from '../nn/layers/container.js';
import { createVisionModel, type HeadOptions } from './head.js';
// A vision learner's export loads back: this registers the vision model kind and the image pipeline.
import './export.js';

export interface VisionLearnerOptions extends LearnerOptions, HeadOptions {
  /** Start from the zoo model's published weights (default true); the learner is then frozen. */
  pretrained?: boolean;
  /** Normalise the data with the model's mean and std (default: when pretrained, as fastai does). */
  normalize?: boolean;
  /**
   * Keep the model's weights channels-last (NHWC), where oneDNN runs narrow convolutions fastest on
   * a CPU (ResNet-20 at 28 px: README, Measured; no gain for resnet34 at 224 px): `learn.toChannelsLast()`.
   * bf16 mixed precision makes the model channels-last itself. Default false.
   */
  channelsLast?: boolean;
  /** Outputs of the head (default: the number of classes, dls.c). */
  nOut?: number;
  /** 'fp32' (default), 'mixed' (as toFp16()), 'auto' (mixed where the hardware helps), 'bf16', 'fp16'. */
  precision?: Precision;
  /** A local safetensors file of the body's weights, instead of the hub's. */
  checkpointPath?: string;
}

/** fastai's `default_split` for `Sequential(body, head)`: [body's parameters, head's parameters]. */
export const bodyHeadSplitter: Splitter = (model) => {
  const seq = model as Sequential;
  return [seq.at(0).parameters(), seq.at(1).parameters()];
};

export async function visionLearner(dls: DataLoaders, arch: string, options: VisionLearnerOptions = {}): Promise<Learner> {
  const { pretrained = true, normalize, nOut: nOutOpt, precision = 'fp32', channelsLast = false, checkpointPath, linFtrs, ps, pool, concatPool, firstBn, bnFinal, ...learnerOptions } = options;
  const nOut = nOutOpt ?? dls.c;
  if (!Number.isInteger(nOut) || nOut < 1) throw new Error(`visionLearner: cannot tell the number of outputs: dls.c is ${String(dls.c)}; pass nOut`);
  const head: HeadOptions = {};
  if (linFtrs !== undefined) head.linFtrs = linFtrs;
  if (ps !== undefined) head.ps = ps;
  if (pool !== undefined) head.pool = pool;
  if (concatPool !== undefined) head.concatPool = concatPool;
  if (firstBn !== undefined) head.firstBn = firstBn;
  if (bnFinal !== undefined) head.bnFinal = bnFinal;
  const { model, cfg, spec } = await createVisionModel(arch, nOut, { ...head, pretrained, ...(checkpointPath !== undefined ? { checkpointPath } : {}) });
  if ((normalize ?? pretrained) && cfg !== undefined) dls.normalize?.(cfg.mean, cfg.std);
  const learn = new Learner(dls, model, { splitter: bodyHeadSplitter, ...learnerOptions });
  learn.modelSpec = spec;
  if (pretrained) learn.freeze();
  if (channelsLast) learn.toChannelsLast();
  if (precision !== 'fp32') learn.toFp16({ precision });
  return learn;
}
