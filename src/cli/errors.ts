/**
 * The command line's one rule for errors: a mistake the user can fix (a wrong path, a bad option, a
 * label pattern that does not fit, a corrupt model file) prints its message and nothing else; anything
 * else is a bug in owlet, and prints its stack with a request to report it, so that nothing is lost.
 */
import { CommanderError } from 'commander';

/** An error the user caused and can fix: printed as its message, no stack. */
export class UserError extends Error {
  override name = 'UserError';
}

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
  if (e instanceof UserError) {
    print(`owlet: ${e.message}`);
    return 1;
  }
  const stack = e instanceof Error ? (e.stack ?? `${e.name}: ${e.message}`) : String(e);
  print(`owlet: an unexpected error — this is a bug in owlet; please report it with the lines below and the command you ran:\n${stack}`);
  return 1;
}
