/**
 * Bit-exact port of numpy's legacy `np.random` (`RandomState`, the module-level
 * functions after `np.random.seed(n)`) in pure TypeScript, so that numpy-based
 * lessons can be reproduced number for number. The parts, in numpy-random/:
 *
 * - mt19937.ts: the MT19937 generator with numpy's seeding and 53-bit doubles;
 * - glibc-log.ts: glibc's `log`, bit for bit, which numpy's normal draws go through;
 * - random-state.ts: `RandomState` and its legacy distributions;
 * - choice-probabilities.ts: the checks and sampling behind `choice(..., p)`.
 *
 * Result types: a method returns a `number` when `size` is omitted, otherwise a flat,
 * row-major array holding `prod(size)` values: a `Float64Array` for floating-point
 * methods and a plain `number[]` for integer ones (`randint`, `permutation`, `choice`
 * of an integer). Integers are exact as JavaScript numbers, so `randint` bounds must be
 * integers within +-2**53 (numpy's int64 range beyond that is not supported).
 */
import { RandomState } from './numpy-random/random-state.js';

export { fma, glibcLog } from './numpy-random/glibc-log.js';
export { RandomState, type MutableSequence, type RandomStateState, type Size } from './numpy-random/random-state.js';

// ---------------------------------------------------------------------------
// Module-level functions (np.random.seed, np.random.normal, ...)
// ---------------------------------------------------------------------------

/** The global generator behind {@link numpyRandom}, like numpy's `np.random.mtrand._rand`. */
export const defaultRandomState = new RandomState();

const g = defaultRandomState;

/** numpy's module-level legacy API, all drawing from {@link defaultRandomState}. */
export const numpyRandom = {
  seed: g.seed.bind(g),
  randomSample: g.randomSample.bind(g),
  random: g.random.bind(g),
  rand: g.rand.bind(g),
  uniform: g.uniform.bind(g),
  standardNormal: g.standardNormal.bind(g),
  randn: g.randn.bind(g),
  normal: g.normal.bind(g),
  standardExponential: g.standardExponential.bind(g),
  exponential: g.exponential.bind(g),
  randint: g.randint.bind(g),
  shuffle: g.shuffle.bind(g),
  permutation: g.permutation.bind(g),
  choice: g.choice.bind(g),
  getState: g.getState.bind(g),
  setState: g.setState.bind(g),
};
