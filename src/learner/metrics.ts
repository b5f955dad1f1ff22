/**
 * Metrics, as fastai's: a metric accumulates over the validation set, weighted by batch size, and
 * gives one number per epoch. `accuracy` and `errorRate` are plain functions of (pred, targ); the
 * learner wraps such functions in `AvgMetric`, named in snake_case (`error_rate`) as fastai names
 * its columns.
 */
import { type Tensor } from '../engine/index.js';
import type { Learner } from './learner.js';

export interface Metric {
  /** The column name in the epoch table. */
  readonly name: string;
  reset(): void;
  /** Adds the learner's current batch (`learn.pred`, `learn.yb`). */
  accumulate(learn: Learner): void;
  /** The value so far; null before any batch. */
  readonly value: number | null;
}

/** A metric as a function of predictions and targets, giving a mean over the batch. */
export interface MetricFunc {
  (pred: Tensor, targ: Tensor): Tensor | number;
  /** The column name (default: the function's name in snake_case). */
  metricName?: string;
}

function snakeCase(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
}

function scalar(v: Tensor | number): number {
  if (typeof v === 'number') return v;
  const x = v.numel() === 1 ? v.item() : v.mean().item();
  return x;
}

/** The batch size of a target tensor (fastai's `find_bs`). */
export function batchSize(t: Tensor): number {
  return t.dim() === 0 ? 1 : t.size(0);
}

/** A metric function averaged over the dataset, weighted by batch size (fastai's AvgMetric). */
export class AvgMetric implements Metric {
  readonly name: string;
  #total = 0;
  #count = 0;

  constructor(readonly func: MetricFunc, name?: string) {
    this.name = name ?? func.metricName ?? snakeCase(func.name || 'metric');
  }

  reset(): void {
    this.#total = 0;
    this.#count = 0;
  }

  accumulate(learn: Learner): void {
    if (learn.pred === null || learn.yb === null) return;
    const bs = batchSize(learn.yb);
    this.#total += scalar(this.func(learn.pred, learn.yb)) * bs;
    this.#count += bs;
  }

  get value(): number | null {
    return this.#count === 0 ? null : this.#total / this.#count;
  }
}

/** The loss averaged over the dataset, weighted by batch size (fastai's AvgLoss). */
export class AvgLoss implements Metric {
  readonly name = 'loss';
  #total = 0;
  #count = 0;

  reset(): void {
    this.#total = 0;
    this.#count = 0;
  }

  accumulate(learn: Learner): void {
    if (learn.loss === null || learn.yb === null) return;
    const bs = batchSize(learn.yb);
    this.#total += learn.lossValue * bs;
    this.#count += bs;
  }

  get value(): number | null {
    return this.#count === 0 ? null : this.#total / this.#count;
  }
}

/**
 * The exponentially smoothed training loss, bias-corrected (fastai's AvgSmoothLoss, beta 0.98):
 * `val = lerp(loss, val, beta)`, reported as `val / (1 - beta^count)`.
 */
export class AvgSmoothLoss implements Metric {
  readonly name = 'loss';
  count = 0;
  val = 0;

  constructor(readonly beta = 0.98) {}

  reset(): void {
    this.count = 0;
    this.val = 0;
  }

  accumulate(learn: Learner): void {
    if (learn.loss === null) return;
    this.count += 1;
    const loss = learn.lossValue;
    this.val = loss + this.beta * (this.val - loss);
  }

  get value(): number | null {
    return this.count === 0 ? null : this.val / (1 - this.beta ** this.count);
  }
}

function flattenCheck(pred: Tensor, targ: Tensor): [Tensor, Tensor] {
  const p = pred.reshape(-1);
  const t = targ.reshape(-1);
  if (p.numel() !== t.numel())
    throw new RangeError(`metric: predictions and targets have different sizes: ${p.numel()} and ${t.numel()} (shapes [${pred.shape}] and [${targ.shape}])`);
  return [p, t];
}

/** The fraction of predictions whose argmax (over `axis`, default the last) is the target. */
export function accuracy(inp: Tensor, targ: Tensor, axis = -1): Tensor {
  const [pred, t] = flattenCheck(inp.argmax(axis), targ);
  return pred.eq(t).float().mean();
}

/** 1 - accuracy. */
export function errorRate(inp: Tensor, targ: Tensor, axis = -1): Tensor {
  return accuracy(inp, targ, axis).rsub(1);
}
errorRate.metricName = 'error_rate';
accuracy.metricName = 'accuracy';

/** A metric as given to the Learner: a Metric, or a function to average. */
export type MetricLike = Metric | MetricFunc;

export function toMetric(m: MetricLike): Metric {
  if (typeof m === 'function') return new AvgMetric(m);
  if (typeof m === 'object' && m !== null && typeof m.accumulate === 'function' && typeof m.reset === 'function') return m;
  throw new TypeError(`metrics: expected a function (pred, targ) => number or an object with name, reset, accumulate and value, got ${String(m)}`);
}
