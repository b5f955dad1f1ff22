/**
 * The model and images the ONNX and browser tests share, made once per machine (a temp folder,
 * written whole or not at all): small_cnn with fastai's head, trained one epoch on 600 real
 * Fashion-MNIST images (Resize(32), so 28 px images are upsampled with PIL's bilinear arithmetic),
 * exported with learn.export; and 20 images to predict: 10 Fashion-MNIST test images and 10
 * generated colour pictures of several sizes, aspect ratios and formats (PNG and JPEG), whose
 * centre crop and downsampling exercise the page's resizing.
 */
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { ImageDataLoaders, manualSeed, Resize, visionLearner, writeFashionMnistFolder } from '../src/index.js';

const ROOT = join(tmpdir(), 'owlet-onnx-fixture-v1');

export interface OnnxFixture {
  model: string;
  images: string[];
}

/** A colour picture: a gradient, a disc and a bar, from `seed`. */
async function picture(file: string, seed: number, width: number, height: number): Promise<void> {
  const buf = Buffer.alloc(width * height * 3);
  const cx = (0.3 + 0.4 * ((seed * 37) % 10) / 10) * width;
  const cy = (0.3 + 0.4 * ((seed * 53) % 10) / 10) * height;
  const r = Math.min(width, height) * (0.2 + 0.02 * (seed % 5));
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3;
      const inDisc = (x - cx) ** 2 + (y - cy) ** 2 < r * r;
      const inBar = Math.abs(x - width * 0.7) < width * 0.05;
      buf[i] = inDisc ? 230 : (x * 255) / width;
      buf[i + 1] = inBar ? 20 : ((y * 255) / height + seed * 40) % 256;
      buf[i + 2] = inDisc ? (seed * 70) % 256 : ((x + y) * 3 + seed * 17) % 256;
    }
  }
  const img = sharp(buf, { raw: { width, height, channels: 3 } });
  await (file.endsWith('.jpg') ? img.jpeg({ quality: 92 }) : img.png()).toFile(file);
}

async function make(dir: string): Promise<void> {
  const train = join(dir, 'train');
  await writeFashionMnistFolder(train, { split: 'train', limit: 600 });
  const pred = join(dir, 'predict');
  await writeFashionMnistFolder(pred, { split: 'test', limit: 10 });
  const sizes: [number, number][] = [[96, 64], [64, 96], [50, 50], [120, 45], [33, 77], [200, 150], [41, 41], [90, 130], [64, 64], [31, 29]];
  for (let i = 0; i < sizes.length; i++) await picture(join(pred, `picture_${i}.${i % 2 === 0 ? 'png' : 'jpg'}`), i + 1, ...sizes[i]!);
  manualSeed(0);
  const dls = ImageDataLoaders.fromNameRe(train, readdirSync(train).map((f) => join(train, f)), String.raw`^([^/]+)_\d+`, {
    validPct: 0.2, seed: 1, itemTfms: Resize(32), bs: 32,
  });
  dls.normalize!([0.29, 0.29, 0.29], [0.35, 0.35, 0.35]);
  const learn = await visionLearner(dls, 'small_cnn', { pretrained: false, logger: null });
  await learn.fitOneCycle(1, { lrMax: 3e-3 });
  learn.export(join(dir, 'model.safetensors'));
}

/** The fixture, made on first use. */
export async function onnxFixture(): Promise<OnnxFixture> {
  if (!existsSync(join(ROOT, 'model.safetensors'))) {
    const tmp = `${ROOT}.tmp-${process.pid}`;
    rmSync(tmp, { recursive: true, force: true });
    mkdirSync(tmp, { recursive: true });
    await make(tmp);
    try {
      renameSync(tmp, ROOT);
    } catch {
      rmSync(tmp, { recursive: true, force: true }); // another process made it first
    }
  }
  const pred = join(ROOT, 'predict');
  return { model: join(ROOT, 'model.safetensors'), images: readdirSync(pred).sort().map((f) => join(pred, f)) };
}
