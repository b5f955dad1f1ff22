/**
 * Preparing raw images for a model at prediction time, from an exported `InputPipeline`: the same
 * pipeline as the validation loader's (image-pipeline.ts) — the validation resize, the batch resize,
 * [0, 1] floats, the normalisation — so that `predict` and `testDl` give the same input.
 */
import { RandomState, type Tensor } from '../engine/index.js';
import { decodeBatch } from './batch-decode.js';
import { chooseExecutor } from './executor.js';
import { ImageDecodeError } from './image.js';
import { collateImages, dispatchBatch } from './image-pipeline.js';
import { itemTfmFromDescription, type ItemTransform } from './item-transforms.js';
import { ImageDataLoader } from './loader.js';
import { pipelineFromDescription } from './pipeline-description.js';
import type { InputPipeline } from './types.js';
import { DecodePool } from './worker-pool.js';

/** The item transform an exported pipeline describes (null when it has none). */
export function pipelineItemTransform(p: InputPipeline): ItemTransform | null {
  return itemTfmFromDescription(p);
}

/**
 * A loader over image files with an exported pipeline (what a loaded learner's `dls.testDl` gives):
 * the validation resize, the batch resample, the normalisation; in order, without labels. Its
 * `withAugmentation` applies the training augmentations the pipeline records (`Learner.tta`).
 */
export function pipelineTestDl(files: readonly string[], pipeline: InputPipeline, options: { bs?: number; numWorkers?: number } = {}): ImageDataLoader {
  if (pipeline.kind !== 'image') throw new Error(`testDl: this pipeline is for '${pipeline.kind}' inputs, not images`);
  const parts = pipelineFromDescription(pipeline);
  return new ImageDataLoader(files, null, new DecodePool(options.numWorkers), {
    bs: options.bs ?? 64, train: false, itemTfm: parts.itemTfm, batchTfms: parts.batchTfms, normalize: parts.normalizer,
  });
}

/** Images (paths or encoded bytes) as one batch [n, 3, h, w] float32 ready for the model: a validation batch of the pipeline, decoded here. */
export async function imagesToTensor(inputs: readonly (string | Uint8Array)[], pipeline: InputPipeline, options: { device?: string } = {}): Promise<Tensor> {
  const parts = pipelineFromDescription(pipeline);
  const device = options.device ?? 'cpu';
  // validation draws nothing: the generators are only there for the interface
  const rng = new RandomState(0);
  const { request, plan } = dispatchBatch(parts, [...inputs], {
    train: false, executor: chooseExecutor(parts.batchTfms, device), itemRng: rng, planRng: rng, concurrency: 4,
  });
  const reply = await decodeBatch({ ...request, id: 0 });
  if (reply.bad.length > 0) throw new ImageDecodeError(reply.bad[0]!.file, reply.bad[0]!.reason);
  const made = collateImages(reply, plan, parts, { device, ctx: { train: false, rng } });
  if (made === null) throw new Error('no image to prepare');
  return made.x;
}

/** One image as a batch of one [1, 3, h, w]. */
export function imageToTensor(input: string | Uint8Array, pipeline: InputPipeline, options: { device?: string } = {}): Promise<Tensor> {
  return imagesToTensor([input], pipeline, options);
}
