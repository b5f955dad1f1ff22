/**
 * Explicit release for hot loops. Tensors are garbage-collected like any object (libtorch's memory
 * is reported to V8), but a loop that makes many large tensors can release them at once with
 * `dispose()`, `using t = ...`, or `tidy(fn)`, which disposes every tensor made inside `fn` except
 * the ones it returns.
 */
interface Disposable {
  dispose(): void;
}

const scopes: Set<Disposable>[] = [];

/** Called by every new Tensor: records it in the innermost tidy() scope, if any. */
export function trackTensor(t: Disposable): void {
  if (scopes.length !== 0) scopes[scopes.length - 1]!.add(t);
}

function collect(value: unknown, out: Set<unknown>, seen: Set<unknown>): void {
  if (value === null || typeof value !== 'object' || seen.has(value)) return;
  seen.add(value);
  out.add(value);
  if (Array.isArray(value)) for (const v of value) collect(v, out, seen);
  else if (value instanceof Map) for (const v of value.values()) collect(v, out, seen);
  else if (Object.getPrototypeOf(value) === Object.prototype) for (const v of Object.values(value)) collect(v, out, seen);
}

/**
 * Runs `fn` and disposes the tensors it made, except those in its result (a tensor, or arrays,
 * maps and plain objects holding tensors), which move to the enclosing scope. `fn` must be
 * synchronous.
 */
export function tidy<T>(fn: () => T): T {
  const scope = new Set<Disposable>();
  scopes.push(scope);
  let result: T;
  try {
    result = fn();
  } catch (e) {
    scopes.pop();
    for (const t of scope) t.dispose();
    throw e;
  }
  scopes.pop();
  if (result instanceof Promise) {
    throw new TypeError('tidy() takes a synchronous function: await inside it would let tensors escape the scope');
  }
  const keep = new Set<unknown>();
  collect(result, keep, new Set());
  const parent = scopes[scopes.length - 1];
  for (const t of scope) {
    if (keep.has(t)) parent?.add(t);
    else t.dispose();
  }
  return result;
}

/** Keeps a tensor made inside tidy() alive past it. */
export function keep<T extends Disposable>(t: T): T {
  for (const s of scopes) s.delete(t);
  return t;
}

/**
 * `tidy(fn)` that also says whether its result is a tensor made inside `fn` (so the caller owns it
 * and may dispose it), not one `fn` was given or holds elsewhere.
 */
export function tidyOwned<T>(fn: () => T): [T, boolean] {
  let made = false;
  const result = tidy(() => {
    const r = fn();
    made = scopes[scopes.length - 1]!.has(r as unknown as Disposable);
    return r;
  });
  return [result, made];
}
