/**
 * fastai's `aug_transforms()` with its defaults: flip (p 0.5), warp (0.2), rotate (±10°) and zoom
 * (1–1.1), each of the last three with probability `pAffine` 0.75 — all merged into one
 * AffineTransform (one resample) — then brightness and contrast (0.2, probability `pLighting` 0.75)
 * in a LightingTransform. They change only the training set; validation batches pass unchanged (but
 * for the resize to `size`).
 */
import { AffineTransform } from './affine.js';
import type { BatchTransform, GridPadMode, InterpolationMode } from './batch-transform.js';
import { LightingTransform } from './lighting.js';

export interface AugTransformsOptions {
  /** Multiplies maxRotate, maxLighting and maxWarp (default 1). */
  mult?: number;
  doFlip?: boolean;
  flipVert?: boolean;
  maxRotate?: number;
  minZoom?: number;
  maxZoom?: number;
  maxLighting?: number;
  maxWarp?: number;
  pAffine?: number;
  pLighting?: number;
  /** Extra batch transforms, after these. */
  xtraTfms?: BatchTransform[];
  size?: number | [number, number];
  mode?: InterpolationMode;
  padMode?: GridPadMode;
  alignCorners?: boolean;
  batch?: boolean;
}

export function augTransforms(options: AugTransformsOptions = {}): BatchTransform[] {
  const mult = options.mult ?? 1;
  const maxRotate = (options.maxRotate ?? 10) * mult;
  const maxLighting = (options.maxLighting ?? 0.2) * mult;
  const maxWarp = (options.maxWarp ?? 0.2) * mult;
  const size: [number, number] | undefined = options.size === undefined ? undefined : typeof options.size === 'number' ? [options.size, options.size] : options.size;
  const res: BatchTransform[] = [];
  const affine = new AffineTransform({
    doFlip: options.doFlip ?? true, flipVert: options.flipVert ?? false, maxRotate, minZoom: options.minZoom ?? 1,
    maxZoom: options.maxZoom ?? 1.1, maxWarp, pAffine: options.pAffine ?? 0.75, mode: options.mode ?? 'bilinear',
    padMode: options.padMode ?? 'reflection', alignCorners: options.alignCorners ?? true, batch: options.batch ?? false,
    ...(size ? { size } : {}),
  });
  const o = affine.options;
  if (o.doFlip || o.flipVert || o.maxRotate || o.maxWarp || o.minZoom < 1 || o.maxZoom > 1 || size) res.push(affine);
  if (maxLighting) res.push(new LightingTransform({ maxLighting, pLighting: options.pLighting ?? 0.75, batch: options.batch ?? false }));
  return [...res, ...(options.xtraTfms ?? [])];
}
