/**
 * fastai's training policies over `fit`: `fitOneCycle` (the one-cycle schedule of learning rate and
 * momentum, as a ParamScheduler callback) and `fineTune` (a frozen one-cycle fit of the head, then
 * one of the whole model at discriminative rates). Both resume from a Ctrl-C checkpoint.
 */
import { lrSlice, type HyperValue } from '../optim/hypers.js';
import { loadTrainingCheckpoint } from './checkpoint.js';
import { fitContext, loadForResume, setFitContext, type FitContext } from './interrupt.js';
import type { FitOptions, Learner } from './learner.js';
import { combinedCos, ParamScheduler } from './schedule.js';

export interface FitOneCycleOptions extends Omit<FitOptions, 'lr'> {
  /** Peak learning rate(s) (default: the learner's lr). */
  lrMax?: HyperValue;
  /** lr starts at lrMax/div (default 25). */
  div?: number;
  /** lr ends at lrMax/divFinal (default 1e5). */
  divFinal?: number;
  /** Fraction of steps spent warming up (default 0.25). */
  pctStart?: number;
  moms?: [number, number, number];
}

export interface FineTuneOptions extends Omit<FitOneCycleOptions, 'lrMax' | 'startEpoch'> {
  /** Default 2e-3. */
  baseLr?: number;
  /** Epochs with the body frozen (default 1). */
  freezeEpochs?: number;
  /** The body's lr is the head's divided by this (default 100). */
  lrMult?: number;
}

/** fastai's fit_one_cycle: lr cosine warm-up from lrMax/div to lrMax over pctStart, then cosine down to lrMax/divFinal; momentum the other way. */
export async function fitOneCycle(learn: Learner, nEpoch: number, options: FitOneCycleOptions = {}): Promise<void> {
  const { lrMax, div = 25, divFinal = 1e5, pctStart = 0.25, moms, cbs = [], ...rest } = options;
  let startEpoch = rest.startEpoch;
  const ctx: FitContext = fitContext(learn) ?? { method: 'fitOneCycle', nEpoch, resumable: true };
  if (rest.resume !== undefined) {
    startEpoch = loadForResume(learn, rest.resume, ctx.method)?.epoch ?? startEpoch;
  }
  if (learn.opt === null) learn.createOpt();
  learn.opt!.setHyper('lr', lrMax ?? learn.lr);
  const lrMaxes = learn.opt!.hypers.map((h) => h['lr']!);
  const [m0, m1, m2] = moms ?? learn.moms;
  const scheds = {
    lr: combinedCos(pctStart, lrMaxes.map((l) => l / div), lrMaxes, lrMaxes.map((l) => l / divFinal)),
    mom: combinedCos(pctStart, m0, m1, m2),
  };
  const prev = setFitContext(learn, ctx);
  try {
    await learn.fit(nEpoch, { ...rest, resume: undefined, startEpoch, cbs: [new ParamScheduler(scheds), ...cbs] });
  } finally {
    setFitContext(learn, prev);
  }
}

/**
 * fastai's fine_tune: `freezeEpochs` one-cycle epochs with the body frozen at `lrSlice(baseLr)`
 * (pctStart 0.99), then `baseLr /= 2`, unfreeze, and `epochs` one-cycle epochs at
 * `lrSlice(baseLr/lrMult, baseLr)` with `pctStart` 0.3 and `div` 5. Two tables.
 */
export async function fineTune(learn: Learner, epochs: number, options: FineTuneOptions = {}): Promise<void> {
  const { baseLr = 2e-3, freezeEpochs = 1, lrMult = 100, pctStart = 0.3, div = 5, resume, ...kwargs } = options;
  let phase1Start = 0;
  let phase2Start = 0;
  let skipPhase1 = false;
  let pending: string | undefined = resume;
  if (resume !== undefined) {
    const progress = loadTrainingCheckpoint(resume, { metaOnly: true }).progress;
    if (progress !== null && progress.method !== 'fineTune')
      throw new Error(`resume: ${resume} was saved by ${progress.method}(), not fineTune(): resume it with learn.${progress.method}(…, {resume})`);
    if (progress?.phase === 2) {
      skipPhase1 = true;
      phase2Start = progress.epoch;
    } else phase1Start = progress?.epoch ?? 0;
  }
  const prev = fitContext(learn);
  try {
    if (!skipPhase1) {
      learn.freeze();
      if (pending !== undefined) {
        loadForResume(learn, pending, 'fineTune');
        pending = undefined;
      }
      setFitContext(learn, { method: 'fineTune', phase: 1, nEpoch: freezeEpochs, resumable: true });
      await learn.fitOneCycle(freezeEpochs, { ...kwargs, lrMax: lrSlice(baseLr), pctStart: 0.99, startEpoch: phase1Start });
    }
    const half = baseLr / 2;
    learn.unfreeze();
    if (pending !== undefined) loadForResume(learn, pending, 'fineTune');
    setFitContext(learn, { method: 'fineTune', phase: 2, nEpoch: epochs, resumable: true });
    await learn.fitOneCycle(epochs, { ...kwargs, lrMax: lrSlice(half / lrMult, half), pctStart, div, startEpoch: phase2Start });
  } finally {
    setFitContext(learn, prev);
  }
}
