/** owlet: deep learning for TypeScript in the fastai style, on libtorch. */
export * from './engine/index.js';
export * from './io/index.js';
export * from './hub/index.js';
export * as nn from './nn/index.js';
export * from './models/index.js';
export * from './learner/index.js';
export * from './optim/index.js';
export { visionLearner, type VisionLearnerOptions } from './vision/learner.js';
export { createHead, TimmBody, FastaiFlatten, type HeadOptions } from './vision/head.js';
// loadLearner rebuilds vision models and prepares images for whoever imports owlet: vision registers them here.
export type { VisionModelSpec } from './vision/head.js';
export type { ZooModelSpec } from './vision/export.js';
import './vision/export.js';
export * from './data/index.js';
export { ImageDataLoaders, type ImageDataLoadersOptions, type FromOptions } from './vision/data.js';
// learn.exportOnnx writes ONNX for whoever imports owlet: the ONNX layer registers its writer here.
export { modelToOnnx, exportLearnerOnnx, registerConverter, OnnxExportError, type ModelToOnnxOptions } from './onnx/index.js';
// Tables (src/tabular): the data frame, fastai's processors, TabularDataLoaders and tabularLearner; importing it registers the tabular export kinds.
// Its Normalize is fastai's tabular one: here `TabularNormalize` (the image Normalize keeps the name), or `tabular.Normalize`.
export {
  DataFrame, readCsv, contCatSplit, Categorify, FillMissing, Normalize as TabularNormalize, TabularDataLoaders, tabularLearner, TabularModel, LinBnDrop,
  SigmoidRange, embSzRule, getEmbSz, TabularDataError,
  type Row, type Value, type Dtype, type TabularProc, type TabularDataLoadersOptions, type TabularLearnerOptions, type TabularModelSpec, type TabularState,
} from './tabular/index.js';
export * as tabular from './tabular/index.js';
