/**
 * A small image classifier to serve in the tests: solid-colour images of three classes (red,
 * green, blue, with noise) as PNGs in class folders, a small_cnn trained on them for a few seconds,
 * exported. Also the encoded test images the serve tests send.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { manualSeed, setNumThreads } from '../src/engine/index.js';
import { Resize } from '../src/data/index.js';
import { ImageDataLoaders } from '../src/vision/data.js';
import { visionLearner } from '../src/vision/learner.js';

export const COLOURS: Record<string, [number, number, number]> = { blue: [30, 40, 220], green: [30, 200, 40], red: [220, 30, 40] };

/** A w × h image of one colour with pixel noise (seeded by `seed`), encoded as PNG or JPEG. */
export function colourImage(rgb: [number, number, number], options: { w?: number; h?: number; seed?: number; format?: 'png' | 'jpeg' } = {}): Promise<Buffer> {
  const w = options.w ?? 40;
  const h = options.h ?? 32;
  let s = (options.seed ?? 1) >>> 0;
  const rand = () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
  const px = Buffer.alloc(w * h * 3);
  for (let i = 0; i < w * h; i++) for (let c = 0; c < 3; c++) px[i * 3 + c] = Math.max(0, Math.min(255, Math.round(rgb[c]! + (rand() - 0.5) * 60)));
  const img = sharp(px, { raw: { width: w, height: h, channels: 3 } });
  return (options.format === 'jpeg' ? img.jpeg({ quality: 90 }) : img.png()).toBuffer();
}

/** Trains and exports the colour classifier in `dir`; returns the model file. */
export async function makeColourModel(dir: string, options: { perClass?: number; size?: number; epochs?: number } = {}): Promise<string> {
  const perClass = options.perClass ?? 16;
  const data = join(dir, 'colours');
  let seed = 1;
  for (const [name, rgb] of Object.entries(COLOURS)) {
    mkdirSync(join(data, name), { recursive: true });
    for (let i = 0; i < perClass; i++) writeFileSync(join(data, name, `${name}_${i}.png`), await colourImage(rgb, { seed: seed++ }));
  }
  manualSeed(0);
  setNumThreads(1);
  const dls = ImageDataLoaders.fromFolder(data, { validPct: 0.25, seed: 0, itemTfms: Resize(options.size ?? 24), bs: 16, numWorkers: 1 });
  const learn = await visionLearner(dls, 'small_cnn', { pretrained: false, logger: null });
  await learn.fitOneCycle(options.epochs ?? 3, { lrMax: 3e-3 });
  await dls.close();
  const file = join(dir, 'colours.safetensors');
  learn.export(file);
  return file;
}
