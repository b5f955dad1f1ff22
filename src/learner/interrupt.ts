/**
 * Ctrl-C and resume. During a fit, the first Ctrl-C lets the current batch finish; before the next
 * one, the learner saves a checkpoint (`<path>/<modelDir>/interrupted.safetensors`, with where the
 * fit was) and stops with `TrainingInterrupted`, which says how to resume. A second Ctrl-C quits at
 * once. `fit`, `fitOneCycle` and `fineTune` take `{resume: file}` and skip the epochs it had done.
 *
 * What the checkpoint records comes from the fit context: which method runs (fineTune's phase,
 * the number of epochs) and whether it can be resumed at all (lrFind's fit cannot).
 */
import type { FitProgress } from './checkpoint.js';
import { TrainingInterrupted } from './events.js';
import type { Learner } from './learner.js';

/** The fit that runs, as a checkpoint records it. */
export interface FitContext {
  method: 'fit' | 'fitOneCycle' | 'fineTune';
  phase?: 1 | 2;
  nEpoch: number;
  resumable: boolean;
}

interface InterruptState {
  context: FitContext | null;
  /** Ctrl-C was pressed: stop before the next batch. */
  pending: boolean;
}

const states = new WeakMap<Learner, InterruptState>();

function stateOf(learn: Learner): InterruptState {
  let s = states.get(learn);
  if (s === undefined) {
    s = { context: null, pending: false };
    states.set(learn, s);
  }
  return s;
}

/** The fit context set by the method that runs (fitOneCycle, fineTune, lrFind), or null in a plain fit. */
export function fitContext(learn: Learner): FitContext | null {
  return stateOf(learn).context;
}

/** Sets the fit context; returns the one before, to put back when the method ends. */
export function setFitContext(learn: Learner, context: FitContext | null): FitContext | null {
  const s = stateOf(learn);
  const prev = s.context;
  s.context = context;
  return prev;
}

/** Listens for Ctrl-C during a fit; returns what stops listening. */
export function installInterrupt(learn: Learner): () => void {
  const s = stateOf(learn);
  const handler = () => {
    if (s.pending) {
      process.off('SIGINT', handler);
      process.kill(process.pid, 'SIGINT');
      return;
    }
    s.pending = true;
    process.stderr.write('\nInterrupted: finishing this batch and saving a checkpoint (Ctrl-C again to quit at once)\n');
  };
  process.on('SIGINT', handler);
  return () => {
    process.off('SIGINT', handler);
  };
}

/** Between batches: after a Ctrl-C, saves the checkpoint and throws `TrainingInterrupted`. */
export function checkInterrupt(learn: Learner): void {
  const s = stateOf(learn);
  if (!s.pending) return;
  s.pending = false;
  const ctx = s.context;
  for (const cb of learn.cbs) cb.cleanup?.(learn);
  if (ctx === null || !ctx.resumable) throw new TrainingInterrupted('training interrupted (Ctrl-C)', null);
  const epoch = learn.training ? learn.epoch : learn.epoch + 1;
  const progress: FitProgress = { method: ctx.method, nEpoch: ctx.nEpoch, epoch, ...(ctx.phase ? { phase: ctx.phase } : {}) };
  const file = learn.save('interrupted', { withOpt: true, progress });
  const call = ctx.method === 'fineTune' ? 'fineTune(…' : `${ctx.method}(${ctx.nEpoch}`;
  throw new TrainingInterrupted(
    `training interrupted (Ctrl-C) in epoch ${learn.epoch}${ctx.phase ? ` of fineTune's phase ${ctx.phase}` : ''}: checkpoint saved to ${file}.\n` +
      `Resume with learn.${call}, { resume: '${file}' }) (same arguments as before); epochs from ${epoch} on will run.`,
    file,
  );
}

/** Loads a checkpoint to resume `method` from; refuses one saved by another method. */
export function loadForResume(learn: Learner, file: string, method: FitContext['method']): FitProgress | null {
  const progress = learn.load(file, { withOpt: true });
  if (progress !== null && progress.method !== method)
    throw new Error(`resume: ${file} was saved by ${progress.method}(), not ${method}(): resume it with learn.${progress.method}(…, {resume})`);
  if (progress !== null) process.stderr.write(`Resuming from ${file}: epoch ${progress.epoch}${progress.phase ? ` of phase ${progress.phase}` : ''}\n`);
  return progress;
}
