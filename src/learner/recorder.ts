/**
 * fastai's Recorder: per training batch the learning rate and the smoothed loss; per epoch the
 * training loss (smoothed), the validation loss and the metrics, which it prints as the epoch table
 * (`epoch  train_loss  valid_loss  error_rate  time`) through the learner's logger.
 */
import { pyFixed } from '../engine/index.js';
import { Callback } from './callback.js';
import type { Learner } from './learner.js';
import { plotLoss } from './plots.js';
import { AvgLoss, AvgSmoothLoss, type Metric } from './metrics.js';

/** fastai's `format_time`: `mm:ss`, or `h:mm:ss` past an hour. */
export function formatTime(seconds: number): string {
  const t = Math.floor(seconds);
  const h = Math.floor(t / 3600);
  const m = Math.floor(t / 60) % 60;
  const s = t % 60;
  const two = (x: number) => String(x).padStart(2, '0');
  return h !== 0 ? `${h}:${two(m)}:${two(s)}` : `${two(m)}:${two(s)}`;
}

/** A value as fastai's progress table prints it: floats with 6 decimals, the rest as strings. */
export function formatCell(v: number | string | null): string {
  if (v === null) return 'None';
  if (typeof v === 'string') return v;
  return pyFixed(v, 6);
}

/**
 * fastprogress's console table: names padded to 8 characters and joined by two spaces; each row's
 * cells padded to their column's name width plus two.
 */
export class TableWriter {
  #names: string[] | null = null;

  header(names: readonly string[]): string {
    this.#names = names.map((n) => (n.length < 8 ? n + ' '.repeat(8 - n.length) : n));
    return this.#names.join('  ');
  }

  row(cells: readonly string[]): string {
    const names = this.#names ?? cells.map(() => '');
    let text = '';
    cells.forEach((t, i) => {
      const w = names[i]?.length ?? 0;
      text += t + ' '.repeat(Math.max(0, 2 + w - t.length));
    });
    return text;
  }
}

export class Recorder extends Callback {
  override order = 50;
  /** Add the epoch's time to the table (default true). */
  addTime: boolean;
  trainMetrics: boolean;
  validMetrics: boolean;

  readonly loss = new AvgLoss();
  readonly smoothLoss: AvgSmoothLoss;
  /** Learning rate of the last group, per training batch. */
  lrs: number[] = [];
  /** Smoothed loss, per training batch. */
  losses: number[] = [];
  /** Per epoch: [train_loss, valid_loss, ...metrics]. */
  values: (number | null)[][] = [];
  /** The smoothed loss's batch count at each epoch's end. */
  iters: number[] = [];
  /** The table's columns: epoch, train_loss, valid_loss, metrics, time. */
  metricNames: string[] = [];
  /** The hyper-parameters that schedulers set, per training batch (`hps.lr`, `hps.mom`). */
  hps: Record<string, number[]> = {};
  /** This epoch's row so far. */
  log: (number | string | null)[] = [];
  cancelTrain = false;
  cancelValid = false;
  #startEpoch = 0;
  #table = new TableWriter();

  override get name(): string {
    return 'Recorder';
  }

  constructor(options: { addTime?: boolean; trainMetrics?: boolean; validMetrics?: boolean; beta?: number } = {}) {
    super();
    this.addTime = options.addTime ?? true;
    this.trainMetrics = options.trainMetrics ?? false;
    this.validMetrics = options.validMetrics ?? true;
    this.smoothLoss = new AvgSmoothLoss(options.beta ?? 0.98);
  }

  beforeFit(learn: Learner): void {
    this.lrs = [];
    this.iters = [];
    this.losses = [];
    this.values = [];
    const names = learn.metrics.map((m) => m.name);
    let cols: string[];
    if (this.trainMetrics && this.validMetrics) {
      const all = ['loss', ...names];
      cols = [...all.map((n) => `train_${n}`), ...all.map((n) => `valid_${n}`)];
    } else if (this.validMetrics) cols = ['train_loss', 'valid_loss', ...names];
    else cols = ['train_loss', ...names];
    if (this.addTime) cols.push('time');
    this.metricNames = ['epoch', ...cols];
    this.smoothLoss.reset();
    learn.writeLine(this.#table.header(this.metricNames));
  }

  #trainMets(learn: Learner): Metric[] {
    if (this.cancelTrain) return [];
    return [this.smoothLoss, ...(this.trainMetrics ? learn.metrics : [])];
  }

  #validMets(learn: Learner): Metric[] {
    if (this.cancelValid) return [];
    return this.validMetrics ? [this.loss, ...learn.metrics] : [];
  }

  afterBatch(learn: Learner): void {
    if (learn.yb === null) return;
    for (const m of learn.training ? this.#trainMets(learn) : this.#validMets(learn)) m.accumulate(learn);
    if (!learn.training) return;
    this.lrs.push(learn.opt!.hypers[learn.opt!.hypers.length - 1]!['lr']!);
    const sl = this.smoothLoss.value ?? NaN;
    this.losses.push(sl);
    learn.smoothLoss = sl;
  }

  beforeEpoch(learn: Learner): void {
    this.#startEpoch = performance.now();
    this.log = [learn.epoch];
    this.cancelTrain = false;
    this.cancelValid = false;
  }

  beforeTrain(learn: Learner): void {
    for (const m of this.#trainMets(learn).slice(1)) m.reset();
  }

  beforeValidate(learn: Learner): void {
    for (const m of this.#validMets(learn)) m.reset();
  }

  afterTrain(learn: Learner): void {
    for (const m of this.#trainMets(learn)) this.log.push(m.value);
  }

  afterValidate(learn: Learner): void {
    for (const m of this.#validMets(learn)) this.log.push(m.value);
  }

  afterCancelTrain(): void {
    this.cancelTrain = true;
  }

  afterCancelValidate(): void {
    this.cancelValid = true;
  }

  /** Writes the training loss per batch and the validation loss per epoch as a PNG (fastai's plot_loss). */
  async plotLoss(file: string, options: { skipStart?: number } = {}): Promise<string> {
    const col = this.metricNames.indexOf('valid_loss') - 1;
    return plotLoss(this.losses, this.iters, this.values.map((v) => (col >= 0 ? (v[col] ?? null) : null)), file, options);
  }

  afterEpoch(learn: Learner): void {
    const record = this.log.slice(1) as (number | null)[];
    learn.finalRecord = record;
    this.values.push(record);
    if (this.addTime) this.log.push(formatTime((performance.now() - this.#startEpoch) / 1000));
    learn.writeLine(this.#table.row(this.log.map((v, i) => (i === 0 ? String(v) : formatCell(v)))));
    this.iters.push(this.smoothLoss.count);
  }
}
