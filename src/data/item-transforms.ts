/**
 * Item transforms: what is done to each image, one at a time, before images are put together in a
 * batch — fastai's `item_tfms`. They are plain data (they travel to the decoding worker threads);
 * the random numbers they need are drawn on the main thread from the loader's seeded generator, so a
 * seed gives the same crops whatever the timing of the workers.
 */

export type ResizeMethod = 'crop' | 'squish' | 'pad';
export type PadMode = 'reflection' | 'zeros' | 'border';

/** `Resize(size, {method, padMode})`. */
export interface ResizeTransform {
  kind: 'resize';
  /** [height, width]. */
  size: [number, number];
  method: ResizeMethod;
  padMode: PadMode;
}

/** `RandomResizedCrop(size, {minScale, maxScale, ratio, valXtra})`. */
export interface RandomResizedCropTransform {
  kind: 'randomResizedCrop';
  size: [number, number];
  minScale: number;
  maxScale: number;
  ratio: [number, number];
  valXtra: number;
}

export type ItemTransform = ResizeTransform | RandomResizedCropTransform;

function sizeOf(size: number | readonly [number, number], who: string): [number, number] {
  const s: [number, number] = typeof size === 'number' ? [size, size] : [size[0], size[1]];
  if (!s.every((d) => Number.isInteger(d) && d > 0)) throw new RangeError(`${who}: size must be a positive integer or [height, width], got ${JSON.stringify(size)}`);
  return s;
}

/**
 * fastai's `Resize(size, method='crop', pad_mode='reflection')`: `size` is a number or
 * [height, width].
 * - `crop`: the largest window of the target's shape that fits the image, at a random place in
 *   training and in the centre for validation, resized to `size` (bilinear).
 * - `squish`: the whole image resized to `size`, its aspect ratio not kept.
 * - `pad`: the smallest window of the target's shape that holds the whole image, the image at a
 *   random place in it in training (centred for validation), the rest filled by `padMode`
 *   (`reflection` as torch's 'reflect', `zeros`, or `border`), then resized to `size`.
 */
export function Resize(size: number | readonly [number, number], options: { method?: ResizeMethod; padMode?: PadMode } = {}): ResizeTransform {
  const method = options.method ?? 'crop';
  if (!['crop', 'squish', 'pad'].includes(method)) throw new TypeError(`Resize: method must be 'crop', 'squish' or 'pad', got '${method}'`);
  const padMode = options.padMode ?? 'reflection';
  if (!['reflection', 'zeros', 'border'].includes(padMode)) throw new TypeError(`Resize: padMode must be 'reflection', 'zeros' or 'border', got '${padMode}'`);
  return { kind: 'resize', size: sizeOf(size, 'Resize'), method, padMode };
}

/**
 * fastai's `RandomResizedCrop(size, min_scale=0.08, ratio=(3/4, 4/3), val_xtra=0.14, max_scale=1)`:
 * in training a random window of random area and aspect ratio, resized to `size`; for validation
 * the whole image resized a little larger than `size` (by `valXtra`) and centre-cropped.
 */
export function RandomResizedCrop(
  size: number | readonly [number, number],
  options: { minScale?: number; maxScale?: number; ratio?: [number, number]; valXtra?: number } = {},
): RandomResizedCropTransform {
  return {
    kind: 'randomResizedCrop',
    size: sizeOf(size, 'RandomResizedCrop'),
    minScale: options.minScale ?? 0.08,
    maxScale: options.maxScale ?? 1,
    ratio: options.ratio ?? [3 / 4, 4 / 3],
    valXtra: options.valXtra ?? 0.14,
  };
}

/** How many uniform [0, 1) numbers an item transform consumes per image in training. */
export function randomsNeeded(t: ItemTransform | null): number {
  if (t === null) return 0;
  if (t.kind === 'resize') return t.method === 'squish' ? 0 : 2;
  return 40;
}

/** A window of the source image, in source pixels; it may reach outside the image (padding). */
export interface CropBox {
  left: number;
  top: number;
  width: number;
  height: number;
}

/** The window `Resize` takes from a `w`×`h` image, with fastai's arithmetic (Python's int() truncates). */
export function resizeBox(t: ResizeTransform, w: number, h: number, pcts: [number, number]): CropBox {
  const [th, tw] = t.size;
  if (t.method === 'squish') return { left: 0, top: 0, width: w, height: h };
  const rw = w / tw;
  const rh = h / th;
  const m = t.method === 'pad' ? (rw > rh ? rw : rh) : rw < rh ? rw : rh;
  const cw = Math.trunc(m * tw);
  const ch = Math.trunc(m * th);
  return { left: Math.trunc(pcts[0] * (w - cw)), top: Math.trunc(pcts[1] * (h - ch)), width: cw, height: ch };
}

/**
 * The window and the output size of `RandomResizedCrop` for a `w`×`h` image (fastai's
 * `before_call`), drawing from `rand` (40 numbers) in training.
 */
export function randomResizedCropBox(
  t: RandomResizedCropTransform, w: number, h: number, rand: ArrayLike<number> | null,
): { box: CropBox; finalSize: [number, number] } {
  const [th, tw] = t.size;
  if (rand === null) {
    const xtra = Math.ceil((Math.max(th, tw) * t.valXtra) / 8) * 8;
    return { box: { left: 0, top: 0, width: w, height: h }, finalSize: [th + xtra, tw + xtra] };
  }
  const uniform = (a: number, b: number, r: number) => a + (b - a) * r;
  for (let attempt = 0; attempt < 10; attempt++) {
    const r = (k: number) => rand[attempt * 4 + k] ?? 0.5;
    const area = uniform(t.minScale, t.maxScale, r(0)) * w * h;
    const ratio = Math.exp(uniform(Math.log(t.ratio[0]), Math.log(t.ratio[1]), r(1)));
    const nw = Math.round(Math.sqrt(area * ratio));
    const nh = Math.round(Math.sqrt(area / ratio));
    if (nw <= w && nh <= h && nw > 0 && nh > 0) {
      return {
        box: { left: Math.floor(r(2) * (w - nw + 1)), top: Math.floor(r(3) * (h - nh + 1)), width: nw, height: nh },
        finalSize: [th, tw],
      };
    }
  }
  let cw = w;
  let ch = h;
  if (w / h < t.ratio[0]) ch = Math.trunc(w / t.ratio[0]);
  else if (w / h > t.ratio[1]) cw = Math.trunc(h * t.ratio[1]);
  return { box: { left: Math.floor((w - cw) / 2), top: Math.floor((h - ch) / 2), width: cw, height: ch }, finalSize: [th, tw] };
}

/** What an export file records of an item transform (`itemTfmFromDescription` reads it back). */
export function describeItemTfm(t: ItemTransform): { size: [number, number]; resizeMethod: ResizeMethod; itemTfm: ItemTransform } {
  return { size: [...t.size], resizeMethod: t.kind === 'resize' ? t.method : 'crop', itemTfm: JSON.parse(JSON.stringify(t)) as ItemTransform };
}

/** The item transform an export file records, or null when it has none (older files give only `size` and `resizeMethod`). */
export function itemTfmFromDescription(d: { itemTfm?: unknown; size?: [number, number]; resizeMethod?: ResizeMethod }): ItemTransform | null {
  const t = d.itemTfm as ItemTransform | undefined;
  if (t && (t.kind === 'resize' || t.kind === 'randomResizedCrop')) return t;
  if (d.size) return Resize(d.size, { method: d.resizeMethod ?? 'crop' });
  return null;
}
