/**
 * `createModel(name, options)`: builds any zoo model by name, and with `pretrained` loads its tag's
 * published weights from the Hugging Face hub cache (downloading them when it can), as timm does.
 */
import { hfHubDownload } from '../hub/index.js';
import { loadSafetensorsFile } from '../io/index.js';
import { getModelEntry, type CreateModelOptions, type ZooModel } from './registry.js';
// The families register themselves on import: whoever builds a model by name has them all.
import './families.js';

/**
 * timm's `load_checkpoint`: loads a safetensors file of weights into a model; a classifier of
 * another size is left as made. (A learner's training checkpoint, with optimizer state and
 * progress, is `loadTrainingCheckpoint`'s.)
 */
export function loadCheckpoint(model: ZooModel, file: string, options: { dropClassifier?: string } = {}): void {
  const sd = loadSafetensorsFile(file);
  if (options.dropClassifier !== undefined) {
    for (const key of [...sd.keys()]) if (key.startsWith(`${options.dropClassifier}.`)) sd.delete(key);
  }
  model.loadStateDict(sd, { strict: options.dropClassifier === undefined });
}

/** Published weights that a model has not, or that could not be had (offline, not in the cache): the user can train from scratch instead. */
export class PretrainedWeightsError extends Error {
  override name = 'PretrainedWeightsError';
}

export async function createModel(name: string, options: CreateModelOptions = {}): Promise<ZooModel> {
  const { factory, architecture, tag, cfg } = getModelEntry(name);
  const { pretrained = false, checkpointPath, ...modelOptions } = options;
  const numClasses = modelOptions.numClasses ?? cfg?.numClasses ?? 1000;
  const model = factory({ ...modelOptions, numClasses });
  if (cfg && tag) model.pretrainedCfg = { ...cfg, tag, architecture };
  if (!pretrained && checkpointPath === undefined) return model;
  if (pretrained && (!cfg || !tag)) throw new PretrainedWeightsError(`model '${architecture}' has no published weights: use pretrained: false (CLI: --no-pretrained)`);
  const dropClassifier = cfg && numClasses !== cfg.numClasses ? cfg.classifier : undefined;
  let file = checkpointPath;
  if (file === undefined) {
    try {
      file = await hfHubDownload({ repoId: cfg!.hubId, filename: cfg!.filename ?? 'model.safetensors' });
    } catch (e) {
      throw new PretrainedWeightsError(`the pretrained weights of '${architecture}.${tag}' could not be had: ${(e as Error).message}\n` +
        'To train from scratch instead, pass pretrained: false (CLI: --no-pretrained).', { cause: e });
    }
  }
  // Pre-training checkpoints without a classifier (ConvNeXt-V2's `.fcmae`, 0 classes) lack head
  // weights, as in timm: those load non-strictly, everything else strictly.
  loadCheckpoint(model, file, { dropClassifier: dropClassifier ?? (cfg!.numClasses === 0 ? cfg!.classifier : undefined) });
  return model;
}
