/** `owlet lr-find`: fastai's learning-rate finder on a folder's data; prints the suggestion and writes the plot. */
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Recipe } from '../recipes.js';
import { checkPositiveInt } from './checks.js';
import { findImages, folderDataLoaders } from './folder-data.js';
import { describe, folderRecipe, makeLearner, withRecipe, type TrainOptions } from './train-folder.js';

export interface LrFindCliOptions extends TrainOptions {
  plot?: string;
  numIt?: number;
}

const say = (line: string) => process.stdout.write(`${line}\n`);

export async function lrFindFolder(options: LrFindCliOptions, recipe?: Recipe): Promise<{ valley: number | undefined; plot: string }> {
  const out = options.out ?? say;
  const files = findImages(options.data);
  const o = withRecipe(options, recipe ?? folderRecipe(options, out, files));
  checkPositiveInt('--num-it', options.numIt);
  const dls = folderDataLoaders(o, files);
  try {
    out(describe(dls, resolve(options.data), o.seed, o.validPct));
    const learn = await makeLearner(dls, { arch: o.arch, pretrained: o.pretrained, precision: o.precision, seed: o.seed });
    const plot = resolve(options.plot ?? 'lr-find.png');
    mkdirSync(dirname(plot), { recursive: true });
    const r = await learn.lrFind({ plot, ...(options.numIt !== undefined ? { numIt: options.numIt } : {}) });
    if (r.valley !== undefined) out(`suggested learning rate (valley): ${r.valley.toExponential(2)}`);
    else out('no suggestion: the loss did not give a usable curve (see the plot; try more data or --num-it)');
    out(`plot: ${r.plotFile ?? plot}`);
    return { valley: r.valley, plot: r.plotFile ?? plot };
  } finally {
    await dls.close();
  }
}
