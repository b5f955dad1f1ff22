/**
 * `showBatch`: a PNG grid of a batch's images with their labels (fastai's `show_batch`), composed
 * with sharp; the labels are SVG text. It writes the file and opens nothing.
 */
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import sharp, { type OverlayOptions } from 'sharp';
import { noGrad } from '../engine/index.js';
import type { ImageDataLoader } from './loader.js';
import type { NormalizeTransform } from './normalize.js';

export interface ShowBatchOptions {
  /** At most this many images (default 9). */
  maxN?: number;
  /** The PNG to write (default `show_batch.png` in the working folder). */
  file?: string;
  nrows?: number;
  ncols?: number;
  /** Each image is drawn this many pixels on its longer side (default: its size, at least 128). */
  cellSize?: number;
  /** Which loader to take the batch from (default 'train', as fastai's `one_batch`). */
  from?: 'train' | 'valid';
}

export interface LabelledImage {
  /** RGB, height × width × 3. */
  data: Uint8Array;
  width: number;
  height: number;
  label: string;
}

function escapeXml(s: string): string {
  return s.replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c]!);
}

/** Writes images with labels above them as a PNG grid; returns the absolute path. */
export async function showImages(images: readonly LabelledImage[], options: Omit<ShowBatchOptions, 'maxN' | 'from'> = {}): Promise<string> {
  const file = resolve(options.file ?? 'show_batch.png');
  const n = images.length;
  if (n === 0) throw new Error('showImages: no images to show');
  const ncols = options.ncols ?? (options.nrows ? Math.ceil(n / options.nrows) : Math.ceil(Math.sqrt(n)));
  const nrows = options.nrows ?? Math.ceil(n / ncols);
  const longest = Math.max(...images.map((im) => Math.max(im.width, im.height)));
  const cell = options.cellSize ?? Math.max(128, longest);
  const label = Math.max(18, Math.round(cell / 8));
  const pad = 8;
  const cw = cell + pad * 2;
  const ch = cell + label + pad * 2;
  const composites: OverlayOptions[] = [];
  for (let i = 0; i < Math.min(n, nrows * ncols); i++) {
    const im = images[i]!;
    const scale = cell / Math.max(im.width, im.height);
    const w = Math.max(1, Math.round(im.width * scale));
    const h = Math.max(1, Math.round(im.height * scale));
    const tile = await sharp(im.data, { raw: { width: im.width, height: im.height, channels: 3 } })
      .resize(w, h, { fit: 'fill', kernel: scale >= 2 ? 'nearest' : 'lanczos3' })
      .png()
      .toBuffer();
    const left = (i % ncols) * cw;
    const top = Math.floor(i / ncols) * ch;
    composites.push({ input: tile, left: left + pad + Math.floor((cell - w) / 2), top: top + pad + label + Math.floor((cell - h) / 2) });
    const fontSize = Math.round(label * 0.72);
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${cw}" height="${label + pad}">` +
      `<text x="${cw / 2}" y="${pad + fontSize}" font-family="DejaVu Sans, Liberation Sans, Arial, sans-serif" font-size="${fontSize}" ` +
      `text-anchor="middle" fill="#000">${escapeXml(im.label)}</text></svg>`;
    composites.push({ input: Buffer.from(svg), left, top });
  }
  mkdirSync(dirname(file), { recursive: true });
  await sharp({ create: { width: cw * ncols, height: ch * nrows, channels: 3, background: { r: 255, g: 255, b: 255 } } })
    .composite(composites)
    .png()
    .toFile(file);
  return file;
}

/** Turns a normalised float batch back into RGB bytes, one image at a time. */
export function batchToImages(x: import('../engine/index.js').Tensor, normalizer: NormalizeTransform | null): { data: Uint8Array; width: number; height: number }[] {
  return noGrad(() => {
    const [k, , h, w] = x.shape as [number, number, number, number];
    let t = x.cpu().float();
    if (normalizer) t = normalizer.decode(t);
    const u8 = t.clamp(0, 1).mul(255).round().to('uint8').permute(0, 2, 3, 1).contiguous();
    const all = u8.toTypedArray() as Uint8Array;
    const per = h * w * 3;
    return Array.from({ length: k }, (_, i) => ({ data: all.subarray(i * per, (i + 1) * per), width: w, height: h }));
  });
}

/** fastai's `dls.show_batch(max_n=9)`: writes a PNG of a training batch with labels. */
export async function showBatch(
  dls: { train: ImageDataLoader; valid: ImageDataLoader; vocab: readonly string[] },
  options: ShowBatchOptions = {},
): Promise<string> {
  const loader = options.from === 'valid' ? dls.valid : dls.train;
  const batch = await loader.oneBatch();
  const maxN = options.maxN ?? 9;
  const images = batchToImages(batch.x, loader.normalizer).slice(0, maxN);
  const ys = batch.y.toTypedArray() as BigInt64Array;
  const labelled = images.map((im, i) => {
    const y = Number(ys[i]);
    return { ...im, label: y >= 0 ? dls.vocab[y] ?? String(y) : '' };
  });
  return showImages(labelled, options);
}
