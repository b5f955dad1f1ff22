/**
 * Callbacks: objects whose methods are named after the loop's events (`beforeFit(learn)`,
 * `afterBatch(learn)`, …) and that the learner calls in `order` (lowest first). The learner is
 * passed explicitly. A callback may throw a cancellation exception (events.ts) to skip the rest
 * of a stage.
 *
 * Write one by extending `Callback` (or as a plain object with the same fields):
 *
 *     class PrintLoss extends Callback {
 *       override order = 70;
 *       afterBatch(learn: Learner) { if (learn.training) console.log(learn.loss?.item()); }
 *     }
 */
import type { Learner } from './learner.js';
import type { Event } from './events.js';

/** A handler for one event. */
export type EventHandler = (learn: Learner) => void;

/** The handlers a callback may define, one per event. */
export type CallbackHandlers = { [E in Event]?: EventHandler };

/** What the learner accepts as a callback: a `Callback` or a plain object with handlers. */
export interface CallbackLike extends CallbackHandlers {
  /**
   * Shown by `showTrainingLoop()` and in error messages (default: the class name); the learner
   * finds its default callbacks by it (`learn.recorder` is the one named 'Recorder').
   */
  readonly name?: string;
  /** Lower runs first (default 0). TrainEval -10, Recorder 50, schedulers and progress 60. */
  order?: number;
  /** Run the batch events during training (default true). */
  runTrain?: boolean;
  /** Run the batch events during validation (default true). */
  runValid?: boolean;
  /** false: the callback is skipped entirely. */
  run?: boolean;
  /** Called when a fit ends by an error (not a cancellation), to release what the callback holds. */
  cleanup?(learn: Learner): void;
}

/** Base class for callbacks: defaults for order and phases; define any event methods. */
export class Callback implements CallbackLike {
  order = 0;
  runTrain = true;
  runValid = true;
  run = true;

  get name(): string {
    return this.constructor.name;
  }

  toString(): string {
    return this.name;
  }
}

export function callbackName(cb: CallbackLike): string {
  return cb.name ?? (cb.constructor === Object ? 'Callback' : cb.constructor.name);
}

/**
 * fastai's TrainEvalCallback: counts iterations and the fraction of training done (`pctTrain`,
 * what schedulers read), and switches the model between `train()` and `eval()`.
 */
export class TrainEvalCallback extends Callback {
  override order = -10;
  override runValid = false;

  override get name(): string {
    return 'TrainEvalCallback';
  }

  afterCreate(learn: Learner): void {
    learn.nEpoch = 1;
  }

  beforeFit(learn: Learner): void {
    learn.epoch = 0;
    learn.loss = null;
    learn.trainIter = 0;
    learn.pctTrain = 0;
  }

  afterBatch(learn: Learner): void {
    learn.pctTrain += 1 / (learn.nIter * learn.nEpoch);
    learn.trainIter += 1;
  }

  beforeTrain(learn: Learner): void {
    learn.pctTrain = learn.epoch / learn.nEpoch;
    learn.model.train();
    learn.training = true;
  }

  beforeValidate(learn: Learner): void {
    learn.model.eval();
    learn.training = false;
  }
}
