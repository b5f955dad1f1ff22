/**
 * Training checkpoints (`learn.save` / `learn.load`, and the file Ctrl-C writes): one safetensors
 * file with the model's state (`model.<name>`), the optimizer's running averages (`opt.<g>.<i>.<key>`)
 * and, as JSON metadata, the optimizer's hyper-parameters and where the fit was (to resume it).
 * Nothing in it is code.
 */
import { existsSync } from 'node:fs';
import { owletVersion, type Tensor } from '../engine/index.js';
import { loadSafetensorsFile, readSafetensorsHeader, saveSafetensors, SafetensorsError } from '../io/index.js';
import type { AnyModule } from '../nn/module.js';
import type { Optimizer, OptimizerMeta } from '../optim/optimizer.js';

export const CHECKPOINT_VERSION = 1;

/** Where a fit was: which method, which phase of fineTune, and the epoch to start from. */
export interface FitProgress {
  method: 'fit' | 'fitOneCycle' | 'fineTune';
  phase?: 1 | 2;
  nEpoch: number;
  /** The first epoch not yet done. */
  epoch: number;
}

export interface Checkpoint {
  model: Map<string, Tensor>;
  opt: { tensors: Map<string, Tensor>; meta: OptimizerMeta } | null;
  progress: FitProgress | null;
}

export function saveTrainingCheckpoint(file: string, model: AnyModule, opt: Optimizer | null, progress: FitProgress | null): void {
  const tensors = new Map<string, Tensor>();
  for (const [k, v] of model.stateDict()) tensors.set(`model.${k}`, v);
  const metadata: Record<string, string> = {
    'owlet.kind': 'checkpoint',
    'owlet.checkpoint_version': String(CHECKPOINT_VERSION),
    'owlet.version': owletVersion(),
  };
  if (opt !== null) {
    const sd = opt.stateDict();
    for (const [k, v] of sd.tensors) tensors.set(`opt.${k}`, v);
    metadata['owlet.optimizer'] = JSON.stringify(sd.meta);
  }
  if (progress !== null) metadata['owlet.progress'] = JSON.stringify(progress);
  saveSafetensors(file, tensors, metadata);
}

function parse<T>(file: string, key: string, text: string | undefined): T | null {
  if (text === undefined) return null;
  try {
    return JSON.parse(text) as T;
  } catch (e) {
    throw new Error(`${file}: the checkpoint's '${key}' metadata is not valid JSON (${(e as Error).message}): the file is damaged`);
  }
}

function checkMeta(file: string, metadata: Record<string, string>): void {
  if (metadata['owlet.kind'] !== 'checkpoint') {
    if (metadata['format'] === 'owlet.learner') throw new Error(`${file} is an exported model (learn.export), not a training checkpoint: open it with loadLearner()`);
    throw new Error(`${file} is not an owlet checkpoint (no 'owlet.kind' metadata); plain weights load with model.loadStateDict(loadSafetensorsFile(file))`);
  }
  const v = Number(metadata['owlet.checkpoint_version']);
  if (!(v >= 1 && v <= CHECKPOINT_VERSION))
    throw new Error(`${file} is a checkpoint of format version ${metadata['owlet.checkpoint_version']} (owlet ${metadata['owlet.version'] ?? '?'}); this owlet (${owletVersion()}) reads up to ${CHECKPOINT_VERSION}`);
}

/** Reads a checkpoint; with `metaOnly`, only its header (no tensors). */
export function loadTrainingCheckpoint(file: string, options: { metaOnly?: boolean } = {}): Checkpoint {
  if (!existsSync(file)) throw new Error(`no checkpoint at ${file}`);
  if (options.metaOnly) {
    const h = readSafetensorsHeader(file);
    checkMeta(file, h.metadata);
    return { model: new Map(), opt: null, progress: parse<FitProgress>(file, 'owlet.progress', h.metadata['owlet.progress']) };
  }
  let metadata: Record<string, string>;
  let all: Map<string, Tensor>;
  try {
    metadata = readSafetensorsHeader(file).metadata;
    checkMeta(file, metadata);
    all = loadSafetensorsFile(file);
  } catch (e) {
    if (e instanceof SafetensorsError) throw new Error(`cannot load the checkpoint: ${e.message}`, { cause: e });
    throw e;
  }
  const model = new Map<string, Tensor>();
  const optTensors = new Map<string, Tensor>();
  for (const [k, v] of all) {
    if (k.startsWith('model.')) model.set(k.slice(6), v);
    else if (k.startsWith('opt.')) optTensors.set(k.slice(4), v);
  }
  const optMeta = parse<OptimizerMeta>(file, 'owlet.optimizer', metadata['owlet.optimizer']);
  return {
    model,
    opt: optMeta === null ? null : { tensors: optTensors, meta: optMeta },
    progress: parse<FitProgress>(file, 'owlet.progress', metadata['owlet.progress']),
  };
}
