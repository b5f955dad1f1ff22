/**
 * How fast a learner's model trains and predicts on this machine, measured on a few batches of the
 * shape its loaders give: what a time budget is planned from (the main job's plan, `--budget`).
 *
 * The measurement leaves the learner as it found it: weights, batch-norm statistics and gradients
 * are put back, and the inputs are zeros, so libtorch's generator draws nothing for them (a model with
 * dropout draws as it would for any batch, the same number of times on every run).
 */
import { autocast, noGrad, zeros } from '../engine/index.js';
import { usesChannelsLast } from './channels-last.js';
import type { Learner } from './learner.js';

export interface SpeedOptions {
  /** One input batch's shape, [batch, channels, height, width]. */
  inputShape: readonly number[];
  /** Steps timed after the warm-up (default 6); the rate is their median, as single steps swing by ±10 % on a busy 2-core machine. */
  steps?: number;
  /** Steps run first and not timed: oneDNN picks and caches its kernels there (default 2). */
  warmup?: number;
}

export interface Speed {
  /** Training images a second: forward, loss and backward (the optimizer's step is left out). */
  trainIps: number;
  /** Validation images a second: forward without gradients, in eval mode. */
  validIps: number;
}

export function measureSpeed(learn: Learner, options: SpeedOptions): Speed {
  const { inputShape, steps = 6, warmup = 2 } = options;
  if (inputShape.length !== 4 || !inputShape.every((n) => Number.isInteger(n) && n > 0))
    throw new Error(`measureSpeed: inputShape must be [batch, channels, height, width] of positive whole numbers, got [${inputShape.join(', ')}]`);
  const bs = inputShape[0]!;
  const mp = learn.mixedPrecision;
  const model = learn.model;
  const wasTraining = model.training;
  const saved = learn.snapshot();
  let x = zeros([...inputShape]);
  if (usesChannelsLast(learn)) x = x.contiguous('channelsLast');
  const y = zeros([bs], { dtype: 'int64' });
  const withPrecision = <T>(f: () => T): T => (mp !== null ? autocast(mp.device, f, { dtype: mp.dtype }) : f());
  /** The median seconds of `n` calls of `f`. */
  const time = (n: number, f: () => void): number => {
    const each: number[] = [];
    for (let i = 0; i < n; i++) {
      const t0 = performance.now();
      f();
      each.push((performance.now() - t0) / 1000);
    }
    return each.sort((a, b) => a - b)[n >> 1]!;
  };
  try {
    model.train();
    const trainStep = () => {
      const loss = withPrecision(() => learn.lossFunc(model.call(x).float(), y));
      loss.backward();
      model.zeroGrad(true);
    };
    time(warmup, trainStep);
    const trainSeconds = time(steps, trainStep);
    model.eval();
    const validStep = () => noGrad(() => withPrecision(() => model.call(x)));
    time(1, validStep);
    const validSeconds = time(steps, validStep);
    return { trainIps: bs / trainSeconds, validIps: bs / validSeconds };
  } finally {
    learn.restore(saved);
    model.zeroGrad(true);
    model.train(wasTraining);
    x.dispose();
    y.dispose();
  }
}
