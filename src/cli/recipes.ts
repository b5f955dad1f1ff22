/**
 * The training recipes `owlet train` chooses from, as data: which model, how long, how fast.
 *
 * - `FOLDER_RECIPE`: a folder of photos with `--data`, fastai's lesson: a pretrained resnet34 at 224 px
 *   and `fineTune(1)`.
 * - `SMALL_IMAGE_RECIPE`: a folder whose images are small (≤ 64 px on their longer side, as digits or
 *   icons): ImageNet models would shrink them to a few pixels before their first stage, so a small
 *   CNN made for them trains from scratch at the images' own size, with the learning rate the
 *   learning-rate finder suggests, for up to 20 epochs or 2.5 minutes (the digits' figure is in the
 *   README's Measured).
 * - `MAIN_JOB_RECIPES`: the main job on Fashion-MNIST, in order of preference. The first whose
 *   `minEpochs` fit in the time budget on this machine (measured on its first batches) is trained,
 *   for as many epochs as fit, up to its `epochs`.
 */
export type CliPrecision = 'fp32' | 'bf16' | 'auto';
export type Augment = 'default' | 'flip' | 'none';

export interface Recipe {
  /** What the plan line calls it. */
  name: string;
  arch: string;
  pretrained: boolean;
  /** Images are resized to this; null: their own size (the largest side found, for small images). */
  size: number | null;
  bs: number;
  /** fitOneCycle's peak (or fineTune's base) learning rate; 'find': the learning-rate finder's valley. */
  lr: number | 'find' | undefined;
  /** Epochs to train; a time budget may lower it to what fits. */
  epochs: number;
  /** Fewer epochs than this would not reach the recipe's figure: the budget planner tries the next recipe. */
  minEpochs: number;
  /** Minutes of training the epochs are cut to fit (measured on the first batches); undefined: no budget. */
  budgetMinutes?: number;
  augment: Augment;
  validPct: number;
  seed: number;
  precision: CliPrecision;
  /** Channels-last weights (NHWC): faster for the narrow convolutions of small-image models on a CPU. */
  channelsLast?: boolean;
}

const common = { validPct: 0.2, seed: 42, precision: 'auto' as CliPrecision };

export const FOLDER_RECIPE: Recipe = {
  ...common, name: 'fastai\'s lesson', arch: 'resnet34', pretrained: true, size: 224, bs: 64, lr: undefined, epochs: 1, minEpochs: 1, augment: 'default',
};

/** Images whose longer side is at most this many pixels get {@link SMALL_IMAGE_RECIPE}. */
export const SMALL_IMAGE_MAX_SIDE = 64;

export const SMALL_IMAGE_RECIPE: Recipe = {
  ...common, name: 'small images', arch: 'small_cnn', pretrained: false, size: null, bs: 64, lr: 'find', epochs: 20, minEpochs: 1, augment: 'default', budgetMinutes: 2.5, channelsLast: true,
};

export const MAIN_JOB_RECIPES: readonly Recipe[] = [
  // He et al.'s ResNet-20 (the CIFAR ResNet: a stride-1 stem keeps 28 px): 0.93 needs its 10 epochs,
  // which fit in bf16 on a CPU with bf16 instructions (README, Measured).
  { ...common, name: 'ResNet-20', arch: 'resnet20', pretrained: false, size: 28, bs: 128, lr: 1e-2, epochs: 10, minEpochs: 8, augment: 'flip', channelsLast: true },
  // Where ResNet-20 cannot train 8 epochs in the budget (float32 on a CPU without bf16 instructions).
  { ...common, name: 'small CNN', arch: 'small_cnn', pretrained: false, size: 28, bs: 128, lr: 1e-2, epochs: 12, minEpochs: 1, augment: 'flip', channelsLast: true },
];

/** The main job's training budget: 12 minutes, so that the whole job (writing the data, testing) stays under 15. */
export const MAIN_JOB_BUDGET_MINUTES = 12;

/** Passes of test-time augmentation in the main job's test accuracy (fastai's `tta`). */
export const MAIN_JOB_TTA = 1;
