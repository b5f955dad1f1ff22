// Golden tests: owlet's tensor operations against PyTorch 1.13.
// The cases come from test/golden/make_ops_golden.py (run with /usr/bin/python3), which describes
// each case as a small owlet program; this file replays the programs with a tiny interpreter and
// compares dtypes and shapes exactly, values with a tolerance suited to the dtype, and the
// gradients of (out * w).sum() with respect to each input that requires grad.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as owlet from '../src/index.js';
import { Tensor, tensor, type DType } from '../src/index.js';

type Encoded = number | boolean | string;

interface TensorJson {
  dtype: DType;
  shape: number[];
  values: Encoded[];
}

interface InputJson extends TensorJson {
  requiresGrad: boolean;
}

type Arg =
  | null
  | number
  | boolean
  | string
  | Arg[]
  | { t: string; i?: number }
  | { len: string }
  | { num: string }
  | { obj: Record<string, Arg> };

interface Step {
  out: string;
  call: 'method' | 'fn' | 'op' | 'get';
  self?: string;
  name: string;
  args: Arg[];
}

type Ref = { t: string; i?: number } | { len: string };

type Expected =
  | (TensorJson & { kind: 'tensor'; requiresGrad: boolean; gradFn?: string | null })
  | { kind: 'number'; value: Encoded; dtype: DType }
  | { kind: 'bool'; value: boolean }
  | { kind: 'json'; value: unknown };

interface GoldenCase {
  name: string;
  inputs: Record<string, InputJson>;
  program: Step[];
  outputs: Ref[];
  expected: Expected[];
  weight: TensorJson | null;
  gradOf: number;
  grads: Record<string, TensorJson | null>;
  tol?: { rtol: number; atol: number };
  error?: string;
}

/**
 * Cases that fail because of a bug or a missing piece in owlet: they still run, as node:test todos,
 * so a fix shows up as a passing todo. None now.
 */
const TODO: Record<string, string> = {};

/**
 * Cases that abort the whole process (a libtorch assertion in native code): they run in a child
 * process, so the rest of the file still reports. None now (`gelu f32` did, before the CPU cache
 * allocator had a raw deleter).
 */
const CRASHES: Record<string, string> = {};

/** The child process of an isolated case runs only that case (see `runIsolated`). */
const ISOLATED_CASE_ENV = 'OWLET_OPS_GOLDEN_CASE';

// ---------------------------------------------------------------------------------------------
// Decoding

/** The generator writes nan, ±inf and -0 as strings; everything else is a plain JSON number or boolean. */
function decode(v: Encoded): number | boolean {
  if (typeof v !== 'string') return v;
  const special: Record<string, number> = { nan: NaN, inf: Infinity, '-inf': -Infinity, '-0': -0 };
  const x = special[v];
  if (x === undefined) throw new Error(`bad encoded value '${v}'`);
  return x;
}

function makeTensor(j: TensorJson, requiresGrad = false): Tensor {
  const values = j.values.map(decode) as number[] | boolean[];
  return tensor(values, { dtype: j.dtype, shape: j.shape, requiresGrad });
}

function isObj(a: Arg): a is Exclude<Arg, null | number | boolean | string | Arg[]> {
  return typeof a === 'object' && a !== null && !Array.isArray(a);
}

function resolve(env: Map<string, unknown>, ref: Ref): unknown {
  if ('len' in ref) {
    const v = env.get(ref.len);
    if (!Array.isArray(v)) throw new Error(`'${ref.len}' is not a list`);
    return v.length;
  }
  if (!env.has(ref.t)) throw new Error(`nothing named '${ref.t}' in the program`);
  const v = env.get(ref.t);
  if (ref.i === undefined) return v;
  if (!Array.isArray(v)) throw new Error(`'${ref.t}' is not a list (cannot take element ${ref.i})`);
  return v[ref.i];
}

function decodeArg(env: Map<string, unknown>, a: Arg): unknown {
  if (a === null || typeof a !== 'object') return a;
  if (Array.isArray(a)) return a.map((x) => decodeArg(env, x));
  if (!isObj(a)) throw new Error('unreachable');
  if ('num' in a) return decode(a.num);
  if ('obj' in a) return Object.fromEntries(Object.entries(a.obj).map(([k, v]) => [k, decodeArg(env, v)]));
  return resolve(env, a as Ref);
}

type AnyFn = (...args: unknown[]) => unknown;

function runProgram(c: GoldenCase): { env: Map<string, unknown>; inputs: Map<string, Tensor> } {
  const env = new Map<string, unknown>();
  const inputs = new Map<string, Tensor>();
  for (const [name, j] of Object.entries(c.inputs)) {
    const t = makeTensor(j, j.requiresGrad);
    env.set(name, t);
    inputs.set(name, t);
  }
  for (const step of c.program) {
    const args = step.args.map((a) => decodeArg(env, a));
    let result: unknown;
    if (step.call === 'method' || step.call === 'get') {
      const self = env.get(step.self!) as Record<string, unknown> | undefined;
      if (self === undefined) throw new Error(`nothing named '${step.self}' in the program`);
      const member = self[step.name];
      if (step.call === 'get') result = member;
      else {
        if (typeof member !== 'function') throw new TypeError(`owlet's ${self.constructor.name} has no method ${step.name}()`);
        result = (member as AnyFn).apply(self, args);
      }
    } else {
      const ns = (step.call === 'fn' ? owlet : owlet.ops) as unknown as Record<string, unknown>;
      const f = ns[step.name];
      if (typeof f !== 'function') throw new TypeError(`owlet${step.call === 'op' ? '.ops' : ''} has no function ${step.name}()`);
      result = (f as AnyFn)(...args);
    }
    env.set(step.out, result);
  }
  return { env, inputs };
}

// ---------------------------------------------------------------------------------------------
// Comparing

const TOL: Partial<Record<DType, { rtol: number; atol: number }>> = {
  float64: { rtol: 1e-12, atol: 1e-12 },
  float32: { rtol: 1e-6, atol: 1e-6 },
  float16: { rtol: 1e-3, atol: 1e-3 },
  bfloat16: { rtol: 1e-2, atol: 1e-2 },
};

function closeEnough(got: number, want: number, tol: { rtol: number; atol: number } | undefined, checkZeroSign: boolean): boolean {
  if (Number.isNaN(want)) return Number.isNaN(got);
  if (!Number.isFinite(want) || tol === undefined) {
    if (checkZeroSign && want === 0) return Object.is(got, want);
    return got === want;
  }
  if (checkZeroSign && want === 0 && got === 0) return Object.is(got, want);
  return Math.abs(got - want) <= tol.atol + tol.rtol * Math.abs(want);
}

function compareValues(what: string, got: (number | boolean)[], want: (number | boolean)[], dtype: DType, c: GoldenCase, checkZeroSign: boolean): void {
  assert.equal(got.length, want.length, `${what}: ${got.length} values, expected ${want.length}`);
  const tol = TOL[dtype] === undefined ? undefined : (c.tol ?? TOL[dtype]);
  const bad: string[] = [];
  for (let k = 0; k < want.length; k++) {
    const g = got[k]!;
    const w = want[k]!;
    const ok = typeof w === 'boolean' ? g === w : typeof g === 'number' && closeEnough(g, w, tol, checkZeroSign);
    if (!ok) bad.push(`[${k}] got ${Object.is(g, -0) ? '-0' : String(g)}, expected ${Object.is(w, -0) ? '-0' : String(w)}`);
  }
  if (bad.length > 0)
    assert.fail(`${what} (${dtype}${tol ? `, rtol ${tol.rtol}, atol ${tol.atol}` : ', exact'}): ${bad.length} of ${want.length} values differ: ${bad.slice(0, 6).join('; ')}${bad.length > 6 ? '; …' : ''}`);
}

function compareTensor(what: string, got: unknown, want: TensorJson, c: GoldenCase, checkZeroSign: boolean): void {
  assert.ok(got instanceof Tensor, `${what}: expected a Tensor, got ${typeof got === 'object' ? String(got) : typeof got}`);
  assert.equal(got.dtype, want.dtype, `${what}: dtype`);
  assert.deepEqual(got.shape, want.shape, `${what}: shape`);
  compareValues(what, got.toFlatArray(), want.values.map(decode), want.dtype, c, checkZeroSign);
}

function checkOutput(what: string, got: unknown, want: Expected, c: GoldenCase): void {
  if (want.kind === 'tensor') {
    compareTensor(what, got, want, c, true);
    const t = got as Tensor;
    assert.equal(t.requiresGrad, want.requiresGrad, `${what}: requiresGrad`);
    if (want.gradFn !== undefined) assert.equal(t.gradFn?.name ?? null, want.gradFn, `${what}: gradFn`);
  } else if (want.kind === 'number') {
    assert.equal(typeof got, 'number', `${what}: expected a number, got ${typeof got} (${String(got)})`);
    compareValues(what, [got as number], [decode(want.value)], want.dtype, c, true);
  } else if (want.kind === 'json') {
    assert.deepEqual(got, want.value, what);
  } else {
    assert.equal(typeof got, 'boolean', `${what}: expected a boolean, got ${typeof got} (${String(got)})`);
    assert.equal(got, want.value, what);
  }
}

function describeRef(r: Ref): string {
  return 'len' in r ? `length of ${r.len}` : r.i === undefined ? r.t : `${r.t}[${r.i}]`;
}

function runCase(c: GoldenCase): void {
  if (c.error !== undefined) {
    assert.throws(() => runProgram(c), (err: unknown) => {
      assert.ok(err instanceof Error, 'expected an Error');
      assert.ok(err.message.includes(c.error!), `error message ${JSON.stringify(err.message)} should contain torch's ${JSON.stringify(c.error)}`);
      return true;
    });
    return;
  }
  const { env, inputs } = runProgram(c);
  const outs = c.outputs.map((r) => resolve(env, r));
  c.outputs.forEach((r, k) => checkOutput(`output ${describeRef(r)}`, outs[k], c.expected[k]!, c));
  if (c.weight === null) return;
  const out = outs[c.gradOf] as Tensor;
  const w = makeTensor(c.weight);
  out.mul(w).sum().backward();
  for (const [name, want] of Object.entries(c.grads)) {
    const g = inputs.get(name)!.grad;
    if (want === null) assert.equal(g, null, `grad of ${name}: torch has none`);
    else compareTensor(`grad of ${name}`, g, want, c, false);
  }
}

// ---------------------------------------------------------------------------------------------

/** Runs one case in a child process (this file, in single-case mode), so a native abort stays there. */
function runIsolated(c: GoldenCase): void {
  const r = spawnSync(process.execPath, [fileURLToPath(import.meta.url)], {
    cwd: process.cwd(),
    encoding: 'utf8',
    timeout: 120_000,
    env: { ...process.env, [ISOLATED_CASE_ENV]: c.name },
  });
  if (r.status === 0) return;
  const why = r.signal ? `was killed by ${r.signal}` : `exited with status ${r.status}`;
  const detail = `${r.stdout}${r.stderr}`.split('\n').filter((l) => l.trim() !== '').slice(0, 4).join('\n');
  assert.fail(`the case's child process ${why}:\n${detail}`);
}

// Tests run from the repo root as compiled files in dist/test/.
const golden = JSON.parse(readFileSync(join(process.cwd(), 'test/golden/ops.json'), 'utf8')) as { torch: string; cases: GoldenCase[] };
const isolated = process.env[ISOLATED_CASE_ENV];

if (isolated !== undefined) {
  // Single-case mode: no node:test tests, just the case and an exit status.
  const c = golden.cases.find((x) => x.name === isolated);
  if (c === undefined) {
    console.error(`no case named '${isolated}'`);
    process.exit(2);
  }
  try {
    runCase(c);
    process.exit(0);
  } catch (err) {
    console.error(err instanceof Error ? err.message : String(err));
    process.exit(1);
  }
} else {
  test('ops golden file has enough cases', () => {
    assert.ok(golden.cases.length >= 70, `only ${golden.cases.length} cases`);
    assert.equal(new Set(golden.cases.map((c) => c.name)).size, golden.cases.length, 'case names are unique');
    for (const name of [...Object.keys(TODO), ...Object.keys(CRASHES)])
      assert.ok(golden.cases.some((c) => c.name === name), `TODO/CRASHES name a missing case '${name}'`);
  });

  for (const c of golden.cases) {
    const crash = CRASHES[c.name];
    const todo = crash ?? TODO[c.name];
    test(`op: ${c.name}`, todo === undefined ? {} : { todo }, () => (crash === undefined ? runCase(c) : runIsolated(c)));
  }
}
