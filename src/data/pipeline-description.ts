/**
 * An image pipeline as an export file records it (`InputPipeline`, plain JSON), written and read in
 * one place from each transform's own description: the item transform's, the batch resize and the
 * training augmentations (AffineTransform's and LightingTransform's options), the normalisation. A
 * loaded learner's `testDl` and `predict` rebuild the same pipeline from it.
 */
import { AffineTransform } from './affine.js';
import type { BatchTransform } from './batch-transform.js';
import type { ImagePipelineParts } from './image-pipeline.js';
import { describeItemTfm, itemTfmFromDescription } from './item-transforms.js';
import { LightingTransform } from './lighting.js';
import { NormalizeTransform } from './normalize.js';
import type { InputPipeline } from './types.js';

/** The description of a pipeline whose training loader has `batchTfms`. */
export function describePipeline(parts: ImagePipelineParts): InputPipeline {
  const p: InputPipeline = { kind: 'image' };
  if (parts.itemTfm) Object.assign(p, describeItemTfm(parts.itemTfm));
  const resize = parts.batchTfms.find((b): b is AffineTransform => b instanceof AffineTransform && b.describeResize() !== undefined);
  if (resize) p.batchResize = resize.describeResize()!;
  const affine = parts.batchTfms.find((b): b is AffineTransform => b instanceof AffineTransform);
  const lighting = parts.batchTfms.find((b): b is LightingTransform => b instanceof LightingTransform);
  if (affine || lighting) {
    p.augment = {};
    if (affine) p.augment.affine = affine.describe();
    if (lighting) p.augment.lighting = lighting.describe();
  }
  if (parts.normalizer) Object.assign(p, parts.normalizer.describe());
  return p;
}

/**
 * The pipeline a description records: the item transform, the batch transforms — the training
 * augmentations when recorded (validation does only their resize; TTA does all), else the batch
 * resize — and the normalisation.
 */
export function pipelineFromDescription(p: InputPipeline): ImagePipelineParts {
  if (p.kind !== 'image') throw new Error(`this pipeline is for '${p.kind}' inputs, not images`);
  const batchTfms: BatchTransform[] = [];
  if (p.augment) {
    if (p.augment.affine) batchTfms.push(AffineTransform.fromDescription(p.augment.affine));
    if (p.augment.lighting) batchTfms.push(LightingTransform.fromDescription(p.augment.lighting));
  } else if (p.batchResize) {
    batchTfms.push(AffineTransform.resizeOnly(p.batchResize));
  }
  return { itemTfm: itemTfmFromDescription(p), batchTfms, normalizer: NormalizeTransform.fromDescription(p) };
}
