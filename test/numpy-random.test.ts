/**
 * numpy-random.ts against numpy's own legacy np.random draws (test/golden/numpy_random.json,
 * written by test/golden/make_numpy_random_golden.py): every draw must be identical, bit
 * for bit.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';

import { RandomState, numpyRandom, glibcLog, fma } from '../src/engine/numpy-random.js';

type Size = number | number[] | null;
type Scalar = number | string;
interface Op {
  op: string;
  out?: Scalar | Scalar[] | Scalar[][] | StateOut;
  sha256?: string;
  count?: number;
  size?: Size;
  shape?: number[];
  loc?: number;
  scale?: number;
  low?: number;
  high?: number | null;
  n?: number;
  x?: Scalar[] | Scalar[][];
  a?: number | Scalar[];
  replace?: boolean;
  p?: number[] | null;
  seed?: number | number[];
}
interface StateOut {
  key_sha256: string;
  pos: number;
  has_gauss: number;
  cached_gaussian: number;
}
interface Scenario {
  name: string;
  seed: number | number[];
  global: boolean;
  ops: Op[];
}
interface Golden {
  numpy_version: string;
  scenarios: Scenario[];
}

/** The methods a scenario calls: a RandomState, or the module-level numpyRandom. */
type Api = Pick<
  RandomState,
  | 'seed'
  | 'randomSample'
  | 'random'
  | 'rand'
  | 'randn'
  | 'standardNormal'
  | 'standardExponential'
  | 'normal'
  | 'uniform'
  | 'exponential'
  | 'randint'
  | 'permutation'
  | 'shuffle'
  | 'choice'
  | 'getState'
  | 'setState'
>;

const golden = JSON.parse(readFileSync(process.cwd() + '/test/golden/numpy_random.json', 'utf8')) as Golden;

const FLOAT_OPS = new Set([
  'random_sample',
  'random',
  'rand',
  'randn',
  'standard_normal',
  'standard_exponential',
  'normal',
  'uniform',
  'exponential',
]);

function sizeOf(s: Size | undefined): number | number[] | undefined {
  return s === null || s === undefined ? undefined : s;
}

function sha256Of(values: ArrayLike<number>, asInt: boolean): string {
  const bytes = new Uint8Array(values.length * 8);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < values.length; i++) {
    if (asInt) view.setBigInt64(i * 8, BigInt(values[i]!), true);
    else view.setFloat64(i * 8, values[i]!, true);
  }
  return createHash('sha256').update(bytes).digest('hex');
}

function call(gen: Api, op: Op): unknown {
  switch (op.op) {
    case 'random_sample':
      return gen.randomSample(sizeOf(op.size));
    case 'random':
      return gen.random(sizeOf(op.size));
    case 'rand':
      return gen.rand(...op.shape!);
    case 'randn':
      return gen.randn(...op.shape!);
    case 'standard_normal':
      return gen.standardNormal(sizeOf(op.size));
    case 'standard_exponential':
      return gen.standardExponential(sizeOf(op.size));
    case 'normal':
      return gen.normal({ loc: op.loc, scale: op.scale, size: sizeOf(op.size) });
    case 'uniform':
      return gen.uniform({ low: op.low, high: op.high ?? undefined, size: sizeOf(op.size) });
    case 'exponential':
      return gen.exponential({ scale: op.scale, size: sizeOf(op.size) });
    case 'randint':
      return gen.randint(op.low!, op.high ?? undefined, sizeOf(op.size));
    case 'permutation':
      return op.n !== undefined ? gen.permutation(op.n) : gen.permutation(op.x as Scalar[]);
    case 'choice':
      return gen.choice(op.a as number | Scalar[], sizeOf(op.size), op.replace, op.p ?? undefined);
    default:
      throw new Error(`unknown op ${op.op}`);
  }
}

/** Replays one scenario; returns the number of draws compared. */
function replay(gen: Api, sc: Scenario): number {
  let checked = 0;
  sc.ops.forEach((op, k) => {
    const where = `${sc.name}: op #${k} ${JSON.stringify({ ...op, out: undefined, sha256: undefined })}`;
    if (op.op === 'seed') {
      gen.seed(op.seed!);
      return;
    }
    if (op.op === 'state') {
      const want = op.out as StateOut;
      const st = gen.getState();
      assert.equal(createHash('sha256').update(new Uint8Array(Uint32Array.from(st.key, (w) => w).buffer)).digest('hex'), want.key_sha256, `${where}: key`);
      assert.equal(st.pos, want.pos, `${where}: pos`);
      assert.equal(st.hasGauss, want.has_gauss === 1, `${where}: has_gauss`);
      assert.equal(st.cachedGaussian, want.cached_gaussian, `${where}: cached_gaussian`);
      return;
    }
    if (op.op === 'shuffle') {
      const x: unknown[] = structuredClone(op.x!);
      gen.shuffle(x);
      assert.deepEqual(x, op.out, where);
      checked += x.length;
      return;
    }
    const got = call(gen, op);
    const scalar = op.op === 'rand' || op.op === 'randn' ? op.shape!.length === 0 : op.size === null || op.size === undefined;
    if (op.op === 'permutation') {
      assert.ok(Array.isArray(got), `${where}: permutation returns an array`);
    } else if (scalar) {
      assert.equal(typeof got, typeof op.out, `${where}: scalar result`);
    } else if (FLOAT_OPS.has(op.op)) {
      assert.ok(got instanceof Float64Array, `${where}: Float64Array result`);
    } else {
      assert.ok(Array.isArray(got), `${where}: array result`);
    }
    const values = scalar && op.op !== 'permutation' ? [got as Scalar] : Array.from(got as ArrayLike<Scalar>);
    if (op.sha256 !== undefined) {
      assert.equal(values.length, op.count, `${where}: count`);
      assert.equal(sha256Of(values as number[], !FLOAT_OPS.has(op.op)), op.sha256, `${where}: sha256 of draws`);
      checked += values.length;
      return;
    }
    const want = scalar && op.op !== 'permutation' ? [op.out as Scalar] : (op.out as Scalar[]);
    assert.equal(values.length, want.length, `${where}: length`);
    for (let i = 0; i < want.length; i++) {
      if (!Object.is(values[i], want[i])) {
        assert.fail(`${where}: draw ${i}: got ${String(values[i])}, numpy ${String(want[i])}`);
      }
    }
    checked += want.length;
  });
  return checked;
}

test('golden file is there and was made by numpy', () => {
  assert.ok(golden.scenarios.length >= 10);
  assert.match(golden.numpy_version, /^\d+\.\d+/);
});

let total = 0;
for (const sc of golden.scenarios) {
  test(`numpy legacy draws: ${sc.name}`, (t) => {
    let gen: Api;
    if (sc.global) {
      numpyRandom.seed(sc.seed);
      gen = numpyRandom;
    } else {
      gen = new RandomState(sc.seed);
    }
    const n = replay(gen, sc);
    total += n;
    t.diagnostic(`${n} draws identical`);
  });
}

test('all golden draws were checked', (t) => {
  assert.ok(total > 500000, `only ${total} draws checked`);
  t.diagnostic(`${total} draws identical to numpy ${golden.numpy_version}`);
});

test('seed() resets the cached gaussian; getState/setState round-trip', () => {
  const a = new RandomState(42);
  const first = a.normal({ size: 3 });
  a.seed(42);
  assert.deepEqual(a.normal({ size: 3 }), first); // three draws: a cached value is left
  const st = a.getState();
  assert.equal(st.hasGauss, true);
  const next = a.standardNormal(5);
  const b = new RandomState(0);
  b.setState(st);
  assert.deepEqual(b.standardNormal(5), next);
});

test('module-level functions share one generator', () => {
  numpyRandom.seed(42);
  const v = numpyRandom.normal({ scale: 0.15, size: 40 });
  const w = new RandomState(42).normal({ scale: 0.15, size: 40 });
  assert.deepEqual(v, w);
  numpyRandom.seed(3);
  const x = [numpyRandom.rand(), numpyRandom.randn(), numpyRandom.randint(10)];
  const r = new RandomState(3);
  assert.deepEqual(x, [r.rand(), r.randn(), r.randint(10)]);
});

test('numpy-style argument errors', () => {
  assert.throws(() => new RandomState(-1), RangeError);
  assert.throws(() => new RandomState(2 ** 32), RangeError);
  assert.throws(() => new RandomState(1.5), RangeError);
  assert.throws(() => new RandomState([]), RangeError);
  assert.throws(() => new RandomState([1, -2]), RangeError);
  const r = new RandomState(0);
  assert.throws(() => r.randint(5, 5), /low >= high/);
  assert.throws(() => r.randint(0, 2 ** 54), RangeError);
  assert.throws(() => r.randint(0.5, 3), RangeError);
  assert.throws(() => r.normal({ scale: -1 }), /scale < 0/);
  assert.throws(() => r.normal({ scale: -0 }), /scale < 0/);
  assert.throws(() => r.uniform({ low: -Infinity }), RangeError);
  assert.throws(() => r.randomSample([2, -1]), RangeError);
  assert.throws(() => r.choice(3, 4, false), RangeError);
  assert.throws(() => r.choice(3, 1, true, [0.5, 0.6, 0.1]), /sum to 1/);
  assert.equal(r.randomSample(0).length, 0);
  assert.deepEqual(r.randomSample([2, 0, 3]), new Float64Array(0));
});

test('glibcLog special values and fma', () => {
  assert.equal(glibcLog(1), 0);
  assert.equal(glibcLog(0), -Infinity);
  assert.ok(Number.isNaN(glibcLog(-1)));
  assert.ok(Number.isNaN(glibcLog(NaN)));
  assert.equal(glibcLog(Infinity), Infinity);
  assert.equal(glibcLog(Math.E), 1);
  assert.equal(glibcLog(5e-324), -744.4400719213812);
  assert.equal(fma(0.1, 10, -1), 5.551115123125783e-17);
  assert.equal(fma(2, 3, 4), 10);
});
