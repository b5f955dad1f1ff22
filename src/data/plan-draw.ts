/**
 * Drawing a batch's augmentation plan (augment-plan.ts) from a loader's batch transforms: the
 * transforms' draws in their order, from one seeded generator, when the batch is dispatched.
 */
import type { RandomState } from '../engine/index.js';
import { AffineTransform } from './affine.js';
import { IDENTITY } from './affine-geometry.js';
import type { AugmentPlan, PlanStep } from './augment-plan.js';
import type { BatchTransform } from './batch-transform.js';
import { LightingTransform } from './lighting.js';
import type { NormalizeTransform } from './normalize.js';

/** Draws the plan of a batch of `n` images (augmentations only in training). `tfms` are sorted by order. */
export function drawPlan(tfms: readonly BatchTransform[], normalizer: NormalizeTransform | null, train: boolean, n: number, rng: RandomState): AugmentPlan {
  const steps: PlanStep[] = [];
  tfms.forEach((t, index) => {
    if (t instanceof AffineTransform) {
      const o = t.options;
      const base = { size: o.size ?? null, mode: o.mode, padMode: o.padMode, alignCorners: o.alignCorners };
      // validation: the identity, and only for a change of size
      if (train) steps.push({ kind: 'affine', draw: t.draw(n, rng), identity: false, ...base });
      else if (o.size) steps.push({ kind: 'affine', draw: { mats: new Array(n).fill(IDENTITY), warp: null }, identity: true, ...base });
    } else if (t instanceof LightingTransform) {
      if (train && t.maxLighting > 0) steps.push({ kind: 'lighting', ...t.draw(n, rng) });
    } else {
      steps.push({ kind: 'custom', index });
    }
  });
  return { steps, normalize: normalizer ? { mean: [...normalizer.mean], std: [...normalizer.std] } : null };
}

