/**
 * fastai's `Adam`: `mom=0.9, sqr_mom=0.99, eps=1e-5, wd=0.01`, weight decay decoupled
 * (`p *= 1 - lr*wd`, before the step) unless `decoupleWd: false` (then L2: `grad += wd*p`).
 * The moments are debiased with the current `mom` and `sqrMom`, as fastai does, so a one-cycle
 * schedule of `mom` changes the debiasing too. In-place fused ops: lerp_, mul_, addcmul_, addcdiv_.
 */
import { zerosLike, type Tensor } from '../engine/index.js';
import { native } from '../engine/native.js';
import { Optimizer, type Hypers, type OptimizerOptions, type ParamState } from './optimizer.js';

export interface AdamOptions extends OptimizerOptions {
  /** β1, the gradient's moving average (default 0.9). */
  mom?: number;
  /** β2, the squared gradient's moving average (default 0.99). */
  sqrMom?: number;
  eps?: number;
  /** Weight decay (default 0.01). */
  wd?: number;
  /** Decoupled weight decay (AdamW's, default) or L2 regularisation. */
  decoupleWd?: boolean;
  /** The one-pass native step for float32 CPU parameters (default true). */
  fused?: boolean;
}

export class AdamOptimizer extends Optimizer {
  readonly decoupleWd: boolean;
  /** The one-pass native step where the tensors allow it (default true); false: aten op by op. */
  fused: boolean;

  constructor(params: Tensor[] | Tensor[][], options: AdamOptions = {}) {
    super(params, {
      lr: options.lr ?? 1e-3,
      mom: options.mom ?? 0.9,
      sqrMom: options.sqrMom ?? 0.99,
      eps: options.eps ?? 1e-5,
      wd: options.wd ?? 0.01,
    });
    this.decoupleWd = options.decoupleWd ?? true;
    this.fused = options.fused ?? true;
  }

  protected override updateParam(p: Tensor, grad: Tensor, state: ParamState, h: Hypers): void {
    const { lr, mom, sqrMom, eps, wd } = h as { lr: number; mom: number; sqrMom: number; eps: number; wd: number };
    let gradAvg = state['gradAvg'] as Tensor | undefined;
    let sqrAvg = state['sqrAvg'] as Tensor | undefined;
    if (gradAvg === undefined) gradAvg = state['gradAvg'] = zerosLike(grad);
    if (sqrAvg === undefined) sqrAvg = state['sqrAvg'] = zerosLike(grad);
    const step = ((state['step'] as number | undefined) ?? 0) + 1;
    const debias1 = 1 - mom ** step;
    const debias2 = 1 - sqrMom ** step;
    const decay = state.doWd !== false ? wd : 0;
    // One pass over memory for float32 CPU parameters (native/adam.h); the ops below otherwise.
    if (this.fused && native.adamStep_(p.handle, grad.handle, gradAvg.handle, sqrAvg.handle, lr, mom, sqrMom, eps, decay, this.decoupleWd, debias1, debias2)) {
      state['step'] = step;
      return;
    }
    if (decay !== 0) {
      if (this.decoupleWd) p.mul_(1 - lr * decay);
      else grad.add_(p, decay);
    }
    // fastai: grad_avg.mul_(mom).add_(grad, alpha=1-mom), as one lerp.
    gradAvg.lerp_(grad, 1 - mom);
    sqrAvg.mul_(sqrMom).addcmul_(grad, grad, 1 - sqrMom);
    state['step'] = step;
    const denom = sqrAvg.div(debias2).sqrt_().add_(eps);
    p.addcdiv_(gradAvg, denom, -lr / debias1);
    denom.dispose();
  }
}

/** fastai's `Adam(params, lr, mom=0.9, sqr_mom=0.99, eps=1e-5, wd=0.01, decouple_wd=True)`. */
export function Adam(params: Tensor[] | Tensor[][], options: AdamOptions = {}): AdamOptimizer {
  return new AdamOptimizer(params, options);
}
