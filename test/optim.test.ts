// Optimizers: fastai's Adam and SGD against the Python reference in test/golden/optim.json
// (test/golden/make_optim_golden.py, fastai's formulas in PyTorch), and parameter groups, slices,
// freezing and the state dict.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tensor, type Tensor } from '../src/index.js';
import { Adam, SGD, evenMults, lrSlice, spreadHyper, type Optimizer } from '../src/optim/index.js';

interface Enc {
  shape: number[];
  values: number[];
}
interface Case {
  name: string;
  optimizer: 'Adam' | 'SGD';
  decoupleWd: boolean;
  initMom?: number;
  hypers: Record<string, number>[][];
  steps: Record<string, Enc>[];
}
interface Golden {
  init: Record<string, Enc>;
  grads: Record<string, Enc>[];
  groups: string[][];
  doWd: Record<string, boolean>;
  cases: Case[];
}

const golden = JSON.parse(readFileSync(join(process.cwd(), 'test', 'golden', 'optim.json'), 'utf8')) as Golden;
const dec = (e: Enc): Tensor => tensor(e.values, { dtype: 'float32' }).reshape(e.shape);
const camel = (k: string) => k.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

function maxRelErr(a: number[], b: number[]): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!) / Math.max(1e-6, Math.abs(b[i]!)));
  return m;
}

for (const c of golden.cases) {
  test(`${c.name}: ${c.optimizer} matches fastai's formulas over ${c.steps.length} steps`, () => {
    const params: Record<string, Tensor> = {};
    for (const [n, e] of Object.entries(golden.init)) params[n] = dec(e).requiresGrad_();
    const groups = golden.groups.map((g) => g.map((n) => params[n]!));
    const opt: Optimizer = c.optimizer === 'Adam' ? Adam(groups, { decoupleWd: c.decoupleWd }) : SGD(groups, { decoupleWd: c.decoupleWd, mom: c.initMom ?? 0 });
    for (const [n, p] of Object.entries(params)) if (!golden.doWd[n]) opt.state.get(p)!.doWd = false;
    let worst = 0;
    c.steps.forEach((expected, s) => {
      for (const [k] of Object.entries(c.hypers[s]![0]!)) opt.setHyper(camel(k), c.hypers[s]!.map((h) => h[k]!));
      for (const [n, g] of Object.entries(golden.grads[s]!)) params[n]!.grad = dec(g);
      opt.step();
      opt.zeroGrad();
      for (const [n, e] of Object.entries(expected)) {
        const got = params[n]!.detach().toFlatArray() as number[];
        const err = maxRelErr(got, e.values);
        worst = Math.max(worst, err);
        assert.ok(err < 2e-6, `${c.name} step ${s + 1} ${n}: relative error ${err}\n got ${got}\nwant ${e.values}`);
      }
    });
    if (process.env['OWLET_VERBOSE']) console.log(`${c.name}: worst relative error ${worst.toExponential(2)}`);
  });
}

test('Adam defaults are fastai\'s: mom 0.9, sqrMom 0.99, eps 1e-5, wd 0.01, lr 1e-3', () => {
  const opt = Adam([tensor([1, 2], { dtype: 'float32' }).requiresGrad_()]);
  assert.deepEqual(opt.hypers[0], { lr: 1e-3, mom: 0.9, sqrMom: 0.99, eps: 1e-5, wd: 0.01 });
  const sgd = SGD([tensor([1, 2], { dtype: 'float32' }).requiresGrad_()]);
  assert.deepEqual(sgd.hypers[0], { lr: 1e-3, mom: 0, wd: 0 });
});

test('lrSlice and setHyper spread values over groups as fastai\'s set_hyper', () => {
  assert.deepEqual(spreadHyper('lr', lrSlice(1e-3), 3), [1e-4, 1e-4, 1e-3]);
  const geo = spreadHyper('lr', lrSlice(1e-5, 1e-3), 3);
  assert.ok(Math.abs(geo[0]! - 1e-5) < 1e-18 && Math.abs(geo[1]! - 1e-4) < 1e-17 && Math.abs(geo[2]! - 1e-3) < 1e-16, String(geo));
  assert.deepEqual(evenMults(1, 8, 4), [1, 2, 4, 8]);
  assert.deepEqual(evenMults(1, 8, 1), [8]);
  assert.deepEqual(spreadHyper('wd', 0.1, 2), [0.1, 0.1]);
  assert.deepEqual(spreadHyper('lr', lrSlice(2e-3), 1), [2e-3]);
  assert.throws(() => spreadHyper('lr', [1, 2, 3], 2), /3 values for lr but there are 2 parameter groups/);
  assert.throws(() => lrSlice(-1), /positive/);
});

test('freezeTo: frozen groups stop requiring grad except forceTrain parameters; unfreeze restores', () => {
  const body = [tensor([1, 2], { dtype: 'float32' }).requiresGrad_(), tensor([3], { dtype: 'float32' }).requiresGrad_()];
  const head = [tensor([4], { dtype: 'float32' }).requiresGrad_()];
  const opt = Adam([body, head]);
  opt.state.get(body[1]!)!.forceTrain = true;
  opt.freeze();
  assert.equal(opt.frozenIdx, 1);
  assert.deepEqual([body[0]!.requiresGrad, body[1]!.requiresGrad, head[0]!.requiresGrad], [false, true, true]);
  opt.unfreeze();
  assert.deepEqual([body[0]!.requiresGrad, body[1]!.requiresGrad, head[0]!.requiresGrad], [true, true, true]);
  assert.throws(() => Adam([tensor([1], { dtype: 'float32' }).requiresGrad_()]).freeze(), /at least two parameter groups/);
});

test('step skips parameters without gradients; clearState keeps the flags', () => {
  const a = tensor([1, 2], { dtype: 'float32' }).requiresGrad_();
  const b = tensor([3, 4], { dtype: 'float32' }).requiresGrad_();
  const opt = Adam([a, b], { lr: 0.1 });
  opt.state.get(a)!.doWd = false;
  a.grad = tensor([1, 1], { dtype: 'float32' });
  opt.step();
  assert.notDeepEqual(a.detach().toFlatArray(), [1, 2]);
  assert.deepEqual(b.detach().toFlatArray(), [3, 4]);
  assert.equal(opt.state.get(a)!['step'], 1);
  assert.equal(opt.state.get(b)!['step'], undefined);
  opt.zeroGrad();
  assert.equal(a.grad, null);
  opt.clearState();
  assert.deepEqual(opt.state.get(a), { doWd: false });
});

test('stateDict / loadStateDict round-trip gives the same next step', () => {
  const mk = () => [tensor([1, 2, 3], { dtype: 'float32' }).requiresGrad_(), tensor([0.5], { dtype: 'float32' }).requiresGrad_()];
  const p1 = mk();
  const o1 = Adam([[p1[0]!], [p1[1]!]], { lr: 0.05 });
  for (let i = 0; i < 3; i++) {
    p1[0]!.grad = tensor([0.1 * i, -0.2, 0.3], { dtype: 'float32' });
    p1[1]!.grad = tensor([1 - i], { dtype: 'float32' });
    o1.step();
  }
  const { tensors, meta } = o1.stateDict();
  const p2 = [p1[0]!.detach().clone().requiresGrad_(), p1[1]!.detach().clone().requiresGrad_()];
  const o2 = Adam([[p2[0]!], [p2[1]!]]);
  o2.loadStateDict(tensors, JSON.parse(JSON.stringify(meta)));
  assert.equal(o2.hypers[0]!.lr, 0.05);
  for (const [ps, o] of [[p1, o1], [p2, o2]] as const) {
    ps[0]!.grad = tensor([0.4, 0.4, -0.1], { dtype: 'float32' });
    ps[1]!.grad = tensor([2], { dtype: 'float32' });
    o.step();
  }
  assert.deepEqual(p1[0]!.detach().toFlatArray(), p2[0]!.detach().toFlatArray());
  assert.deepEqual(p1[1]!.detach().toFlatArray(), p2[1]!.detach().toFlatArray());
  assert.throws(() => Adam([p2[0]!]).loadStateDict(tensors, meta), /groups of \[1, 1\] parameters/);
});

test('Adam: the one-pass native step equals the op-by-op step (decoupled and L2 decay, no decay, bf16 and strided fall back)', async () => {
  const { manualSeed, randn } = await import('../src/index.js');
  for (const decoupleWd of [true, false]) {
    manualSeed(1);
    const shapes = [[300, 401], [7], [64, 3, 3, 3]];
    const base = shapes.map((s) => randn(s));
    const grads = Array.from({ length: 4 }, () => shapes.map((s) => randn(s)));
    const run = (fused: boolean): number[][] => {
      const params = base.map((b) => b.clone().requiresGrad_());
      const opt = Adam(params, { lr: 3e-3, decoupleWd, fused, wd: 0.1 });
      opt.state.get(params[1]!)!.doWd = false;
      for (const g of grads) {
        params.forEach((p, i) => { p.grad = g[i]!.clone(); });
        opt.step();
        opt.zeroGrad();
      }
      return params.map((p) => p.detach().toFlatArray() as number[]);
    };
    const a = run(true);
    const b = run(false);
    // equal to rounding: aten's kernels may fuse a multiply-add (1 ulp), which then carries over steps
    const maxAbs = (x: number[], y: number[]) => x.reduce((m, v, k) => Math.max(m, Math.abs(v - y[k]!)), 0);
    a.forEach((x, i) => assert.ok(maxAbs(x, b[i]!) < 2e-6, `decoupleWd ${decoupleWd}, parameter ${i}: ${maxAbs(x, b[i]!)}`));
  }
  // parameters the native step does not take: the op-by-op path, same result as before
  const strided = randn([8, 6]).t().requiresGrad_();
  const half = randn([5]).to('bfloat16').requiresGrad_();
  const opt = Adam([strided, half], { lr: 1e-2 });
  const before = strided.detach().clone();
  strided.grad = randn([6, 8]);
  half.grad = randn([5]).to('bfloat16');
  opt.step();
  assert.ok(strided.detach().sub(before).abs().max().item() > 0, 'a strided parameter still steps');
  assert.equal(half.dtype, 'bfloat16');
});
