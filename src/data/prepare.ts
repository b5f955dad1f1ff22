/**
 * Preparing raw images for a model at prediction time, from an exported `InputPipeline`: the
 * validation resize (centre crop), [0, 1] floats, the normalisation.
 */
import { noGrad, RandomState, tensor, type Tensor } from '../engine/index.js';
import { AffineTransform, LightingTransform, Normalize, type AffineOptions, type BatchTransform, type LightingOptions } from './augment.js';
import { loadImage } from './image.js';
import { ImageDataLoader } from './loader.js';
import { DecodePool } from './worker-pool.js';
import { Resize, type ItemTransform } from './item-transforms.js';
import type { InputPipeline } from './types.js';

/** The item transform an exported pipeline describes (null when it has none). */
export function pipelineItemTransform(p: InputPipeline): ItemTransform | null {
  const t = p.itemTfm as ItemTransform | undefined;
  if (t && (t.kind === 'resize' || t.kind === 'randomResizedCrop')) return t;
  if (p.size) return Resize(p.size, { method: p.resizeMethod ?? 'crop' });
  return null;
}

/** The batch transforms' resample an exported pipeline describes, as validation applies it (no random draw). */
export function pipelineBatchResize(p: InputPipeline): AffineTransform | null {
  const r = p.batchResize;
  if (!r) return null;
  return new AffineTransform({ doFlip: false, maxRotate: 0, minZoom: 1, maxZoom: 1, maxWarp: 0, size: r.size, mode: r.mode, padMode: r.padMode, alignCorners: r.alignCorners });
}

/** The batch transforms of an exported pipeline: its augmentations when it records them (for TTA), else its resample. */
function pipelineBatchTfms(p: InputPipeline): BatchTransform[] {
  if (p.augment) {
    const tfms: BatchTransform[] = [];
    if (p.augment.affine) tfms.push(new AffineTransform(p.augment.affine as AffineOptions));
    if (p.augment.lighting) tfms.push(new LightingTransform(p.augment.lighting as LightingOptions));
    return tfms;
  }
  const resize = pipelineBatchResize(p);
  return resize ? [resize] : [];
}

/**
 * A loader over image files with an exported pipeline (what a loaded learner's `dls.testDl` gives):
 * the validation resize, the batch resample, the normalisation; in order, without labels. Its
 * `withAugmentation` applies the training augmentations the pipeline records (`Learner.tta`).
 */
export function pipelineTestDl(files: readonly string[], pipeline: InputPipeline, options: { bs?: number; numWorkers?: number } = {}): ImageDataLoader {
  if (pipeline.kind !== 'image') throw new Error(`testDl: this pipeline is for '${pipeline.kind}' inputs, not images`);
  return new ImageDataLoader(files, null, new DecodePool(options.numWorkers), {
    bs: options.bs ?? 64, train: false, itemTfm: pipelineItemTransform(pipeline), batchTfms: pipelineBatchTfms(pipeline),
    normalize: pipeline.mean && pipeline.std ? Normalize(pipeline.mean, pipeline.std) : null,
  });
}

/** Images (paths or encoded bytes) as one batch [n, 3, h, w] float32 ready for the model. */
export async function imagesToTensor(inputs: readonly (string | Uint8Array)[], pipeline: InputPipeline, options: { device?: string } = {}): Promise<Tensor> {
  if (pipeline.kind !== 'image') throw new Error(`this pipeline is for '${pipeline.kind}' inputs, not images`);
  const tfm = pipelineItemTransform(pipeline);
  const imgs = await Promise.all(inputs.map((i) => loadImage(i, tfm, null)));
  const { width: w, height: h } = imgs[0]!;
  const bad = imgs.findIndex((im) => im.width !== w || im.height !== h);
  if (bad >= 0) throw new Error(`the images have different sizes (${w}x${h} and ${imgs[bad]!.width}x${imgs[bad]!.height}) and the pipeline has no resize`);
  const data = new Uint8Array(imgs.length * h * w * 3);
  imgs.forEach((im, i) => data.set(im.data, i * h * w * 3));
  const norm = pipeline.mean && pipeline.std ? Normalize(pipeline.mean, pipeline.std) : null;
  return noGrad(() => {
    let t = tensor(data, { shape: [imgs.length, h, w, 3] });
    if (options.device && options.device !== 'cpu') t = t.to(options.device);
    t = t.permute(0, 3, 1, 2).to({ dtype: 'float32', memoryFormat: 'contiguous' }).div_(255);
    const resize = pipelineBatchResize(pipeline);
    if (resize) t = resize.apply(t, { train: false, rng: new RandomState(0) });
    return norm ? norm.apply(t) : t;
  });
}

/** One image as a batch of one [1, 3, h, w]. */
export function imageToTensor(input: string | Uint8Array, pipeline: InputPipeline, options: { device?: string } = {}): Promise<Tensor> {
  return imagesToTensor([input], pipeline, options);
}
