/** Stops training when the loss is NaN or infinite, before that batch's step, with a message that says what to try. */
import { Callback } from './callback.js';
import { NonFiniteLossError } from './events.js';
import type { Learner } from './learner.js';

export class TerminateOnNaN extends Callback {
  override order = -9;
  override runValid = false;

  override get name(): string {
    return 'TerminateOnNaN';
  }

  afterLoss(learn: Learner): void {
    const v = learn.lossValue;
    if (Number.isFinite(v)) return;
    const what = Number.isNaN(v) ? 'NaN' : v > 0 ? 'infinite' : '-infinite';
    const lr = learn.opt?.hypers[learn.opt.hypers.length - 1]?.['lr'];
    const mp = learn.mixedPrecision !== null ? ', train in full precision (leave out toFp16)' : '';
    throw new NonFiniteLossError(
      `training stopped: the loss is ${what} in epoch ${learn.epoch}, batch ${learn.iter + 1} of ${learn.nIter}` +
        `${lr !== undefined ? ` (learning rate ${lr.toPrecision(3)})` : ''}. The weights are those before this batch.\n` +
        `Try a lower learning rate (learn.lrFind() suggests one)${mp}, and check the inputs and targets for NaN or infinite values.`,
      v,
      learn.epoch,
      learn.iter,
    );
  }
}
