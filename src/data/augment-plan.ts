/**
 * A batch's augmentation plan: what the batch transforms will do to it, as plain data drawn ahead,
 * when the loader sends the batch to be decoded — each image's affine matrix and warp, its
 * brightness and contrast, the normalisation. Both executors carry out the same plan: the libtorch
 * ops (executor-ops.ts: the reference, and the way for tensors on a GPU) and the native fused pass in
 * the decoding worker (executor-fused.ts). The draws come from one seeded generator, the transforms'
 * in their order, so a seed gives the same batches whichever executor runs them and with any number
 * of workers.
 *
 * A transform owlet does not know (a user's own) is a `custom` step: it draws as it applies, on the
 * main thread, and only the libtorch executor can run a plan that has one.
 *
 * This file is plain data and needs no libtorch (the decoding workers read plans); plan-draw.ts
 * draws them from the transforms.
 */
import type { AffineDraw } from './affine-geometry.js';
import type { GridPadMode, InterpolationMode } from './batch-transform.js';
import type { LightingDraw } from './lighting.js';

/** The affine resample of a batch (fastai's merged flips, rotation, zoom and warp, and a batch resize). */
export interface AffineStep {
  kind: 'affine';
  draw: AffineDraw;
  /** A validation batch: only the resize to `size` (identity maps); nothing to do when the size is the input's. */
  identity: boolean;
  /** Output [h, w]; null: the input's. */
  size: [number, number] | null;
  mode: InterpolationMode;
  padMode: GridPadMode;
  alignCorners: boolean;
}

/** Brightness and contrast, per image. */
export interface LightingStep extends LightingDraw {
  kind: 'lighting';
}

/** A transform owlet does not describe: the loader's batch transform at `index` applies itself. */
export interface CustomStep {
  kind: 'custom';
  index: number;
}

export type PlanStep = AffineStep | LightingStep | CustomStep;

export interface AugmentPlan {
  /** In the transforms' order. */
  steps: PlanStep[];
  /** The normalisation, last (fastai's order 99); null for none. */
  normalize: { mean: [number, number, number]; std: [number, number, number] } | null;
}

/** The plan for the images at positions `keep` (the batch less the images that could not be read). */
export function selectPlan(plan: AugmentPlan, keep: readonly number[]): AugmentPlan {
  const pick = <T>(xs: readonly T[]) => keep.map((i) => xs[i]!);
  return {
    normalize: plan.normalize,
    steps: plan.steps.map((s): PlanStep => {
      if (s.kind === 'affine') return { ...s, draw: { mats: pick(s.draw.mats), warp: s.draw.warp ? pick(s.draw.warp) : null } };
      if (s.kind === 'lighting') return { ...s, brightness: pick(s.brightness), contrast: pick(s.contrast) };
      return s;
    }),
  };
}
