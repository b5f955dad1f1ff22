/**
 * The interface of a batch transform (fastai's `batch_tfms`): a function of a whole batch of float
 * images [bs, 3, h, w] (values in [0, 1]), sorted by `order` as fastai sorts them. owlet's own
 * (AffineTransform, LightingTransform) are also described by plain data in a batch's augmentation
 * plan (augment-plan.ts); a user's own transform only has `apply`, and runs on the main thread.
 */
import type { RandomState, Tensor } from '../engine/index.js';

export interface BatchContext {
  /** True for the training set (augmentations apply), false for validation and test sets. */
  train: boolean;
  /** The loader's seeded generator for the transforms that draw as they apply (a user's own). */
  rng: RandomState;
}

/** A transform of whole batches; `order` sorts them, as fastai's. */
export interface BatchTransform {
  readonly name: string;
  readonly order: number;
  apply(x: Tensor, ctx: BatchContext): Tensor;
}

export type GridPadMode = 'reflection' | 'zeros' | 'border';
export type InterpolationMode = 'bilinear' | 'nearest' | 'bicubic';
