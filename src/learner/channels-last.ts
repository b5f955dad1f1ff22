/**
 * Channels-last memory (fastai's `ChannelsLast` callback and `learn.to_channelslast()`): the model's
 * 4-d weights and each batch's images are kept NHWC, where oneDNN runs convolutions with few channels
 * fastest on a CPU. bf16 mixed precision does the same itself (`MixedPrecision`).
 */
import { Callback } from './callback.js';
import type { Learner } from './learner.js';

export class ChannelsLast extends Callback {
  override order = 10;

  override get name(): string {
    return 'ChannelsLast';
  }

  beforeFit(learn: Learner): void {
    learn.model.to({ memoryFormat: 'channelsLast' });
  }

  beforeBatch(learn: Learner): void {
    if (learn.xb !== null && learn.xb.dim() === 4) learn.xb = learn.xb.contiguous('channelsLast');
  }
}

/** Whether the learner keeps its batches channels-last, by this callback or by mixed precision. */
export function usesChannelsLast(learn: Learner): boolean {
  return learn.cbsNamed('ChannelsLast').length > 0 || learn.mixedPrecision?.channelsLast === true;
}
