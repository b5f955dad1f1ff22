/** Tables: a small data frame, CSV reading, fastai's tabular processors, data loaders and learner. */
export { DataFrame, inferDtype, compareValues, valueText, type Value, type Dtype, type Row } from './dataframe.js';
export { readCsv, typeColumns, type ReadCsvOptions } from './csv.js';
export { TabularDataError } from './errors.js';
export { contCatSplit } from './cont-cat-split.js';
export {
  Categorify, FillMissing, Normalize, setupProcs, applyProcs, resolveProcs,
  type TabularProc, type ProcSpec, type FillStrategy, type TabularState, type TabularColumns, type Encoded,
} from './procs.js';
export { TabularDataLoaders, TabDataLoader, tabularTestDl, itemsFrame, type TabularDataLoadersOptions, type TabularPipeline, type TabularItems } from './dataloaders.js';
export { TabularModel, LinBnDrop, SigmoidRange, embSzRule, fastaiEmbedding, buildTabularModel, type TabularModelOptions, type TabularModelSpec } from './model.js';
export { tabularLearner, getEmbSz, type TabularLearnerOptions } from './learner.js';
