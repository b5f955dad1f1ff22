/**
 * MT19937 exactly as numpy's `_mt19937.pyx` / `mt19937.c` (Matsumoto & Nishimura's reference
 * generator): `init_genrand` for an integer seed, `init_by_array` for an array seed, and 53-bit
 * doubles `((a >> 5) * 67108864 + (b >> 6)) / 2**53`.
 */

/** Words of state. */
export const N = 624;
const M = 397;
const TWO_POW_32 = 4294967296;

function checkSeedWord(v: unknown): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 0xffffffff) {
    throw new RangeError('numpy-random: Seed must be between 0 and 2**32 - 1');
  }
  return v;
}

function entropyWords(n: number): Uint32Array {
  const out = new Uint32Array(n);
  const c = (globalThis as { crypto?: { getRandomValues(a: Uint32Array): Uint32Array } }).crypto;
  if (c) c.getRandomValues(out);
  else for (let i = 0; i < n; i++) out[i] = Math.floor(Math.random() * TWO_POW_32) >>> 0;
  return out;
}

/** The generator's state (`key`, `pos`) and draws; RandomState reads and sets the state directly. */
export class MT19937 {
  readonly key = new Uint32Array(N);
  pos = N;

  /**
   * An integer in [0, 2**32) uses `init_genrand`, an array of such integers (any length >= 1)
   * uses `init_by_array`; no seed draws one from the OS.
   */
  seed(seed?: number | readonly number[]): void {
    if (seed === undefined) {
      this.key.set(entropyWords(N));
      this.key[0] = 0x80000000;
      this.pos = N;
    } else if (typeof seed === 'number') {
      this.initGenrand(checkSeedWord(seed));
    } else {
      if (seed.length === 0) throw new RangeError('numpy-random: Seed must be non-empty');
      const key = new Uint32Array(seed.length);
      for (let i = 0; i < seed.length; i++) key[i] = checkSeedWord(seed[i]);
      this.initByArray(key);
    }
  }

  private initGenrand(s: number): void {
    const mt = this.key;
    mt[0] = s >>> 0;
    for (let i = 1; i < N; i++) {
      const prev = mt[i - 1]!;
      mt[i] = (Math.imul(1812433253, prev ^ (prev >>> 30)) + i) >>> 0;
    }
    this.pos = N;
  }

  private initByArray(key: Uint32Array): void {
    const mt = this.key;
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
    const mt = this.key;
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
    let y = this.key[this.pos++]!;
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }

  /** A 53-bit double in [0, 1) (mt19937_next_double / legacy_double). */
  nextDouble(): number {
    const a = this.nextUint32() >>> 5;
    const b = this.nextUint32() >>> 6;
    return (a * 67108864 + b) / 9007199254740992;
  }
}
