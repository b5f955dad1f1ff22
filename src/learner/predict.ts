/**
 * Predicting single items and batches of them (fastai's `learn.predict`): raw inputs become model
 * inputs through the learner's `prepare` hook or the preparer registered for its pipeline's kind
 * (export-kinds.ts); the model runs in evaluation mode (with the learner's mixed precision), and
 * the probabilities are decoded to the vocabulary's labels.
 */
import { autocast, cat, noGrad, tidy, type Tensor } from '../engine/index.js';
import { firstDevice } from './device.js';
import { inputPipelineKind, prepareInput } from './export-kinds.js';
import type { Learner } from './learner.js';

export interface Prediction {
  label: string;
  index: number;
  probs: number[];
}

/** The model's output for a batch of prepared inputs, in evaluation mode: probabilities, float32, on the CPU. */
function predictTensor(learn: Learner, x: Tensor): Tensor {
  learn.model.eval();
  const device = firstDevice(learn.model);
  const mp = learn.mixedPrecision;
  // tidy(): the activations are freed as soon as the forward pass is done, not at some later garbage
  // collection. Left to the collector, the activations of many batches are alive at once, and the
  // CPU caching allocator (native/cpu_cache.h) keeps their blocks for reuse afterwards: with batches
  // of varying sizes (owlet serve's dynamic batching) that cache, and the process's memory, kept
  // growing towards its 1 GiB cap (about 12 KB a request over 10,000 requests).
  return tidy(() => noGrad(() => {
    let input = x.device === device ? x : x.to(device);
    if (mp?.channelsLast && input.dim() === 4) input = input.contiguous('channelsLast');
    const run = () => learn.model.call(input);
    const out = mp !== null ? autocast(mp.device, run, { dtype: mp.dtype }) : run();
    const act = learn.lossFunc.activation ?? ((t: Tensor) => t.softmax(-1));
    return act(out.float()).cpu();
  }));
}

/** Decodes a batch's probabilities and frees them (the caller's tensor, made by predictTensor). */
function decodeAndFree(learn: Learner, probs: Tensor): Prediction[] {
  try {
    return decode(learn, probs);
  } finally {
    probs.dispose();
  }
}

function decode(learn: Learner, probs: Tensor): Prediction[] {
  const vocab = learn.dls.vocab;
  const rows = probs.toArray() as number[][];
  // No vocabulary: a regression learner, whose prediction is its output (the values as the label).
  if (vocab.length === 0) return rows.map((p) => ({ label: p.map(String).join(', '), index: 0, probs: p }));
  return rows.map((p) => {
    let index = 0;
    for (let i = 1; i < p.length; i++) if (p[i]! > p[index]!) index = i;
    const label = vocab[index] ?? String(index);
    return { label, index, probs: p };
  });
}

/**
 * One item as a batch of one. The pipeline's kind says how many dimensions an item has (an image
 * [c, h, w]); without that, a tensor is a batch when its first dimension is 1.
 */
function asBatch(learn: Learner, x: Tensor, single: boolean): Tensor {
  const itemRank = inputPipelineKind(learn.dls.pipeline?.kind)?.itemRank ?? null;
  const isBatch = itemRank !== null ? x.dim() === itemRank + 1 : x.dim() >= 2 && x.size(0) === 1;
  if (!isBatch) return x.unsqueeze(0);
  if (single && x.size(0) !== 1) throw new RangeError(`predict takes one item, but got a batch of ${x.size(0)} (shape [${x.shape.join(', ')}]): use predictBatch`);
  return x;
}

/**
 * Predicts one item: a prepared tensor (one item, e.g. [3, h, w], or a batch of one), or a raw
 * input (an image path or buffer) that the `prepare` hook turns into one. Returns the label, its
 * index in the vocabulary, and the probabilities.
 */
export async function predict(learn: Learner, input: unknown): Promise<Prediction> {
  const x = await prepareInput(learn, input);
  const batch = asBatch(learn, x, true);
  try {
    return decodeAndFree(learn, predictTensor(learn, batch))[0]!;
  } finally {
    if (batch !== x) batch.dispose();
  }
}

/** Predicts many items: a prepared batch tensor [n, ...], or an array of inputs (tensors or raw), `bs` at a time. */
export async function predictBatch(learn: Learner, inputs: Tensor | readonly unknown[], options: { bs?: number } = {}): Promise<Prediction[]> {
  const bs = options.bs ?? 64;
  const out: Prediction[] = [];
  if (!Array.isArray(inputs)) {
    const x = inputs as Tensor;
    for (let i = 0; i < x.size(0); i += bs) {
      // the view shares x's memory: disposed here, so that memory is free as soon as the caller disposes x
      const part = x.narrow(0, i, Math.min(bs, x.size(0) - i));
      try {
        out.push(...decodeAndFree(learn, predictTensor(learn, part)));
      } finally {
        part.dispose();
      }
    }
    return out;
  }
  for (let i = 0; i < inputs.length; i += bs) {
    const items = await Promise.all(inputs.slice(i, i + bs).map((inp) => prepareInput(learn, inp)));
    const batch = tidy(() => cat(items.map((t) => asBatch(learn, t, false)), 0));
    try {
      out.push(...decodeAndFree(learn, predictTensor(learn, batch)));
    } finally {
      batch.dispose();
    }
  }
  return out;
}
