/**
 * numpy's legacy `RandomState`: MT19937 (mt19937.ts) with numpy's legacy distributions.
 *
 * - `legacy_gauss`: the polar Box–Muller method with its cached second value; the cache is cleared
 *   by `seed()` just as `RandomState.seed` does. It calls glibc's `log` (glibc-log.ts), so normal
 *   draws match numpy on x86-64 Linux/glibc; numpy linked against a different libm (macOS, Windows,
 *   or glibc on a CPU without FMA) can itself differ from this in the last bit of a rare normal draw.
 * - Bounded integers as the legacy `randint` does them (`_bounded_integers`, masked rejection,
 *   32-bit draws when the range fits in 32 bits, 64-bit draws (high word first) otherwise, no draw
 *   at all when the range holds a single value), and `random_interval` for the Fisher–Yates
 *   `shuffle` / `permutation`.
 */
import { checkedProbabilities, normalizedCdf, searchRight } from './choice-probabilities.js';
import { glibcLog } from './glibc-log.js';
import { MT19937, N } from './mt19937.js';

/** numpy's `size` argument: omitted for a scalar, or the output shape. */
export type Size = number | readonly number[] | undefined;

/** A mutable indexable sequence that `shuffle` permutes in place. */
export interface MutableSequence<T> {
  readonly length: number;
  [index: number]: T;
}

/** `RandomState.get_state()` (legacy form): `('MT19937', key, pos, has_gauss, cached_gaussian)`. */
export interface RandomStateState {
  key: Uint32Array;
  pos: number;
  hasGauss: boolean;
  cachedGaussian: number;
}

const TWO_POW_32 = 4294967296;
const MAX_EXACT = 9007199254740992; // 2**53

function countOf(size: number | readonly number[]): number {
  const dims = typeof size === 'number' ? [size] : size;
  let n = 1;
  for (const d of dims) {
    if (!Number.isInteger(d) || d < 0) {
      throw new RangeError(`numpy-random: invalid size ${JSON.stringify(size)}: dimensions must be non-negative integers`);
    }
    n *= d;
  }
  return n;
}

/** Smallest all-ones mask >= v, for 0 <= v < 2**32. */
function mask32(v: number): number {
  let m = v;
  m |= m >>> 1;
  m |= m >>> 2;
  m |= m >>> 4;
  m |= m >>> 8;
  m |= m >>> 16;
  return m >>> 0;
}

function checkNonNegative(v: number, name: string): void {
  // numpy's CONS_NON_NEGATIVE: signbit set and not NaN (so -0.0 is rejected too).
  if (v < 0 || Object.is(v, -0)) throw new RangeError(`numpy-random: ${name} < 0`);
}

/**
 * numpy's legacy `np.random.RandomState`: MT19937 with numpy's legacy seeding and
 * distributions, reproducing its draws bit for bit.
 */
export class RandomState {
  private readonly mt = new MT19937();
  private hasGauss = false;
  private gaussCache = 0;

  /** `RandomState(seed)`; without a seed, seeded from the OS like `RandomState()`. */
  constructor(seed?: number | readonly number[]) {
    this.seed(seed);
  }

  /**
   * `RandomState.seed(seed)`: an integer in [0, 2**32) uses `init_genrand`, an array
   * of such integers (any length >= 1) uses `init_by_array`; no seed draws one from the
   * OS. Clears the cached Gaussian.
   */
  seed(seed?: number | readonly number[]): void {
    this.mt.seed(seed);
    this.hasGauss = false;
    this.gaussCache = 0;
  }

  /** Next tempered 32-bit output as an unsigned number (mt19937_next32). */
  nextUint32(): number {
    return this.mt.nextUint32();
  }

  /** A 53-bit double in [0, 1) (mt19937_next_double / legacy_double). */
  private nextDouble(): number {
    return this.mt.nextDouble();
  }

  /** legacy_gauss: polar Box–Muller keeping the second value for the next call. */
  private gauss(): number {
    if (this.hasGauss) {
      const g = this.gaussCache;
      this.hasGauss = false;
      this.gaussCache = 0;
      return g;
    }
    let x1: number;
    let x2: number;
    let r2: number;
    do {
      x1 = 2 * this.nextDouble() - 1;
      x2 = 2 * this.nextDouble() - 1;
      r2 = x1 * x1 + x2 * x2;
    } while (r2 >= 1 || r2 === 0);
    const f = Math.sqrt((-2 * glibcLog(r2)) / r2);
    this.gaussCache = f * x1;
    this.hasGauss = true;
    return f * x2;
  }

  /** random_interval: uniform integer in [0, max] by masked rejection. */
  private interval(max: number): number {
    if (max === 0) return 0;
    if (max <= 0xffffffff) {
      const mask = mask32(max);
      let v: number;
      do v = (this.nextUint32() & mask) >>> 0;
      while (v > max);
      return v;
    }
    return this.masked64(max);
  }

  /** Masked rejection on 64-bit draws (high word first) for 2**32 <= rng < 2**53. */
  private masked64(rng: number): number {
    const maskHi = mask32(Math.floor(rng / TWO_POW_32));
    let v: number;
    do {
      const hi = (this.nextUint32() & maskHi) >>> 0;
      v = hi * TWO_POW_32 + this.nextUint32();
    } while (v > rng);
    return v;
  }

  private fillFloat(size: number | readonly number[], draw: () => number): Float64Array {
    const out = new Float64Array(countOf(size));
    for (let i = 0; i < out.length; i++) out[i] = draw();
    return out;
  }

  // -- uniform floats --------------------------------------------------------

  /** `random_sample(size)`: doubles in [0, 1). */
  randomSample(size?: undefined): number;
  randomSample(size: number | readonly number[]): Float64Array;
  randomSample(size?: Size): number | Float64Array;
  randomSample(size?: Size): number | Float64Array {
    if (size === undefined) return this.nextDouble();
    return this.fillFloat(size, () => this.nextDouble());
  }

  /** `random(size)`: alias of {@link randomSample}. */
  random(size?: undefined): number;
  random(size: number | readonly number[]): Float64Array;
  random(size?: Size): number | Float64Array;
  random(size?: Size): number | Float64Array {
    return this.randomSample(size);
  }

  /** `rand(d0, d1, ...)`: `random_sample` with the dimensions as arguments. */
  rand(): number;
  rand(d0: number, ...dims: number[]): Float64Array;
  rand(...shape: number[]): number | Float64Array;
  rand(...shape: number[]): number | Float64Array {
    return shape.length === 0 ? this.nextDouble() : this.randomSample(shape);
  }

  /** `uniform(low=0, high=1, size)`: `low + (high - low) * random_sample()`. */
  uniform(options?: { low?: number; high?: number; size?: undefined }): number;
  uniform(options: { low?: number; high?: number; size: number | readonly number[] }): Float64Array;
  uniform(options?: { low?: number; high?: number; size?: Size }): number | Float64Array;
  uniform(options: { low?: number; high?: number; size?: Size } = {}): number | Float64Array {
    const low = options.low ?? 0;
    const high = options.high ?? 1;
    const range = high - low;
    if (!Number.isFinite(range)) throw new RangeError('numpy-random: Range exceeds valid bounds');
    if (options.size === undefined) return low + range * this.nextDouble();
    return this.fillFloat(options.size, () => low + range * this.nextDouble());
  }

  // -- normal ----------------------------------------------------------------

  /** `standard_normal(size)` (legacy_gauss). */
  standardNormal(size?: undefined): number;
  standardNormal(size: number | readonly number[]): Float64Array;
  standardNormal(size?: Size): number | Float64Array;
  standardNormal(size?: Size): number | Float64Array {
    if (size === undefined) return this.gauss();
    return this.fillFloat(size, () => this.gauss());
  }

  /** `randn(d0, d1, ...)`: `standard_normal` with the dimensions as arguments. */
  randn(): number;
  randn(d0: number, ...dims: number[]): Float64Array;
  randn(...shape: number[]): number | Float64Array;
  randn(...shape: number[]): number | Float64Array {
    return shape.length === 0 ? this.gauss() : this.standardNormal(shape);
  }

  /** `normal(loc=0, scale=1, size)`: `loc + scale * gauss`. */
  normal(options?: { loc?: number; scale?: number; size?: undefined }): number;
  normal(options: { loc?: number; scale?: number; size: number | readonly number[] }): Float64Array;
  normal(options?: { loc?: number; scale?: number; size?: Size }): number | Float64Array;
  normal(options: { loc?: number; scale?: number; size?: Size } = {}): number | Float64Array {
    const loc = options.loc ?? 0;
    const scale = options.scale ?? 1;
    checkNonNegative(scale, 'scale');
    if (options.size === undefined) return loc + scale * this.gauss();
    return this.fillFloat(options.size, () => loc + scale * this.gauss());
  }

  // -- exponential -----------------------------------------------------------

  /** `standard_exponential(size)`: `-log(1 - random_sample())`. */
  standardExponential(size?: undefined): number;
  standardExponential(size: number | readonly number[]): Float64Array;
  standardExponential(size?: Size): number | Float64Array;
  standardExponential(size?: Size): number | Float64Array {
    if (size === undefined) return -glibcLog(1 - this.nextDouble());
    return this.fillFloat(size, () => -glibcLog(1 - this.nextDouble()));
  }

  /** `exponential(scale=1, size)`: `scale * standard_exponential()`. */
  exponential(options?: { scale?: number; size?: undefined }): number;
  exponential(options: { scale?: number; size: number | readonly number[] }): Float64Array;
  exponential(options?: { scale?: number; size?: Size }): number | Float64Array;
  exponential(options: { scale?: number; size?: Size } = {}): number | Float64Array {
    const scale = options.scale ?? 1;
    checkNonNegative(scale, 'scale');
    if (options.size === undefined) return scale * -glibcLog(1 - this.nextDouble());
    return this.fillFloat(options.size, () => scale * -glibcLog(1 - this.nextDouble()));
  }

  // -- integers --------------------------------------------------------------

  /**
   * `randint(low, high=None, size=None)` with numpy's default int64 dtype: integers in
   * [low, high), or [0, low) when `high` is omitted. Bounds must be integers within
   * +-2**53. Returns a `number`, or a `number[]` when `size` is given.
   */
  randint(low: number, high?: number, size?: undefined): number;
  randint(low: number, high: number | undefined, size: number | readonly number[]): number[];
  randint(low: number, high?: number, size?: Size): number | number[];
  randint(low: number, high?: number, size?: Size): number | number[] {
    if (high === undefined) {
      high = low;
      low = 0;
    }
    for (const [name, v] of [['low', low], ['high', high]] as const) {
      if (!Number.isInteger(v) || Math.abs(v) > MAX_EXACT) {
        throw new RangeError(`numpy-random: randint ${name} must be an integer within +-2**53, got ${v}`);
      }
    }
    if (low >= high) throw new RangeError('numpy-random: low >= high');
    const span = BigInt(high) - BigInt(low) - 1n;
    if (span >= BigInt(MAX_EXACT)) {
      throw new RangeError('numpy-random: randint range high - low must not exceed 2**53');
    }
    const rng = Number(span);
    const off = low;
    let draw: () => number;
    if (rng === 0) {
      draw = () => off;
    } else if (rng <= 0xffffffff) {
      const mask = mask32(rng);
      draw = () => {
        let v: number;
        do v = (this.nextUint32() & mask) >>> 0;
        while (v > rng);
        return off + v;
      };
    } else {
      draw = () => off + this.masked64(rng);
    }
    if (size === undefined) return draw();
    const out = new Array<number>(countOf(size));
    for (let i = 0; i < out.length; i++) out[i] = draw();
    return out;
  }

  // -- permutations ----------------------------------------------------------

  /**
   * `shuffle(x)`: in-place Fisher–Yates from the end, `j = random_interval(i)`. For an
   * array of rows this permutes the rows, as numpy shuffles along the first axis.
   */
  shuffle<T>(x: MutableSequence<T>): void {
    for (let i = x.length - 1; i > 0; i--) {
      const j = this.interval(i);
      const tmp = x[i]!;
      x[i] = x[j]!;
      x[j] = tmp;
    }
  }

  /** `permutation(n)`: a shuffled `arange(n)`; `permutation(array)`: a shuffled copy. */
  permutation(n: number): number[];
  permutation<T>(x: ArrayLike<T>): T[];
  permutation<T>(x: number | ArrayLike<T>): number[] | T[] {
    if (typeof x === 'number') {
      if (!Number.isInteger(x) || x < 0) throw new RangeError(`numpy-random: permutation(${x}): n must be a non-negative integer`);
      const out = new Array<number>(x);
      for (let i = 0; i < x; i++) out[i] = i;
      this.shuffle(out);
      return out;
    }
    const out = Array.from(x);
    this.shuffle(out);
    return out;
  }

  /**
   * `choice(a, size=None, replace=True, p=None)`: `a` is a population size (samples
   * are integers in [0, a)) or an array to sample elements from.
   */
  choice(a: number, size?: undefined, replace?: boolean, p?: ArrayLike<number>): number;
  choice(a: number, size: number | readonly number[], replace?: boolean, p?: ArrayLike<number>): number[];
  choice<T>(a: ArrayLike<T>, size?: undefined, replace?: boolean, p?: ArrayLike<number>): T;
  choice<T>(a: ArrayLike<T>, size: number | readonly number[], replace?: boolean, p?: ArrayLike<number>): T[];
  choice<T>(a: number | ArrayLike<T>, size?: Size, replace?: boolean, p?: ArrayLike<number>): number | number[] | T | T[];
  choice<T>(a: number | ArrayLike<T>, size?: Size, replace = true, p?: ArrayLike<number>): number | number[] | T | T[] {
    const count = size === undefined ? 1 : countOf(size);
    let popSize: number;
    if (typeof a === 'number') {
      if (!Number.isInteger(a)) throw new RangeError('numpy-random: a must be 1-dimensional or an integer');
      popSize = a;
      if (popSize <= 0 && count !== 0) throw new RangeError('numpy-random: a must be greater than 0 unless no samples are taken');
    } else {
      popSize = a.length;
      if (popSize === 0 && count !== 0) throw new RangeError("numpy-random: 'a' cannot be empty unless no samples are taken");
    }
    const probs = p === undefined ? undefined : checkedProbabilities(p, popSize);

    let idx: number[];
    if (replace) {
      if (probs !== undefined) {
        const cdf = normalizedCdf(probs);
        const u = this.randomSample(count);
        idx = Array.from(u, (v) => searchRight(cdf, v));
      } else {
        idx = this.randint(0, popSize, count);
      }
    } else {
      if (count > popSize) {
        throw new RangeError("numpy-random: Cannot take a larger sample than population when 'replace=False'");
      }
      if (probs !== undefined) {
        let nonzero = 0;
        for (const v of probs) if (v > 0) nonzero++;
        if (nonzero < count) throw new RangeError('numpy-random: Fewer non-zero entries in p than size');
        const pp = Float64Array.from(probs);
        idx = [];
        while (idx.length < count) {
          const x = this.randomSample(count - idx.length);
          for (const f of idx) pp[f] = 0;
          const cdf = normalizedCdf(pp);
          // unique values of searchsorted(cdf, x, 'right') in order of first occurrence
          const seen = new Set<number>();
          for (const v of x) {
            const s = searchRight(cdf, v);
            if (!seen.has(s)) {
              seen.add(s);
              idx.push(s);
            }
          }
        }
      } else {
        idx = this.permutation(popSize).slice(0, count);
      }
    }
    if (typeof a === 'number') return size === undefined ? idx[0]! : idx;
    const values = idx.map((i) => a[i]!);
    return size === undefined ? values[0]! : values;
  }

  // -- state -----------------------------------------------------------------

  /** `get_state()`: a copy of the generator state (numpy's legacy tuple, as fields). */
  getState(): RandomStateState {
    return { key: Uint32Array.from(this.mt.key), pos: this.mt.pos, hasGauss: this.hasGauss, cachedGaussian: this.gaussCache };
  }

  /** `set_state(state)`. */
  setState(state: RandomStateState): void {
    if (state.key.length !== N) throw new RangeError(`numpy-random: state key must have ${N} words`);
    if (!Number.isInteger(state.pos) || state.pos < 0 || state.pos > N) throw new RangeError('numpy-random: state pos out of range');
    this.mt.key.set(state.key);
    this.mt.pos = state.pos;
    this.hasGauss = state.hasGauss;
    this.gaussCache = state.hasGauss ? state.cachedGaussian : 0;
  }
}
