/**
 * Exporting a trained learner to one file, and loading it back to predict.
 *
 * The file is safetensors: the model's state (weights and BatchNorm statistics) as tensors, and as
 * `__metadata__` JSON strings what is needed to rebuild and use the model — the format and its
 * version, owlet's version, the model spec (zoo architecture, number of outputs, head config), the
 * vocabulary, the input pipeline (resize, normalisation) and the loss (for the activation) — plus a
 * sha256 over all of it. Loading reads data only: the model is rebuilt from owlet's own code by
 * the spec (no code, no pickle in the file), then the checksum and the state dict are checked, and
 * a truncated, altered or foreign file gets an error that says which it is.
 */
import { createHash } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import type { Tensor } from '../engine/index.js';
import type { DataLoader, DataLoaders, InputPipeline } from '../data/types.js';
import { readSafetensors, saveSafetensors, SafetensorsError } from '../io/index.js';
import { createModel } from '../models/create.js';
import type { Module } from '../nn/module.js';
import { noGrad } from '../engine/index.js';
import { createVisionModel, type VisionModelSpec } from '../vision/head.js';
import { Learner } from './learner.js';
import { crossEntropyLossFlat, type LossFunc } from './loss.js';
import { owletVersion } from './version.js';

export const EXPORT_FORMAT = 'owlet.learner';
export const EXPORT_FORMAT_VERSION = 1;

/** How to rebuild the model: a vision learner's body and head, a plain zoo model, or the user's own module. */
export type ModelSpec =
  | VisionModelSpec
  | { kind: 'zoo'; arch: string; numClasses: number }
  | { kind: 'custom'; name: string };

/** The metadata keys of an export. */
const KEYS = ['format', 'format_version', 'owlet_version', 'model', 'vocab', 'pipeline', 'loss'] as const;

/** sha256 over the metadata (but the checksum itself) and every tensor's name, dtype, shape and bytes, in name order. */
function digest(tensors: Map<string, Tensor>, metadata: Record<string, string>): string {
  const h = createHash('sha256');
  for (const k of Object.keys(metadata).sort()) {
    if (k === 'sha256') continue;
    h.update(`${k}\0${metadata[k]}\0`);
  }
  for (const name of [...tensors.keys()].sort()) {
    let t = tensors.get(name)!;
    if (t.device !== 'cpu') t = t.cpu();
    if (!t.isContiguous()) t = t.contiguous();
    h.update(`${name}\0${t.dtype}\0${JSON.stringify(t.shape)}\0`);
    if (t.numel() > 0) {
      const v = t.dataView();
      h.update(new Uint8Array(v.buffer, v.byteOffset, v.byteLength));
    }
  }
  return h.digest('hex');
}

function lossSpec(loss: LossFunc): { name: string } {
  return { name: loss.lossName ?? 'custom' };
}

/** Writes `learn` to `file` (see the module's notes). Returns the file. */
export function exportLearner(learn: Learner, file: string): string {
  const spec: ModelSpec = learn.modelSpec ?? { kind: 'custom', name: learn.model.getName() };
  const tensors = new Map<string, Tensor>();
  noGrad(() => {
    for (const [k, v] of learn.model.stateDict()) tensors.set(k, v.device === 'cpu' ? v.contiguous() : v.cpu().contiguous());
  });
  const metadata: Record<string, string> = {
    format: EXPORT_FORMAT,
    format_version: String(EXPORT_FORMAT_VERSION),
    owlet_version: owletVersion(),
    model: JSON.stringify(spec),
    vocab: JSON.stringify([...learn.dls.vocab]),
    pipeline: JSON.stringify(learn.dls.pipeline ?? { kind: 'tabular' }),
    loss: JSON.stringify(lossSpec(learn.lossFunc)),
  };
  metadata['sha256'] = digest(tensors, metadata);
  saveSafetensors(file, tensors, metadata);
  return file;
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

export interface LoadLearnerOptions {
  /** For an export of a custom model (not a zoo or vision model): the module to load the weights into. */
  model?: Module;
  /** Turns a raw input into a model input (default: the preparer registered for the pipeline's kind). */
  prepare?: (input: unknown) => Tensor | Promise<Tensor>;
  /** Load onto this device (default the CPU). */
  device?: string;
}

function fail(file: string, problem: string): never {
  throw new Error(`${file}: cannot load this model: ${problem}`);
}

function parseJson<T>(file: string, metadata: Record<string, string>, key: string): T {
  const text = metadata[key];
  if (text === undefined) fail(file, `its metadata has no '${key}' (the file is damaged or was not written by learn.export)`);
  try {
    return JSON.parse(text) as T;
  } catch (e) {
    fail(file, `its '${key}' metadata is not valid JSON (${(e as Error).message}): the file is damaged`);
  }
}

/**
 * Reads an export back as a Learner that predicts: rebuilds the model from the spec, checks the
 * checksum, the format version and the weights, and sets the vocabulary and pipeline.
 */
export async function loadLearner(file: string, options: LoadLearnerOptions = {}): Promise<Learner> {
  if (!existsSync(file)) throw new Error(`${file}: no such file`);
  if (statSync(file).isDirectory()) throw new Error(`${file}: is a directory, not an exported model`);
  let contents: ReturnType<typeof readSafetensors>;
  try {
    contents = readSafetensors(file);
  } catch (e) {
    if (e instanceof SafetensorsError) fail(file, `${e.problem}${/truncat|short|end of|beyond/i.test(e.problem) ? ' (the file is truncated: export it again or copy it whole)' : ''}`);
    throw e;
  }
  const { tensors, metadata } = contents;
  if (metadata['format'] !== EXPORT_FORMAT) {
    if (metadata['owlet.kind'] === 'checkpoint') fail(file, 'it is a training checkpoint (learn.save), not an export: load it into a learner with learn.load()');
    fail(file, 'it is a safetensors file but not an owlet export (no owlet metadata): plain weights load with model.loadStateDict(loadSafetensorsFile(file))');
  }
  const version = Number(metadata['format_version']);
  if (!Number.isInteger(version) || version < 1)
    fail(file, `its format version '${metadata['format_version']}' is not valid: the file is damaged`);
  if (version > EXPORT_FORMAT_VERSION)
    fail(file, `it was exported by owlet ${metadata['owlet_version'] ?? '?'} in format version ${version}; this owlet (${owletVersion()}) reads up to version ${EXPORT_FORMAT_VERSION}: update owlet`);
  for (const k of KEYS) if (metadata[k] === undefined) fail(file, `its metadata has no '${k}': the file is damaged or was altered`);
  const expected = metadata['sha256'];
  if (expected === undefined) fail(file, 'it has no checksum (sha256): the file was altered or not written by learn.export');
  const actual = digest(tensors, metadata);
  if (actual !== expected) fail(file, `its checksum does not match (expected sha256 ${expected.slice(0, 12)}…, got ${actual.slice(0, 12)}…): the file was altered or damaged after export`);

  const spec = parseJson<ModelSpec>(file, metadata, 'model');
  const vocab = parseJson<string[]>(file, metadata, 'vocab');
  const pipeline = parseJson<InputPipeline>(file, metadata, 'pipeline');
  const loss = parseJson<{ name: string }>(file, metadata, 'loss');
  if (!Array.isArray(vocab) || vocab.some((v) => typeof v !== 'string')) fail(file, 'its vocabulary is not a list of strings');

  let model: Module;
  switch (spec.kind) {
    case 'vision':
      model = (await createVisionModel(spec.arch, spec.nOut, { ...spec.head, pretrained: false, init: false })).model;
      break;
    case 'zoo':
      model = await createModel(spec.arch, { numClasses: spec.numClasses });
      break;
    case 'custom':
      if (options.model === undefined)
        fail(file, `it holds a custom model (${spec.name}) that owlet cannot rebuild by itself: pass the module, loadLearner(file, {model: new ${spec.name}(…)})`);
      model = options.model;
      break;
    default:
      fail(file, `unknown model kind '${(spec as { kind: string }).kind}'`);
  }
  try {
    noGrad(() => model.loadStateDict(tensors));
  } catch (e) {
    fail(file, `its weights do not fit the model it describes: ${(e as Error).message}`);
  }
  if (options.device !== undefined && options.device !== 'cpu') model.to(options.device);
  model.eval();
  let lossFunc: LossFunc;
  if (loss.name === 'CrossEntropyLossFlat') lossFunc = crossEntropyLossFlat();
  else {
    lossFunc = crossEntropyLossFlat();
    process.emitWarning(`${file}: loss '${loss.name}' is not one owlet knows; predictions use softmax`);
  }
  const dls = inferenceDataLoaders(vocab, pipeline);
  if (pipeline.kind === 'image') {
    const { pipelineTestDl } = await import('../data/prepare.js');
    dls.testDl = (items, o = {}) => pipelineTestDl(items, pipeline, o);
  }
  const learn = new Learner(dls, model, { lossFunc });
  learn.modelSpec = spec.kind === 'custom' ? null : spec;
  if (options.prepare !== undefined) learn.prepare = options.prepare;
  return learn;
}

// ---------------------------------------------------------------------------------------------
// Input preparation for predict

/** Makes, from an exported pipeline, the function that turns one raw input into a model input. */
export type InputPreparerFactory = (pipeline: InputPipeline) => (input: unknown) => Tensor | Promise<Tensor>;

const preparers = new Map<string, InputPreparerFactory>();

/**
 * Registers how raw inputs of a pipeline kind are prepared. Images need none: the data module's
 * `imageToTensor` (decode, the validation resize, normalise) is the default for 'image'.
 */
export function registerInputPreparer(kind: InputPipeline['kind'], factory: InputPreparerFactory): void {
  preparers.set(kind, factory);
}

/** The model input for `input`: a tensor as is (already prepared), else through the learner's `prepare` hook or the registered preparer. */
export async function prepareInput(learn: Learner, input: unknown): Promise<Tensor> {
  if (isTensor(input)) return input;
  if (learn.prepare !== null) return await learn.prepare(input);
  const pipeline = learn.dls.pipeline;
  let factory = pipeline === undefined ? undefined : preparers.get(pipeline.kind);
  if (factory === undefined && pipeline?.kind === 'image') factory = await imagePreparer();
  if (factory === undefined)
    throw new Error(
      `predict: no way to prepare a ${typeof input === 'string' ? 'path' : Buffer.isBuffer(input) ? 'buffer' : typeof input} for a '${pipeline?.kind ?? 'unknown'}' pipeline: ` +
        'pass a prepared tensor, set learn.prepare = (input) => tensor, or import the data module that registers the preparer',
    );
  learn.prepare = factory(pipeline!);
  return await learn.prepare(input);
}

/** The data module's image preparation (decode, the validation resize, normalise), loaded on first use. */
async function imagePreparer(): Promise<InputPreparerFactory> {
  const { imageToTensor } = await import('../data/prepare.js');
  return (pipeline) => (input) => {
    if (typeof input !== 'string' && !(input instanceof Uint8Array))
      throw new TypeError(`predict: an image is a file path or its bytes (a Buffer), or a prepared tensor; got ${input === null ? 'null' : typeof input}`);
    return imageToTensor(input, pipeline);
  };
}

function isTensor(x: unknown): x is Tensor {
  return typeof x === 'object' && x !== null && typeof (x as Tensor).dim === 'function' && typeof (x as Tensor).shape !== 'undefined';
}
