/**
 * `Learner`: a model, its data, a loss and an optimizer, trained by fastai's callback loop.
 *
 *     const learn = new Learner(dls, model, { metrics: [errorRate] });
 *     await learn.fitOneCycle(3, { lrMax: 1e-3 });
 *
 * Defaults are fastai's: Adam, lr 1e-3, cross-entropy, no weight decay on norm layers and biases,
 * norm layers trainable while frozen, moms (0.95, 0.85, 0.95), the callbacks of defaults.ts.
 *
 * The loop, the callbacks and the batch's tensors are LearnerLoop's (loop.ts). The methods here
 * are thin: each calls the function, over the learner, of the file that holds its concept — as
 * fastai patches them onto Learner — the optimizer and freezing (params.ts), the schedules
 * (one-cycle.ts), the learning-rate finder (lr-find.ts), validation, predictions and TTA
 * (get-preds.ts, predict.ts), precision (precision.ts), devices (device.ts), saving (save-load.ts),
 * Ctrl-C and resuming (interrupt.ts), export (export.ts).
 */
import { ChannelsLast } from './channels-last.js';
import type { Tensor } from '../engine/index.js';
import type { DataLoader } from '../data/types.js';
import type { HyperValue } from '../optim/hypers.js';
import type { OptFunc, Optimizer } from '../optim/optimizer.js';
import type { CallbackLike } from './callback.js';
import type { FitProgress } from './checkpoint.js';
import { firstDevice, moveLearner } from './device.js';
import { exportLearner } from './export.js';
import { exportOnnxWith, type OnnxExportOptions } from './export-kinds.js';
import { getPreds, tta, validate, type GetPredsOptions, type Preds, type TtaOptions } from './get-preds.js';
import { LearnerLoop } from './loop.js';
import type { LossFunc } from './loss.js';
import { lrFind, type LrFindOptions, type LrFindResult } from './lr-find.js';
import type { MetricLike } from './metrics.js';
import { fineTune, fitOneCycle, type FineTuneOptions, type FitOneCycleOptions } from './one-cycle.js';
import { createOpt, freeze, freezeTo, type Splitter } from './params.js';
import { predict, predictBatch, type Prediction } from './predict.js';
import { resolvePrecision, setPrecision, type Precision } from './precision.js';
import { checkpointPath, load, restore, save, snapshot, type LearnerSnapshot } from './save-load.js';

export type { Splitter } from './params.js';

export interface LearnerOptions {
  /** Default: cross-entropy over the last axis (fastai's CrossEntropyLossFlat). */
  lossFunc?: LossFunc;
  /** Default: fastai's Adam. */
  optFunc?: OptFunc;
  /** Default 1e-3. */
  lr?: number;
  splitter?: Splitter;
  cbs?: CallbackLike[];
  metrics?: MetricLike[];
  /** Where `save`/`load` and checkpoints go: `<path>/<modelDir>` (default: the data's `dls.path` or `.`, and `models`). */
  path?: string;
  modelDir?: string;
  /** Weight decay for every fit (default: the optimizer's own, 0.01 for Adam). */
  wd?: number | null;
  /** Apply weight decay to norm layers and biases too (default false). */
  wdBnBias?: boolean;
  /** Norm layers keep training in frozen groups (default true). */
  trainBn?: boolean;
  moms?: [number, number, number];
  /** Add the callbacks of `defaultCallbacks`: TrainEvalCallback, Recorder, ProgressCallback, TerminateOnNaN (default true). */
  defaultCbs?: boolean;
  /** Where the epoch table goes (default: stdout); null for none. */
  logger?: ((line: string) => void) | null;
}

export interface FitOptions {
  /** Learning rate(s) for this fit: a number, one per group, or lrSlice(...). */
  lr?: HyperValue;
  wd?: number;
  /** Callbacks for this fit only. */
  cbs?: CallbackLike[];
  /** Make a new optimizer first. */
  resetOpt?: boolean;
  /** Skip the epochs before this one (their schedule positions are skipped too). */
  startEpoch?: number;
  /** A checkpoint (saved on Ctrl-C) to resume from: loads it and skips the epochs it had done. */
  resume?: string;
}

export class Learner extends LearnerLoop {
  /** Makes the optimizer over the splitter's groups; flags norm and bias parameters as fastai does. */
  createOpt(): Optimizer {
    return createOpt(this);
  }

  /** Freezes the parameter groups before `n` (their norm layers keep training); clears the optimizer's state. */
  freezeTo(n: number): void {
    freezeTo(this, n);
  }

  /** Freezes all groups but the last (the head). */
  freeze(): void {
    freeze(this);
  }

  unfreeze(): void {
    this.freezeTo(0);
  }

  /** fastai's fit_one_cycle (one-cycle.ts). */
  fitOneCycle(nEpoch: number, options: FitOneCycleOptions = {}): Promise<void> {
    return fitOneCycle(this, nEpoch, options);
  }

  /** fastai's fine_tune: the head frozen for `freezeEpochs`, then the whole model (one-cycle.ts). */
  fineTune(epochs: number, options: FineTuneOptions = {}): Promise<void> {
    return fineTune(this, epochs, options);
  }

  /** fastai's lr_find: suggests a learning rate, and puts the model back (lr-find.ts). */
  lrFind(options: LrFindOptions = {}): Promise<LrFindResult> {
    return lrFind(this, options);
  }

  /** The validation loss and metrics over `dl` (default the validation set): `[valid_loss, ...metrics]` (get-preds.ts). */
  validate(dl?: DataLoader): Promise<(number | null)[]> {
    return validate(this, (d) => this.validationPass(d), dl);
  }

  /** Predictions over `dl` (default the validation set), in its order, with targets and what the options ask (get-preds.ts). */
  getPreds(dl?: DataLoader, options: GetPredsOptions = {}): Promise<Preds> {
    return getPreds(this, (d) => this.validationPass(d), dl, options);
  }

  /** fastai's tta: augmented passes blended with the plain predictions (get-preds.ts). */
  tta(dl?: DataLoader, options: TtaOptions = {}): Promise<Preds & { augmented?: Tensor }> {
    return tta(this, dl, options);
  }

  /** Predicts one item, a prepared tensor or a raw input (predict.ts). */
  predict(input: unknown): Promise<Prediction> {
    return predict(this, input);
  }

  /** Predicts many items: a prepared batch tensor, or an array of inputs, `bs` at a time (predict.ts). */
  predictBatch(inputs: Tensor | readonly unknown[], options: { bs?: number } = {}): Promise<Prediction[]> {
    return predictBatch(this, inputs, options);
  }

  /**
   * Mixed precision (fastai's to_fp16): fp16 autocast with a dynamic loss scale on CUDA; bf16
   * autocast with channels-last on a CPU that has bf16 instructions (AVX512-BF16 or AMX). Refused,
   * with the reason, where neither applies. Weights stay float32.
   */
  toFp16(options: { precision?: Precision } = {}): this {
    setPrecision(this, resolvePrecision(options.precision ?? 'mixed', firstDevice(this.model)));
    return this;
  }

  /** Channels-last weights and batches (fastai's `to_channelslast`): faster narrow convolutions on a CPU. */
  toChannelsLast(): this {
    if (this.cbsNamed('ChannelsLast').length === 0) this.addCb(new ChannelsLast());
    this.model.to({ memoryFormat: 'channelsLast' });
    return this;
  }

  /** Back to full float32. */
  toFp32(): this {
    setPrecision(this, null);
    return this;
  }

  /** Moves the model (and the optimizer's state) to a device: `learn.to('cuda')`. */
  to(device: string): this {
    moveLearner(this, device);
    return this;
  }

  /** The file `save(name)` writes: `<path>/<modelDir>/<name>.safetensors` (a path with an extension is used as is). */
  checkpointPath(name: string): string {
    return checkpointPath(this, name);
  }

  /** Saves the weights (and with `withOpt`, default true, the optimizer's state) to one safetensors file. Returns its path. */
  save(name: string, options: { withOpt?: boolean; progress?: FitProgress | null } = {}): string {
    return save(this, name, options);
  }

  /** Loads what `save` wrote; returns the fit progress stored with it (checkpoints made on Ctrl-C have one). */
  load(name: string, options: { withOpt?: boolean; strict?: boolean } = {}): FitProgress | null {
    return load(this, name, options);
  }

  /** Writes one file with everything `loadLearner` needs to predict (weights, model spec, vocabulary, pipeline). */
  export(file: string): string {
    return exportLearner(this, file);
  }

  /** Writes the model as ONNX (opset 17) with its labels, mean/std and input size as metadata (src/onnx). Returns the file. */
  exportOnnx(file: string, options?: OnnxExportOptions): string {
    return exportOnnxWith(this, file, options);
  }

  /** A copy of the weights, buffers and optimizer state, for `restore` (lrFind uses it). */
  snapshot(): LearnerSnapshot {
    return snapshot(this);
  }

  restore(s: LearnerSnapshot): void {
    restore(this, s);
  }
}
