/**
 * The learner's pictures: the learning-rate finder's curve (through src/plot), and two that
 * src/plot does not draw — the confusion matrix (a heat map) and a grid of images with captions
 * (top losses) — as small SVG documents turned into PNG by sharp.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { noGrad, tensor, tidy, type Tensor } from '../engine/index.js';
import type { Figure, Series } from '../plot/index.js';
import type { Suggestion, SuggestionName } from './schedule.js';

// Loaded on first use: vega and sharp are slow to import, and most runs draw no plot.
async function sharpLib() {
  return (await import('sharp')).default;
}

const PALETTE: Record<string, string> = { valley: '#e45756', minimum: '#54a24b', steep: '#f58518' };

/**
 * Loss against learning rate (x as log10 of the lr; the last 5 points, where the loss shoots up,
 * left out as fastai does), with the suggestions marked. Writes a PNG; returns its path.
 */
export async function plotLrFind(lrs: number[], losses: number[], suggestions: Partial<Record<SuggestionName, Suggestion>>, file: string): Promise<string> {
  const n = lrs.length > 10 ? lrs.length - 5 : lrs.length;
  const series: Series[] = [{ kind: 'line', x: lrs.slice(0, n).map(Math.log10), y: losses.slice(0, n), name: 'smoothed loss' }];
  for (const [name, s] of Object.entries(suggestions)) {
    if (s === undefined) continue;
    series.push({ kind: 'points', x: [Math.log10(s.point[0])], y: [s.point[1]], name: `${name}: ${s.lr.toExponential(2)}`, color: PALETTE[name] ?? '#333333' });
  }
  const fig: Figure = { title: 'Learning rate finder', xlabel: 'Learning Rate (log10)', ylabel: 'Loss', series };
  mkdirSync(dirname(file), { recursive: true });
  const { savePlot } = await import('../plot/index.js');
  const written = await savePlot(fig, file.toLowerCase().endsWith('.png') ? file : `${file}.png`);
  return written[0]!;
}

/**
 * fastai's plot_loss: the smoothed training loss per batch, and the validation loss at each
 * epoch's end (placed at the batch count where the epoch ended). Writes a PNG; returns its path.
 */
export async function plotLoss(losses: number[], iters: number[], validLosses: (number | null)[], file: string, options: { skipStart?: number } = {}): Promise<string> {
  const skip = options.skipStart ?? 5;
  const series: Series[] = [{ kind: 'line', x: losses.map((_, i) => i).slice(skip), y: losses.slice(skip), name: 'train' }];
  const vx: number[] = [];
  const vy: number[] = [];
  iters.forEach((it, i) => {
    const v = validLosses[i];
    if (it >= skip && v !== null && v !== undefined) {
      vx.push(it);
      vy.push(v);
    }
  });
  if (vx.length > 0) series.push({ kind: vx.length > 1 ? 'line' : 'points', x: vx, y: vy, name: 'valid' });
  const fig: Figure = { title: 'Loss', xlabel: 'Batches', ylabel: 'Loss', series };
  mkdirSync(dirname(file), { recursive: true });
  const { savePlot } = await import('../plot/index.js');
  const written = await savePlot(fig, file.toLowerCase().endsWith('.png') ? file : `${file}.png`);
  return written[0]!;
}

export function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

async function writePng(svg: string, file: string): Promise<string> {
  mkdirSync(dirname(file), { recursive: true });
  const sharp = await sharpLib();
  const png = await sharp(Buffer.from(svg)).png().toBuffer();
  writeFileSync(file, png);
  return file;
}

/** matplotlib's Blues, from white to dark blue, at t in [0, 1]. */
function blues(t: number): string {
  const stops = [[247, 251, 255], [198, 219, 239], [107, 174, 214], [33, 113, 181], [8, 48, 107]];
  const x = Math.min(1, Math.max(0, t)) * (stops.length - 1);
  const i = Math.min(stops.length - 2, Math.floor(x));
  const f = x - i;
  const c = stops[i]!.map((v, k) => Math.round(v + f * (stops[i + 1]![k]! - v)));
  return `rgb(${c[0]},${c[1]},${c[2]})`;
}

/** The confusion matrix as a heat map with counts (rows: actual, columns: predicted), as fastai plots it. */
export async function plotConfusionMatrix(cm: number[][], vocab: readonly string[], file: string, options: { title?: string; normalize?: boolean } = {}): Promise<string> {
  const n = cm.length;
  const cell = Math.max(28, Math.min(64, Math.floor(640 / Math.max(1, n))));
  const labelW = Math.min(220, 12 + 7.5 * Math.max(...vocab.map((v) => v.length), 4));
  const top = 50;
  const left = labelW + 30;
  const width = left + n * cell + 20;
  const height = top + n * cell + labelW + 40;
  const max = Math.max(1, ...cm.flat());
  const parts: string[] = [];
  parts.push(`<rect width="${width}" height="${height}" fill="white"/>`);
  parts.push(`<text x="${left + (n * cell) / 2}" y="28" font-size="18" text-anchor="middle">${escapeXml(options.title ?? 'Confusion matrix')}</text>`);
  const fontSize = Math.max(9, Math.min(14, cell / 3));
  for (let i = 0; i < n; i++) {
    const rowSum = cm[i]!.reduce((a, b) => a + b, 0);
    for (let j = 0; j < n; j++) {
      const v = cm[i]![j]!;
      const shown = options.normalize ? (rowSum > 0 ? v / rowSum : 0) : v;
      const t = options.normalize ? shown : v / max;
      const x = left + j * cell;
      const y = top + i * cell;
      parts.push(`<rect x="${x}" y="${y}" width="${cell}" height="${cell}" fill="${blues(t)}" stroke="#ffffff" stroke-width="0.5"/>`);
      const text = options.normalize ? shown.toFixed(2) : String(v);
      parts.push(`<text x="${x + cell / 2}" y="${y + cell / 2 + fontSize / 3}" font-size="${fontSize}" text-anchor="middle" fill="${t > 0.5 ? 'white' : 'black'}">${text}</text>`);
    }
    parts.push(`<text x="${left - 6}" y="${top + i * cell + cell / 2 + 4}" font-size="12" text-anchor="end">${escapeXml(vocab[i] ?? String(i))}</text>`);
  }
  for (let j = 0; j < n; j++) {
    const x = left + j * cell + cell / 2 + 4;
    const y = top + n * cell + 8;
    parts.push(`<text x="${x}" y="${y}" font-size="12" text-anchor="end" transform="rotate(-90 ${x} ${y})">${escapeXml(vocab[j] ?? String(j))}</text>`);
  }
  parts.push(`<text x="${left + (n * cell) / 2}" y="${height - 10}" font-size="14" text-anchor="middle">Predicted</text>`);
  parts.push(`<text x="16" y="${top + (n * cell) / 2}" font-size="14" text-anchor="middle" transform="rotate(-90 16 ${top + (n * cell) / 2})">Actual</text>`);
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="DejaVu Sans, Helvetica, Arial, sans-serif">${parts.join('')}</svg>`;
  return writePng(svg, file);
}

/**
 * One image tensor [c, h, w] (normalised with mean/std, when given) as PNG bytes, `size` pixels on
 * its longer side.
 */
export async function imageTensorToPng(x: Tensor, options: { mean?: readonly number[]; std?: readonly number[]; size?: number } = {}): Promise<Buffer> {
  const [c, h, w] = x.shape as [number, number, number];
  const data = tidy(() => noGrad(() => {
    let t = x.float();
    if (options.mean && options.std && options.mean.length === c) {
      t = t.mul(tensor([...options.std], { dtype: 'float32' }).reshape(c, 1, 1)).add(tensor([...options.mean], { dtype: 'float32' }).reshape(c, 1, 1));
    }
    return t.clamp(0, 1).mul(255).round().to('uint8').permute(1, 2, 0).contiguous().toTypedArray() as Uint8Array;
  }));
  const channels = c === 1 || c === 3 || c === 4 ? c : 1;
  const sharp = await sharpLib();
  let img = sharp(Buffer.from(data.buffer, data.byteOffset, data.byteLength), { raw: { width: w, height: h, channels: channels as 1 | 3 | 4 } });
  const size = options.size ?? 128;
  img = img.resize({ width: w >= h ? size : undefined, height: h > w ? size : undefined, kernel: w < size && h < size ? 'nearest' : 'lanczos3' });
  return img.png().toBuffer();
}

/** A grid of images with a caption over each (top losses). */
export async function plotImageGrid(items: { png: Buffer; caption: string }[], file: string, options: { title?: string; ncols?: number; size?: number } = {}): Promise<string> {
  const size = options.size ?? 128;
  const ncols = options.ncols ?? Math.ceil(Math.sqrt(items.length));
  const nrows = Math.ceil(items.length / ncols);
  const capH = 34;
  const titleH = options.title ? 36 : 8;
  const cellW = Math.max(size, 170) + 12;
  const cellH = size + capH + 8;
  const width = ncols * cellW + 8;
  const height = titleH + nrows * cellH + 8;
  const parts: string[] = [`<rect width="${width}" height="${height}" fill="white"/>`];
  if (options.title) parts.push(`<text x="${width / 2}" y="24" font-size="18" text-anchor="middle">${escapeXml(options.title)}</text>`);
  items.forEach((it, k) => {
    const r = Math.floor(k / ncols);
    const col = k % ncols;
    const x = 8 + col * cellW;
    const y = titleH + r * cellH;
    const lines = it.caption.split('\n');
    lines.forEach((line, li) => parts.push(`<text x="${x + cellW / 2 - 6}" y="${y + 13 + li * 14}" font-size="11" text-anchor="middle">${escapeXml(line)}</text>`));
    parts.push(`<image x="${x + (cellW - 12 - size) / 2}" y="${y + capH}" width="${size}" height="${size}" preserveAspectRatio="xMidYMid meet" href="data:image/png;base64,${it.png.toString('base64')}"/>`);
  });
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="${width}" height="${height}" font-family="DejaVu Sans, Helvetica, Arial, sans-serif">${parts.join('')}</svg>`;
  return writePng(svg, file);
}
