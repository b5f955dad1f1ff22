/**
 * The training loop's events and its cancellation exceptions, as fastai's: a fixed, typed list of
 * events (camelCase here), and one exception per stage that skips the rest of that stage and runs
 * its `afterCancel*` event.
 */

/** Every event of the loop, in the order fastai lists them. */
export const EVENTS = [
  'afterCreate',
  'beforeFit', 'beforeEpoch', 'beforeTrain', 'beforeBatch', 'afterPred', 'afterLoss',
  'beforeBackward', 'afterCancelBackward', 'afterBackward',
  'beforeStep', 'afterCancelStep', 'afterStep',
  'afterCancelBatch', 'afterBatch',
  'afterCancelTrain', 'afterTrain',
  'beforeValidate', 'afterCancelValidate', 'afterValidate',
  'afterCancelEpoch', 'afterEpoch',
  'afterCancelFit', 'afterFit',
] as const;

export type Event = (typeof EVENTS)[number];

/** Events inside the batch loop: a callback with `runTrain: false` or `runValid: false` skips them in that phase. */
export const INNER_LOOP: ReadonlySet<Event> = new Set<Event>([
  'beforeBatch', 'afterPred', 'afterLoss', 'beforeBackward', 'afterCancelBackward', 'afterBackward',
  'beforeStep', 'afterCancelStep', 'afterStep', 'afterCancelBatch', 'afterBatch',
]);

/** fastai's `_loop`: what `showTrainingLoop()` prints. */
export const LOOP_OUTLINE: readonly (Event | string)[] = [
  'Start Fit', 'beforeFit', 'Start Epoch Loop', 'beforeEpoch', 'Start Train', 'beforeTrain',
  'Start Batch Loop', 'beforeBatch', 'afterPred', 'afterLoss', 'beforeBackward', 'beforeStep',
  'afterStep', 'afterCancelBatch', 'afterBatch', 'End Batch Loop', 'End Train',
  'afterCancelTrain', 'afterTrain', 'Start Valid', 'beforeValidate', 'Start Batch Loop',
  '**CBs same as train batch**', 'End Batch Loop', 'End Valid', 'afterCancelValidate',
  'afterValidate', 'End Epoch Loop', 'afterCancelEpoch', 'afterEpoch', 'End Fit',
  'afterCancelFit', 'afterFit',
];

/**
 * The loop with the callbacks that run at each event (fastai's `show_training_loop`): `cbsAt`
 * names them for an event.
 */
export function formatTrainingLoop(cbsAt: (event: Event) => readonly string[]): string {
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
      const cbs = s.startsWith('**') ? [] : cbsAt(s as Event);
      lines.push(`${' '.repeat(indent)} - ${s.padEnd(15)}: [${cbs.join(', ')}]`);
    }
  }
  return lines.join('\n');
}

/** Base of the cancellation exceptions: thrown by a callback to skip the rest of a stage. */
export class CancelException extends Error {
  override name = 'CancelException';
  constructor(message?: string) {
    super(message ?? 'cancelled');
  }
}
/** Stops the whole fit; `afterCancelFit` then `afterFit` run. */
export class CancelFitException extends CancelException {
  override name = 'CancelFitException';
}
/** Skips the rest of this epoch (training and validation). */
export class CancelEpochException extends CancelException {
  override name = 'CancelEpochException';
}
/** Skips the rest of this epoch's training phase; validation still runs. */
export class CancelTrainException extends CancelException {
  override name = 'CancelTrainException';
}
/** Skips this epoch's validation. */
export class CancelValidException extends CancelException {
  override name = 'CancelValidException';
}
/** Skips the rest of this batch (no backward, no step). */
export class CancelBatchException extends CancelException {
  override name = 'CancelBatchException';
}
/** Skips this batch's backward pass. */
export class CancelBackwardException extends CancelException {
  override name = 'CancelBackwardException';
}
/** Skips this batch's optimizer step. */
export class CancelStepException extends CancelException {
  override name = 'CancelStepException';
}

/** Training stopped for a reason the user must see (not a cancellation): passes through callbacks unwrapped. */
export class TrainingError extends Error {
  override name = 'TrainingError';
}

/** The loss became NaN or infinite: training stops before that batch's step. */
export class NonFiniteLossError extends TrainingError {
  override name = 'NonFiniteLossError';
  constructor(message: string, readonly loss: number, readonly epoch: number, readonly iter: number) {
    super(message);
  }
}

/** Ctrl-C during training: a checkpoint was saved (its path is `checkpoint`). */
export class TrainingInterrupted extends TrainingError {
  override name = 'TrainingInterrupted';
  constructor(message: string, readonly checkpoint: string | null) {
    super(message);
  }
}

/** An exception thrown by a callback, with the callback and event named (fastai's wording). */
export class CallbackError extends Error {
  override name = 'CallbackError';
  constructor(readonly callback: string, readonly event: Event, cause: unknown) {
    const msg = cause instanceof Error ? cause.message : String(cause);
    super(`Exception occurred in \`${callback}\` when calling event \`${event}\`:\n\t${msg}`, { cause });
  }
}
