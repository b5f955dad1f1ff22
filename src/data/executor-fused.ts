/**
 * The batch transforms done in the decoding worker, in one pass per image (native/image.cc's
 * augmentBatch), instead of by libtorch ops on the main thread: fastai's affine augmentations
 * (flip, rotate, zoom, warp, and a batch resize; bilinear, reflection padding), its lighting, and the
 * normalisation, from the decoded bytes to the model's float input. The numbers are the libtorch
 * ops' (augment.ts) to within a few float roundings (tested); the main thread is left free for the
 * model. fused-plan.ts decides when a loader can use it and draws the random parameters; this file is
 * the worker's side, and needs no libtorch.
 */
import { imageAddon } from './image-addon.js';

/** What the worker does to a batch after decoding, for each file of the request. */
export interface FusedSpec {
  /** Per file, the projective map H (9 numbers, grid.ts's projectiveMatrix); null: no resampling. */
  mats: Float64Array | null;
  /** Output height and width (the input's when `mats` is null). */
  h: number;
  w: number;
  alignCorners: boolean;
  /** Per file, logit(brightness) and contrast; null: no lighting. */
  lighting: Float64Array | null;
  /** Per-channel normalisation; null: none. */
  mean: [number, number, number] | null;
  std: [number, number, number] | null;
}

function pick(values: Float64Array | null, per: number, keep: readonly number[]): Float64Array | null {
  if (values === null) return null;
  const out = new Float64Array(keep.length * per);
  keep.forEach((i, k) => out.set(values.subarray(i * per, (i + 1) * per), k * per));
  return out;
}

/**
 * The float32 batch [k, 3, spec.h, spec.w] of `k` decoded images (uint8 [k, h, w, 3]), the files at
 * positions `keep` of the request.
 */
export function applyFused(u8: Uint8Array, k: number, h: number, w: number, spec: FusedSpec, keep: readonly number[]): Float32Array {
  const addon = imageAddon();
  if (addon === null) throw new Error('the image addon (build/Release/owlet_image.node) could not be loaded in the decoding worker: run `npm run setup`');
  const out = new Float32Array(k * 3 * spec.h * spec.w);
  addon.augmentBatch(
    u8, k, h, w, out, spec.h, spec.w, pick(spec.mats, 9, keep), spec.alignCorners, pick(spec.lighting, 2, keep),
    spec.mean ? Float64Array.from(spec.mean) : null, spec.std ? Float64Array.from(spec.std) : null,
  );
  return out;
}
