/** A collective or the rendezvous failed: another rank died, hangs, or cannot be reached. */
export class DistributedError extends Error {
  override name = 'DistributedError';
}

/** Runs a native call; its error becomes a DistributedError with the same message. */
export function distCall<T>(f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof DistributedError) throw e;
    throw new DistributedError((e as Error).message, { cause: e });
  }
}
