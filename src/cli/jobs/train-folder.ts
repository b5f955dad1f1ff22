/**
 * `owlet train --data <folder>`: from a folder of images named `<label>_<n>.<ext>` to a trained,
 * exported model, with fastai's tables. The recipe comes from the folder (`recipes.ts`: photos get
 * fastai's lesson, small images a small CNN from scratch); the options override it. With a time
 * budget, the first batches are measured and the epochs cut to what fits.
 */
import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { getNumThreads, machineProfile, manualSeed } from '../../engine/index.js';
import type { ImageDataLoaders } from '../../vision/data.js';
import { DistributedTrainer, errorRate, measureSpeed, resolvePrecision, type Learner } from '../../learner/index.js';
import { isModel, PretrainedWeightsError } from '../../models/index.js';
import { visionLearner } from '../../vision/learner.js';
import { asUserError, UserError } from '../errors.js';
import { formatDuration, planEpochs } from '../plan.js';
import { FOLDER_RECIPE, SMALL_IMAGE_MAX_SIDE, SMALL_IMAGE_RECIPE, type CliPrecision, type Recipe } from '../recipes.js';
import { checkPositive, checkPositiveInt } from './checks.js';
import { fromRankZero } from '../distributed.js';
import { folderDataLoaders, largestSide, findImages, type DataOptions } from './folder-data.js';

export interface TrainOptions extends DataOptions {
  arch?: string;
  pretrained?: boolean;
  epochs?: number;
  lr?: number;
  precision?: CliPrecision;
  /** Minutes of training to fit the epochs into (measured on the first batches); none: the recipe's epochs. */
  budget?: number;
  /** Where to export the model (default `<data>/export.safetensors`, as fastai's `export.pkl`); null: do not export. */
  export?: string | null;
  /** Where the tables and messages go (default stdout). */
  out?: (line: string) => void;
  /** Data-parallel: this process is a rank of an initialised process group (cli/distributed.ts). */
  distributed?: boolean;
}

export interface TrainResult {
  learn: Learner;
  dls: ImageDataLoaders;
  exportFile: string | null;
  seconds: number;
  /** What it trained with: the image size, batch size and epochs (the recipe's or the options'). */
  size: number;
  bs: number;
  epochs: number;
}

const say = (line: string) => process.stdout.write(`${line}\n`);

/** The recipe for a folder: small images (≤ 64 px) get the small-image recipe unless the options name a model or pretrained weights. */
export function folderRecipe(options: TrainOptions, out: (line: string) => void, files: readonly string[] = findImages(options.data)): Recipe {
  if (options.arch !== undefined || options.pretrained === true || options.size !== undefined) return FOLDER_RECIPE;
  const side = largestSide(files);
  if (side === null || side > SMALL_IMAGE_MAX_SIDE) return FOLDER_RECIPE;
  const size = Math.ceil(side / 4) * 4; // whole 2×2 poolings
  out(`small images (up to ${side} px): ${SMALL_IMAGE_RECIPE.arch} from scratch at ${size} px, made for them (pass --arch and --pretrained for an ImageNet model)`);
  return { ...SMALL_IMAGE_RECIPE, size };
}

/** What precision a learner trains in, and why, for the plan and model lines. */
function precisionNote(learn: Learner): string {
  const mp = learn.mixedPrecision;
  const { cpu } = machineProfile();
  if (mp === null) return `float32${cpu.bf16.fast ? '' : ` (${cpu.bf16.short})`}`;
  return `${mp.dtype} autocast${mp.channelsLast ? ' with channels-last' : ''}${mp.device === 'cpu' ? ` (${cpu.bf16.reason})` : ''}`;
}

/** A vision learner with the model's initial weights drawn from the seed; clear errors for an unknown model or unavailable weights. */
export async function makeLearner(dls: ImageDataLoaders, options: { arch: string; pretrained: boolean; precision: CliPrecision; seed: number; channelsLast?: boolean; logger?: (line: string) => void }): Promise<Learner> {
  if (!isModel(options.arch)) throw new UserError(`no model '${options.arch}' in the zoo: \`owlet models\` lists them (resnet18, resnet34, convnext_tiny, small_cnn, …)`);
  if (!['fp32', 'bf16', 'auto'].includes(options.precision)) throw new UserError(`--precision must be fp32, bf16 or auto, got '${options.precision}'`);
  try {
    resolvePrecision(options.precision, 'cpu');
  } catch (e) {
    throw new UserError(`--precision ${options.precision}: ${(e as Error).message}`);
  }
  manualSeed(options.seed);
  return asUserError([PretrainedWeightsError], () => visionLearner(dls, options.arch, {
    pretrained: options.pretrained, metrics: [errorRate], precision: options.precision, channelsLast: options.channelsLast ?? false, ...(options.logger ? { logger: options.logger } : {}),
  }));
}

/** Trains as the lesson does: `fineTune(epochs)` from pretrained weights, `fitOneCycle(epochs)` from scratch. */
export async function trainLearner(learn: Learner, options: { pretrained: boolean; epochs: number; lr?: number }): Promise<void> {
  if (options.pretrained) await learn.fineTune(options.epochs, options.lr !== undefined ? { baseLr: options.lr } : {});
  else await learn.fitOneCycle(options.epochs, options.lr !== undefined ? { lrMax: options.lr } : {});
}

export function describe(dls: ImageDataLoaders, dir: string, seed: number, validPct: number): string {
  const n = dls.trainItems.files.length + dls.validItems.files.length;
  return `data: ${n.toLocaleString('en-US')} images in ${dir}, ${dls.c} classes (${dls.vocab.join(', ')}); ` +
    `${dls.trainItems.files.length.toLocaleString('en-US')} for training, ${dls.validItems.files.length.toLocaleString('en-US')} for validation (${validPct * 100}% at random, seed ${seed})`;
}

/** The options with a recipe's defaults filled in: what the loaders and learner are built from. */
export function withRecipe(options: TrainOptions, recipe: Recipe) {
  const pretrained = options.pretrained ?? recipe.pretrained;
  return {
    ...options,
    arch: options.arch ?? recipe.arch,
    pretrained,
    epochs: options.epochs ?? recipe.epochs,
    precision: options.precision ?? recipe.precision,
    seed: options.seed ?? recipe.seed,
    validPct: options.validPct ?? recipe.validPct,
    size: options.size ?? recipe.size ?? 224,
    bs: options.bs ?? recipe.bs,
    augment: options.augment ?? recipe.augment,
    // from scratch, the learning-rate finder's suggestion unless the recipe or the user says otherwise
    lr: options.lr ?? recipe.lr ?? (pretrained ? undefined : ('find' as const)),
  };
}

/**
 * Chooses among `recipes` (in order) the first whose `minEpochs` fit in the budget, measured on this
 * machine with the learner's own model on batches of the real shape, and how many epochs to train.
 */
async function planWithin(dls: ImageDataLoaders, recipes: readonly Recipe[], options: TrainOptions, budgetMinutes: number, out: (line: string) => void): Promise<{ learn: Learner; recipe: Recipe; epochs: number }> {
  const o = withRecipe(options, recipes[0]!); // the data options, which the recipes share
  const nTrain = dls.trainItems.files.length;
  const nValid = dls.validItems.files.length;
  for (const [i, recipe] of recipes.entries()) {
    const r = withRecipe(options, recipe);
    const learn = await makeLearner(dls, { ...r, channelsLast: recipeChannelsLast(options, recipe), logger: out });
    const speed = measureSpeed(learn, { inputShape: [o.bs, 3, o.size, o.size] });
    const plan = planEpochs({ nTrain, nValid, speed, budgetSeconds: budgetMinutes * 60, maxEpochs: recipe.epochs, minEpochs: recipe.minEpochs });
    const last = i === recipes.length - 1;
    out(`plan: ${r.arch}, ${precisionNote(learn)}: ${speed.trainIps.toFixed(0)} img/s training, ${speed.validIps.toFixed(0)} img/s validating measured → ` +
      `an epoch ≈ ${formatDuration(plan.epochSeconds)}; ${plan.fits || last ? `${plan.epochs} epoch${plan.epochs > 1 ? 's' : ''} fit in ${formatDuration(budgetMinutes * 60)}` : `fewer than its ${recipe.minEpochs} epochs fit in ${formatDuration(budgetMinutes * 60)}: trying the next recipe`}`);
    if (plan.fits || last) return { learn, recipe, epochs: plan.epochs };
  }
  throw new Error('planWithin: no recipe given');
}

/** `owlet train --data <folder>`: loaders, learner, training (the tables), export. The caller closes `result.dls`. */
/** A recipe's channels-last weights apply to the recipe's own model, not to one the user names. */
function recipeChannelsLast(options: TrainOptions, recipe: Recipe): boolean {
  return options.arch === undefined && (recipe.channelsLast ?? false);
}

export async function trainFolder(options: TrainOptions, recipes?: readonly Recipe[]): Promise<TrainResult> {
  const out = options.out ?? say;
  const files = findImages(options.data);
  const choices = recipes ?? [folderRecipe(options, out, files)];
  let o = withRecipe(options, choices[0]!);
  checkPositiveInt('--epochs', o.epochs);
  checkPositive('--lr', typeof options.lr === 'number' ? options.lr : undefined);
  checkPositive('--budget', options.budget);
  const dir = resolve(options.data);
  const dls = folderDataLoaders(o, files);
  try {
    out(describe(dls, dir, o.seed, o.validPct));
    let learn: Learner;
    let epochs = o.epochs;
    const budget = options.budget ?? choices[0]!.budgetMinutes;
    if (budget !== undefined && options.epochs === undefined) {
      const tried = options.arch !== undefined ? [choices[0]!] : choices;
      const chosen = await planWithin(dls, tried, options, budget, out);
      ({ learn, epochs } = chosen);
      let recipe = chosen.recipe;
      if (options.distributed) {
        // every rank trains rank 0's plan (each measured its own speed)
        const [index, planned] = fromRankZero([tried.indexOf(recipe), epochs]);
        epochs = planned!;
        if (tried[index!] !== recipe) {
          recipe = tried[index!]!;
          learn = await makeLearner(dls, { ...withRecipe(options, recipe), channelsLast: recipeChannelsLast(options, recipe), logger: out });
        }
      }
      o = withRecipe(options, recipe);
    } else {
      learn = await makeLearner(dls, { ...o, channelsLast: recipeChannelsLast(options, choices[0]!), logger: out });
    }
    if (options.distributed) learn.addCb(new DistributedTrainer({ seed: o.seed }));
    const { arch } = o;
    let lr = o.lr;
    if (lr === 'find') {
      const found = await learn.noLogging(() => learn.lrFind());
      lr = found.valley;
      out(lr !== undefined
        ? `learning rate: ${lr.toExponential(2)}, the learning-rate finder's suggestion (valley) — pass --lr to set it`
        : 'learning rate: the learning-rate finder gave no suggestion; fastai\'s default is used');
    }
    const lrText = lr === undefined ? '' : Number(lr.toPrecision(3)).toString();
    const how = o.pretrained ? `fineTune(${epochs}${lr !== undefined ? `, baseLr ${lrText}` : ''})` : `fitOneCycle(${epochs}${lr !== undefined ? `, lrMax ${lrText}` : ''})`;
    out(`model: ${arch}${o.pretrained ? ' (pretrained)' : ' from scratch'}, ${o.size} px${o.batchResize !== undefined ? ` resampled to ${o.batchResize} px on the batch` : ''}, batch ${o.bs}, ${precisionNote(learn)}, ${getNumThreads()} libtorch thread${getNumThreads() > 1 ? 's' : ''}; ${how}`);
    const t0 = performance.now();
    await trainLearner(learn, { pretrained: o.pretrained, epochs, ...(lr !== undefined ? { lr } : {}) });
    const seconds = (performance.now() - t0) / 1000;
    const ddp = learn.cbsNamed('DistributedTrainer')[0] as DistributedTrainer | undefined;
    if (ddp?.lastStats) {
      const { waitMs, copyMs, steps, launched, launchedInBackward } = ddp.lastStats;
      out(`data-parallel over ${ddp.worldSize} ranks: in the last fit's ${steps} steps, ${(waitMs / 1000).toFixed(1)} s waiting for gradient all-reduces after backward and ${(copyMs / 1000).toFixed(1)} s copying gradients ` +
        `(${(((waitMs + copyMs) / 1000 / seconds) * 100).toFixed(1)} % of the training time; ${launchedInBackward} of ${launched} buckets started during backward)`);
    }
    let exportFile: string | null = null;
    if (options.export !== null) {
      exportFile = resolve(options.export ?? join(dir, 'export.safetensors'));
      mkdirSync(dirname(exportFile), { recursive: true });
      learn.export(exportFile);
      out(`exported the model to ${exportFile}`);
    }
    const bad = dls.train.badFiles.size + dls.valid.badFiles.size;
    if (bad > 0) out(`${bad} image${bad > 1 ? 's' : ''} could not be read and ${bad > 1 ? 'were' : 'was'} left out (listed above)`);
    return { learn, dls, exportFile, seconds, size: o.size, bs: o.bs, epochs };
  } catch (e) {
    await dls.close();
    throw e;
  }
}
