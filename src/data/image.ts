/**
 * Reading images with sharp (libvips): JPEG, PNG, WebP, GIF (first frame), TIFF, and BMP (decoded by
 * bmp.ts). Two common cases skip sharp's decoder: most JPEGs (libjpeg-turbo, image-addon.ts) and small plain
 * PNGs (png-small.ts); they give the same pixels. Every image comes out as 8-bit RGB, height × width × 3, row-major:
 * - grayscale becomes three equal channels, CMYK and 16-bit images are converted to 8-bit sRGB;
 * - an alpha channel is dropped, as PIL's `convert('RGB')` (fastai's `PILImage.create`) drops it;
 * - the EXIF orientation is applied (sharp's autoOrient). Here owlet departs from fastai, whose
 *   PIL loading ignores the tag and so trains on phone pictures lying on their side.
 * Item transforms (item-transforms.ts) are applied here too, at the source resolution as fastai
 * does: crop (or pad), then resize with PIL's bilinear arithmetic (the image addon's), on the
 * decoded pixels whichever decoder gave them.
 */
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { isMainThread } from 'node:worker_threads';
import sharp, { type Sharp } from 'sharp';
import { decodeBmp, isBmp, type RawRgb } from './bmp.js';
import { isJpeg, readHeader } from './header.js';
import { decodeJpeg, resizeRgb } from './image-addon.js';
import { decodeSmallPng } from './png-small.js';
import {
  randomResizedCropBox, resizeBox, type CropBox, type ItemTransform, type PadMode,
} from './item-transforms.js';

export type { RawRgb } from './bmp.js';

/** An image that could not be read: names the file and says why. */
export class ImageDecodeError extends Error {
  override name = 'ImageDecodeError';
  constructor(readonly file: string, readonly reason: string) {
    super(`cannot read the image ${file}: ${reason}`);
  }
}

type Input = string | Uint8Array;

// sequentialRead: decoded top to bottom, no random-access copy of the whole image (a fifth less
// CPU for a JPEG); libvips falls back to random access where an operation needs it.
const SHARP_OPTIONS = { failOn: 'truncated', pages: 1, sequentialRead: true } as const;

interface Source {
  width: number;
  height: number;
  make(): Sharp;
  /** The decoded pixels, when they are already in memory (BMP, small PNG, an image with alpha). */
  raw?: RawRgb;
}

function fromRaw(rgb: RawRgb): Source {
  return {
    width: rgb.width,
    height: rgb.height,
    raw: rgb,
    make: () => sharp(rgb.data, { raw: { width: rgb.width, height: rgb.height, channels: 3 } }),
  };
}

async function finish(pipeline: Sharp): Promise<RawRgb> {
  const { data, info } = await pipeline.removeAlpha().toColourspace('srgb').raw({ depth: 'uchar' }).toBuffer({ resolveWithObject: true });
  if (info.channels !== 3) throw new Error(`decoded to ${info.channels} channels instead of 3`);
  return { data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), width: info.width, height: info.height };
}

async function open(input: Input): Promise<Source> {
  // A decoding worker thread has nothing else to do while it reads: a synchronous read is a third
  // of the cost of fs/promises' for a small file.
  const buf = typeof input === 'string' ? (isMainThread ? await readFile(input) : readFileSync(input)) : input;
  if (buf.length === 0) throw new Error('the file is empty');
  if (isBmp(buf)) return fromRaw(decodeBmp(buf));
  const small = decodeSmallPng(buf);
  if (small !== null) return fromRaw(small);
  let width: number | undefined;
  let height: number | undefined;
  let hasAlpha: boolean | undefined;
  const head = readHeader(buf);
  if (head && head.orientation === 1 && isJpeg(buf)) {
    const rgb = decodeJpeg(buf);
    if (rgb !== null) return fromRaw(rgb);
  }
  if (head) {
    const swap = head.orientation >= 5;
    width = swap ? head.height : head.width;
    height = swap ? head.width : head.height;
    hasAlpha = head.hasAlpha;
  } else {
    const meta = await sharp(buf, SHARP_OPTIONS).metadata();
    width = meta.autoOrient?.width ?? meta.width;
    height = meta.autoOrient?.height ?? meta.height;
    hasAlpha = meta.hasAlpha;
  }
  if (!width || !height) throw new Error('the image has no size');
  if (hasAlpha) {
    // Drop alpha before any resampling, as PIL's convert('RGB') does (libvips would premultiply).
    return fromRaw(await finish(sharp(buf, SHARP_OPTIONS).autoOrient()));
  }
  return { width, height, make: () => sharp(buf, SHARP_OPTIONS).autoOrient() };
}

function describe(e: unknown): string {
  const m = e instanceof Error ? e.message : String(e);
  if (/unsupported image format/i.test(m)) return 'not an image in a format owlet reads (JPEG, PNG, WebP, GIF, TIFF, BMP)';
  if (/ENOENT/.test(m)) return 'no such file';
  return m.replace(/^Error: /, '').split('\n')[0]!;
}

async function wrap<T>(input: Input, f: () => Promise<T>): Promise<T> {
  try {
    return await f();
  } catch (e) {
    if (e instanceof ImageDecodeError) throw e;
    throw new ImageDecodeError(typeof input === 'string' ? input : '<buffer>', describe(e));
  }
}

/** The whole image as 8-bit RGB (EXIF orientation applied). */
export function decodeImage(input: Input): Promise<RawRgb> {
  return wrap(input, async () => {
    const src = await open(input);
    return src.raw ?? finish(src.make());
  });
}

/** The size of an image after EXIF orientation, reading only its header. */
export function imageSize(input: Input): Promise<{ width: number; height: number }> {
  return wrap(input, async () => {
    const src = await open(input);
    return { width: src.width, height: src.height };
  });
}

/** Index reflection as torch's 'reflect' padding (numpy 'reflect'): no repeat of the edge pixel. */
function reflectIndex(i: number, n: number): number {
  if (n === 1) return 0;
  const period = 2 * (n - 1);
  let k = ((i % period) + period) % period;
  if (k >= n) k = period - k;
  return k;
}

/**
 * Places a `sw`×`sh` RGB image at (`x0`, `y0`) in a `w`×`h` canvas and fills the rest by `mode`,
 * as torchvision's pad does for fastai's `crop_pad`.
 */
export function padRgb(src: Uint8Array, sw: number, sh: number, x0: number, y0: number, w: number, h: number, mode: PadMode): Uint8Array {
  const out = new Uint8Array(w * h * 3);
  const map = (i: number, n: number) => (mode === 'reflection' ? reflectIndex(i, n) : Math.min(n - 1, Math.max(0, i)));
  const xs = new Int32Array(w);
  for (let x = 0; x < w; x++) xs[x] = map(x - x0, sw);
  for (let y = 0; y < h; y++) {
    const sy = y - y0;
    const inside = sy >= 0 && sy < sh;
    if (mode === 'zeros' && !inside) continue;
    const srow = map(sy, sh) * sw * 3;
    const orow = y * w * 3;
    for (let x = 0; x < w; x++) {
      const sx = x - x0;
      if (mode === 'zeros' && (sx < 0 || sx >= sw)) continue;
      const s = srow + xs[x]! * 3;
      const o = orow + x * 3;
      out[o] = src[s]!;
      out[o + 1] = src[s + 1]!;
      out[o + 2] = src[s + 2]!;
    }
  }
  return out;
}

/** The `box` of an RGB image (inside it), copied row by row. */
function cropRgb(src: RawRgb, box: CropBox): RawRgb {
  if (box.left === 0 && box.top === 0 && box.width === src.width && box.height === src.height) return src;
  const out = new Uint8Array(box.width * box.height * 3);
  const row = box.width * 3;
  for (let y = 0; y < box.height; y++) {
    const s = ((box.top + y) * src.width + box.left) * 3;
    out.set(src.data.subarray(s, s + row), y * row);
  }
  return { data: out, width: box.width, height: box.height };
}

/**
 * Crops (or crops and pads) `box` out of the source and resizes it to `out` [h, w], from the decoded
 * pixels, with PIL's bilinear arithmetic (fastai's Resize) whatever decoded them: libvips' own
 * resize gives other bytes. Only where the image addon is not built does libvips resize them.
 */
async function cropPadResize(src: Source, box: CropBox, out: [number, number], padMode: PadMode, post?: CropBox): Promise<RawRgb> {
  const [oh, ow] = out;
  const x0 = Math.max(0, box.left);
  const y0 = Math.max(0, box.top);
  const x1 = Math.min(src.width, box.left + box.width);
  const y1 = Math.min(src.height, box.top + box.height);
  if (x1 <= x0 || y1 <= y0) throw new Error(`the crop window ${JSON.stringify(box)} misses the ${src.width}x${src.height} image`);
  const inside = box.left >= 0 && box.top >= 0 && box.left + box.width <= src.width && box.top + box.height <= src.height;
  const raw = src.raw ?? await finish(src.make());
  const region = inside ? raw : { data: padRgb(raw.data, raw.width, raw.height, -box.left, -box.top, box.width, box.height, padMode), width: box.width, height: box.height };
  const at = inside ? box : { left: 0, top: 0, width: box.width, height: box.height };
  const resized = box.width === ow && box.height === oh ? cropRgb(region, at) : resizeRgb(region, at, ow, oh) ?? await finish(
    sharp(region.data, { raw: { width: region.width, height: region.height, channels: 3 } }).extract(at).resize(ow, oh, { fit: 'fill', kernel: 'linear' }),
  );
  return post ? cropRgb(resized, post) : resized;
}

/**
 * Reads an image and applies an item transform: `rand` holds the transform's uniform draws in
 * training (`randomsNeeded`), or is null for validation (centre crop, no randomness).
 */
export function loadImage(input: Input, tfm: ItemTransform | null, rand: ArrayLike<number> | null = null): Promise<RawRgb> {
  return wrap(input, async () => {
    const src = await open(input);
    if (tfm === null) return src.raw ?? finish(src.make());
    if (tfm.kind === 'resize') {
      const pcts: [number, number] = rand === null ? [0.5, 0.5] : [rand[0] ?? 0.5, rand[1] ?? 0.5];
      return cropPadResize(src, resizeBox(tfm, src.width, src.height, pcts), tfm.size, tfm.padMode);
    }
    const { box, finalSize } = randomResizedCropBox(tfm, src.width, src.height, rand);
    const [th, tw] = tfm.size;
    const post = finalSize[0] !== th || finalSize[1] !== tw
      ? { left: Math.floor((finalSize[1] - tw) / 2), top: Math.floor((finalSize[0] - th) / 2), width: tw, height: th }
      : undefined;
    return cropPadResize(src, box, finalSize, 'reflection', post);
  });
}
