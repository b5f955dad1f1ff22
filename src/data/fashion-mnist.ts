/**
 * Fashion-MNIST from Debian's `dataset-fashion-mnist` package (IDX files, gzipped, under
 * /usr/share/datasets/fashion-mnist): read straight into tensors, or written once as a folder of
 * PNGs named `<Label>_<n>.png`, so that the seed's `RegexLabeller('^([^/]+)_\d+')` pipeline runs on
 * real image files.
 *
 * The class names have no '_' or '/' so that the regex gives the class back; they are Zalando's
 * names written as one word: 'Tshirt' (T-shirt/top), 'Trouser', 'Pullover', 'Dress', 'Coat',
 * 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankleboot' (Ankle boot).
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import sharp from 'sharp';
import { tensor, type Tensor } from '../engine/index.js';
import { fastaiPath } from './untar.js';

export const fashionMnistClasses: readonly string[] = Object.freeze([
  'Tshirt', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankleboot',
]);

/** Where Debian puts the files (override with OWLET_FASHION_MNIST or the `dir` option). */
export function fashionMnistDir(dir?: string): string {
  return resolve(dir ?? process.env.OWLET_FASHION_MNIST ?? '/usr/share/datasets/fashion-mnist');
}

export type FashionSplit = 'train' | 'test';

const FILES: Record<FashionSplit, [string, string]> = {
  train: ['train-images-idx3-ubyte', 'train-labels-idx1-ubyte'],
  test: ['t10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte'],
};

/** An IDX file (gzipped or not): its dimensions and its unsigned bytes. */
export function readIdx(file: string): { shape: number[]; data: Uint8Array } {
  let buf: Buffer;
  const candidates = file.endsWith('.gz') ? [file] : [file, `${file}.gz`];
  const found = candidates.find((f) => existsSync(f));
  if (!found) {
    throw new Error(`${candidates.join(' or ')} not found. Fashion-MNIST comes from Debian's package: ` +
      'apt-get install dataset-fashion-mnist (or set OWLET_FASHION_MNIST to a folder with the IDX files)');
  }
  buf = readFileSync(found);
  if (found.endsWith('.gz')) buf = gunzipSync(buf);
  if (buf.length < 4 || buf[0] !== 0 || buf[1] !== 0) throw new Error(`${found} is not an IDX file`);
  if (buf[2] !== 0x08) throw new Error(`${found}: IDX type 0x${buf[2]!.toString(16)} (owlet reads unsigned bytes, 0x08)`);
  const ndim = buf[3]!;
  const shape: number[] = [];
  for (let i = 0; i < ndim; i++) shape.push(buf.readUInt32BE(4 + 4 * i));
  const offset = 4 + 4 * ndim;
  const count = shape.reduce((a, b) => a * b, 1);
  if (buf.length < offset + count) throw new Error(`${found} is truncated (${buf.length} bytes, needs ${offset + count})`);
  return { shape, data: new Uint8Array(buf.buffer, buf.byteOffset + offset, count) };
}

export interface FashionMnist {
  /** uint8 [n, 28, 28]. */
  images: Tensor;
  /** int64 [n]. */
  labels: Tensor;
  classes: readonly string[];
}

/** Fashion-MNIST's images and labels as tensors (`split` 'train': 60,000; 'test': 10,000). */
export function loadFashionMnist(options: { split?: FashionSplit; dir?: string; limit?: number } = {}): FashionMnist {
  const split = options.split ?? 'train';
  const dir = fashionMnistDir(options.dir);
  const [imgFile, lblFile] = FILES[split];
  const img = readIdx(join(dir, imgFile));
  const lbl = readIdx(join(dir, lblFile));
  if (img.shape[0] !== lbl.shape[0]) throw new Error(`Fashion-MNIST ${split}: ${img.shape[0]} images but ${lbl.shape[0]} labels`);
  const n = Math.min(img.shape[0]!, options.limit ?? Infinity);
  const [, h, w] = img.shape as [number, number, number];
  const images = tensor(img.data.subarray(0, n * h * w), { shape: [n, h, w] });
  const labels = tensor(BigInt64Array.from(lbl.data.subarray(0, n), (v) => BigInt(v)), { shape: [n] });
  return { images, labels, classes: fashionMnistClasses };
}

/** The default folder for the PNGs of a split: `<fastai data>/fashion_mnist_png/<split>`. */
export function fashionMnistFolder(split: FashionSplit = 'train'): string {
  return join(fastaiPath('data'), 'fashion_mnist_png', split);
}

export interface WriteFashionMnistOptions {
  split?: FashionSplit;
  /** Only the first `limit` images (default all). */
  limit?: number;
  /** Source IDX folder. */
  dir?: string;
  /** PNGs encoded at once (default 8). */
  concurrency?: number;
}

/**
 * Writes the split's images as grayscale PNGs `<dir>/<Label>_<n>.png` (n: the index in the split);
 * files already there are kept, so a second call writes nothing. Returns the files in index order.
 */
export async function writeFashionMnistFolder(dir: string = fashionMnistFolder(), options: WriteFashionMnistOptions = {}): Promise<{ dir: string; files: string[]; written: number; skipped: number }> {
  const split = options.split ?? 'train';
  const out = resolve(dir);
  mkdirSync(out, { recursive: true });
  const src = fashionMnistDir(options.dir);
  const [imgFile, lblFile] = FILES[split];
  const img = readIdx(join(src, imgFile));
  const lbl = readIdx(join(src, lblFile));
  const [total, h, w] = img.shape as [number, number, number];
  const n = Math.min(total, options.limit ?? Infinity);
  const present = new Set(readdirSync(out));
  const files: string[] = [];
  const todo: number[] = [];
  for (let i = 0; i < n; i++) {
    const name = `${fashionMnistClasses[lbl.data[i]!]}_${i}.png`;
    files.push(join(out, name));
    if (!present.has(name)) todo.push(i);
  }
  let next = 0;
  const worker = async () => {
    for (;;) {
      const k = next++;
      if (k >= todo.length) return;
      const i = todo[k]!;
      const pixels = img.data.subarray(i * h * w, (i + 1) * h * w);
      const file = files[i]!;
      const tmp = `${file}.tmp-${process.pid}`;
      await sharp(Buffer.from(pixels), { raw: { width: w, height: h, channels: 1 } }).toColourspace('b-w').png().toFile(tmp);
      renameSync(tmp, file); // a file is there whole or not at all
    }
  };
  await Promise.all(Array.from({ length: options.concurrency ?? 8 }, worker));
  return { dir: out, files, written: todo.length, skipped: n - todo.length };
}
