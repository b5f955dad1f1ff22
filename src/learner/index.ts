/** The Learner, its callbacks, metrics, schedules, checkpoints, export and interpretation. */
export { Learner, type LearnerOptions, type FitOptions } from './learner.js';
export { trainableParams, normBiasParams, type Splitter as ParamSplitter } from './params.js';
export { defaultCallbacks } from './defaults.js';
export type { FitOneCycleOptions, FineTuneOptions } from './one-cycle.js';
export type { LrFindOptions, LrFindResult } from './lr-find.js';
export type { GetPredsOptions, Preds, TtaOptions } from './get-preds.js';
export type { Prediction } from './predict.js';
export type { LearnerSnapshot } from './save-load.js';
export { Callback, TrainEvalCallback, callbackName, type CallbackLike, type CallbackHandlers, type EventHandler } from './callback.js';
export {
  EVENTS, INNER_LOOP, CancelException, CancelFitException, CancelEpochException, CancelTrainException, CancelValidException,
  CancelBatchException, CancelBackwardException, CancelStepException, TrainingError, NonFiniteLossError, TrainingInterrupted,
  CallbackError, type Event,
} from './events.js';
export { accuracy, errorRate, AvgMetric, AvgLoss, AvgSmoothLoss, toMetric, type Metric, type MetricFunc, type MetricLike } from './metrics.js';
export { crossEntropyLossFlat, mseLossFlat, type LossFunc, type CrossEntropyLossFlatOptions } from './loss.js';
export { Recorder, formatTime, TableWriter } from './recorder.js';
export { ProgressCallback, type ProgressMode, type ProgressOptions } from './progress.js';
export {
  schedLin, schedCos, schedNo, schedExp, combineScheds, combinedCos, ParamScheduler, LRFinder, valley, minimum, steep,
  type Schedule, type HyperVal, type Suggestion, type SuggestionName, type LRFinderOptions,
} from './schedule.js';
export { TerminateOnNaN } from './terminate.js';
export { MixedPrecision, cpuBf16Support, resolvePrecision, type Precision, type MixedPrecisionConfig } from './precision.js';
export { saveTrainingCheckpoint, loadTrainingCheckpoint, type FitProgress, type Checkpoint } from './checkpoint.js';
export { exportLearner, readExport, EXPORT_FORMAT, EXPORT_FORMAT_VERSION, type ExportContents } from './export.js';
export { loadLearner, inferenceDataLoaders, type LoadLearnerOptions } from './load.js';
export {
  registerModelKind, registerInputPipeline, registerInputPreparer, modelKind, registeredModelKinds, inputPipelineKind, prepareInput,
  type ModelSpec, type ModelBuilder, type ModelBuildContext, type InputPipelineKind, type InputPreparerFactory, type TestDl,
} from './export-kinds.js';
export { registerOnnxExporter, type OnnxExporter, type OnnxExportOptions } from './export-kinds.js';
export { ClassificationInterpretation } from './interpret.js';
export { TensorDataLoader, tensorDataLoaders, type TensorDataLoaderOptions, type TensorDataLoadersOptions } from './tensor-data.js';
export { lrSlice, type LrSlice } from '../optim/hypers.js';
export { measureSpeed, type Speed, type SpeedOptions } from './speed.js';
export { ChannelsLast, usesChannelsLast } from './channels-last.js';
export { DistributedTrainer, DistributedTrainingError, toDistributed, distribCtx, isRankZero, type DistributedOptions } from './distributed.js';
