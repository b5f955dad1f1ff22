/**
 * The learner's parameter groups and its optimizer (fastai's splitter, `create_opt`, freezing):
 * one optimizer group per splitter group; norm layers and biases get no weight decay (unless
 * `wdBnBias`) and keep training in frozen groups (`trainBn`), as fastai's defaults have it.
 */
import type { Tensor } from '../engine/index.js';
import { BatchNormBase, LayerNorm } from '../nn/layers/norm.js';
import type { AnyModule } from '../nn/module.js';
import type { Optimizer } from '../optim/optimizer.js';
import type { Learner } from './learner.js';

/** Splits a model's parameters into groups (fastai's splitter): the optimizer gets one group each. */
export type Splitter = (model: AnyModule) => Tensor[][];

/** fastai's `trainable_params`: one group of the parameters that require grad. */
export const trainableParams: Splitter = (model) => [model.parameters().filter((p) => p.requiresGrad)];

/**
 * fastai's `norm_bias_params`: the parameters of norm layers (BatchNorm, LayerNorm) and, with
 * `withBias`, every other layer's bias.
 */
export function normBiasParams(m: AnyModule, withBias = true): Tensor[] {
  if (m instanceof BatchNormBase || m instanceof LayerNorm) return m.parameters();
  const res: Tensor[] = [];
  for (const c of m.children()) res.push(...normBiasParams(c, withBias));
  if (withBias) {
    const bias = (m as unknown as { bias?: unknown }).bias;
    if (bias !== null && bias !== undefined && typeof bias === 'object' && 'requiresGrad' in bias) res.push(bias as Tensor);
  }
  return res;
}

/** The optimizer's per-parameter state, made on first use (where the flags below live). */
function paramState(opt: Optimizer, p: Tensor) {
  let s = opt.state.get(p);
  if (s === undefined) {
    s = {};
    opt.state.set(p, s);
  }
  return s;
}

/** Makes `learn.opt` over the splitter's groups; flags norm and bias parameters as fastai does. */
export function createOpt(learn: Learner): Optimizer {
  const opt = learn.optFunc(learn.splitter(learn.model), { lr: learn.lr });
  learn.opt = opt;
  if (!learn.wdBnBias) for (const p of normBiasParams(learn.model, true)) paramState(opt, p).doWd = false;
  if (learn.trainBn) for (const p of normBiasParams(learn.model, false)) paramState(opt, p).forceTrain = true;
  return opt;
}

/** Freezes the parameter groups before `n` (their norm layers keep training); clears the optimizer's state. */
export function freezeTo(learn: Learner, n: number): void {
  const opt = learn.opt ?? learn.createOpt();
  opt.freezeTo(n);
  opt.clearState();
}

/** Freezes all groups but the last (the head). */
export function freeze(learn: Learner): void {
  const opt = learn.opt ?? learn.createOpt();
  if (opt.paramLists.length < 2)
    throw new Error(`freeze() needs at least two parameter groups (body and head), but this learner's splitter gives ${opt.paramLists.length}. Pass a splitter to the Learner (visionLearner does).`);
  learn.freezeTo(-1);
}
