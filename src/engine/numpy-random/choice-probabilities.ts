/** `choice`'s probabilities `p`: numpy's checks on them, and sampling by their cumulative sum. */

/** sqrt(np.finfo(np.float64).eps), numpy's tolerance on sum(p) in `choice`. */
const P_SUM_ATOL = 1.4901161193847656e-8;

/** `p` as doubles, checked as mtrand.pyx checks it: one per element, non-negative, summing to 1. */
export function checkedProbabilities(p: ArrayLike<number>, popSize: number): Float64Array {
  const probs = Float64Array.from(p);
  if (probs.length !== popSize) throw new RangeError("numpy-random: 'a' and 'p' must have same size");
  // kahan_sum from mtrand.pyx
  let sum = probs[0]!;
  let c = 0;
  for (let i = 1; i < probs.length; i++) {
    const y = probs[i]! - c;
    const t = sum + y;
    c = t - sum - y;
    sum = t;
  }
  if (Number.isNaN(sum)) throw new RangeError('numpy-random: probabilities contain NaN');
  if (probs.some((v) => v < 0)) throw new RangeError('numpy-random: probabilities are not non-negative');
  if (Math.abs(sum - 1) > P_SUM_ATOL) throw new RangeError('numpy-random: probabilities do not sum to 1');
  return probs;
}

/** `cdf = cumsum(p); cdf /= cdf[-1]` (a sequential cumulative sum, as numpy's). */
export function normalizedCdf(p: Float64Array): Float64Array {
  const cdf = new Float64Array(p.length);
  let s = 0;
  for (let i = 0; i < p.length; i++) cdf[i] = s = i === 0 ? p[0]! : s + p[i]!;
  const last = cdf[cdf.length - 1]!;
  for (let i = 0; i < cdf.length; i++) cdf[i] = cdf[i]! / last;
  return cdf;
}

/** `searchsorted(cdf, v, side='right')`: the number of entries <= v. */
export function searchRight(cdf: Float64Array, v: number): number {
  let lo = 0;
  let hi = cdf.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cdf[mid]! <= v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
