/**
 * Schedules of hyper-parameters over training (fastai's callback/schedule.py): annealing
 * functions, `combinedCos` (one-cycle's shape), the `ParamScheduler` callback that sets them
 * before each training batch, and the learning-rate finder with its suggestions.
 */
import { Callback } from './callback.js';
import { CancelFitException, CancelValidException } from './events.js';
import type { Learner } from './learner.js';
import type { LearnerSnapshot } from './save-load.js';

/** A value, or one value per parameter group. */
export type HyperVal = number | number[];
/** A schedule: the value at `pos`, the fraction of training done, in [0, 1]. */
export type Schedule = (pos: number) => HyperVal;

function elementwise(start: HyperVal, end: HyperVal, f: (s: number, e: number) => number): HyperVal {
  if (typeof start === 'number' && typeof end === 'number') return f(start, end);
  const s = typeof start === 'number' ? null : start;
  const e = typeof end === 'number' ? null : end;
  const n = (s ?? e)!.length;
  if (s !== null && e !== null && s.length !== e.length) throw new RangeError(`schedule: start has ${s.length} values but end has ${e.length}`);
  return Array.from({ length: n }, (_, i) => f(s === null ? (start as number) : s[i]!, e === null ? (end as number) : e[i]!));
}

/** Linear from start to end. */
export function schedLin(start: HyperVal, end: HyperVal): Schedule {
  return (pos) => elementwise(start, end, (s, e) => s + pos * (e - s));
}

/** Cosine from start to end: `start + (1 + cos(π(1 - pos))) (end - start) / 2`. */
export function schedCos(start: HyperVal, end: HyperVal): Schedule {
  return (pos) => elementwise(start, end, (s, e) => s + ((1 + Math.cos(Math.PI * (1 - pos))) * (e - s)) / 2);
}

/** Constant start. */
export function schedNo(start: HyperVal): Schedule {
  return () => (typeof start === 'number' ? start : [...start]);
}

/** Exponential from start to end: `start (end/start)^pos`. */
export function schedExp(start: HyperVal, end: HyperVal): Schedule {
  return (pos) => elementwise(start, end, (s, e) => s * (e / s) ** pos);
}

const f32 = Math.fround;

/**
 * Runs `scheds[i]` over the fraction `pcts[i]` of training (fastai's `combine_scheds`). As fastai
 * keeps the boundaries in a float32 tensor, they are float32 here, so positions match its to the bit.
 */
export function combineScheds(pcts: readonly number[], scheds: readonly Schedule[]): Schedule {
  if (pcts.length !== scheds.length) throw new RangeError(`combineScheds: ${pcts.length} fractions for ${scheds.length} schedules`);
  if (pcts.some((p) => !(p >= 0))) throw new RangeError(`combineScheds: fractions must be >= 0, got ${pcts.join(', ')}`);
  const total = pcts.reduce((a, b) => a + b, 0);
  if (Math.abs(total - 1) > 1e-6) throw new RangeError(`combineScheds: fractions must add up to 1, got ${total}`);
  const bounds = [0];
  for (const p of pcts) bounds.push(f32(bounds[bounds.length - 1]! + f32(p)));
  const lim = bounds.length - 2;
  return (pos) => {
    const p = f32(pos);
    let idx = 0;
    for (let i = 0; i < bounds.length; i++) if (p >= bounds[i]!) idx = i;
    idx = Math.min(idx, lim);
    const actual = f32(f32(p - bounds[idx]!) / f32(bounds[idx + 1]! - bounds[idx]!));
    return scheds[idx]!(actual);
  };
}

/** Cosine from start to middle over `pct` of training, then cosine from middle to end (one-cycle's shape). */
export function combinedCos(pct: number, start: HyperVal, middle: HyperVal, end: HyperVal): Schedule {
  return combineScheds([pct, 1 - pct], [schedCos(start, middle), schedCos(middle, end)]);
}

/** Sets hyper-parameters from schedules before each training batch, and records them (fastai's ParamScheduler). */
export class ParamScheduler extends Callback {
  override order = 60;
  override runValid = false;
  hps: Record<string, number[]> = {};

  constructor(readonly scheds: Record<string, Schedule>) {
    super();
  }

  beforeFit(learn: Learner): void {
    void learn;
    this.hps = Object.fromEntries(Object.keys(this.scheds).map((k) => [k, [] as number[]]));
  }

  beforeBatch(learn: Learner): void {
    this.updateVal(learn, learn.pctTrain);
  }

  protected updateVal(learn: Learner, pct: number): void {
    for (const [name, f] of Object.entries(this.scheds)) learn.opt!.setHyper(name, f(pct));
  }

  afterBatch(learn: Learner): void {
    const last = learn.opt!.hypers[learn.opt!.hypers.length - 1]!;
    for (const k of Object.keys(this.scheds)) this.hps[k]!.push(last[k]!);
  }

  afterFit(learn: Learner): void {
    if (learn.recorder) learn.recorder.hps = this.hps;
  }
}

export interface LRFinderOptions {
  startLr?: number;
  endLr?: number;
  numIt?: number;
  stopDiv?: boolean;
}

/**
 * Trains with an exponentially growing learning rate from `startLr` to `endLr` over `numIt`
 * batches, stopping early when the smoothed loss exceeds 4× its best (`stopDiv`) or is not finite;
 * then puts the model and optimizer back as they were (fastai's LRFinder).
 */
export class LRFinder extends ParamScheduler {
  readonly numIt: number;
  readonly stopDiv: boolean;
  bestLoss = Infinity;
  #snapshot: LearnerSnapshot | null = null;

  constructor(options: LRFinderOptions = {}) {
    const { startLr = 1e-7, endLr = 10, stopDiv = true } = options;
    super({ lr: schedExp(startLr, endLr) });
    this.numIt = Math.max(6, options.numIt ?? 100);
    this.stopDiv = stopDiv;
  }

  override beforeFit(learn: Learner): void {
    super.beforeFit(learn);
    this.#snapshot = learn.snapshot();
    this.bestLoss = Infinity;
  }

  override beforeBatch(learn: Learner): void {
    this.updateVal(learn, learn.trainIter / this.numIt);
  }

  override afterBatch(learn: Learner): void {
    super.afterBatch(learn);
    const sl = learn.smoothLoss;
    if (sl < this.bestLoss) this.bestLoss = sl;
    if (this.stopDiv && (sl > 4 * this.bestLoss || !Number.isFinite(sl))) throw new CancelFitException();
    if (learn.trainIter >= this.numIt) throw new CancelFitException();
  }

  beforeValidate(): void {
    throw new CancelValidException();
  }

  override afterFit(learn: Learner): void {
    super.afterFit(learn);
    learn.opt?.zeroGrad();
    if (this.#snapshot !== null) {
      learn.restore(this.#snapshot);
      this.#snapshot = null;
    }
  }

  cleanup(learn: Learner): void {
    if (this.#snapshot !== null) {
      learn.restore(this.#snapshot);
      this.#snapshot = null;
    }
  }
}

/** A suggestion: the learning rate, and the point (lr, loss) to mark on the plot. */
export interface Suggestion {
  lr: number;
  point: [number, number];
}

export type SuggestionFunc = (lrs: number[], losses: number[], numIt: number) => Suggestion;

/** fastai's 'valley': the learning rate a third of the way down the longest descending run of losses. */
export function valley(lrs: number[], losses: number[]): Suggestion {
  const n = losses.length;
  let maxStart = 0;
  let maxEnd = 0;
  const lds = Array<number>(n).fill(1);
  for (let i = 1; i < n; i++) {
    for (let j = 0; j < i; j++) {
      if (losses[i]! < losses[j]! && lds[i]! < lds[j]! + 1) lds[i] = lds[j]! + 1;
      if (lds[maxEnd]! < lds[i]!) {
        maxEnd = i;
        maxStart = maxEnd - lds[maxEnd]!;
      }
    }
  }
  const sections = (maxEnd - maxStart) / 3;
  const idx = maxStart + Math.trunc(sections) + Math.trunc(sections / 2);
  return { lr: lrs[idx]!, point: [lrs[idx]!, losses[idx]!] };
}

/** fastai's 'minimum': a tenth of the learning rate at the lowest loss. */
export function minimum(lrs: number[], losses: number[]): Suggestion {
  let best = 0;
  for (let i = 1; i < losses.length; i++) if (losses[i]! < losses[best]!) best = i;
  return { lr: lrs[best]! / 10, point: [lrs[best]!, losses[best]!] };
}

/** fastai's 'steep': the learning rate where the loss falls fastest (per log-lr). */
export function steep(lrs: number[], losses: number[]): Suggestion {
  let best = 0;
  let bestGrad = Infinity;
  for (let i = 0; i + 1 < losses.length; i++) {
    const g = (losses[i + 1]! - losses[i]!) / (Math.log(lrs[i + 1]!) - Math.log(lrs[i]!));
    if (g < bestGrad) {
      bestGrad = g;
      best = i;
    }
  }
  return { lr: lrs[best]!, point: [lrs[best]!, losses[best]!] };
}

export const SUGGESTION_FUNCS = { valley, minimum, steep } as const;
export type SuggestionName = keyof typeof SUGGESTION_FUNCS;
