/**
 * The image addon (native/image.cc, owlet_image.node): what the decoding worker threads do in C++.
 * It needs no libtorch, so a worker loads only this. Where it is not built, both answer null and the
 * callers take their other way (sharp; the libtorch executor).
 *
 * - `decodeJpeg`: libjpeg-turbo, the decoder PIL uses: about a third of the CPU time of sharp's on a
 *   photo of Pets' size, with the same pixels (libjpeg's defaults: accurate integer IDCT, fancy
 *   upsampling). Baseline and progressive YCbCr, RGB and grayscale files; null for the rest (CMYK,
 *   an embedded ICC profile, a truncated or damaged file), which image.ts leaves to sharp: sharp
 *   converts ICC profiles to sRGB and gives the error messages.
 * - `resizeRgb`: a crop resized as PIL's `Image.resize(BILINEAR)` resizes it (fastai's Resize), to
 *   the byte.
 * - `augmentBatch`: a batch's resampling, lighting and normalisation in one pass (executor-fused.ts).
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { packageRoot } from '../engine/package-root.js';
import type { RawRgb } from './bmp.js';

interface ImageAddon {
  decodeJpeg(bytes: Uint8Array): { data: ArrayBuffer; width: number; height: number } | null;
  augmentBatch(
    src: Uint8Array, k: number, h: number, w: number, out: Float32Array, oh: number, ow: number,
    mats: Float64Array | null, alignCorners: boolean, lighting: Float64Array | null, mean: Float64Array | null, std: Float64Array | null,
  ): void;
  resizeRgb(src: Uint8Array, w: number, h: number, left: number, top: number, cw: number, ch: number, ow: number, oh: number): ArrayBuffer;
}

let addon: ImageAddon | null | undefined;

/** The addon, or null where it is not built. */
export function imageAddon(): ImageAddon | null {
  if (addon !== undefined) return addon;
  const file = join(packageRoot(), 'build', 'Release', 'owlet_image.node');
  try {
    addon = existsSync(file) ? (createRequire(import.meta.url)(file) as ImageAddon) : null;
  } catch {
    addon = null;
  }
  return addon;
}

/** The JPEG's pixels as 8-bit RGB, or null when it is for sharp (see the top of this file). */
export function decodeJpeg(bytes: Uint8Array): RawRgb | null {
  const a = imageAddon();
  if (a === null) return null;
  const r = a.decodeJpeg(bytes);
  return r === null ? null : { data: new Uint8Array(r.data), width: r.width, height: r.height };
}

/**
 * The `box` of an RGB image resized to ow×oh with PIL's bilinear arithmetic (as if cropped, then
 * resized); null where the addon is not built.
 */
export function resizeRgb(src: RawRgb, box: { left: number; top: number; width: number; height: number }, ow: number, oh: number): RawRgb | null {
  const a = imageAddon();
  if (a === null) return null;
  const data = a.resizeRgb(src.data, src.width, src.height, box.left, box.top, box.width, box.height, ow, oh);
  return { data: new Uint8Array(data), width: ow, height: oh };
}
