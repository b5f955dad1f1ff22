/**
 * fastai's lr_find: a short fit with an exponentially growing learning rate (the LRFinder
 * callback), which records the smoothed loss and puts the model back afterwards, then the
 * suggested learning rates and, with `plot`, the loss-against-lr plot.
 */
import { setFitContext } from './interrupt.js';
import type { Learner } from './learner.js';
import { plotLrFind } from './plots.js';
import { LRFinder, SUGGESTION_FUNCS, type Suggestion, type SuggestionName } from './schedule.js';

export interface LrFindOptions {
  startLr?: number;
  endLr?: number;
  numIt?: number;
  stopDiv?: boolean;
  /** Which suggestions to make (default ['valley']). */
  suggestFuncs?: SuggestionName[];
  /** Write the plot (loss against learning rate) as PNG here. */
  plot?: string;
}

export interface LrFindResult {
  /** The suggestions by name: `result.valley`. */
  valley?: number;
  minimum?: number;
  steep?: number;
  suggestions: Partial<Record<SuggestionName, Suggestion>>;
  /** The recorded learning rates and smoothed losses. */
  lrs: number[];
  losses: number[];
  plotFile?: string;
}

/**
 * Trains with the learning rate growing from 1e-7 to 10 over 100 batches (by default), records the
 * smoothed loss, puts the model back, and suggests a learning rate ('valley' by default). The fit
 * runs without TerminateOnNaN (the finder stops at divergence itself) and cannot be resumed.
 */
export async function lrFind(learn: Learner, options: LrFindOptions = {}): Promise<LrFindResult> {
  const { startLr = 1e-7, endLr = 10, numIt = 100, stopDiv = true, suggestFuncs = ['valley'] } = options;
  const nEpoch = Math.floor(numIt / Math.max(1, learn.dls.train.length)) + 1;
  const finder = new LRFinder({ startLr, endLr, numIt, stopDiv });
  const nanCbs = learn.cbsNamed('TerminateOnNaN');
  const prev = setFitContext(learn, { method: 'fit', nEpoch, resumable: false });
  learn.removeCbs(nanCbs);
  try {
    await learn.noLogging(() => learn.fit(nEpoch, { cbs: [finder] }));
  } finally {
    learn.addCbs(nanCbs);
    setFitContext(learn, prev);
  }
  const rec = learn.recorder;
  if (rec === null) throw new Error('lrFind needs the Recorder callback (defaultCbs: true)');
  const cut = Math.floor(numIt / 10);
  let lrs = rec.lrs.slice(cut, -5);
  let losses = rec.losses.slice(cut, -5);
  const firstNaN = losses.findIndex((l) => Number.isNaN(l));
  if (firstNaN >= 0) {
    lrs = lrs.slice(0, firstNaN);
    losses = losses.slice(0, firstNaN);
  }
  const result: LrFindResult = { suggestions: {}, lrs: rec.lrs.slice(), losses: rec.losses.slice() };
  if (lrs.length < 2) {
    process.emitWarning(`lrFind: only ${lrs.length} usable points (the loss diverged at once or the data is too small): no suggestion. Try a smaller startLr or more batches.`);
  } else {
    for (const name of suggestFuncs) {
      const f = SUGGESTION_FUNCS[name];
      if (f === undefined) throw new Error(`lrFind: unknown suggestion '${String(name)}' (have: ${Object.keys(SUGGESTION_FUNCS).join(', ')})`);
      const s = f(lrs, losses);
      result.suggestions[name] = s;
      result[name] = s.lr;
    }
  }
  if (options.plot !== undefined) result.plotFile = await plotLrFind(rec.lrs, rec.losses, result.suggestions, options.plot);
  return result;
}
