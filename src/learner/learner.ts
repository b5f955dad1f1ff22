/**
 * `Learner`: a model, its data, a loss and an optimizer, trained by fastai's callback loop.
 *
 *     const learn = new Learner(dls, model, { metrics: [errorRate] });
 *     await learn.fitOneCycle(3, { lrMax: 1e-3 });
 *
 * The loop (see `showTrainingLoop()`): fit → epochs → train and validate → batches; each stage
 * runs its `before*` event, the work, and its `after*` event, and a cancellation exception
 * (CancelBatchException, …) thrown by a callback skips to that stage's `afterCancel*` event.
 * Defaults are fastai's (shared/FASTAI_DEFAULTS.md): Adam, lr 1e-3, cross-entropy, no weight decay
 * on norm layers and biases, norm layers trainable while frozen, moms (0.95, 0.85, 0.95).
 *
 * Batches come from `dls.train` and `dls.valid` (async iterables); everything inside one batch is
 * synchronous, so callbacks are synchronous too.
 */
import { mkdirSync } from 'node:fs';
import { dirname, extname, isAbsolute, join } from 'node:path';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { autocast, cat, noGrad, type Tensor } from '../engine/index.js';
import type { Batch, DataLoader, DataLoaders } from '../data/types.js';
import { BatchNormBase, LayerNorm } from '../nn/layers/norm.js';
import type { AnyModule, Module } from '../nn/module.js';
import { Adam } from '../optim/adam.js';
import { lrSlice, type HyperValue } from '../optim/hypers.js';
import type { OptFunc, Optimizer } from '../optim/optimizer.js';
import { callbackName, TrainEvalCallback, type CallbackLike } from './callback.js';
import { loadCheckpoint, saveCheckpoint, type FitProgress } from './checkpoint.js';
import {
  CallbackError, CancelBackwardException, CancelBatchException, CancelEpochException, CancelException, CancelFitException,
  CancelStepException, CancelTrainException, CancelValidException, LOOP_OUTLINE, TrainingError, TrainingInterrupted, INNER_LOOP,
  type Event,
} from './events.js';
import { exportLearner } from './export.js';
import { inputPipelineKind, prepareInput, type ModelSpec } from './export-kinds.js';
import { crossEntropyLossFlat, type LossFunc } from './loss.js';
import { toMetric, type Metric, type MetricLike } from './metrics.js';
import { MixedPrecision, resolvePrecision, type MixedPrecisionConfig, type Precision } from './precision.js';
import { ProgressCallback } from './progress.js';
import { Recorder } from './recorder.js';
import { combinedCos, LRFinder, ParamScheduler, SUGGESTION_FUNCS, type Suggestion, type SuggestionName } from './schedule.js';
import { TerminateOnNaN } from './terminate.js';
import { plotLrFind } from './plots.js';

/** Splits a model's parameters into groups (fastai's splitter): the optimizer gets one group each. */
export type Splitter = (model: AnyModule) => Tensor[][];

/** fastai's `trainable_params`: one group of the parameters that require grad. */
export const trainableParams: Splitter = (model) => [model.parameters().filter((p) => p.requiresGrad)];

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
  /** Add TrainEvalCallback, Recorder, ProgressCallback and TerminateOnNaN (default true). */
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

export interface GetPredsOptions {
  /** Per-item losses too. */
  withLoss?: boolean;
  /** Decoded predictions (argmax) too. */
  withDecoded?: boolean;
  /** Keep the inputs too (memory: the whole set). */
  withInput?: boolean;
  /** The activation (default: the loss function's, softmax for cross-entropy). */
  act?: ((pred: Tensor) => Tensor) | null;
}

export interface Preds {
  preds: Tensor;
  /** The targets; -1s for a loader without labels. */
  targs: Tensor;
  losses?: Tensor;
  decoded?: Tensor;
  inputs?: Tensor;
}

export interface Prediction {
  label: string;
  index: number;
  probs: number[];
}

/** What `snapshot()` keeps and `restore()` puts back: weights, buffers and optimizer state. */
export interface LearnerSnapshot {
  model: Map<string, Tensor>;
  opt: ReturnType<Optimizer['stateDict']> | null;
  requiresGrad: boolean[];
}

interface FitContext {
  method: 'fit' | 'fitOneCycle' | 'fineTune';
  phase?: 1 | 2;
  nEpoch: number;
  resumable: boolean;
}

const DEFAULT_LOGGER = (line: string) => {
  process.stdout.write(`${line}\n`);
};

export class Learner {
  dls: DataLoaders;
  model: Module;
  lossFunc: LossFunc;
  optFunc: OptFunc;
  lr: number;
  splitter: Splitter;
  metrics: Metric[];
  path: string;
  modelDir: string;
  wd: number | null;
  wdBnBias: boolean;
  trainBn: boolean;
  moms: [number, number, number];
  logger: ((line: string) => void) | null;
  opt: Optimizer | null = null;
  /** How to rebuild the model on load (set by visionLearner); export records it. */
  modelSpec: ModelSpec | null = null;
  /** Turns a raw input (an image path, a buffer, …) into a model input, for `predict`. */
  prepare: ((input: unknown) => Tensor | Promise<Tensor>) | null = null;
  /** Set by `toFp16()`. */
  mixedPrecision: MixedPrecisionConfig | null = null;

  // The loop's state, as fastai's attributes.
  epoch = 0;
  nEpoch = 1;
  iter = 0;
  nIter = 0;
  trainIter = 0;
  pctTrain = 0;
  training = false;
  dl: DataLoader | null = null;
  smoothLoss = NaN;
  finalRecord: (number | null)[] = [];
  /** The device the model is on, read at the start of each fit. */
  device = 'cpu';

  #cbs: CallbackLike[] = [];
  // The batch's tensors. Those the learner or its callbacks made (not the loader's x and y) are
  // released when the next batch starts, so that a long fit does not wait on the garbage collector.
  #xb: Tensor | null = null;
  #yb: Tensor | null = null;
  #pred: Tensor | null = null;
  #loss: Tensor | null = null;
  #lossGrad: Tensor | null = null;
  #batchOwned = new Set<Tensor>();
  #loaderBatch: Batch | null = null;
  #lossCache: { t: Tensor; v: number } | null = null;
  #fitContext: FitContext | null = null;
  #interrupt = false;

  constructor(dls: DataLoaders, model: Module, options: LearnerOptions = {}) {
    this.dls = dls;
    this.model = model;
    this.lossFunc = options.lossFunc ?? crossEntropyLossFlat();
    this.optFunc = options.optFunc ?? Adam;
    this.lr = options.lr ?? 1e-3;
    this.splitter = options.splitter ?? trainableParams;
    this.metrics = (options.metrics ?? []).map(toMetric);
    this.path = options.path ?? (dls as { path?: string }).path ?? '.';
    this.modelDir = options.modelDir ?? 'models';
    this.wd = options.wd ?? null;
    this.wdBnBias = options.wdBnBias ?? false;
    this.trainBn = options.trainBn ?? true;
    this.moms = options.moms ?? [0.95, 0.85, 0.95];
    this.logger = options.logger === undefined ? DEFAULT_LOGGER : options.logger;
    if (options.defaultCbs ?? true) this.addCbs([new TrainEvalCallback(), new Recorder(), new ProgressCallback(), new TerminateOnNaN()]);
    this.addCbs(options.cbs ?? []);
    this.#call('afterCreate');
  }

  // -------------------------------------------------------------------------------------------
  // The batch's tensors (fastai's xb, yb, pred, loss). They are released when the next batch
  // starts: a callback that keeps one past its batch keeps `t.detach()` (a new handle) instead.

  /** The batch's inputs. */
  get xb(): Tensor | null {
    return this.#xb;
  }
  set xb(t: Tensor | null) {
    this.#xb = this.#own(t);
  }
  /** The batch's targets. */
  get yb(): Tensor | null {
    return this.#yb;
  }
  set yb(t: Tensor | null) {
    this.#yb = this.#own(t);
  }
  /** The model's output for the batch. */
  get pred(): Tensor | null {
    return this.#pred;
  }
  set pred(t: Tensor | null) {
    this.#pred = this.#own(t);
  }
  /** The loss, detached (what metrics read). */
  get loss(): Tensor | null {
    return this.#loss;
  }
  set loss(t: Tensor | null) {
    this.#loss = this.#own(t);
  }
  /** The loss that backward runs on (callbacks may replace it, as mixed precision scales it). */
  get lossGrad(): Tensor | null {
    return this.#lossGrad;
  }
  set lossGrad(t: Tensor | null) {
    this.#lossGrad = this.#own(t);
  }

  #own(t: Tensor | null): Tensor | null {
    if (t !== null && t !== this.#loaderBatch?.x && t !== this.#loaderBatch?.y) this.#batchOwned.add(t);
    return t;
  }

  /** Releases the previous batch's tensors that the learner and its callbacks made. */
  #releaseBatch(): void {
    for (const t of this.#batchOwned) if (!t.isDisposed) t.dispose();
    this.#batchOwned.clear();
    this.#xb = this.#yb = this.#pred = this.#loss = this.#lossGrad = null;
    this.#loaderBatch = null;
  }

  // -------------------------------------------------------------------------------------------
  // Callbacks

  /** The callbacks, in the order they run. */
  get cbs(): readonly CallbackLike[] {
    return this.#sorted();
  }

  /** The Recorder, when there is one. */
  get recorder(): Recorder | null {
    return (this.#cbs.find((c) => c instanceof Recorder) as Recorder | undefined) ?? null;
  }

  addCb(cb: CallbackLike): this {
    if (cb === null || typeof cb !== 'object') throw new TypeError(`addCb: expected a callback object, got ${String(cb)}`);
    this.#cbs.push(cb);
    return this;
  }

  addCbs(cbs: readonly CallbackLike[]): this {
    for (const cb of cbs) this.addCb(cb);
    return this;
  }

  removeCb(cb: CallbackLike): this {
    const i = this.#cbs.indexOf(cb);
    if (i >= 0) this.#cbs.splice(i, 1);
    return this;
  }

  removeCbs(cbs: readonly CallbackLike[]): this {
    for (const cb of cbs) this.removeCb(cb);
    return this;
  }

  /** Runs `fn` with extra callbacks, removed afterwards. */
  async withCbs<T>(cbs: readonly CallbackLike[], fn: () => Promise<T>): Promise<T> {
    this.addCbs(cbs);
    try {
      return await fn();
    } finally {
      this.removeCbs(cbs);
    }
  }

  #sorted(): CallbackLike[] {
    return this.#cbs.map((cb, i) => ({ cb, i })).sort((a, b) => (a.cb.order ?? 0) - (b.cb.order ?? 0) || a.i - b.i).map((x) => x.cb);
  }

  /** The callbacks that handle `event`, in order. */
  orderedCbs(event: Event): CallbackLike[] {
    return this.#sorted().filter((cb) => typeof cb[event] === 'function');
  }

  #call(event: Event): void {
    const inner = INNER_LOOP.has(event);
    for (const cb of this.#sorted()) {
      const handler = cb[event];
      if (typeof handler !== 'function' || cb.run === false) continue;
      if (inner && !((cb.runTrain !== false && this.training) || (cb.runValid !== false && !this.training))) continue;
      try {
        handler.call(cb, this);
      } catch (e) {
        if (e instanceof CancelException || e instanceof TrainingError || e instanceof CallbackError) throw e;
        throw new CallbackError(callbackName(cb), event, e);
      }
    }
  }

  /** Prints (and returns) the loop with the callbacks that run at each event, as fastai's show_training_loop. */
  showTrainingLoop(print: (line: string) => void = console.log): string {
    const lines: string[] = [];
    let indent = 0;
    for (const s of LOOP_OUTLINE) {
      if (s.startsWith('Start')) {
        lines.push(`${' '.repeat(indent)}${s}`);
        indent += 2;
      } else if (s.startsWith('End')) {
        indent -= 2;
        lines.push(`${' '.repeat(indent)}${s}`);
      } else {
        const cbs = s.startsWith('**') ? [] : this.orderedCbs(s as Event);
        lines.push(`${' '.repeat(indent)} - ${s.padEnd(15)}: [${cbs.map(callbackName).join(', ')}]`);
      }
    }
    const text = lines.join('\n');
    print(text);
    return text;
  }

  /** Writes a line of the epoch table to the logger. */
  writeLine(line: string): void {
    this.logger?.(line);
  }

  /** Runs `fn` without printing the epoch table. */
  async noLogging<T>(fn: () => Promise<T>): Promise<T> {
    const prev = this.logger;
    this.logger = null;
    try {
      return await fn();
    } finally {
      this.logger = prev;
    }
  }

  /** The current loss as a number (read once per loss tensor). */
  get lossValue(): number {
    if (this.loss === null) return NaN;
    if (this.#lossCache?.t !== this.loss) this.#lossCache = { t: this.loss, v: this.loss.numel() === 1 ? this.loss.item() : this.loss.mean().item() };
    return this.#lossCache.v;
  }

  // -------------------------------------------------------------------------------------------
  // Optimizer and freezing

  /** Makes the optimizer over the splitter's groups; flags norm and bias parameters as fastai does. */
  createOpt(): Optimizer {
    this.opt = this.optFunc(this.splitter(this.model), { lr: this.lr });
    if (!this.wdBnBias) for (const p of normBiasParams(this.model, true)) this.#paramState(p).doWd = false;
    if (this.trainBn) for (const p of normBiasParams(this.model, false)) this.#paramState(p).forceTrain = true;
    return this.opt;
  }

  #paramState(p: Tensor) {
    const opt = this.opt!;
    let s = opt.state.get(p);
    if (s === undefined) {
      s = {};
      opt.state.set(p, s);
    }
    return s;
  }

  /** Freezes the parameter groups before `n` (their norm layers keep training); clears the optimizer's state. */
  freezeTo(n: number): void {
    if (this.opt === null) this.createOpt();
    this.opt!.freezeTo(n);
    this.opt!.clearState();
  }

  /** Freezes all groups but the last (the head). */
  freeze(): void {
    if (this.opt === null) this.createOpt();
    if (this.opt!.paramLists.length < 2)
      throw new Error(`freeze() needs at least two parameter groups (body and head), but this learner's splitter gives ${this.opt!.paramLists.length}. Pass a splitter to the Learner (visionLearner does).`);
    this.freezeTo(-1);
  }

  unfreeze(): void {
    this.freezeTo(0);
  }

  // -------------------------------------------------------------------------------------------
  // The loop

  async #withEvents(f: () => Promise<void>, stage: 'fit' | 'epoch' | 'train' | 'validate', Ex: typeof CancelException, final?: () => void): Promise<void> {
    const cap = stage[0]!.toUpperCase() + stage.slice(1);
    try {
      this.#call(`before${cap}` as Event);
      await f();
    } catch (e) {
      if (!(e instanceof Ex)) throw e;
      this.#call(`afterCancel${cap}` as Event);
    }
    this.#call(`after${cap}` as Event);
    final?.();
  }

  #withEventsSync(f: () => void, stage: 'batch' | 'backward' | 'step', Ex: typeof CancelException): void {
    const cap = stage[0]!.toUpperCase() + stage.slice(1);
    try {
      this.#call(`before${cap}` as Event);
      f();
    } catch (e) {
      if (!(e instanceof Ex)) throw e;
      this.#call(`afterCancel${cap}` as Event);
    }
    this.#call(`after${cap}` as Event);
  }

  async #allBatches(): Promise<void> {
    const dl = this.dl!;
    this.nIter = dl.length;
    let i = 0;
    for await (const b of dl) {
      this.#checkInterrupt();
      if (this.training) this.#oneBatch(i++, b);
      else noGrad(() => this.#oneBatch(i++, b));
      // Lets signals (Ctrl-C) and timers in between batches.
      await yieldToLoop();
    }
  }

  #oneBatch(i: number, b: Batch): void {
    this.#releaseBatch();
    this.#loaderBatch = b;
    this.iter = i;
    let { x, y } = b;
    if (x.device !== this.device) x = x.to(this.device);
    if (y.device !== this.device) y = y.to(this.device);
    this.xb = x;
    this.yb = y;
    this.#withEventsSync(() => this.#doOneBatch(), 'batch', CancelBatchException);
  }

  #doOneBatch(): void {
    // A loader without labels (a test set) gives predictions only, as fastai's does.
    const labelled = this.dl?.hasLabels !== false;
    if (!labelled && this.training) throw new Error('cannot train on a loader without labels (a test set): give it labels, or use it with getPreds');
    const mp = this.mixedPrecision;
    const forward = () => {
      this.pred = this.model.call(this.xb!);
      this.#call('afterPred');
      if (labelled) this.lossGrad = this.lossFunc(this.pred, this.yb!);
    };
    if (mp !== null) autocast(mp.device, forward, { dtype: mp.dtype });
    else forward();
    if (!labelled) return;
    this.loss = this.lossGrad!.detach();
    this.#call('afterLoss');
    if (!this.training) return;
    this.#withEventsSync(() => this.lossGrad!.backward(), 'backward', CancelBackwardException);
    this.#withEventsSync(() => this.opt!.step(), 'step', CancelStepException);
    this.opt!.zeroGrad();
  }

  async #doEpochTrain(): Promise<void> {
    this.dl = this.dls.train;
    this.training = true;
    await this.#withEvents(() => this.#allBatches(), 'train', CancelTrainException);
  }

  async #doEpochValidate(dl?: DataLoader): Promise<void> {
    this.dl = dl ?? this.dls.valid;
    // TrainEvalCallback does this too; here so that validate() works without the default callbacks
    this.training = false;
    this.model.eval();
    await this.#withEvents(() => this.#allBatches(), 'validate', CancelValidException);
  }

  async #doFit(startEpoch: number): Promise<void> {
    for (let epoch = startEpoch; epoch < this.nEpoch; epoch++) {
      this.epoch = epoch;
      await this.#withEvents(async () => {
        await this.#doEpochTrain();
        await this.#doEpochValidate();
      }, 'epoch', CancelEpochException);
    }
  }

  /** Trains for `nEpoch` epochs at a constant learning rate (or as the given callbacks schedule it). */
  async fit(nEpoch: number, options: FitOptions = {}): Promise<void> {
    if (!Number.isInteger(nEpoch) || nEpoch < 0) throw new RangeError(`fit: the number of epochs must be a whole number >= 0, got ${nEpoch}`);
    let startEpoch = options.startEpoch ?? 0;
    const ctx: FitContext = this.#fitContext ?? { method: 'fit', nEpoch, resumable: true };
    if (options.resume !== undefined) {
      const progress = this.#loadForResume(options.resume, ctx.method);
      startEpoch = progress?.epoch ?? startEpoch;
    }
    if (this.dls.train.n === 0)
      throw new Error('fit: this learner has no training data (a learner from loadLearner only predicts): set learn.dls to DataLoaders to train it');
    if (this.dls.train.length === 0)
      throw new Error(`fit: the training set gives no batches (${this.dls.train.n} items, batch size ${this.dls.train.bs}${this.dls.train.dropLast ? ', last partial batch dropped' : ''}): use a smaller batch size or more data`);
    const cbs = options.cbs ?? [];
    this.addCbs(cbs);
    const removeSigint = this.#installInterrupt();
    const prevCtx = this.#fitContext;
    this.#fitContext = { ...ctx, nEpoch };
    let ok = false;
    try {
      if (options.resetOpt || this.opt === null) this.createOpt();
      const wd = options.wd ?? this.wd;
      if (wd !== null && wd !== undefined) this.opt!.setHyper('wd', wd);
      this.opt!.setHyper('lr', options.lr ?? this.lr);
      this.nEpoch = nEpoch;
      this.device = firstDevice(this.model);
      await this.#withEvents(() => this.#doFit(startEpoch), 'fit', CancelFitException);
      ok = true;
    } finally {
      if (!ok) for (const cb of this.#sorted()) cb.cleanup?.(this);
      removeSigint();
      this.#fitContext = prevCtx;
      this.removeCbs(cbs);
    }
  }

  /** fastai's fit_one_cycle: lr cosine warm-up from lrMax/div to lrMax over pctStart, then cosine down to lrMax/divFinal; momentum the other way. */
  async fitOneCycle(nEpoch: number, options: FitOneCycleOptions = {}): Promise<void> {
    const { lrMax, div = 25, divFinal = 1e5, pctStart = 0.25, moms, cbs = [], ...rest } = options;
    let startEpoch = rest.startEpoch;
    const ctx: FitContext = this.#fitContext ?? { method: 'fitOneCycle', nEpoch, resumable: true };
    if (rest.resume !== undefined) {
      startEpoch = this.#loadForResume(rest.resume, ctx.method)?.epoch ?? startEpoch;
    }
    if (this.opt === null) this.createOpt();
    this.opt!.setHyper('lr', lrMax ?? this.lr);
    const lrMaxes = this.opt!.hypers.map((h) => h['lr']!);
    const [m0, m1, m2] = moms ?? this.moms;
    const scheds = {
      lr: combinedCos(pctStart, lrMaxes.map((l) => l / div), lrMaxes, lrMaxes.map((l) => l / divFinal)),
      mom: combinedCos(pctStart, m0, m1, m2),
    };
    const prev = this.#fitContext;
    this.#fitContext = ctx;
    try {
      await this.fit(nEpoch, { ...rest, resume: undefined, startEpoch, cbs: [new ParamScheduler(scheds), ...cbs] });
    } finally {
      this.#fitContext = prev;
    }
  }

  /**
   * fastai's fine_tune: `freezeEpochs` one-cycle epochs with the body frozen at `lrSlice(baseLr)`
   * (pctStart 0.99), then `baseLr /= 2`, unfreeze, and `epochs` one-cycle epochs at
   * `lrSlice(baseLr/lrMult, baseLr)` with `pctStart` 0.3 and `div` 5. Two tables.
   */
  async fineTune(epochs: number, options: FineTuneOptions = {}): Promise<void> {
    const { baseLr = 2e-3, freezeEpochs = 1, lrMult = 100, pctStart = 0.3, div = 5, resume, ...kwargs } = options;
    let phase1Start = 0;
    let phase2Start = 0;
    let skipPhase1 = false;
    let pending: string | undefined = resume;
    if (resume !== undefined) {
      const progress = loadCheckpoint(resume, { metaOnly: true }).progress;
      if (progress !== null && progress.method !== 'fineTune')
        throw new Error(`resume: ${resume} was saved by ${progress.method}(), not fineTune(): resume it with learn.${progress.method}(…, {resume})`);
      if (progress?.phase === 2) {
        skipPhase1 = true;
        phase2Start = progress.epoch;
      } else phase1Start = progress?.epoch ?? 0;
    }
    const prev = this.#fitContext;
    try {
      if (!skipPhase1) {
        this.freeze();
        if (pending !== undefined) {
          this.#loadForResume(pending, 'fineTune');
          pending = undefined;
        }
        this.#fitContext = { method: 'fineTune', phase: 1, nEpoch: freezeEpochs, resumable: true };
        await this.fitOneCycle(freezeEpochs, { ...kwargs, lrMax: lrSlice(baseLr), pctStart: 0.99, startEpoch: phase1Start });
      }
      const half = baseLr / 2;
      this.unfreeze();
      if (pending !== undefined) this.#loadForResume(pending, 'fineTune');
      this.#fitContext = { method: 'fineTune', phase: 2, nEpoch: epochs, resumable: true };
      await this.fitOneCycle(epochs, { ...kwargs, lrMax: lrSlice(half / lrMult, half), pctStart, div, startEpoch: phase2Start });
    } finally {
      this.#fitContext = prev;
    }
  }

  /**
   * fastai's lr_find: trains with an exponentially growing learning rate (1e-7 to 10 over 100
   * batches), records the smoothed loss, puts the model back, and suggests a learning rate
   * ('valley' by default). With `plot`, writes the loss-against-lr plot as PNG.
   */
  async lrFind(options: LrFindOptions = {}): Promise<LrFindResult> {
    const { startLr = 1e-7, endLr = 10, numIt = 100, stopDiv = true, suggestFuncs = ['valley'] } = options;
    const nEpoch = Math.floor(numIt / Math.max(1, this.dls.train.length)) + 1;
    const finder = new LRFinder({ startLr, endLr, numIt, stopDiv });
    const nanCbs = this.#cbs.filter((c) => c instanceof TerminateOnNaN);
    const prev = this.#fitContext;
    this.#fitContext = { method: 'fit', nEpoch, resumable: false };
    this.removeCbs(nanCbs);
    try {
      await this.noLogging(() => this.fit(nEpoch, { cbs: [finder] }));
    } finally {
      this.addCbs(nanCbs);
      this.#fitContext = prev;
    }
    const rec = this.recorder;
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

  // -------------------------------------------------------------------------------------------
  // Validation and predictions

  /** The validation loss and metrics over `dl` (default the validation set): `[valid_loss, ...metrics]`. */
  async validate(dl?: DataLoader): Promise<(number | null)[]> {
    if ((dl ?? this.dls.valid).hasLabels === false) {
      throw new Error('validate: this loader has no labels (a test set), so there is no loss or metric to compute: use getPreds, or give testDl the labels');
    }
    let rec = this.recorder;
    const temp = rec === null ? new Recorder({ addTime: false }) : null;
    if (temp !== null) {
      this.addCb(temp);
      rec = temp;
    }
    rec!.cancelValid = false;
    this.device = firstDevice(this.model);
    try {
      await this.#doEpochValidate(dl);
    } finally {
      if (temp !== null) this.removeCb(temp);
    }
    return [rec!.loss.value, ...this.metrics.map((m) => m.value)];
  }

  /**
   * Predictions over `dl` (default the validation set), in its order: activations (softmax),
   * targets, and with options per-item losses, decoded classes and inputs. On the CPU, float32.
   */
  async getPreds(dl?: DataLoader, options: GetPredsOptions = {}): Promise<Preds> {
    if (options.withLoss && (dl ?? this.dls.valid).hasLabels === false) {
      throw new Error('getPreds: withLoss needs labels, and this loader has none (a test set made without labels): drop withLoss, or give testDl the labels');
    }
    const preds: Tensor[] = [];
    const targs: Tensor[] = [];
    const losses: Tensor[] = [];
    const inputs: Tensor[] = [];
    const gather: CallbackLike = {
      name: 'GatherPredsCallback',
      order: 0,
      afterBatch: (learn) => {
        if (learn.pred === null || learn.yb === null) return;
        preds.push(learn.pred.detach().float().cpu());
        targs.push(learn.yb.detach().cpu());
        if (options.withInput) inputs.push(learn.xb!.detach().float().cpu().contiguous());
        if (options.withLoss) losses.push(this.lossFunc(learn.pred.float(), learn.yb, { reduction: 'none' }).detach().float().cpu());
      },
    };
    const noLog = this.#cbs.filter((c) => c instanceof Recorder);
    this.removeCbs(noLog);
    this.addCb(gather);
    this.device = firstDevice(this.model);
    try {
      await this.#doEpochValidate(dl);
    } finally {
      this.removeCb(gather);
      this.addCbs(noLog);
    }
    if (preds.length === 0) throw new Error('getPreds: the data loader gave no batches');
    const raw = cat(preds, 0);
    const act = options.act === undefined ? (this.lossFunc.activation ?? ((x: Tensor) => x)) : (options.act ?? ((x: Tensor) => x));
    const out: Preds = { preds: noGrad(() => act(raw)), targs: cat(targs, 0) };
    if (options.withLoss) out.losses = cat(losses, 0);
    if (options.withDecoded) out.decoded = (this.lossFunc.decodes ?? ((x: Tensor) => x.argmax(-1)))(out.preds);
    if (options.withInput) out.inputs = cat(inputs, 0);
    return out;
  }

  /**
   * fastai's `learn.tta`: test-time augmentation. Predictions over `dl` (default the validation
   * set) with the training set's augmentations, `n` passes (default 4) averaged (or their maximum,
   * `useMax`), then blended with the plain predictions: `lerp(augmented, plain, beta)`, beta 0.25 by
   * default (fastai's), or both kept apart with `beta: null`. The passes are seeded (`seed`, default
   * 0), so a run gives the same figure each time.
   */
  async tta(dl?: DataLoader, options: { n?: number; beta?: number | null; useMax?: boolean; seed?: number } = {}): Promise<Preds & { augmented?: Tensor }> {
    const { n = 4, beta = 0.25, useMax = false, seed = 0 } = options;
    const base = dl ?? this.dls.valid;
    if (typeof base.withAugmentation !== 'function') {
      throw new Error('tta: this loader cannot apply the training augmentations (an image loader can): use getPreds');
    }
    if (!Number.isInteger(n) || n < 1) throw new RangeError(`tta: n must be a whole number of at least 1, got ${n}`);
    const passes: Tensor[] = [];
    for (let i = 0; i < n; i++) passes.push((await this.getPreds(base.withAugmentation(seed + i))).preds);
    const { preds, targs } = await this.getPreds(base);
    return noGrad(() => {
      const stacked = cat(passes.map((p) => p.unsqueeze(0)), 0);
      const aug = useMax ? stacked.amax(0) : stacked.mean(0);
      if (useMax) return { preds: cat([preds.unsqueeze(0), aug.unsqueeze(0)], 0).amax(0), targs };
      if (beta === null) return { preds, targs, augmented: aug };
      return { preds: aug.lerp(preds, beta), targs };
    });
  }

  /** The model's output for a batch of prepared inputs, in evaluation mode. */
  #predictTensor(x: Tensor): Tensor {
    this.model.eval();
    const device = firstDevice(this.model);
    let input = x.device === device ? x : x.to(device);
    const mp = this.mixedPrecision;
    if (mp?.channelsLast && input.dim() === 4) input = input.contiguous('channelsLast');
    return noGrad(() => {
      const run = () => this.model.call(input);
      const out = mp !== null ? autocast(mp.device, run, { dtype: mp.dtype }) : run();
      const act = this.lossFunc.activation ?? ((t: Tensor) => t.softmax(-1));
      return act(out.float()).cpu();
    });
  }

  #decode(probs: Tensor): Prediction[] {
    const vocab = this.dls.vocab;
    const rows = probs.toArray() as number[][];
    return rows.map((p) => {
      let index = 0;
      for (let i = 1; i < p.length; i++) if (p[i]! > p[index]!) index = i;
      const label = vocab[index] ?? String(index);
      return { label, index, probs: p };
    });
  }

  /**
   * Predicts one item: a prepared tensor (one item, e.g. [3, h, w], or a batch of one), or a raw
   * input (an image path or buffer) that the `prepare` hook turns into one. Returns the label, its
   * index in the vocabulary, and the probabilities.
   */
  async predict(input: unknown): Promise<Prediction> {
    const x = await prepareInput(this, input);
    return this.#decode(this.#predictTensor(this.#asBatch(x, true)))[0]!;
  }

  /**
   * One item as a batch of one. The pipeline's kind says how many dimensions an item has (an image
   * [c, h, w]); without that, a tensor is a batch when its first dimension is 1.
   */
  #asBatch(x: Tensor, single: boolean): Tensor {
    const itemRank = inputPipelineKind(this.dls.pipeline?.kind)?.itemRank ?? null;
    const isBatch = itemRank !== null ? x.dim() === itemRank + 1 : x.dim() >= 2 && x.size(0) === 1;
    if (!isBatch) return x.unsqueeze(0);
    if (single && x.size(0) !== 1) throw new RangeError(`predict takes one item, but got a batch of ${x.size(0)} (shape [${x.shape.join(', ')}]): use predictBatch`);
    return x;
  }

  /** Predicts many items: a prepared batch tensor [n, ...], or an array of inputs (tensors or raw), `bs` at a time. */
  async predictBatch(inputs: Tensor | readonly unknown[], options: { bs?: number } = {}): Promise<Prediction[]> {
    const bs = options.bs ?? 64;
    const out: Prediction[] = [];
    if (!Array.isArray(inputs)) {
      const x = inputs as Tensor;
      for (let i = 0; i < x.size(0); i += bs) out.push(...this.#decode(this.#predictTensor(x.narrow(0, i, Math.min(bs, x.size(0) - i)))));
      return out;
    }
    for (let i = 0; i < inputs.length; i += bs) {
      const items = await Promise.all(inputs.slice(i, i + bs).map((inp) => prepareInput(this, inp)));
      out.push(...this.#decode(this.#predictTensor(cat(items.map((t) => this.#asBatch(t, false)), 0))));
    }
    return out;
  }

  // -------------------------------------------------------------------------------------------
  // Precision and devices

  /**
   * Mixed precision (fastai's to_fp16): fp16 autocast with a dynamic loss scale on CUDA; bf16
   * autocast with channels-last on a CPU that has bf16 instructions (AVX512-BF16 or AMX). Refused,
   * with the reason, where neither applies. Weights stay float32.
   */
  toFp16(options: { precision?: Precision } = {}): this {
    const cfg = resolvePrecision(options.precision ?? 'mixed', firstDevice(this.model));
    this.#setPrecision(cfg);
    return this;
  }

  /** Back to full float32. */
  toFp32(): this {
    this.#setPrecision(null);
    return this;
  }

  #setPrecision(cfg: MixedPrecisionConfig | null): void {
    for (const cb of this.#cbs.filter((c) => c instanceof MixedPrecision)) this.removeCb(cb);
    if (this.mixedPrecision?.channelsLast) this.model.to({ memoryFormat: 'contiguous' });
    this.mixedPrecision = cfg;
    if (cfg === null) return;
    if (cfg.channelsLast) this.model.to({ memoryFormat: 'channelsLast' });
    this.addCb(new MixedPrecision(cfg));
  }

  /** Moves the model (and the optimizer's state) to a device: `learn.to('cuda')`. */
  to(device: string): this {
    this.model.to(device);
    if (this.opt !== null)
      noGrad(() => {
        for (const s of this.opt!.state.values())
          for (const [k, v] of Object.entries(s)) if (typeof v === 'object') s[k] = v.to(device);
      });
    this.device = firstDevice(this.model);
    return this;
  }

  // -------------------------------------------------------------------------------------------
  // Saving, loading, exporting

  /** The file `save(name)` writes: `<path>/<modelDir>/<name>.safetensors` (a path with an extension is used as is). */
  checkpointPath(name: string): string {
    if (extname(name) !== '' || isAbsolute(name)) return name;
    return join(this.path, this.modelDir, `${name}.safetensors`);
  }

  /** Saves the weights (and with `withOpt`, default true, the optimizer's state) to one safetensors file. Returns its path. */
  save(name: string, options: { withOpt?: boolean; progress?: FitProgress | null } = {}): string {
    const file = this.checkpointPath(name);
    mkdirSync(dirname(file), { recursive: true });
    saveCheckpoint(file, this.model, options.withOpt ?? true ? this.opt : null, options.progress ?? null);
    return file;
  }

  /** Loads what `save` wrote; returns the fit progress stored with it (checkpoints made on Ctrl-C have one). */
  load(name: string, options: { withOpt?: boolean; strict?: boolean } = {}): FitProgress | null {
    const file = this.checkpointPath(name);
    const ck = loadCheckpoint(file);
    noGrad(() => this.model.loadStateDict(ck.model, { strict: options.strict ?? true }));
    if ((options.withOpt ?? true) && ck.opt !== null) {
      if (this.opt === null) this.createOpt();
      this.opt!.freezeTo(ck.opt.meta.frozenIdx);
      try {
        this.opt!.loadStateDict(ck.opt.tensors, ck.opt.meta);
      } catch (e) {
        throw new Error(`${file}: the optimizer state does not fit this learner: ${(e as Error).message}. Load with {withOpt: false} to take the weights only.`);
      }
    }
    return ck.progress;
  }

  #loadForResume(file: string, method: FitContext['method']): FitProgress | null {
    const progress = this.load(file, { withOpt: true });
    if (progress !== null && progress.method !== method)
      throw new Error(`resume: ${file} was saved by ${progress.method}(), not ${method}(): resume it with learn.${progress.method}(…, {resume})`);
    if (progress !== null) process.stderr.write(`Resuming from ${file}: epoch ${progress.epoch}${progress.phase ? ` of phase ${progress.phase}` : ''}\n`);
    return progress;
  }

  /** Writes one file with everything `loadLearner` needs to predict (weights, architecture, vocabulary, pipeline). */
  export(file: string): string {
    return exportLearner(this, file);
  }

  /** A copy of the weights, buffers and optimizer state, for `restore` (lrFind uses it). */
  snapshot(): LearnerSnapshot {
    return noGrad(() => {
      const model = new Map<string, Tensor>();
      for (const [k, v] of this.model.stateDict()) model.set(k, v.clone());
      let opt: LearnerSnapshot['opt'] = null;
      if (this.opt !== null) {
        const sd = this.opt.stateDict();
        const tensors = new Map<string, Tensor>();
        for (const [k, v] of sd.tensors) tensors.set(k, v.clone());
        opt = { tensors, meta: JSON.parse(JSON.stringify(sd.meta)) as typeof sd.meta };
      }
      return { model, opt, requiresGrad: this.model.parameters().map((p) => p.requiresGrad) };
    });
  }

  restore(s: LearnerSnapshot): void {
    noGrad(() => this.model.loadStateDict(s.model));
    if (s.opt !== null && this.opt !== null) this.opt.loadStateDict(s.opt.tensors, s.opt.meta);
    this.model.parameters().forEach((p, i) => {
      const rg = s.requiresGrad[i];
      if (rg !== undefined && p.requiresGrad !== rg) p.requiresGrad_(rg);
    });
  }

  // -------------------------------------------------------------------------------------------
  // Ctrl-C

  #installInterrupt(): () => void {
    const handler = () => {
      if (this.#interrupt) {
        process.off('SIGINT', handler);
        process.kill(process.pid, 'SIGINT');
        return;
      }
      this.#interrupt = true;
      process.stderr.write('\nInterrupted: finishing this batch and saving a checkpoint (Ctrl-C again to quit at once)\n');
    };
    process.on('SIGINT', handler);
    return () => {
      process.off('SIGINT', handler);
    };
  }

  #checkInterrupt(): void {
    if (!this.#interrupt) return;
    this.#interrupt = false;
    const ctx = this.#fitContext;
    for (const cb of this.#sorted()) cb.cleanup?.(this);
    if (ctx === null || !ctx.resumable) throw new TrainingInterrupted('training interrupted (Ctrl-C)', null);
    const epoch = this.training ? this.epoch : this.epoch + 1;
    const progress: FitProgress = { method: ctx.method, nEpoch: ctx.nEpoch, epoch, ...(ctx.phase ? { phase: ctx.phase } : {}) };
    const file = this.save('interrupted', { withOpt: true, progress });
    const call = ctx.method === 'fineTune' ? 'fineTune(…' : `${ctx.method}(${ctx.nEpoch}`;
    throw new TrainingInterrupted(
      `training interrupted (Ctrl-C) in epoch ${this.epoch}${ctx.phase ? ` of fineTune's phase ${ctx.phase}` : ''}: checkpoint saved to ${file}.\n` +
        `Resume with learn.${call}, { resume: '${file}' }) (same arguments as before); epochs from ${epoch} on will run.`,
      file,
    );
  }
}

/** The first parameter's device (cpu for a model without parameters). */
function firstDevice(model: AnyModule): string {
  const p = model.parameters()[0];
  return p === undefined ? 'cpu' : p.device;
}

/**
 * fastai's `norm_bias_params`: the parameters of norm layers (BatchNorm, LayerNorm) and, with
 * `withBias`, every other layer's bias.
 */
export function normBiasParams(m: AnyModule, withBias = true): Tensor[] {
  if (m instanceof BatchNormBase || m instanceof LayerNorm) return m.parameters();
  const res: Tensor[] = [];
  for (const c of m.children()) res.push(...normBiasParams(c, withBias));
  if (withBias) {
    const bias = (m as unknown as { bias?: unknown }).bias;
    if (bias !== null && bias !== undefined && typeof bias === 'object' && 'requiresGrad' in bias) res.push(bias as Tensor);
  }
  return res;
}

