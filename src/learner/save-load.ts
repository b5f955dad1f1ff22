/**
 * Keeping a learner's state: `save`/`load` write and read a training checkpoint (checkpoint.ts)
 * under `<path>/<modelDir>`, and `snapshot`/`restore` keep a copy in memory (what lrFind puts back).
 */
import { mkdirSync } from 'node:fs';
import { dirname, extname, isAbsolute, join } from 'node:path';
import { noGrad, type Tensor } from '../engine/index.js';
import type { Optimizer } from '../optim/optimizer.js';
import { isRankZero } from './distributed.js';
import { loadTrainingCheckpoint, saveTrainingCheckpoint, type FitProgress } from './checkpoint.js';
import type { Learner } from './learner.js';

/** What `snapshot()` keeps and `restore()` puts back: weights, buffers and optimizer state. */
export interface LearnerSnapshot {
  model: Map<string, Tensor>;
  opt: ReturnType<Optimizer['stateDict']> | null;
  requiresGrad: boolean[];
}

/** The file `save(name)` writes: `<path>/<modelDir>/<name>.safetensors` (a path with an extension is used as is). */
export function checkpointPath(learn: Learner, name: string): string {
  if (extname(name) !== '' || isAbsolute(name)) return name;
  return join(learn.path, learn.modelDir, `${name}.safetensors`);
}

/** Saves the weights (and with `withOpt`, default true, the optimizer's state) to one safetensors file. Returns its path. */
export function save(learn: Learner, name: string, options: { withOpt?: boolean; progress?: FitProgress | null } = {}): string {
  const file = learn.checkpointPath(name);
  if (!isRankZero()) return file; // data-parallel: rank 0 writes (fastai's save does the same)
  mkdirSync(dirname(file), { recursive: true });
  saveTrainingCheckpoint(file, learn.model, options.withOpt ?? true ? learn.opt : null, options.progress ?? null);
  return file;
}

/** Loads what `save` wrote; returns the fit progress stored with it (checkpoints made on Ctrl-C have one). */
export function load(learn: Learner, name: string, options: { withOpt?: boolean; strict?: boolean } = {}): FitProgress | null {
  const file = learn.checkpointPath(name);
  const ck = loadTrainingCheckpoint(file);
  noGrad(() => learn.model.loadStateDict(ck.model, { strict: options.strict ?? true }));
  if ((options.withOpt ?? true) && ck.opt !== null) {
    const opt = learn.opt ?? learn.createOpt();
    opt.freezeTo(ck.opt.meta.frozenIdx);
    try {
      opt.loadStateDict(ck.opt.tensors, ck.opt.meta);
    } catch (e) {
      throw new Error(`${file}: the optimizer state does not fit this learner: ${(e as Error).message}. Load with {withOpt: false} to take the weights only.`);
    }
  }
  return ck.progress;
}

/** A copy of the weights, buffers and optimizer state, for `restore`. */
export function snapshot(learn: Learner): LearnerSnapshot {
  return noGrad(() => {
    const model = new Map<string, Tensor>();
    for (const [k, v] of learn.model.stateDict()) model.set(k, v.clone());
    let opt: LearnerSnapshot['opt'] = null;
    if (learn.opt !== null) {
      const sd = learn.opt.stateDict();
      const tensors = new Map<string, Tensor>();
      for (const [k, v] of sd.tensors) tensors.set(k, v.clone());
      opt = { tensors, meta: JSON.parse(JSON.stringify(sd.meta)) as typeof sd.meta };
    }
    return { model, opt, requiresGrad: learn.model.parameters().map((p) => p.requiresGrad) };
  });
}

/** Puts back what `snapshot` kept. */
export function restore(learn: Learner, s: LearnerSnapshot): void {
  noGrad(() => learn.model.loadStateDict(s.model));
  if (s.opt !== null && learn.opt !== null) learn.opt.loadStateDict(s.opt.tensors, s.opt.meta);
  learn.model.parameters().forEach((p, i) => {
    const rg = s.requiresGrad[i];
    if (rg !== undefined && p.requiresGrad !== rg) p.requiresGrad_(rg);
  });
}
