/** `owlet predict <model> <image…>`: an exported model's prediction for each image. */
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { ImageDecodeError } from '../../data/index.js';
import { SafetensorsError } from '../../io/index.js';
import { loadLearner, type Learner, type Prediction } from '../../learner/index.js';
import { UserError } from '../errors.js';
import '../../vision/export.js'; // registers the image model kinds and pipeline that loadLearner rebuilds

export interface PredictOutput {
  file: string;
  label: string;
  index: number;
  probability: number;
  probs: Record<string, number>;
}

export async function predictFiles(modelFile: string, images: readonly string[]): Promise<PredictOutput[]> {
  const file = resolve(modelFile);
  if (!existsSync(file)) throw new UserError(`the model file ${file} does not exist (owlet train --export <file> writes one)`);
  for (const img of images) {
    if (!existsSync(img)) throw new UserError(`the image ${resolve(img)} does not exist`);
    if (statSync(img).isDirectory()) throw new UserError(`${resolve(img)} is a folder: give image files`);
  }
  let learn: Learner;
  try {
    learn = await loadLearner(file);
  } catch (e) {
    // loadLearner's diagnoses (not an owlet export, a corrupt or truncated file, a newer format) are
    // what the user needs to read; the file, not owlet, is at fault.
    throw new UserError((e as Error).message, { cause: e });
  }
  const outs: PredictOutput[] = [];
  for (const img of images) {
    let p: Prediction;
    try {
      p = await learn.predict(resolve(img));
    } catch (e) {
      if (!(e instanceof ImageDecodeError) && !(e instanceof SafetensorsError)) throw e;
      const msg = e.message;
      throw new UserError(msg.includes(img) || msg.includes(resolve(img)) ? msg : `cannot read the image ${resolve(img)}: ${msg}`, { cause: e });
    }
    const probs: Record<string, number> = {};
    learn.dls.vocab.forEach((v, i) => (probs[v] = p.probs[i]!));
    outs.push({ file: img, label: p.label, index: p.index, probability: p.probs[p.index]!, probs });
  }
  return outs;
}
