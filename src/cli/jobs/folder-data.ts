/**
 * A folder of images as `owlet train --data` reads it: the files, their labels from the file names by
 * a regular expression, a seeded random split, and the loaders; and how large its images are, which
 * decides the recipe (small images get a model made for them).
 */
import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import {
  augTransforms, getImageFiles, imageExtensions, LabelError, RegexLabeller, Resize,
  type BatchTransform, type OnBadImage,
} from '../../data/index.js';
import { readHeader } from '../../data/header.js';
import { ImageDataLoaders } from '../../vision/data.js';
import { UserError } from '../errors.js';
import type { Augment } from '../recipes.js';
import { checkPositiveInt } from './checks.js';

/** fastai's pattern from the seed: the label is what comes before `_<digits>` in the file name. */
export const DEFAULT_LABEL_REGEX = String.raw`^([^/]+)_\d+`;

export interface DataOptions {
  /** The folder of images (recursive). */
  data: string;
  labelRegex?: string;
  validPct?: number;
  seed?: number;
  size?: number;
  bs?: number;
  /** 'flip': horizontal flips only; 'default': fastai's augTransforms(); 'none'. */
  augment?: Augment;
  /** Resample each batch to this size after the item resize (fastai's `aug_transforms(size=…)`), on the batch. */
  batchResize?: number;
  onBadImage?: OnBadImage;
  /** Decoding worker threads (default: the loader's, cores − 1). */
  numWorkers?: number;
  log?: (message: string) => void;
}

/** The image files of `folder`, or a UserError that says why there are none. */
export function findImages(folder: string): string[] {
  const dir = resolve(folder);
  if (!existsSync(dir)) throw new UserError(`the data folder ${dir} does not exist`);
  if (!statSync(dir).isDirectory()) throw new UserError(`${dir} is a file, not a folder of images: --data takes the folder`);
  const files = getImageFiles(dir);
  if (files.length === 0) throw new UserError(`no images in ${dir} (looked for ${imageExtensions.join(' ')} files, in sub-folders too)`);
  return files;
}

/** Compiles the label pattern and checks that it gives a label for every file; the error names the first file it does not fit. */
export function checkLabels(files: readonly string[], pattern: string): { labels: string[]; labeller: (item: string) => string } {
  let labeller: (item: string) => string;
  try {
    labeller = RegexLabeller(pattern);
  } catch (e) {
    throw new UserError(`the label regex ${JSON.stringify(pattern)} is not a valid regular expression: ${(e as Error).message}`);
  }
  const labels: string[] = [];
  const misses: string[] = [];
  for (const f of files) {
    try {
      labels.push(labeller(basename(f)));
    } catch (e) {
      if (!(e instanceof LabelError)) throw e;
      if (e.reason === 'no-group')
        throw new UserError(`the label regex /${pattern}/ has no group 1 to give the label (file ${f}): put the label's part in parentheses, as in ${DEFAULT_LABEL_REGEX}`);
      misses.push(f);
    }
  }
  if (misses.length > 0) {
    const more = misses.length > 1 ? ` (and ${misses.length - 1} other file${misses.length > 2 ? 's' : ''} of ${files.length})` : '';
    throw new UserError(`the label regex /${pattern}/ does not match the file ${misses[0]}${more}: its group 1 must give the label from the file name. ` +
      `Rename the file, move it out of the folder, or pass --label-regex (default ${DEFAULT_LABEL_REGEX})`);
  }
  return { labels, labeller };
}

function batchTfmsFor(augment: Augment | undefined, batchResize: number | undefined): BatchTransform[] {
  const size = batchResize !== undefined ? { size: batchResize } : {};
  switch (augment ?? 'default') {
    case 'none':
      return batchResize !== undefined ? augTransforms({ doFlip: false, maxRotate: 0, maxZoom: 1, maxWarp: 0, maxLighting: 0, ...size }) : [];
    case 'flip':
      return augTransforms({ maxRotate: 0, maxZoom: 1, maxWarp: 0, maxLighting: 0, ...size });
    default:
      return augTransforms(size);
  }
}

/** The loaders for a folder: files labelled by the regex on their names, a seeded random split, Resize(size), augmentation. `files`: the folder's images when the caller has them already. */
export function folderDataLoaders(options: DataOptions, files: readonly string[] = findImages(options.data)): ImageDataLoaders {
  const { data, labelRegex = DEFAULT_LABEL_REGEX, validPct = 0.2, seed = 42, size = 224, bs = 64 } = options;
  if (!(validPct > 0 && validPct < 1)) throw new UserError(`--valid-pct must be between 0 and 1 (a share of the images), got ${validPct}`);
  checkPositiveInt('--size', size);
  checkPositiveInt('--bs', bs);
  checkPositiveInt('--batch-resize', options.batchResize);
  if (!Number.isInteger(seed)) throw new UserError(`--seed must be a whole number, got ${seed}`);
  const dir = resolve(data);
  const { labels } = checkLabels(files, labelRegex);
  const classes = new Set(labels);
  if (classes.size < 2) throw new UserError(`the label regex /${labelRegex}/ gives only one label ('${labels[0]}') for the ${files.length} images in ${dir}: a classifier needs at least two`);
  const byFile = new Map(files.map((f, i) => [f, labels[i]!]));
  const nValid = Math.floor(files.length * validPct);
  if (files.length - nValid < bs)
    throw new UserError(`${files.length} images leave ${files.length - nValid} for training, fewer than one batch of ${bs} (the last partial batch is dropped): pass a smaller --bs`);
  return ImageDataLoaders.fromPathFunc(dir, files, (file) => byFile.get(file) ?? RegexLabeller(labelRegex)(basename(file)), {
    validPct, seed, bs, itemTfms: Resize(size), batchTfms: batchTfmsFor(options.augment, options.batchResize),
    onBadImage: options.onBadImage ?? 'skip',
    ...(options.numWorkers !== undefined ? { numWorkers: options.numWorkers } : {}),
    ...(options.log ? { log: options.log } : {}),
  });
}

/**
 * The largest side among a sample of the folder's images (up to `sample` files spread over the
 * folder), read from their headers without decoding; null when no header could be read (formats
 * other than PNG and JPEG, or unreadable files), and the recipe then does not assume small images.
 */
export function largestSide(files: readonly string[], sample = 64): number | null {
  const step = Math.max(1, Math.floor(files.length / sample));
  const head = Buffer.alloc(64 * 1024);
  let largest: number | null = null;
  for (let i = 0; i < files.length; i += step) {
    let n = 0;
    try {
      const fd = openSync(files[i]!, 'r');
      try {
        n = readSync(fd, head, 0, head.length, 0);
      } finally {
        closeSync(fd);
      }
    } catch {
      continue; // an unreadable file is the loader's to report
    }
    const h = readHeader(head.subarray(0, n));
    if (h !== null) largest = Math.max(largest ?? 0, h.width, h.height);
  }
  return largest;
}
