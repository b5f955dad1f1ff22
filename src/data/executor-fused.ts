/**
 * The fused executor of an augmentation plan: the whole plan in one pass per image in the decoding
 * worker (native/image.cc's augmentBatch, through the image addon), from the decoded bytes to the
 * model's float input — the affine resample (bilinear, reflection padding) with the warp composed
 * into one projective map per image, the lighting, the normalisation. Its numbers are the libtorch
 * executor's to within a few float roundings (tested), and the main thread is left free for the
 * model. This file is the worker's side and needs no libtorch; executor.ts says when it is chosen.
 */
import { affineGeometry, projectiveMatrices } from './affine-geometry.js';
import type { AugmentPlan } from './augment-plan.js';
import { imageAddon } from './image-addon.js';

/** The float32 batch [k, 3, oh, ow] of `k` decoded images (uint8 [k, h, w, 3]) after `plan` (for those images). */
export function applyFused(u8: Uint8Array, k: number, h: number, w: number, plan: AugmentPlan): { floats: Float32Array; h: number; w: number } {
  const addon = imageAddon();
  if (addon === null) throw new Error('the image addon (build/Release/owlet_image.node) could not be loaded in the decoding worker: run `npm run setup`');
  let mats: Float64Array | null = null;
  let lighting: Float64Array | null = null;
  let [oh, ow] = [h, w];
  let alignCorners = true;
  for (const s of plan.steps) {
    if (s.kind === 'affine') {
      [oh, ow] = s.size ?? [h, w];
      alignCorners = s.alignCorners;
      // a validation batch already at its size: nothing to resample (as the libtorch executor)
      if (!(s.identity && oh === h && ow === w)) mats = projectiveMatrices(affineGeometry(s.draw, h, w));
    } else if (s.kind === 'lighting') {
      lighting = new Float64Array(k * 2);
      for (let i = 0; i < k; i++) {
        const b = s.brightness[i]!;
        lighting[2 * i] = Math.log(b / (1 - b));
        lighting[2 * i + 1] = s.contrast[i]!;
      }
    } else {
      throw new Error('the fused executor cannot run a custom batch transform');
    }
  }
  const out = new Float32Array(k * 3 * oh * ow);
  const n = plan.normalize;
  addon.augmentBatch(u8, k, h, w, out, oh, ow, mats, alignCorners, lighting, n ? Float64Array.from(n.mean) : null, n ? Float64Array.from(n.std) : null);
  return { floats: out, h: oh, w: ow };
}
