/**
 * The contract between data and the learner: a DataLoader yields batches `[x, y]` of tensors; a
 * DataLoaders holds the training and validation loaders and what is needed to decode predictions
 * and to rebuild the input pipeline at prediction time (stored in an exported model).
 */
import type { Tensor } from '../engine/index.js';

export interface Batch {
  /** Inputs, e.g. float32 [bs, 3, h, w], normalised. */
  x: Tensor;
  /** Targets, e.g. int64 [bs] class indices. */
  y: Tensor;
}

export interface DataLoader extends AsyncIterable<Batch> {
  /** Batches per pass. */
  readonly length: number;
  /** Items in the dataset. */
  readonly n: number;
  readonly bs: number;
  readonly shuffle: boolean;
  readonly dropLast: boolean;
  /**
   * False for a loader over unlabelled items (a test set, fastai's `test_dl` without labels): its
   * batches' `y` holds -1s, and the learner computes no loss on them. Absent means labelled.
   */
  readonly hasLabels?: boolean;
  /**
   * The same items, in the same order, with the training set's random transforms (random crops,
   * augmentations), seeded: what fastai's `tta` predicts on. Absent where a loader has none.
   */
  withAugmentation?(seed: number): DataLoader;
  /**
   * This rank's share of every pass, for data-parallel training (PyTorch's DistributedSampler): the
   * same items shuffled alike on every rank (seeded with `seed + epoch`), padded to equal shares,
   * rank r reading items r, r + worldSize, …; batches of `bs` each. Absent where a loader cannot.
   */
  shard?(options: ShardOptions): DataLoader;
  /** A sharded loader's pass to shuffle for (PyTorch's `sampler.set_epoch`); otherwise it counts passes. */
  setEpoch?(epoch: number): void;
}

export interface ShardOptions {
  rank: number;
  worldSize: number;
  /** The same on every rank (default 0). */
  seed?: number;
}

/** What an exported model needs to turn a raw input into a model input (plain JSON). */
export interface InputPipeline {
  kind: 'image' | 'tabular';
  /** For images: the resize at prediction time, and the normalisation. */
  size?: [number, number];
  resizeMethod?: 'crop' | 'squish' | 'pad';
  mean?: [number, number, number];
  std?: [number, number, number];
  /**
   * A resample of the whole batch after the item transform (fastai's `aug_transforms(size=…)`):
   * the size [h, w] the batch transforms bring images to, and how (grid_sample's options).
   */
  batchResize?: { size: [number, number]; mode: 'bilinear' | 'nearest' | 'bicubic'; padMode: 'reflection' | 'zeros' | 'border'; alignCorners: boolean };
  /**
   * The training set's batch augmentations (the options of its AffineTransform and
   * LightingTransform, plain JSON), so that a loaded learner's `dls.testDl` can do what fastai's
   * `tta` does after `load_learner`. They change nothing in validation beyond `batchResize`.
   */
  augment?: { affine?: Record<string, unknown>; lighting?: Record<string, unknown> };
  [key: string]: unknown;
}

export interface DataLoaders {
  readonly train: DataLoader;
  readonly valid: DataLoader;
  /** Class names, sorted, as fastai's vocab. */
  readonly vocab: readonly string[];
  /** Number of classes. */
  readonly c: number;
  /** How to prepare one raw input at prediction time. */
  readonly pipeline: InputPipeline;
  /** Sets the normalisation (visionLearner uses the pretrained model's mean and std). */
  normalize?(mean: [number, number, number], std: [number, number, number]): void;
  /** A loader over new items with the validation pipeline, without labels (fastai's `test_dl`). */
  testDl?(items: readonly string[], options?: { bs?: number }): DataLoader;
}
