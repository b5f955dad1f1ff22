/**
 * When a loader's batch transforms can run in the decoding worker (fused.ts), and the draws they
 * take there. They can when the batches stay on the CPU, the item transform gives every image one
 * size, the image addon is built, and the batch transforms are fastai's `augTransforms()` pair — an
 * AffineTransform (bilinear, reflection padding) and a LightingTransform, either or both, nothing
 * else — followed by any normalisation. Otherwise the loader runs them as libtorch ops on the main
 * thread, as before.
 *
 * The draws come from the loader's dispatch-time generator, the affine's first and the lighting's
 * second, for every batch, so a seed gives the same augmentations with any number of workers.
 */
import type { RandomState } from '../engine/index.js';
import { AffineTransform, LightingTransform, type AffineDraw, type BatchTransform, type NormalizeTransform } from './augment.js';
import type { FusedSpec } from './fused.js';
import { projectiveMatrix } from './grid.js';
import { imageAddon } from './image-addon.js';

export interface FusedPlan {
  spec: FusedSpec;
  /** What each transform drew (its `lastDraw` once the batch is made), for the files of the request. */
  affine: { transform: AffineTransform; draw: AffineDraw } | null;
  lighting: { transform: LightingTransform; draw: { brightness: number[]; contrast: number[] } } | null;
}

/** The fusable transforms of a list, or null when the list has anything else. */
export function fusable(tfms: readonly BatchTransform[]): { affine: AffineTransform | null; lighting: LightingTransform | null } | null {
  let affine: AffineTransform | null = null;
  let lighting: LightingTransform | null = null;
  for (const t of tfms) {
    if (t instanceof AffineTransform && affine === null && lighting === null && t.options.mode === 'bilinear' && t.options.padMode === 'reflection') affine = t;
    else if (t instanceof LightingTransform && lighting === null) lighting = t;
    else return null;
  }
  return imageAddon() === null ? null : { affine, lighting };
}

/** The fused work for a batch of `n` images of h×w (drawing its augmentations in training), or null when it cannot be fused. */
export function planFused(
  tfms: readonly BatchTransform[], normalizer: NormalizeTransform | null, train: boolean, n: number, h: number, w: number, rng: RandomState,
): FusedPlan | null {
  const f = fusable(tfms);
  if (f === null) return null;
  let mats: Float64Array | null = null;
  let [oh, ow] = [h, w];
  let alignCorners = true;
  let affine: FusedPlan['affine'] = null;
  if (f.affine !== null) {
    const o = f.affine.options;
    [oh, ow] = o.size ?? [h, w];
    alignCorners = o.alignCorners;
    // validation: the identity, and only for a change of size (AffineTransform.apply's rule)
    const draw: AffineDraw | null = train ? f.affine.draw(n, rng) : oh !== h || ow !== w ? { mats: new Array(n).fill([1, 0, 0, 0, 1, 0, 0, 0, 1]), warp: null } : null;
    if (draw !== null) {
      const spec = f.affine.spec(draw, h, w);
      mats = Float64Array.from(spec.thetas.flatMap((t, i) => projectiveMatrix(t, spec.perspective[i] ?? null)));
      affine = { transform: f.affine, draw };
    }
  }
  let lighting: FusedPlan['lighting'] = null;
  let lightingValues: Float64Array | null = null;
  if (f.lighting !== null && train && f.lighting.maxLighting > 0) {
    const draw = f.lighting.draw(n, rng);
    lighting = { transform: f.lighting, draw };
    lightingValues = new Float64Array(n * 2);
    for (let i = 0; i < n; i++) {
      const b = draw.brightness[i]!;
      lightingValues[2 * i] = Math.log(b / (1 - b));
      lightingValues[2 * i + 1] = draw.contrast[i]!;
    }
  }
  return {
    spec: { mats, h: oh, w: ow, alignCorners, lighting: lightingValues, mean: normalizer?.mean ?? null, std: normalizer?.std ?? null },
    affine,
    lighting,
  };
}
