/** Where the learner's model is, and moving it (with the optimizer's state) elsewhere. */
import { noGrad } from '../engine/index.js';
import type { AnyModule } from '../nn/module.js';
import type { Learner } from './learner.js';

/** The first parameter's device (cpu for a model without parameters). */
export function firstDevice(model: AnyModule): string {
  const p = model.parameters()[0];
  return p === undefined ? 'cpu' : p.device;
}

/** Moves the model and the optimizer's state to `device` (`learn.to('cuda')`). */
export function moveLearner(learn: Learner, device: string): void {
  learn.model.to(device);
  const opt = learn.opt;
  if (opt !== null)
    noGrad(() => {
      for (const s of opt.state.values())
        for (const [k, v] of Object.entries(s)) if (typeof v === 'object') s[k] = v.to(device);
    });
  learn.device = firstDevice(learn.model);
}
