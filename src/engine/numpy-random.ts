/**
 * Bit-exact port of numpy's legacy `np.random` (`RandomState`, the module-level
 * functions after `np.random.seed(n)`) in pure TypeScript, so that numpy-based
 * lessons can be reproduced number for number.
 *
 * What is reproduced, and how:
 *
 * - MT19937 exactly as numpy's `_mt19937.pyx` / `mt19937.c` (Matsumoto & Nishimura's
 *   reference generator): `init_genrand` for an integer seed, `init_by_array` for an
 *   array seed, 53-bit doubles `((a >> 5) * 67108864 + (b >> 6)) / 2**53`, and 64-bit
 *   draws as `(first << 32) | second`.
 * - `legacy_gauss`: the polar Box–Muller method with its cached second value; the
 *   cache is cleared by `seed()` just as `RandomState.seed` does.
 * - Bounded integers as the legacy `randint` does them (`_bounded_integers`, masked
 *   rejection, 32-bit draws when the range fits in 32 bits, 64-bit draws otherwise,
 *   no draw at all when the range holds a single value), and `random_interval` for
 *   the Fisher–Yates `shuffle` / `permutation`.
 *
 * `legacy_gauss` calls the C library's `log`, and V8's `Math.log` differs from glibc's
 * in the last bit for several percent of arguments. {@link glibcLog} is therefore a
 * port of glibc's `log` (glibc >= 2.28, from ARM's optimized-routines, MIT licensed) as
 * x86-64 glibc runs it on CPUs with FMA (the `__log_fma` variant that the ifunc selects
 * on every x86-64 CPU since Haswell/Piledriver), with the fused multiply-adds emulated
 * exactly. Normal draws thus match numpy on x86-64 Linux/glibc; numpy linked against a
 * different libm (macOS, Windows, or glibc on a CPU without FMA) can itself differ from
 * this in the last bit of a rare normal draw.
 *
 * Result types: a method returns a `number` when `size` is omitted, otherwise a flat,
 * row-major array holding `prod(size)` values: a `Float64Array` for floating-point
 * methods and a plain `number[]` for integer ones (`randint`, `permutation`, `choice`
 * of an integer). Integers are exact as JavaScript numbers, so `randint` bounds must be
 * integers within +-2**53 (numpy's int64 range beyond that is not supported).
 */

// ---------------------------------------------------------------------------
// Bit access and an exact fused multiply-add
// ---------------------------------------------------------------------------

const F64 = new Float64Array(1);
const U32 = new Uint32Array(F64.buffer);
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;
/** Index into U32 of the low / high 32-bit word of F64[0]. */
const LO = LITTLE_ENDIAN ? 0 : 1;
const HI = LITTLE_ENDIAN ? 1 : 0;

const SPLITTER = 134217729; // 2**27 + 1, Veltkamp/Dekker splitting constant

/**
 * Correctly rounded `a * b + c` (IEEE fusedMultiplyAdd, round to nearest even), for
 * finite arguments whose product and partial terms neither overflow nor underflow.
 * Boldo & Melquiond, "Emulation of FMA and correctly rounded sums: proved algorithms
 * using rounding to odd" (IEEE TC 2008): exact product (Dekker), TwoSum with c, the
 * low parts added with rounding to odd, then one rounding to nearest.
 */
export function fma(a: number, b: number, c: number): number {
  const ph = a * b;
  let t = SPLITTER * a;
  const ah = t - (t - a);
  const al = a - ah;
  t = SPLITTER * b;
  const bh = t - (t - b);
  const bl = b - bh;
  const pl = ah * bh - ph + ah * bl + al * bh + al * bl;
  // (th, tl) = TwoSum(c, ph)
  const th = c + ph;
  const cv = th - c;
  const tl = c - (th - cv) + (ph - cv);
  // v = round-to-odd(tl + pl)
  let v = tl + pl;
  const vv = v - tl;
  const err = tl - (v - vv) + (pl - vv);
  if (err !== 0) {
    F64[0] = v;
    if ((U32[LO]! & 1) === 0) {
      // v is even and inexact: the odd neighbour on the side of the true sum.
      if (err > 0 === v > 0) {
        U32[LO] = U32[LO]! + 1; // cannot carry: the low word is even
      } else {
        if (U32[LO] === 0) U32[HI] = U32[HI]! - 1;
        U32[LO] = U32[LO]! - 1;
      }
      v = F64[0]!;
    }
  }
  return th + v;
}

// ---------------------------------------------------------------------------
// glibc's log (sysdeps/ieee754/dbl-64/e_log.c, FMA build)
// ---------------------------------------------------------------------------

// glibc's __log_data (sysdeps/ieee754/dbl-64/e_log_data.c), as read from x86-64
// libm.so.6 (glibc 2.36); decimal literals are the shortest exact round-trips.
const LN2HI = 0.6931471805598903; // 0x1.62e42fefa3800p-1: 11 trailing zero bits
const LN2LO = 5.497923018708371e-14; // 0x1.ef35793c76730p-45
const A0 = -0.5000000000000001;
const A1 = 0.33333333331825593;
const A2 = -0.2499999999622955;
const A3 = 0.20000304511814496;
const A4 = -0.16667054827627667;
const B0 = -0.5;
const B1 = 0.3333333333333352;
const B2 = -0.24999999999998432;
const B3 = 0.19999999999320328;
const B4 = -0.16666666669929706;
const B5 = 0.14285715076560868;
const B6 = -0.12499997863982555;
const B7 = 0.11110712032936046;
const B8 = -0.10000486757818193;
const B9 = 0.09181994006195467;
const B10 = -0.08328363062289341;
/** __log_data.tab: 128 pairs (invc, logc). */
// prettier-ignore
const LOG_TAB = new Float64Array([
  1.4504249240398293, -0.3718565645633589, 1.442253508327276, -0.36620682668944937,
  1.4341736174350004, -0.3605888069791945, 1.426183816329995, -0.3550022171419869,
  1.4182825527052965, -0.34944666968829097, 1.4104682921759335, -0.3439217713603284,
  1.4027396147468003, -0.3384271921261188, 1.3950954438932313, -0.332962831494342,
  1.3875338232485754, -0.32752794345742586, 1.3800539211058593, -0.32212257167088865,
  1.3726542695419708, -0.3167462884799761, 1.3653332798446802, -0.3113985598928366,
  1.358090204587874, -0.3060794515165526, 1.3509234892132138, -0.300788424667644,
  1.3438320840699889, -0.2955252968476998, 1.3368146974742003, -0.29028969275850613,
  1.329870114677736, -0.2850812793277555, 1.322997339161106, -0.27989987391470095,
  1.316195352741367, -0.27474526621870154, 1.3094628125672239, -0.2696169863701243,
  1.3027990455471041, -0.26451506180308115, 1.2962024229438942, -0.2594387762767383,
  1.2896726275815547, -0.2543884090981692, 1.2832080305745537, -0.24936321635129843,
  1.276807885983376, -0.24436312405975968, 1.2704714060687552, -0.23938801747897287,
  1.2641976054949482, -0.23443761696705678, 1.257985357514882, -0.22951151871518505,
  1.2518337750655457, -0.2246094963439873, 1.2457421919097305, -0.21973149037705753,
  1.2397094966625508, -0.2148770752847895, 1.2337348463589233, -0.210046029103637,
  1.2278176973028803, -0.20523836373934046, 1.2219570190618474, -0.20045368751368642,
  1.2161519732977757, -0.1956917537758045, 1.2104018095009725, -0.19095237845203883,
  1.204705805718973, -0.18623539250290833, 1.1990631185441964, -0.18154051731551135,
  1.1934733004462308, -0.1768677957431919, 1.1879350812847385, -0.17221657406412305,
  1.1824481322833125, -0.16758697765942543, 1.1770114976921955, -0.16297859687290384,
  1.1716248121809465, -0.15839151377804228, 1.1662869231674715, -0.15382513241456763,
  1.1609977486762766, -0.14927976358922024, 1.1557563220795803, -0.14475495398119165,
  1.1505619105480347, -0.14025044090817573, 1.1454138888505974, -0.1357660466685502,
  1.140311877374656, -0.1313018016355727, 1.1352550225747513, -0.12685731518763532,
  1.1302429094831266, -0.1224325737671279, 1.1252747693068048, -0.11802724521862729,
  1.1203501571039876, -0.11364127671663482, 1.1154683327680124, -0.10927434611278386,
  1.1106291463292157, -0.10492665324943573, 1.1058315813301596, -0.10059761422644442,
  1.1010752177696026, -0.09628717309055901, 1.0963597137952512, -0.09199534069557558,
  1.0916844827550398, -0.08772190036688698, 1.0870487291277784, -0.08346643613867855,
  1.082452357388312, -0.07922916827544668, 1.0778948225025884, -0.0750099004750382,
  1.0733751731601076, -0.07080805133352897, 1.068893585073351, -0.06662408085151128,
  1.0644491706655506, -0.06245745471915143, 1.0600414846328305, -0.0583080438042316,
  1.0556701316181605, -0.05417576112313327, 1.051334750556926, -0.050060547896805474,
  1.0470347288442157, -0.045962101199052086, 1.0427699229652954, -0.04188056008865715,
  1.0385395013738175, -0.03781540056183985, 1.034343418940345, -0.03376684757915882,
  1.0301811073173315, -0.029734619131772888, 1.026052043621297, -0.025718470239212365,
  1.0219561082336197, -0.021718543925430822, 1.0178926505784922, -0.01773446126981071,
  1.0138614436244586, -0.013766252464051831, 1.0098620186501341, -0.009813706322574944,
  1.0058938559734134, -0.005876555150052809, 1.00195696235014, -0.0019550499938532084,
  0.9961089923088509, 0.0038985973556009412, 0.9884170338185201, 0.011650571286395461,
  0.9808429191005297, 0.019342955478919066, 0.9733840169987446, 0.0269766014846482,
  0.9660377568876556, 0.034552359728422744, 0.9588014945307369, 0.04207121767183253,
  0.9516728569073111, 0.049533940950141186, 0.9446494635965822, 0.056941358295944156,
  0.9377288993026223, 0.06429439168346107, 0.9309091073790681, 0.0715936354946507,
  0.924187681612722, 0.07884010933776153, 0.9175626765599192, 0.08603438905970506,
  0.9110320403624034, 0.09317721180013905, 0.9045935839762024, 0.10026951462748457,
  0.8982456375922825, 0.10731170956330516, 0.8919860966782501, 0.11430473320717738,
  0.8858131121185129, 0.12124928503033061, 0.879725075760676, 0.12814583422959913,
  0.8737201372634685, 0.1349951636851756, 0.8677966405782273, 0.1417978768189414,
  0.8619528050060739, 0.14855476039031146, 0.8561872354420692, 0.1552661937658968,
  0.8504983927816893, 0.16193275688146969, 0.8448844572790304, 0.16855539792220497,
  0.8393442741575965, 0.1751343179947753, 0.8338762249349438, 0.1816702989864325,
  0.8284789320557778, 0.18816387146023317, 0.8231510800065832, 0.1946155228479256,
  0.8178913903778707, 0.20102572579389744, 0.8126984007245374, 0.2073952090795501,
  0.8075710029460227, 0.21372429840596396, 0.8025078881160415, 0.2200135945981856,
  0.7975077379364331, 0.22626374162859975, 0.792569604966373, 0.23247494747693054,
  0.7876923641254114, 0.23864766620658884, 0.7828746724940998, 0.24478265647405806,
  0.7781155388790811, 0.25088025827324145, 0.7734139557869777, 0.2569408552510595,
  0.7687687179914933, 0.26296511155101143, 0.7641790698041854, 0.2689531327189343,
  0.7596438763692399, 0.27490553924610595, 0.7551621951078668, 0.2808227248478943,
  0.7507331780216866, 0.286704979267256, 0.7463557196361751, 0.29255295645509705,
  0.7420289364869653, 0.2983670386142876, 0.7377521537065876, 0.30414734587282055,
  0.7335242966002608, 0.30989455774829366, 0.729344777457841, 0.31560871301871884,
]);

/**
 * Natural logarithm, bit-identical to x86-64 glibc's `log` (>= 2.28) on a CPU with
 * FMA, which is what numpy's `legacy_gauss` calls there. `Math.log` (fdlibm) differs
 * from it in the last bit for several percent of arguments.
 */
export function glibcLog(x: number): number {
  if (x >= 0.9375 && x < 1.064697265625) {
    // |x - 1| small: log1p polynomial with r*r split into exact parts.
    if (x === 1) return 0;
    const r = x - 1;
    const r2 = r * r;
    const r3 = r * r2;
    const pa = fma(r2, B3, fma(r, B2, B1));
    const pb = fma(r2, B6, fma(r, B5, B4));
    const pc = fma(r3, B10, fma(r2, B9, fma(r, B8, B7)));
    const poly = fma(fma(pc, r3, pb), r3, pa);
    const w = r * 134217728; // r * 2**27, exact
    const rhi = r + w - w;
    const rlo = r - rhi;
    const rhi2 = rhi * rhi;
    const hi = r + rhi2 * B0; // fma with an exact product
    const lo0 = r - hi + rhi2 * B0; // likewise
    const lo = fma(B0 * rlo, r + rhi, lo0);
    return hi + fma(poly, r3, lo);
  }
  F64[0] = x;
  let hiw = U32[HI]!;
  if (!(x >= 2.2250738585072014e-308) || x === Infinity) {
    if (x === 0) return -Infinity;
    if (!(x > 0)) return NaN; // negative or NaN
    if (x === Infinity) return x;
    // subnormal: scale into the normal range, keep the exponent in k
    F64[0] = x * 4503599627370496; // 2**52
    hiw = (U32[HI]! - (52 << 20)) >>> 0;
  }
  const low = U32[LO]!;
  // x = 2**k * z with z in [0x3fe6000000000000, 2 * that), as uint64 arithmetic.
  const tmpHi = (hiw - 0x3fe60000) | 0;
  const i = (tmpHi >>> 13) & 127;
  const k = tmpHi >> 20;
  U32[HI] = (hiw - (tmpHi & 0xfff00000)) >>> 0;
  U32[LO] = low;
  const z = F64[0]!;
  const invc = LOG_TAB[2 * i]!;
  const logc = LOG_TAB[2 * i + 1]!;
  // r = fma(z, invc, -1): z*invc is within 2**-8 of 1, so ph - 1 is exact.
  const ph = z * invc;
  let t = SPLITTER * z;
  const zh = t - (t - z);
  const zl = z - zh;
  t = SPLITTER * invc;
  const ch = t - (t - invc);
  const cl = invc - ch;
  const pl = zh * ch - ph + zh * cl + zl * ch + zl * cl;
  const r = ph - 1 + pl;
  const w = k * LN2HI + logc; // fma with an exact product
  const hi = r + w;
  const r2 = r * r;
  const lo = fma(k, LN2LO, w - hi + r);
  const r3 = r * r2;
  const p = fma(fma(r, A4, A3), r2, fma(r, A2, A1));
  return fma(r3, p, fma(r2, A0, lo)) + hi;
}

// ---------------------------------------------------------------------------
// RandomState
// ---------------------------------------------------------------------------

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

const N = 624;
const M = 397;
const TWO_POW_32 = 4294967296;
const MAX_EXACT = 9007199254740992; // 2**53
/** sqrt(np.finfo(np.float64).eps), numpy's tolerance on sum(p) in `choice`. */
const P_SUM_ATOL = 1.4901161193847656e-8;

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

function checkSeedWord(v: unknown): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 0xffffffff) {
    throw new RangeError('numpy-random: Seed must be between 0 and 2**32 - 1');
  }
  return v;
}

function checkNonNegative(v: number, name: string): void {
  // numpy's CONS_NON_NEGATIVE: signbit set and not NaN (so -0.0 is rejected too).
  if (v < 0 || Object.is(v, -0)) throw new RangeError(`numpy-random: ${name} < 0`);
}

function entropyWords(n: number): Uint32Array {
  const out = new Uint32Array(n);
  const c = (globalThis as { crypto?: { getRandomValues(a: Uint32Array): Uint32Array } }).crypto;
  if (c) c.getRandomValues(out);
  else for (let i = 0; i < n; i++) out[i] = Math.floor(Math.random() * TWO_POW_32) >>> 0;
  return out;
}

/**
 * numpy's legacy `np.random.RandomState`: MT19937 with numpy's legacy seeding and
 * distributions, reproducing its draws bit for bit.
 */
export class RandomState {
  private readonly mt = new Uint32Array(N);
  private pos = N;
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
    const mt = this.mt;
    if (seed === undefined) {
      const words = entropyWords(N);
      mt.set(words);
      mt[0] = 0x80000000;
      this.pos = N;
    } else if (typeof seed === 'number') {
      this.initGenrand(checkSeedWord(seed));
    } else {
      if (seed.length === 0) throw new RangeError('numpy-random: Seed must be non-empty');
      const key = new Uint32Array(seed.length);
      for (let i = 0; i < seed.length; i++) key[i] = checkSeedWord(seed[i]);
      this.initByArray(key);
    }
    this.hasGauss = false;
    this.gaussCache = 0;
  }

  private initGenrand(s: number): void {
    const mt = this.mt;
    mt[0] = s >>> 0;
    for (let i = 1; i < N; i++) {
      const prev = mt[i - 1]!;
      mt[i] = (Math.imul(1812433253, prev ^ (prev >>> 30)) + i) >>> 0;
    }
    this.pos = N;
  }

  private initByArray(key: Uint32Array): void {
    const mt = this.mt;
    const len = key.length;
    this.initGenrand(19650218);
    let i = 1;
    let j = 0;
    for (let k = N > len ? N : len; k > 0; k--) {
      const prev = mt[i - 1]!;
      mt[i] = ((mt[i]! ^ Math.imul(prev ^ (prev >>> 30), 1664525)) + key[j]! + j) >>> 0;
      i++;
      j++;
      if (i >= N) {
        mt[0] = mt[N - 1]!;
        i = 1;
      }
      if (j >= len) j = 0;
    }
    for (let k = N - 1; k > 0; k--) {
      const prev = mt[i - 1]!;
      mt[i] = ((mt[i]! ^ Math.imul(prev ^ (prev >>> 30), 1566083941)) - i) >>> 0;
      i++;
      if (i >= N) {
        mt[0] = mt[N - 1]!;
        i = 1;
      }
    }
    mt[0] = 0x80000000;
    this.pos = N;
  }

  /** Refill the 624-word state (mt19937_gen). */
  private generate(): void {
    const mt = this.mt;
    let i = 0;
    let y: number;
    for (; i < N - M; i++) {
      y = (mt[i]! & 0x80000000) | (mt[i + 1]! & 0x7fffffff);
      mt[i] = mt[i + M]! ^ (y >>> 1) ^ (-(y & 1) & 0x9908b0df);
    }
    for (; i < N - 1; i++) {
      y = (mt[i]! & 0x80000000) | (mt[i + 1]! & 0x7fffffff);
      mt[i] = mt[i + (M - N)]! ^ (y >>> 1) ^ (-(y & 1) & 0x9908b0df);
    }
    y = (mt[N - 1]! & 0x80000000) | (mt[0]! & 0x7fffffff);
    mt[N - 1] = mt[M - 1]! ^ (y >>> 1) ^ (-(y & 1) & 0x9908b0df);
    this.pos = 0;
  }

  /** Next tempered 32-bit output as an unsigned number (mt19937_next32). */
  nextUint32(): number {
    if (this.pos === N) this.generate();
    let y = this.mt[this.pos++]!;
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }

  /** A 53-bit double in [0, 1) (mt19937_next_double / legacy_double). */
  private nextDouble(): number {
    const a = this.nextUint32() >>> 5;
    const b = this.nextUint32() >>> 6;
    return (a * 67108864 + b) / 9007199254740992;
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
    let probs: Float64Array | undefined;
    if (p !== undefined) {
      probs = Float64Array.from(p);
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
    }

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
    return { key: Uint32Array.from(this.mt), pos: this.pos, hasGauss: this.hasGauss, cachedGaussian: this.gaussCache };
  }

  /** `set_state(state)`. */
  setState(state: RandomStateState): void {
    if (state.key.length !== N) throw new RangeError(`numpy-random: state key must have ${N} words`);
    if (!Number.isInteger(state.pos) || state.pos < 0 || state.pos > N) throw new RangeError('numpy-random: state pos out of range');
    this.mt.set(state.key);
    this.pos = state.pos;
    this.hasGauss = state.hasGauss;
    this.gaussCache = state.hasGauss ? state.cachedGaussian : 0;
  }
}

/** `cdf = cumsum(p); cdf /= cdf[-1]` (a sequential cumulative sum, as numpy's). */
function normalizedCdf(p: Float64Array): Float64Array {
  const cdf = new Float64Array(p.length);
  let s = 0;
  for (let i = 0; i < p.length; i++) cdf[i] = s = i === 0 ? p[0]! : s + p[i]!;
  const last = cdf[cdf.length - 1]!;
  for (let i = 0; i < cdf.length; i++) cdf[i] = cdf[i]! / last;
  return cdf;
}

/** `searchsorted(cdf, v, side='right')`: the number of entries <= v. */
function searchRight(cdf: Float64Array, v: number): number {
  let lo = 0;
  let hi = cdf.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cdf[mid]! <= v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

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
