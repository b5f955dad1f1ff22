/**
 * Loss functions as the learner uses them: a function of (pred, targ), with what predictions need
 * (the activation, softmax for cross-entropy, and the decoding, argmax), and a reduction that the
 * learner can switch to 'none' for per-item losses (ClassificationInterpretation's top losses).
 */
import type { Tensor } from '../engine/index.js';
import { crossEntropy, type Reduction } from '../nn/functional.js';

export interface LossFunc {
  (pred: Tensor, targ: Tensor, options?: { reduction?: Reduction }): Tensor;
  /** The name stored in exports (`CrossEntropyLossFlat`). */
  lossName?: string;
  /** Turns the model's output into what predict returns (softmax for cross-entropy). */
  activation?(pred: Tensor): Tensor;
  /** Turns activations into decoded predictions (argmax). */
  decodes?(act: Tensor): Tensor;
}

export interface CrossEntropyLossFlatOptions {
  /** The class axis (default -1: the last). */
  axis?: number;
  weight?: Tensor | null;
  labelSmoothing?: number;
  ignoreIndex?: number;
}

/**
 * fastai's `CrossEntropyLossFlat`: cross-entropy over the class `axis`, with predictions and
 * targets flattened; activation softmax, decoding argmax. The default loss for classification.
 */
export function crossEntropyLossFlat(options: CrossEntropyLossFlatOptions = {}): LossFunc {
  const axis = options.axis ?? -1;
  const f = ((pred: Tensor, targ: Tensor, o: { reduction?: Reduction } = {}): Tensor => {
    let p = pred;
    if (axis !== -1 && axis !== pred.dim() - 1) p = p.transpose(axis, -1);
    const c = p.size(-1);
    return crossEntropy(p.reshape(-1, c), targ.reshape(-1), {
      weight: options.weight ?? null,
      labelSmoothing: options.labelSmoothing ?? 0,
      ignoreIndex: options.ignoreIndex ?? -100,
      reduction: o.reduction ?? 'mean',
    });
  }) as LossFunc;
  f.lossName = 'CrossEntropyLossFlat';
  f.activation = (pred: Tensor) => pred.softmax(axis);
  f.decodes = (act: Tensor) => act.argmax(axis);
  return f;
}

/**
 * fastai's `MSELossFlat`: mean squared error with predictions and targets flattened (a regression
 * target [bs, 1] against outputs [bs, 1] or [bs]); predictions are the outputs themselves.
 */
export function mseLossFlat(): LossFunc {
  const f = ((pred: Tensor, targ: Tensor, o: { reduction?: Reduction } = {}): Tensor => {
    const d = pred.float().reshape(-1).sub(targ.float().reshape(-1)).pow(2);
    const r = o.reduction ?? 'mean';
    return r === 'none' ? d : r === 'sum' ? d.sum() : d.mean();
  }) as LossFunc;
  f.lossName = 'MSELossFlat';
  f.activation = (pred: Tensor) => pred;
  f.decodes = (act: Tensor) => act;
  return f;
}
