/** Optimizers in fastai's manner: parameter groups with their own hyper-parameters, in-place steps. */
export {
  Optimizer, type Hypers, type ParamState, type ParamEntry, type OptimizerOptions, type OptFunc, type OptimizerMeta,
} from './optimizer.js';
export { Adam, AdamOptimizer, type AdamOptions } from './adam.js';
export { SGD, SGDOptimizer, type SGDOptions } from './sgd.js';
export { lrSlice, isLrSlice, evenMults, spreadHyper, type LrSlice, type HyperValue } from './hypers.js';
