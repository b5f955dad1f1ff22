/**
 * The learner over a whole loader without training: `validate` (loss and metrics), `getPreds`
 * (fastai's get_preds: activations, targets, losses, decoded classes, inputs) and `tta`
 * (test-time augmentation). Each runs the loop's validation pass, with the callbacks it needs.
 */
import { cat, noGrad, type Tensor } from '../engine/index.js';
import type { DataLoader } from '../data/types.js';
import type { CallbackLike } from './callback.js';
import { firstDevice } from './device.js';
import type { Learner } from './learner.js';
import { Recorder } from './recorder.js';

/** The loop's validation pass over `dl` (default the validation set), with its events; the Learner hands it in. */
export type ValidationPass = (dl?: DataLoader) => Promise<void>;

export interface GetPredsOptions {
  /** Per-item losses too. */
  withLoss?: boolean;
  /** Decoded predictions (argmax) too. */
  withDecoded?: boolean;
  /** Keep the inputs too (memory: the whole set). */
  withInput?: boolean;
  /** The activation (default: the loss function's, softmax for cross-entropy). */
  act?: ((pred: Tensor) => Tensor) | null;
}

export interface Preds {
  preds: Tensor;
  /** The targets; -1s for a loader without labels. */
  targs: Tensor;
  losses?: Tensor;
  decoded?: Tensor;
  inputs?: Tensor;
}

export interface TtaOptions {
  /** Augmented passes (default 4). */
  n?: number;
  /** The plain predictions' weight in the blend (default 0.25); null keeps both apart. */
  beta?: number | null;
  /** The maximum over the passes and the plain predictions instead of the blend. */
  useMax?: boolean;
  /** The first pass's seed (default 0). */
  seed?: number;
}

/** The validation loss and metrics over `dl` (default the validation set): `[valid_loss, ...metrics]`. */
export async function validate(learn: Learner, pass: ValidationPass, dl?: DataLoader): Promise<(number | null)[]> {
  if ((dl ?? learn.dls.valid).hasLabels === false) {
    throw new Error('validate: this loader has no labels (a test set), so there is no loss or metric to compute: use getPreds, or give testDl the labels');
  }
  let rec = learn.recorder;
  const temp = rec === null ? new Recorder({ addTime: false }) : null;
  if (temp !== null) {
    learn.addCb(temp);
    rec = temp;
  }
  rec!.cancelValid = false;
  learn.device = firstDevice(learn.model);
  try {
    await pass(dl);
  } finally {
    if (temp !== null) learn.removeCb(temp);
  }
  return [rec!.loss.value, ...learn.metrics.map((m) => m.value)];
}

/**
 * Predictions over `dl` (default the validation set), in its order: activations (softmax),
 * targets, and with options per-item losses, decoded classes and inputs. On the CPU, float32.
 * The Recorder is left out for the pass (it would print a table).
 */
export async function getPreds(learn: Learner, pass: ValidationPass, dl?: DataLoader, options: GetPredsOptions = {}): Promise<Preds> {
  if (options.withLoss && (dl ?? learn.dls.valid).hasLabels === false) {
    throw new Error('getPreds: withLoss needs labels, and this loader has none (a test set made without labels): drop withLoss, or give testDl the labels');
  }
  const preds: Tensor[] = [];
  const targs: Tensor[] = [];
  const losses: Tensor[] = [];
  const inputs: Tensor[] = [];
  const gather: CallbackLike = {
    name: 'GatherPredsCallback',
    order: 0,
    afterBatch: (l) => {
      if (l.pred === null || l.yb === null) return;
      preds.push(l.pred.detach().float().cpu());
      targs.push(l.yb.detach().cpu());
      if (options.withInput) inputs.push(l.xb!.detach().float().cpu().contiguous());
      if (options.withLoss) losses.push(learn.lossFunc(l.pred.float(), l.yb, { reduction: 'none' }).detach().float().cpu());
    },
  };
  const noLog = learn.cbsNamed('Recorder');
  learn.removeCbs(noLog);
  learn.addCb(gather);
  learn.device = firstDevice(learn.model);
  try {
    await pass(dl);
  } finally {
    learn.removeCb(gather);
    learn.addCbs(noLog);
  }
  if (preds.length === 0) throw new Error('getPreds: the data loader gave no batches');
  const raw = cat(preds, 0);
  const act = options.act === undefined ? (learn.lossFunc.activation ?? ((x: Tensor) => x)) : (options.act ?? ((x: Tensor) => x));
  const out: Preds = { preds: noGrad(() => act(raw)), targs: cat(targs, 0) };
  if (options.withLoss) out.losses = cat(losses, 0);
  if (options.withDecoded) out.decoded = (learn.lossFunc.decodes ?? ((x: Tensor) => x.argmax(-1)))(out.preds);
  if (options.withInput) out.inputs = cat(inputs, 0);
  return out;
}

/**
 * fastai's `learn.tta`: test-time augmentation. Predictions over `dl` (default the validation
 * set) with the training set's augmentations, `n` passes (default 4) averaged (or their maximum,
 * `useMax`), then blended with the plain predictions: `lerp(augmented, plain, beta)`, beta 0.25 by
 * default (fastai's), or both kept apart with `beta: null`. The passes are seeded (`seed`, default
 * 0), so a run gives the same figure each time.
 */
export async function tta(learn: Learner, dl?: DataLoader, options: TtaOptions = {}): Promise<Preds & { augmented?: Tensor }> {
  const { n = 4, beta = 0.25, useMax = false, seed = 0 } = options;
  const base = dl ?? learn.dls.valid;
  if (typeof base.withAugmentation !== 'function') {
    throw new Error('tta: this loader cannot apply the training augmentations (an image loader can): use getPreds');
  }
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`tta: n must be a whole number of at least 1, got ${n}`);
  const passes: Tensor[] = [];
  for (let i = 0; i < n; i++) passes.push((await learn.getPreds(base.withAugmentation(seed + i))).preds);
  const { preds, targs } = await learn.getPreds(base);
  return noGrad(() => {
    const stacked = cat(passes.map((p) => p.unsqueeze(0)), 0);
    const aug = useMax ? stacked.amax(0) : stacked.mean(0);
    if (useMax) return { preds: cat([preds.unsqueeze(0), aug.unsqueeze(0)], 0).amax(0), targs };
    if (beta === null) return { preds, targs, augmented: aug };
    return { preds: aug.lerp(preds, beta), targs };
  });
}
