/**
 * `loadLearner(file)`: an export (export.ts) back as a Learner that predicts. The model is rebuilt
 * by the builder registered for its kind and the pipeline's kind gives `predict` and `dls.testDl`
 * what they need (export-kinds.ts), so this file knows no domain: owlet's index loads vision's
 * registrations, and a file of a kind nobody registered gets an error that names the kind.
 */
import { noGrad, type Tensor } from '../engine/index.js';
import type { DataLoader, DataLoaders, InputPipeline } from '../data/types.js';
import type { Module } from '../nn/module.js';
import { inputPipelineKind, modelKind, registeredModelKinds } from './export-kinds.js';
import { failExport, readExport } from './export.js';
import { Learner } from './learner.js';
import { crossEntropyLossFlat, mseLossFlat, type LossFunc } from './loss.js';

export interface LoadLearnerOptions {
  /** For an export of a custom model (not a zoo or vision model): the module to load the weights into. */
  model?: Module;
  /** Turns a raw input into a model input (default: the preparer registered for the pipeline's kind). */
  prepare?: (input: unknown) => Tensor | Promise<Tensor>;
  /** Load onto this device (default the CPU). */
  device?: string;
}

/** An empty loader, for a learner that only predicts. */
function emptyLoader(bs = 64): DataLoader {
  return {
    length: 0,
    n: 0,
    bs,
    shuffle: false,
    dropLast: false,
    async *[Symbol.asyncIterator]() {
      // no batches
    },
  };
}

/** The DataLoaders of a loaded learner: no data, but the vocabulary and the pipeline to predict with. */
export function inferenceDataLoaders(vocab: readonly string[], pipeline: InputPipeline): DataLoaders {
  return { train: emptyLoader(), valid: emptyLoader(), vocab, c: vocab.length, pipeline };
}

/**
 * Reads an export back as a Learner that predicts: checks the file (export.ts), rebuilds the model
 * by its kind, loads the weights, and sets the vocabulary and pipeline.
 */
export async function loadLearner(file: string, options: LoadLearnerOptions = {}): Promise<Learner> {
  const { tensors, spec, vocab, pipeline, loss } = readExport(file);
  function fail(problem: string): never {
    failExport(file, problem);
  }
  const kind = (spec as { kind?: unknown } | null)?.kind;
  if (typeof kind !== 'string') fail('its model spec has no kind: the file is damaged');
  const build = modelKind(kind);
  if (build === undefined)
    fail(
      `its model is of kind '${kind}', which no loaded module registers (registered: ${registeredModelKinds().join(', ')}): ` +
        `import the module that registers '${kind}' before loadLearner (owlet's index registers vision's), or update owlet`,
    );
  const model = await build(spec, { file, fail, ...(options.model !== undefined ? { model: options.model } : {}) });
  try {
    noGrad(() => model.loadStateDict(tensors));
  } catch (e) {
    fail(`its weights do not fit the model it describes: ${(e as Error).message}`);
  }
  if (options.device !== undefined && options.device !== 'cpu') model.to(options.device);
  model.eval();
  let lossFunc: LossFunc;
  if (loss.name === 'CrossEntropyLossFlat') lossFunc = crossEntropyLossFlat();
  else if (loss.name === 'MSELossFlat') lossFunc = mseLossFlat();
  else {
    lossFunc = crossEntropyLossFlat();
    process.emitWarning(`${file}: loss '${loss.name}' is not one owlet knows; predictions use softmax`);
  }
  const dls = inferenceDataLoaders(vocab, pipeline);
  const testDl = inputPipelineKind(pipeline.kind)?.testDl;
  if (testDl !== undefined) dls.testDl = await testDl(pipeline);
  const learn = new Learner(dls, model, { lossFunc });
  learn.modelSpec = kind === 'custom' ? null : spec;
  if (options.prepare !== undefined) learn.prepare = options.prepare;
  return learn;
}
