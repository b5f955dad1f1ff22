/**
 * Progress while training: on a terminal, a live bar per phase (fastprogress's look:
 * `Epoch 1/3 train |█████-----| 50.00% [5/10 00:02<00:02 0.4321]`), cleared when the phase ends so
 * that only the epoch table stays; elsewhere (a log file, CI), a plain line on stderr every
 * `interval` seconds of a long phase. `OWLET_PROGRESS=bar|lines|none` overrides the choice.
 */
import { Callback } from './callback.js';
import type { Learner } from './learner.js';
import { formatTime } from './recorder.js';

export type ProgressMode = 'bar' | 'lines' | 'none';

export interface ProgressOptions {
  mode?: ProgressMode;
  /** Seconds between plain lines (default 30). */
  interval?: number;
  /** Where the bar goes (default process.stdout, or stderr for lines). */
  stream?: NodeJS.WriteStream;
}

function defaultMode(): ProgressMode {
  const env = process.env['OWLET_PROGRESS'];
  if (env === 'bar' || env === 'lines' || env === 'none') return env;
  return process.stdout.isTTY ? 'bar' : 'lines';
}

export class ProgressCallback extends Callback {
  override order = 60;

  override get name(): string {
    return 'ProgressCallback';
  }
  mode: ProgressMode;
  interval: number;
  #stream: NodeJS.WriteStream;
  #label = '';
  #total = 0;
  #done = 0;
  #start = 0;
  #lastDraw = 0;
  #drawn = false;

  constructor(options: ProgressOptions = {}) {
    super();
    this.mode = options.mode ?? defaultMode();
    this.interval = options.interval ?? 30;
    this.#stream = options.stream ?? (this.mode === 'bar' ? process.stdout : process.stderr);
  }

  beforeTrain(learn: Learner): void {
    this.#launch(learn, 'train');
  }

  beforeValidate(learn: Learner): void {
    this.#launch(learn, 'valid');
  }

  afterBatch(learn: Learner): void {
    this.#done = learn.iter + 1;
    const now = performance.now();
    if (this.mode === 'bar') {
      if (now - this.#lastDraw >= 100 || this.#done === this.#total) this.#draw(learn, now);
    } else if (this.mode === 'lines') {
      if (now - this.#lastDraw >= this.interval * 1000) this.#draw(learn, now);
    }
  }

  afterTrain(): void {
    this.#clear();
  }

  afterValidate(): void {
    this.#clear();
  }

  afterFit(): void {
    this.#clear();
  }

  cleanup(): void {
    this.#clear();
  }

  #launch(learn: Learner, phase: string): void {
    this.#clear();
    const epochs = learn.nEpoch > 1 ? `Epoch ${learn.epoch + 1}/${learn.nEpoch} ` : '';
    this.#label = `${epochs}${phase}`;
    this.#total = learn.dl?.length ?? 0;
    this.#done = 0;
    this.#start = performance.now();
    this.#lastDraw = this.mode === 'lines' ? this.#start : 0;
    if (this.mode === 'bar') this.#draw(learn, this.#start);
  }

  #draw(learn: Learner, now: number): void {
    const elapsed = (now - this.#start) / 1000;
    const frac = this.#total > 0 ? Math.min(1, this.#done / this.#total) : 0;
    const remaining = this.#done > 0 ? (elapsed / this.#done) * (this.#total - this.#done) : 0;
    const loss = learn.training && Number.isFinite(learn.smoothLoss) && this.#done > 0 ? ` ${learn.smoothLoss.toFixed(4)}` : '';
    const info = `[${this.#done}/${this.#total} ${formatTime(elapsed)}<${formatTime(remaining)}${loss}]`;
    this.#lastDraw = now;
    if (this.mode === 'lines') {
      this.#stream.write(`${this.#label}: ${(frac * 100).toFixed(2)}% ${info}\n`);
      return;
    }
    const width = 30;
    const filled = Math.round(frac * width);
    let text = `${this.#label} |${'█'.repeat(filled)}${'-'.repeat(width - filled)}| ${(frac * 100).toFixed(2)}% ${info}`;
    const cols = this.#stream.columns;
    if (cols !== undefined && cols > 10 && text.length >= cols) text = text.slice(0, cols - 1);
    this.#stream.write(`\r\x1b[2K${text}`);
    this.#drawn = true;
  }

  #clear(): void {
    if (this.#drawn) {
      this.#stream.write('\r\x1b[2K');
      this.#drawn = false;
    }
  }
}
