/**
 * Hyper-parameter values over parameter groups: a number for every group, one per group, or fastai's
 * `slice` (`lrSlice(x)`: `[x/10, …, x/10, x]`; `lrSlice(a, b)`: geometric from a to b).
 */

/** fastai's `slice(stop)` / `slice(start, stop)` as a learning rate over parameter groups. */
export interface LrSlice {
  readonly kind: 'lrSlice';
  readonly start: number | null;
  readonly stop: number;
}

/**
 * `lrSlice(x)`: the last group gets x and the others x/10 (fastai's `slice(x)`);
 * `lrSlice(a, b)`: from a for the first group to b for the last, spaced geometrically.
 */
export function lrSlice(a: number, b?: number): LrSlice {
  const check = (v: number, what: string) => {
    if (!Number.isFinite(v) || v <= 0) throw new RangeError(`lrSlice: ${what} must be a positive number, got ${v}`);
  };
  check(a, b === undefined ? 'the learning rate' : 'start');
  if (b === undefined) return { kind: 'lrSlice', start: null, stop: a };
  check(b, 'stop');
  return { kind: 'lrSlice', start: a, stop: b };
}

export function isLrSlice(v: unknown): v is LrSlice {
  return typeof v === 'object' && v !== null && (v as LrSlice).kind === 'lrSlice';
}

/** fastai's `even_mults(start, stop, n)`: n values from start to stop, spaced geometrically. */
export function evenMults(start: number, stop: number, n: number): number[] {
  if (n === 1) return [stop];
  const step = (stop / start) ** (1 / (n - 1));
  return Array.from({ length: n }, (_, i) => start * step ** i);
}

/** A hyper-parameter's value as given: one for all groups, one per group, or a slice. */
export type HyperValue = number | readonly number[] | LrSlice;

/** One value per group, as fastai's `Optimizer.set_hyper` spreads them. */
export function spreadHyper(name: string, v: HyperValue, nGroups: number): number[] {
  let vals: number[];
  if (isLrSlice(v)) {
    vals = v.start !== null ? evenMults(v.start, v.stop, nGroups) : [...Array<number>(nGroups - 1).fill(v.stop / 10), v.stop];
  } else if (typeof v === 'number') {
    vals = [v];
  } else if (Array.isArray(v)) {
    vals = [...(v as number[])];
  } else {
    throw new TypeError(`${name}: expected a number, an array of numbers or lrSlice(...), got ${String(v)}`);
  }
  if (vals.length === 1) vals = Array<number>(nGroups).fill(vals[0]!);
  if (vals.length !== nGroups)
    throw new RangeError(`trying to set ${vals.length} values for ${name} but there are ${nGroups} parameter groups`);
  for (const x of vals) if (typeof x !== 'number' || Number.isNaN(x)) throw new TypeError(`${name}: every value must be a number, got ${String(x)}`);
  return vals;
}
