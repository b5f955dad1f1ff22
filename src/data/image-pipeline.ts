/**
 * The image pipeline, from files (or encoded bytes) to a model's input batch — one way for the
 * loaders (training, validation, `testDl`) and for `imagesToTensor` (predict): at dispatch, the item
 * transform's random numbers and the batch's augmentation plan are drawn; a decoding worker (or
 * the main thread) decodes and resizes the images, and with the fused executor also carries out
 * the plan; the main thread makes the tensor — [bs, 3, h, w] float32 in [0, 1] (fastai's
 * `IntToFloatTensor`) through the libtorch executor, or the worker's floats as they are.
 */
import { tensor, tidy, type RandomState, type Tensor } from '../engine/index.js';
import { selectPlan, type AugmentPlan } from './augment-plan.js';
import type { BatchContext, BatchTransform } from './batch-transform.js';
import type { BatchReply, BatchRequest } from './batch-decode.js';
import { runOps } from './executor-ops.js';
import type { Executor } from './executor.js';
import { randomsNeeded, type ItemTransform } from './item-transforms.js';
import type { NormalizeTransform } from './normalize.js';
import { drawPlan } from './plan-draw.js';

/** What a pipeline does: the item transform, the batch transforms (sorted by order), the normalisation. */
export interface ImagePipelineParts {
  itemTfm: ItemTransform | null;
  batchTfms: readonly BatchTransform[];
  normalizer: NormalizeTransform | null;
}

/** A batch ready to be decoded: the request for the decoder, and the plan drawn for it. */
export interface DispatchedBatch {
  request: Omit<BatchRequest, 'id'>;
  plan: AugmentPlan;
}

export interface DispatchOptions {
  train: boolean;
  executor: Executor;
  /** Draws the item transform's random numbers (random crops). */
  itemRng: RandomState;
  /** Draws the augmentation plan. */
  planRng: RandomState;
  concurrency: number;
}

/** Draws what a batch of `inputs` needs and makes its request. */
export function dispatchBatch(parts: ImagePipelineParts, inputs: (string | Uint8Array)[], o: DispatchOptions): DispatchedBatch {
  const plan = drawPlan(parts.batchTfms, parts.normalizer, o.train, inputs.length, o.planRng);
  const per = o.train ? randomsNeeded(parts.itemTfm) : 0;
  let rand: Float64Array | null = null;
  if (per > 0) {
    rand = new Float64Array(inputs.length * per);
    for (let i = 0; i < rand.length; i++) rand[i] = o.itemRng.random();
  }
  return {
    request: { files: inputs, tfm: parts.itemTfm, rand, perItem: per, concurrency: o.concurrency, fused: o.executor === 'fused' ? plan : null },
    plan,
  };
}

export interface CollateOptions {
  device: string;
  /** The context of the transforms that draw as they apply (a user's own; the libtorch executor). */
  ctx: BatchContext;
}

/** The input batch of a decoded reply (its good images, `reply.ok`), and the plan for those images; null when none is good. */
export function collateImages(reply: BatchReply, plan: AugmentPlan, parts: ImagePipelineParts, o: CollateOptions): { x: Tensor; plan: AugmentPlan } | null {
  if (reply.sizeError !== undefined) throw new Error(reply.sizeError);
  if ((reply.data === null && !reply.floats) || reply.ok.length === 0) return null;
  const k = reply.ok.length;
  const kept = selectPlan(plan, reply.ok);
  if (reply.floats) return { x: tensor(new Float32Array(reply.floats), { shape: [k, 3, reply.fh!, reply.fw!] }), plan: kept };
  const u8 = new Uint8Array(reply.data!);
  const x = tidy(() => {
    let t: Tensor = tensor(u8, { shape: [k, reply.height, reply.width, 3] });
    if (o.device !== 'cpu') t = t.to(o.device);
    t = t.permute(0, 3, 1, 2).to({ dtype: 'float32', memoryFormat: 'contiguous' }).div_(255);
    return runOps(t, kept, parts.batchTfms, o.ctx);
  });
  return { x, plan: kept };
}
