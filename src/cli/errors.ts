/**
 * The command line's one rule for errors: a mistake the user can fix (a wrong path, a bad option, a
 * label pattern that does not fit, a corrupt model file) prints its message and nothing else; anything
 * else is a bug in owlet, and prints its stack with a request to report it, so that nothing is lost.
 */
import { CommanderError } from 'commander';
import { ArchiveError, DownloadError, ImageDecodeError, LabelError } from '../data/index.js';
import { HubDownloadError } from '../hub/index.js';
import { SafetensorsError } from '../io/index.js';
import { DistributedTrainingError, NonFiniteLossError, TrainingInterrupted } from '../learner/index.js';
import { DistributedError } from '../distributed/index.js';
import { PretrainedWeightsError } from '../models/index.js';
import { TabularDataError } from '../tabular/errors.js';

/** An error the user caused and can fix: printed as its message, no stack. */
export class UserError extends Error {
  override name = 'UserError';
}

/**
 * Errors of the library that a user's input causes (an unreadable image, a file that is not a model,
 * a download that failed, a loss that became NaN, Ctrl-C): their messages already say what was wrong
 * and what to do, so they print as a UserError does.
 */
export const USER_ERROR_KINDS: readonly (abstract new (...args: never[]) => Error)[] = [
  ImageDecodeError, LabelError, ArchiveError, DownloadError, HubDownloadError, SafetensorsError, PretrainedWeightsError, NonFiniteLossError, TrainingInterrupted,
  DistributedError, DistributedTrainingError,
  TabularDataError,
];

/** Runs `fn`, turning an error of one of `kinds` (errors the user causes, by class) into a UserError with the same message. */
export async function asUserError<T>(kinds: readonly (abstract new (...args: never[]) => Error)[], fn: () => Promise<T> | T, prefix = ''): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (kinds.some((k) => e instanceof k)) throw new UserError(`${prefix}${(e as Error).message}`, { cause: e });
    throw e;
  }
}

/** Prints `e` as the rule says, and returns the exit code. */
export function reportError(e: unknown, print: (text: string) => void = (t) => console.error(t)): number {
  if (e instanceof CommanderError) return e.exitCode;
  if (e instanceof UserError || USER_ERROR_KINDS.some((k) => e instanceof k)) {
    print(`owlet: ${(e as Error).message}`);
    return 1;
  }
  const stack = e instanceof Error ? (e.stack ?? `${e.name}: ${e.message}`) : String(e);
  print(`owlet: an unexpected error — this is a bug in owlet; please report it with the lines below and the command you ran:\n${stack}`);
  return 1;
}
