/**
 * `tabularLearner(dls, options)`: fastai's `tabular_learner` — a TabularModel sized from the data
 * (an embedding a categorical column, by fastai's `emb_sz_rule` unless `embSzs` says otherwise),
 * layers [200, 100] by default, cross-entropy for a categorical target and MSE for a regression
 * (with `yRange` for its outputs), fastai's Adam, one parameter group. Its export (learn.export)
 * holds the processors' state, so `loadLearner(file).predict(row)` needs nothing else.
 *
 *     const learn = tabularLearner(dls, { layers: [200, 100], metrics: [accuracy] });
 *     await learn.fitOneCycle(5, { lrMax: 1e-2 });
 *     await learn.predict({ Sex: 'female', Pclass: 1, Age: 30, Fare: 80 });
 */
import { Learner, type LearnerOptions } from '../learner/learner.js';
import { crossEntropyLossFlat, mseLossFlat } from '../learner/loss.js';
import type { TabularDataLoaders } from './dataloaders.js';
import { buildTabularModel, embSzRule, type TabularModelOptions, type TabularModelSpec } from './model.js';
// A tabular learner's export loads back: this registers the tabular model kind and pipeline.
import './export.js';

export interface TabularLearnerOptions extends LearnerOptions, TabularModelOptions {
  /** Hidden layer sizes (default fastai's [200, 100]). */
  layers?: number[];
  /** Embedding widths by column name, instead of the rule's. */
  embSzs?: Record<string, number>;
  /** Outputs (default: the number of classes, or of target columns for a regression). */
  nOut?: number;
}

/** fastai's `get_emb_sz`: [classes, width] for each categorical column (`#na#` counted). */
export function getEmbSz(dls: TabularDataLoaders, szDict: Record<string, number> = {}): [number, number][] {
  return dls.catNames.map((n) => {
    const nCat = dls.state.classes[n]!.length;
    return [nCat, szDict[n] ?? embSzRule(nCat)];
  });
}

export function tabularLearner(dls: TabularDataLoaders, options: TabularLearnerOptions = {}): Learner {
  const { layers = [200, 100], embSzs, nOut: nOutOpt, ps, embedP, yRange, useBn, bnFinal, bnCont, ...learnerOptions } = options;
  const nOut = nOutOpt ?? dls.c;
  if (!Number.isInteger(nOut) || nOut < 1) throw new Error(`tabularLearner: cannot tell the number of outputs (dls.c is ${dls.c}): pass nOut`);
  const modelOptions: TabularModelOptions = {};
  if (ps !== undefined) modelOptions.ps = ps;
  if (embedP !== undefined) modelOptions.embedP = embedP;
  if (yRange !== undefined) modelOptions.yRange = yRange;
  if (useBn !== undefined) modelOptions.useBn = useBn;
  if (bnFinal !== undefined) modelOptions.bnFinal = bnFinal;
  if (bnCont !== undefined) modelOptions.bnCont = bnCont;
  const spec: TabularModelSpec = { kind: 'tabular', embSzs: getEmbSz(dls, embSzs), nCont: dls.contNames.length, outSz: nOut, layers: [...layers], options: modelOptions };
  const model = buildTabularModel(spec);
  const lossFunc = learnerOptions.lossFunc ?? (dls.state.yBlock === 'category' ? crossEntropyLossFlat() : mseLossFlat());
  const learn = new Learner(dls, model, { ...learnerOptions, lossFunc });
  learn.modelSpec = spec;
  return learn;
}
