/**
 * A small download progress display: a tqdm-style bar redrawn in place on a terminal, plain lines
 * every few seconds otherwise (CI logs, pipes), nothing when quiet.
 */

/** Where progress goes: process.stderr, or anything with `write` (tests). */
export interface ProgressOutput {
  write(s: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

export type ProgressMode = 'bar' | 'lines' | 'off';

/** Bytes the way tqdm's unit_scale prints them (powers of 1000). */
export function formatBytes(n: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let v = n;
  let u = 0;
  while (v >= 1000 && u < units.length - 1) {
    v /= 1000;
    u++;
  }
  return u === 0 ? `${v} B` : `${v < 10 ? v.toFixed(2) : v < 100 ? v.toFixed(1) : v.toFixed(0)} ${units[u]}`;
}

function clock(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const mm = String(Math.floor((s % 3600) / 60)).padStart(2, '0');
  const ss = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${mm}:${ss}` : `${mm}:${ss}`;
}

const PARTIAL = ' ▏▎▍▌▋▊▉';

export class Progress {
  readonly mode: ProgressMode;
  total: number | undefined;
  #label: string;
  #out: ProgressOutput;
  #start = Date.now();
  #startBytes: number;
  #done: number;
  #lastDraw = 0;
  #lastLine = Date.now();
  #drawn = false;

  /** `unit`: counts of things (models, say) instead of bytes: `3/12 models`, the rate as seconds a thing. */
  constructor(label: string, options: { mode: ProgressMode; out: ProgressOutput; total?: number; initial?: number; lineEveryMs?: number; unit?: string }) {
    this.mode = options.mode;
    this.#unit = options.unit;
    this.#label = label;
    this.#out = options.out;
    this.total = options.total;
    this.#done = options.initial ?? 0;
    this.#startBytes = this.#done;
    this.#lineEvery = options.lineEveryMs ?? 10_000;
  }

  #lineEvery: number;
  #unit: string | undefined;

  /** What the bar calls itself (the thing now in progress, say). */
  set label(label: string) {
    this.#label = label;
  }

  #amount(n: number): string {
    return this.#unit === undefined ? formatBytes(n) : `${n} ${this.#unit}`;
  }

  #speed(rate: number): string {
    if (this.#unit === undefined) return `${formatBytes(rate)}/s`;
    return rate > 0 ? `${clock(1 / rate)}/${this.#unit.replace(/s$/, '')}` : `?/${this.#unit.replace(/s$/, '')}`;
  }

  get done(): number {
    return this.#done;
  }

  /** The bytes now on disk (absolute, not an increment). */
  set(done: number): void {
    this.#done = done;
    const now = Date.now();
    if (this.mode === 'bar' && now - this.#lastDraw >= 100) this.#draw(now);
    else if (this.mode === 'lines' && now - this.#lastLine >= this.#lineEvery) {
      this.#lastLine = now;
      const of = this.#unit === undefined ? `${formatBytes(done)} of ${formatBytes(this.total ?? 0)}` : `${done}/${this.#amount(this.total ?? 0)}`;
      const pct = this.total ? ` ${Math.floor((100 * done) / this.total)}% (${of}` : ` ${this.#amount(done)} (`;
      this.#out.write(`  ${this.#label}:${pct}, ${this.#speed(this.#rate(now))})\n`);
    }
  }

  /** A message on its own line (the bar is redrawn after it). */
  note(line: string): void {
    if (this.mode === 'off') return;
    if (this.#drawn) this.#out.write('\r\x1b[K');
    this.#out.write(`${line}\n`);
    if (this.mode === 'bar') this.#draw(Date.now());
  }

  /** The final state, and a new line after the bar. */
  finish(): void {
    if (this.mode !== 'bar') return;
    this.#draw(Date.now());
    this.#out.write('\n');
    this.#drawn = false;
  }

  /** Seconds since the start and the average speed, for a closing message. */
  summary(): { seconds: number; bytesPerSecond: number } {
    const now = Date.now();
    return { seconds: (now - this.#start) / 1000, bytesPerSecond: this.#rate(now) };
  }

  #rate(now: number): number {
    const s = (now - this.#start) / 1000;
    return s > 0 ? (this.#done - this.#startBytes) / s : 0;
  }

  #draw(now: number): void {
    this.#lastDraw = now;
    const elapsed = (now - this.#start) / 1000;
    const rate = this.#rate(now);
    const speed = this.#speed(rate);
    let line: string;
    if (this.total) {
      const frac = Math.min(1, this.#done / this.total);
      const eta = rate > 0 ? (this.total - this.#done) / rate : Infinity;
      const left = `${this.#label}: ${String(Math.floor(frac * 100)).padStart(3)}%|`;
      const right = `| ${this.#unit === undefined ? `${formatBytes(this.#done)}/${formatBytes(this.total)}` : `${this.#done}/${this.#amount(this.total)}`} [${clock(elapsed)}<${clock(eta)}, ${speed}]`;
      const width = Math.max(10, Math.min(40, (this.#out.columns ?? 80) - left.length - right.length - 1));
      const cells = frac * width;
      const full = Math.floor(cells);
      const part = full < width ? PARTIAL[Math.floor((cells - full) * 8)]! : '';
      line = `${left}${'█'.repeat(full)}${part}${' '.repeat(Math.max(0, width - full - part.length))}${right}`;
    } else {
      line = `${this.#label}: ${this.#amount(this.#done)} [${clock(elapsed)}, ${speed}]`;
    }
    this.#out.write(`\r${line}\x1b[K`);
    this.#drawn = true;
  }
}
