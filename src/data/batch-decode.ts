/**
 * Decoding a batch of images into one buffer: what a worker thread does for a batch (and what the
 * main thread does itself when a loader runs without workers, and for `imagesToTensor`).
 */
import { selectPlan, type AugmentPlan } from './augment-plan.js';
import { applyFused } from './executor-fused.js';
import { ImageDecodeError, loadImage, type RawRgb } from './image.js';
import type { ItemTransform } from './item-transforms.js';

export interface BatchRequest {
  id: number;
  /** Paths, or an image's encoded bytes. */
  files: (string | Uint8Array)[];
  tfm: ItemTransform | null;
  /** `perItem` uniform draws per file, one file after another; null for validation. */
  rand: Float64Array | null;
  perItem: number;
  /** At most this many images decoded at once. */
  concurrency: number;
  /** The augmentation plan to carry out here (the fused executor); the reply then holds floats. */
  fused?: AugmentPlan | null;
}

export interface BadItem {
  /** Position in the request's `files`. */
  index: number;
  file: string;
  reason: string;
}

export interface BatchReply {
  id: number;
  /** The good images, [k, height, width, 3] uint8 (k = ok.length); null when none is good. */
  data: ArrayBuffer | null;
  height: number;
  width: number;
  /** Positions (in `files`) of the images in `data`, in order. */
  ok: number[];
  bad: BadItem[];
  /** Set when the good images do not all have one size (no Resize item transform). */
  sizeError?: string;
  /** With a `fused` request: the good images after the plan, float32 [k, 3, fh, fw] (and `data` is null). */
  floats?: ArrayBuffer | null;
  fh?: number;
  fw?: number;
}

const nameOf = (f: string | Uint8Array) => (typeof f === 'string' ? f : '<buffer>');

export async function decodeBatch(req: BatchRequest): Promise<BatchReply> {
  const n = req.files.length;
  const results: (RawRgb | BadItem)[] = new Array(n);
  let next = 0;
  const one = async (): Promise<void> => {
    for (;;) {
      const i = next++;
      if (i >= n) return;
      const file = req.files[i]!;
      const rand = req.rand === null ? null : req.rand.subarray(i * req.perItem, (i + 1) * req.perItem);
      try {
        results[i] = await loadImage(file, req.tfm, rand);
      } catch (e) {
        results[i] = { index: i, file: nameOf(file), reason: e instanceof ImageDecodeError ? e.reason : (e as Error).message };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(req.concurrency, n)) }, one));
  const ok: number[] = [];
  const bad: BadItem[] = [];
  let h = 0;
  let w = 0;
  let sizeError: string | undefined;
  for (let i = 0; i < n; i++) {
    const r = results[i]!;
    if ('reason' in r) {
      bad.push(r);
      continue;
    }
    if (ok.length === 0) {
      h = r.height;
      w = r.width;
    } else if (r.height !== h || r.width !== w) {
      sizeError ??= `images of different sizes in one batch: ${nameOf(req.files[ok[0]!]!)} is ${w}x${h} but ${nameOf(req.files[i]!)} is ${r.width}x${r.height}; ` +
        'add an item transform such as Resize(224) to bring them to one size';
      continue;
    }
    ok.push(i);
  }
  if (sizeError !== undefined || ok.length === 0) return { id: req.id, data: null, height: h, width: w, ok: sizeError ? [] : ok, bad, sizeError };
  const per = h * w * 3;
  const data = new ArrayBuffer(per * ok.length);
  const view = new Uint8Array(data);
  ok.forEach((i, k) => view.set((results[i] as RawRgb).data, k * per));
  if (req.fused) {
    const f = applyFused(view, ok.length, h, w, selectPlan(req.fused, ok));
    return { id: req.id, data: null, height: h, width: w, ok, bad, floats: f.floats.buffer as ArrayBuffer, fh: f.h, fw: f.w };
  }
  return { id: req.id, data, height: h, width: w, ok, bad };
}
