/**
 * `owlet train`: trains an image classifier on a folder of images whose names give their labels
 * (`--data`), prints fastai's tables and exports the model. With no `--data`, the main job: the same
 * on Fashion-MNIST, ending with `test accuracy: <figure>` on its 10,000 test images.
 */
import { Command, InvalidArgumentError, Option } from 'commander';
import {
  DEFAULT_LABEL_REGEX, FOLDER_DEFAULTS, MAIN_JOB_DEFAULTS, mainJob, trainFolder, type CliPrecision, type TrainOptions,
} from '../train-job.js';
import type { OnBadImage } from '../../data/index.js';
import { machineProfile, setNumThreads } from '../../engine/index.js';

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
  augment?: 'default' | 'flip' | 'none';
  batchResize?: number;
  workers?: number;
  threads?: number;
  limit?: number;
}

/** The options `train` and `lr-find` share: the data, the model, the precision. */
export function addDataOptions(cmd: Command): Command {
  const m = MAIN_JOB_DEFAULTS;
  const f = FOLDER_DEFAULTS;
  return cmd
    .option('--data <folder>', 'the folder of images, labelled by their file names (default: Fashion-MNIST, the main job)')
    .option('--label-regex <pattern>', 'group 1 of this pattern, searched in each file name, is the label', DEFAULT_LABEL_REGEX)
    .option('--valid-pct <share>', 'the share of the images held out for validation', parseNumber('--valid-pct', (n) => n > 0 && n < 1, 'a number between 0 and 1'), 0.2)
    .option('--seed <n>', 'seeds the split, the shuffling and the augmentations', parseInteger('--seed', 0), 42)
    .option('--arch <name>', `a model of the zoo (\`owlet models\`) (default: ${f.arch} with --data, ${m.arch} for Fashion-MNIST)`)
    .option('--pretrained', `start from the model's published weights and fineTune (default with --data)`)
    .option('--no-pretrained', `train from scratch with fitOneCycle (default for Fashion-MNIST)`)
    .option('--size <px>', `images are resized to this (default: ${f.size} with --data, ${m.size} for Fashion-MNIST)`, parseInteger('--size', 1))
    .option('--bs <n>', `batch size (default: ${f.bs} with --data, ${m.bs} for Fashion-MNIST)`, parseInteger('--bs', 1))
    .option('--lr <rate>', `learning rate: fineTune's base lr, or fitOneCycle's peak (default: fastai's, ${m.lr} for Fashion-MNIST)`, parseNumber('--lr', (n) => n > 0, 'a positive number'))
    .addOption(new Option('--precision <mode>', 'fp32, bf16 (autocast; on a CPU with bf16 instructions) or auto (bf16 where it helps)').choices(['fp32', 'bf16', 'auto']).default('auto'))
    .addOption(new Option('--on-bad-image <what>', 'an image that cannot be read: skip it (named on stderr) or stop with an error').choices(['skip', 'error']).default('skip'))
    .addOption(new Option('--augment <what>', 'batch augmentation: fastai\'s augTransforms (default with --data), flip only (Fashion-MNIST) or none').choices(['default', 'flip', 'none']))
    .option('--batch-resize <px>', 'resample each batch to this size after --size, on the batch (fastai\'s aug_transforms(size=…))', parseInteger('--batch-resize', 1))
    .option('--workers <n>', 'image-decoding threads (default: cores - 1, at most 4)', parseInteger('--workers', 0))
    .option('--threads <n>', 'libtorch threads (default: one per logical CPU)', parseInteger('--threads', 1))
    .option('--limit <n>', 'Fashion-MNIST only: use the first n training and n test images (a quick run)', parseInteger('--limit', 1));
}

/** TrainOptions from the parsed flags (the data folder aside). */
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
  // libtorch counts physical cores; on a machine whose CPUs are SMT siblings that is 1 of 2, and
  // training is faster on both (Fashion-MNIST main job: 1:27 against 1:36 an epoch on 2 vCPUs).
  setNumThreads(opts.threads ?? machineProfile().defaultThreads);
  return o;
}

export function trainCommand(): Command {
  const cmd = new Command('train')
    .description('train an image classifier on a folder of images named <label>_<n>.<ext> (with no --data: the main job on Fashion-MNIST)');
  addDataOptions(cmd)
    .option('--epochs <n>', `epochs (default: ${FOLDER_DEFAULTS.epochs} with --data, ${MAIN_JOB_DEFAULTS.epochs} for Fashion-MNIST)`, parseInteger('--epochs', 1))
    .option('--export <file>', 'where to export the trained model (default: <data>/export.safetensors; Fashion-MNIST: in owlet\'s cache)')
    .option('--tta <n>', `Fashion-MNIST only: test-time augmentation for the test accuracy, n augmented passes (fastai's tta; 0: none) (default: ${MAIN_JOB_DEFAULTS.tta})`, parseInteger('--tta', 0))
    .addHelpText('after', `
Examples:
  owlet train                                         the main job: Fashion-MNIST, ends with "test accuracy: …"
  owlet train --data ~/pets/images --epochs 3         fineTune a pretrained resnet34 on the pets
  owlet train --data imgs --no-pretrained --size 64   from scratch
  owlet predict imgs/export.safetensors cat.jpg`)
    .action(async (opts: DataCliOptions & { epochs?: number; export?: string; tta?: number }) => {
      const o = { ...trainOptions(opts), ...(opts.epochs !== undefined ? { epochs: opts.epochs } : {}), ...(opts.export !== undefined ? { export: opts.export } : {}) };
      if (opts.data === undefined) {
        await mainJob({ ...o, ...(opts.limit !== undefined ? { limit: opts.limit } : {}), ...(opts.tta !== undefined ? { tta: opts.tta } : {}) });
        return;
      }
      if (opts.limit !== undefined) throw new Error('--limit is for the Fashion-MNIST job (no --data)');
      if (opts.tta !== undefined) throw new Error('--tta is for the Fashion-MNIST job (no --data)');
      const res = await trainFolder({ ...o, data: opts.data });
      await res.dls.close();
    });
  return cmd;
}
