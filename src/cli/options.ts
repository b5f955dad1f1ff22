/** The options `train` and `lr-find` share (the data, the model, the precision), and how they are parsed. */
import { Command, InvalidArgumentError, Option } from 'commander';
import { machineProfile, setNumThreads } from '../engine/index.js';
import type { OnBadImage } from '../data/index.js';
import { DEFAULT_LABEL_REGEX } from './jobs/folder-data.js';
import type { TrainOptions } from './jobs/train-folder.js';
import { FOLDER_RECIPE, MAIN_JOB_RECIPES, SMALL_IMAGE_MAX_SIDE, SMALL_IMAGE_RECIPE, type Augment, type CliPrecision } from './recipes.js';

export function parseInteger(name: string, min: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!/^-?\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < min) throw new InvalidArgumentError(`${name} must be a whole number of at least ${min}`);
    return n;
  };
}

export function parseNumber(name: string, check: (n: number) => boolean, what: string) {
  return (value: string): number => {
    const n = Number(value);
    if (value.trim() === '' || !Number.isFinite(n) || !check(n)) throw new InvalidArgumentError(`${name} must be ${what}`);
    return n;
  };
}

export interface DataCliOptions {
  data?: string;
  labelRegex: string;
  validPct: number;
  seed: number;
  arch?: string;
  pretrained?: boolean;
  size?: number;
  bs?: number;
  lr?: number;
  precision: CliPrecision;
  onBadImage: OnBadImage;
  augment?: Augment;
  batchResize?: number;
  workers?: number;
  threads?: number;
  limit?: number;
}

/** The options `train` and `lr-find` share: the data, the model, the precision. */
export function addDataOptions(cmd: Command): Command {
  const m = MAIN_JOB_RECIPES[0]!;
  const f = FOLDER_RECIPE;
  const s = SMALL_IMAGE_RECIPE;
  return cmd
    .option('--data <folder>', 'the folder of images, labelled by their file names (default: Fashion-MNIST, the main job)')
    .option('--label-regex <pattern>', 'group 1 of this pattern, searched in each file name, is the label', DEFAULT_LABEL_REGEX)
    .option('--valid-pct <share>', 'the share of the images held out for validation', parseNumber('--valid-pct', (n) => n > 0 && n < 1, 'a number between 0 and 1'), 0.2)
    .option('--seed <n>', 'seeds the split, the model\'s initial weights, the shuffling and the augmentations', parseInteger('--seed', 0), 42)
    .option('--arch <name>', `a model of the zoo (\`owlet models\`) (default: ${f.arch} with --data, ${s.arch} for images of at most ${SMALL_IMAGE_MAX_SIDE} px, chosen to fit the time for Fashion-MNIST)`)
    .option('--pretrained', `start from the model's published weights and fineTune (default with --data, unless the images are small)`)
    .option('--no-pretrained', `train from scratch with fitOneCycle (default for small images and Fashion-MNIST)`)
    .option('--size <px>', `images are resized to this (default: ${f.size} with --data, the images' own size when small, ${m.size} for Fashion-MNIST)`, parseInteger('--size', 1))
    .option('--bs <n>', `batch size (default: ${f.bs} with --data, ${m.bs} for Fashion-MNIST)`, parseInteger('--bs', 1))
    .option('--lr <rate>', `learning rate: fineTune's base lr, or fitOneCycle's peak (default: fastai's when fine-tuning, the learning-rate finder's suggestion from scratch, ${m.lr} for Fashion-MNIST)`, parseNumber('--lr', (n) => n > 0, 'a positive number'))
    .addOption(new Option('--precision <mode>', 'fp32, bf16 (autocast; on a CPU with bf16 instructions) or auto (bf16 where the CPU has bf16 instructions: `owlet info`)').choices(['fp32', 'bf16', 'auto']).default('auto'))
    .addOption(new Option('--on-bad-image <what>', 'an image that cannot be read: skip it (named on stderr) or stop with an error').choices(['skip', 'error']).default('skip'))
    .addOption(new Option('--augment <what>', 'batch augmentation: fastai\'s augTransforms (default for photos), flips only (Fashion-MNIST), or none (turn flips off where a mirrored image is another class or no image at all, as with digits, letters and text)').choices(['default', 'flip', 'none']))
    .option('--batch-resize <px>', 'resample each batch to this size after --size, on the batch (fastai\'s aug_transforms(size=…))', parseInteger('--batch-resize', 1))
    .option('--workers <n>', 'image-decoding threads (default: cores - 1, at most 4)', parseInteger('--workers', 0))
    .option('--threads <n>', 'libtorch threads (default: one per logical CPU)', parseInteger('--threads', 1))
    .option('--limit <n>', 'Fashion-MNIST only: use the first n training and n test images (a quick run)', parseInteger('--limit', 1));
}

/** TrainOptions from the parsed flags (the data folder aside); sets libtorch's threads. */
export function trainOptions(opts: DataCliOptions): Omit<TrainOptions, 'data'> {
  const o: Omit<TrainOptions, 'data'> = { labelRegex: opts.labelRegex, validPct: opts.validPct, seed: opts.seed, precision: opts.precision, onBadImage: opts.onBadImage };
  if (opts.arch !== undefined) o.arch = opts.arch;
  if (opts.pretrained !== undefined) o.pretrained = opts.pretrained;
  if (opts.size !== undefined) o.size = opts.size;
  if (opts.bs !== undefined) o.bs = opts.bs;
  if (opts.lr !== undefined) o.lr = opts.lr;
  if (opts.augment !== undefined) o.augment = opts.augment;
  if (opts.workers !== undefined) o.numWorkers = opts.workers;
  if (opts.batchResize !== undefined) o.batchResize = opts.batchResize;
  // libtorch counts physical cores; where the CPUs are SMT siblings that is 1 of 2, and training is faster on both.
  setNumThreads(opts.threads ?? machineProfile().defaultThreads);
  return o;
}
