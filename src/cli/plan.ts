/**
 * Fitting training into a time budget: from the speed measured on this machine (a few batches of the
 * real shape, `measureSpeed`), how many epochs fit, and whether a recipe fits at all.
 *
 * An epoch is the training images at the measured step rate, slowed by what an epoch adds to the
 * bare steps (`EPOCH_OVERHEAD`), plus the validation images at the measured inference rate.
 */
import type { Speed } from '../learner/index.js';

/**
 * An epoch's training time over the bare steps' (the decoding worker's share of the cores, the
 * optimizer step, the recorder, garbage collection): 1.04–1.3 measured with `npm run bench -- epoch`
 * on 2 AVX2 cores, and a main-job epoch of small_cnn took 2:29–2:45 where the bare step promised 2:13.
 */
export const EPOCH_OVERHEAD = 1.2;

export interface EpochPlan {
  /** Epochs to train: as many as fit, at most the recipe's, at least 1. */
  epochs: number;
  /** Seconds one epoch is expected to take. */
  epochSeconds: number;
  /** Whether `minEpochs` fit in the budget. */
  fits: boolean;
}

export function planEpochs(options: { nTrain: number; nValid: number; speed: Speed; budgetSeconds: number; maxEpochs: number; minEpochs?: number }): EpochPlan {
  const { nTrain, nValid, speed, budgetSeconds, maxEpochs, minEpochs = 1 } = options;
  const epochSeconds = (nTrain / speed.trainIps) * EPOCH_OVERHEAD + nValid / speed.validIps;
  const fit = Math.floor(budgetSeconds / epochSeconds);
  return { epochs: Math.max(1, Math.min(maxEpochs, fit)), epochSeconds, fits: fit >= minEpochs };
}

/** m:ss, as fastai's tables print times. */
export function formatDuration(seconds: number): string {
  const s = Math.round(seconds);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}
