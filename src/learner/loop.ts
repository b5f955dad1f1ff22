/**
 * The Learner's loop, fastai's: fit → epochs → train and validate → batches. Each stage runs its
 * `before*` event, the work, and its `after*` event, and a cancellation exception
 * (CancelBatchException, …) thrown by a callback skips to that stage's `afterCancel*` event. Here
 * with the loop's state, the callback registry that runs the events, and the batch's tensors,
 * which the learner owns and releases. `Learner` (learner.ts) is this class with its methods.
 *
 * Batches come from `dls.train` and `dls.valid` (async iterables); everything inside one batch is
 * synchronous, so callbacks are synchronous too.
 */
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { autocast, noGrad, type Tensor } from '../engine/index.js';
import type { Batch, DataLoader, DataLoaders } from '../data/types.js';
import type { Module } from '../nn/module.js';
import { Adam } from '../optim/adam.js';
import type { OptFunc, Optimizer } from '../optim/optimizer.js';
import { callbackName, type CallbackLike } from './callback.js';
import { SortedCallbacks } from './sorted-callbacks.js';
import { defaultCallbacks } from './defaults.js';
import { firstDevice } from './device.js';
import {
  CallbackError, CancelBackwardException, CancelBatchException, CancelEpochException, CancelException, CancelFitException,
  CancelStepException, CancelTrainException, CancelValidException, formatTrainingLoop, TrainingError, INNER_LOOP, type Event,
} from './events.js';
import type { ModelSpec } from './export-kinds.js';
import { checkInterrupt, fitContext, installInterrupt, loadForResume, setFitContext, type FitContext } from './interrupt.js';
import type { FitOptions, Learner, LearnerOptions } from './learner.js';
import { crossEntropyLossFlat, type LossFunc } from './loss.js';
import { toMetric, type Metric } from './metrics.js';
import { trainableParams, type Splitter } from './params.js';
import type { MixedPrecisionConfig } from './precision.js';
import type { Recorder } from './recorder.js';

const DEFAULT_LOGGER = (line: string) => {
  process.stdout.write(`${line}\n`);
};

/** The loop and its state; abstract because a learner is always a `Learner`, which adds the methods. */
export abstract class LearnerLoop {
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
  readonly #order = new SortedCallbacks();
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
    if (options.defaultCbs ?? true) this.addCbs(defaultCallbacks.map((make) => make()));
    this.addCbs(options.cbs ?? []);
    this.#call('afterCreate');
  }

  /** This learner as the callbacks and the function files see it: every LearnerLoop is a Learner, its one subclass. */
  get #learner(): Learner {
    return this as unknown as Learner;
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

  /** The current loss as a number (read once per loss tensor). */
  get lossValue(): number {
    if (this.loss === null) return NaN;
    if (this.#lossCache?.t !== this.loss) this.#lossCache = { t: this.loss, v: this.loss.numel() === 1 ? this.loss.item() : this.loss.mean().item() };
    return this.#lossCache.v;
  }

  // -------------------------------------------------------------------------------------------
  // The callback registry

  /** The callbacks, in the order they run. */
  get cbs(): readonly CallbackLike[] {
    return [...this.#sorted()];
  }

  /** The callbacks named `name`, in the order they were added (`learn.cbsNamed('Recorder')`). */
  cbsNamed(name: string): CallbackLike[] {
    return this.#cbs.filter((cb) => callbackName(cb) === name);
  }

  /** The Recorder (the callback named 'Recorder'), when there is one. */
  get recorder(): Recorder | null {
    return (this.cbsNamed('Recorder')[0] as Recorder | undefined) ?? null;
  }

  addCb(cb: CallbackLike): this {
    if (cb === null || typeof cb !== 'object') throw new TypeError(`addCb: expected a callback object, got ${String(cb)}`);
    this.#cbs.push(cb);
    this.#order.invalidate();
    return this;
  }

  addCbs(cbs: readonly CallbackLike[]): this {
    for (const cb of cbs) this.addCb(cb);
    return this;
  }

  removeCb(cb: CallbackLike): this {
    const i = this.#cbs.indexOf(cb);
    if (i >= 0) this.#cbs.splice(i, 1);
    this.#order.invalidate();
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

  #sorted(): readonly CallbackLike[] {
    return this.#order.of(this.#cbs);
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
        handler.call(cb, this.#learner);
      } catch (e) {
        if (e instanceof CancelException || e instanceof TrainingError || e instanceof CallbackError) throw e;
        throw new CallbackError(callbackName(cb), event, e);
      }
    }
  }

  /** Prints (and returns) the loop with the callbacks that run at each event, as fastai's show_training_loop. */
  showTrainingLoop(print: (line: string) => void = console.log): string {
    const text = formatTrainingLoop((event) => this.orderedCbs(event).map(callbackName));
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

  // -------------------------------------------------------------------------------------------
  // The loop

  async #withEvents(f: () => Promise<void>, stage: 'fit' | 'epoch' | 'train' | 'validate', Ex: typeof CancelException): Promise<void> {
    const cap = stage[0]!.toUpperCase() + stage.slice(1);
    try {
      this.#call(`before${cap}` as Event);
      await f();
    } catch (e) {
      if (!(e instanceof Ex)) throw e;
      this.#call(`afterCancel${cap}` as Event);
    }
    this.#call(`after${cap}` as Event);
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
      checkInterrupt(this.#learner);
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

  /** The validation pass: what `validate`, `getPreds` and `tta` run, with their callbacks. */
  protected async validationPass(dl?: DataLoader): Promise<void> {
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
        await this.validationPass();
      }, 'epoch', CancelEpochException);
    }
  }

  /** Trains for `nEpoch` epochs at a constant learning rate (or as the given callbacks schedule it). */
  async fit(nEpoch: number, options: FitOptions = {}): Promise<void> {
    if (!Number.isInteger(nEpoch) || nEpoch < 0) throw new RangeError(`fit: the number of epochs must be a whole number >= 0, got ${nEpoch}`);
    let startEpoch = options.startEpoch ?? 0;
    const learn = this.#learner;
    const ctx: FitContext = fitContext(learn) ?? { method: 'fit', nEpoch, resumable: true };
    if (options.resume !== undefined) {
      const progress = loadForResume(learn, options.resume, ctx.method);
      startEpoch = progress?.epoch ?? startEpoch;
    }
    if (this.dls.train.n === 0)
      throw new Error('fit: this learner has no training data (a learner from loadLearner only predicts): set learn.dls to DataLoaders to train it');
    if (this.dls.train.length === 0)
      throw new Error(`fit: the training set gives no batches (${this.dls.train.n} items, batch size ${this.dls.train.bs}${this.dls.train.dropLast ? ', last partial batch dropped' : ''}): use a smaller batch size or more data`);
    const cbs = options.cbs ?? [];
    this.addCbs(cbs);
    const removeSigint = installInterrupt(learn);
    const prevCtx = setFitContext(learn, { ...ctx, nEpoch });
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
      if (!ok) for (const cb of this.#sorted()) cb.cleanup?.(learn);
      removeSigint();
      setFitContext(learn, prevCtx);
      this.removeCbs(cbs);
    }
  }

  /** Makes the optimizer (params.ts); `fit` makes one when there is none. */
  abstract createOpt(): Optimizer;
}
