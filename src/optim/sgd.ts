/**
 * fastai's `SGD`: plain steps, or with momentum (`grad_avg = mom*grad_avg + grad`, undampened, then
 * `p -= lr*grad_avg`) when made with `mom > 0`; weight decay decoupled by default.
 */
import { zerosLike, type Tensor } from '../engine/index.js';
import { Optimizer, type Hypers, type OptimizerOptions, type ParamState } from './optimizer.js';

export interface SGDOptions extends OptimizerOptions {
  /** Momentum (default 0: plain SGD). The kind of step is chosen when the optimizer is made. */
  mom?: number;
  /** Weight decay (default 0). */
  wd?: number;
  decoupleWd?: boolean;
}

export class SGDOptimizer extends Optimizer {
  readonly decoupleWd: boolean;
  readonly momentum: boolean;

  constructor(params: Tensor[] | Tensor[][], options: SGDOptions = {}) {
    const mom = options.mom ?? 0;
    super(params, { lr: options.lr ?? 1e-3, mom, wd: options.wd ?? 0 });
    this.decoupleWd = options.decoupleWd ?? true;
    this.momentum = mom !== 0;
  }

  protected override updateParam(p: Tensor, grad: Tensor, state: ParamState, h: Hypers): void {
    const { lr, mom, wd } = h as { lr: number; mom: number; wd: number };
    if (state.doWd !== false && wd !== 0) {
      if (this.decoupleWd) p.mul_(1 - lr * wd);
      else grad.add_(p, wd);
    }
    if (!this.momentum) {
      p.add_(grad, -lr);
      return;
    }
    let gradAvg = state['gradAvg'] as Tensor | undefined;
    if (gradAvg === undefined) gradAvg = state['gradAvg'] = zerosLike(grad);
    gradAvg.mul_(mom).add_(grad);
    p.add_(gradAvg, -lr);
  }
}

/** fastai's `SGD(params, lr, mom=0., wd=0., decouple_wd=True)`. */
export function SGD(params: Tensor[] | Tensor[][], options: SGDOptions = {}): SGDOptimizer {
  return new SGDOptimizer(params, options);
}
