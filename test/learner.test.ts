// Learner: the callback loop, the epoch table, metrics, one-cycle and fineTune schedules, freezing,
// lrFind, NaN stops, save/load and resume, mixed precision. Synthetic data and small models, so
// every test runs in a second or two.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { manualSeed, noGrad, randn, tensor, type Tensor } from '../src/index.js';
import * as nn from '../src/nn/index.js';
import {
  Callback, CancelBatchException, CancelFitException, CancelTrainException, Learner, NonFiniteLossError, TrainingInterrupted,
  accuracy, combinedCos, cpuBf16Support, crossEntropyLossFlat, errorRate, formatTime, lrSlice, tensorDataLoaders, valley,
  type Event, type LossFunc,
} from '../src/learner/index.js';
import { SGD } from '../src/optim/index.js';
import { bodyHeadSplitter } from '../src/vision/learner.js';

process.env['OWLET_PROGRESS'] = 'none';
const tmp = mkdtempSync(join(tmpdir(), 'owlet-learner-'));
process.on('exit', () => rmSync(tmp, { recursive: true, force: true }));

/** A linearly separable 3-class problem in 4 dimensions. */
function makeData(nTrain = 256, nValid = 128, bs = 32, seed = 0) {
  manualSeed(seed);
  const w = randn([4, 3]);
  const mk = (n: number): [Tensor, Tensor] => {
    const x = randn([n, 4]);
    return [x, x.matmul(w).argmax(1)];
  };
  return tensorDataLoaders(mk(nTrain), mk(nValid), { bs, vocab: ['a', 'b', 'c'] });
}

function mlp(): nn.Sequential {
  return new nn.Sequential(new nn.Sequential(new nn.Linear(4, 16), new nn.BatchNorm1d(16), new nn.ReLU()), new nn.Sequential(new nn.Linear(16, 3)));
}

function learner(options: ConstructorParameters<typeof Learner>[2] = {}, data = makeData()) {
  const lines: string[] = [];
  const learn = new Learner(data, mlp(), { metrics: [errorRate], logger: (l) => lines.push(l), ...options });
  return { learn, lines };
}

const weights = (m: nn.Module) => m.parameters().map((p) => p.detach().clone());
const same = (a: Tensor[], b: Tensor[]) => a.length === b.length && a.every((t, i) => t.equal(b[i]!));

test('the epoch table prints as fastai prints it, and the error falls on a learnable problem', async () => {
  manualSeed(1);
  const { learn, lines } = learner();
  await learn.fit(3, { lr: 1e-2 });
  assert.equal(lines[0], 'epoch     train_loss  valid_loss  error_rate  time    ');
  assert.equal(lines.length, 4);
  for (let e = 0; e < 3; e++) assert.match(lines[e + 1]!, new RegExp(`^${e} {9}\\d+\\.\\d{6} {4}\\d+\\.\\d{6} {4}\\d\\.\\d{6} {4}\\d\\d:\\d\\d {5}$`), lines[e + 1]);
  const errs = learn.recorder!.values.map((v) => v[2]!);
  assert.ok(errs[2]! < 0.15, `error after 3 epochs: ${errs}`);
  assert.ok(errs[2]! < errs[0]! || errs[0]! < 0.1, `error should fall: ${errs}`);
  assert.deepEqual(learn.recorder!.metricNames, ['epoch', 'train_loss', 'valid_loss', 'error_rate', 'time']);
  assert.equal(learn.recorder!.lrs.length, 3 * 8);
  const lossPng = await learn.recorder!.plotLoss(join(tmp, 'loss.png'));
  assert.ok(readFileSync(lossPng).subarray(1, 4).toString() === 'PNG');
  // valid loss and error rate from validate() match the table's last row
  const [vl, er] = await learn.validate();
  assert.ok(Math.abs(vl! - learn.recorder!.values[2]![1]!) < 1e-6);
  assert.ok(Math.abs(er! - learn.recorder!.values[2]![2]!) < 1e-9);
});

test('formatTime and the metrics are fastai\'s', () => {
  assert.equal(formatTime(26.7), '00:26');
  assert.equal(formatTime(3599), '59:59');
  assert.equal(formatTime(3723), '1:02:03');
  const pred = tensor([[0.1, 0.9], [0.8, 0.2], [0.3, 0.7], [0.6, 0.4]], { dtype: 'float32' });
  const targ = tensor([1, 0, 0, 0]);
  assert.equal(accuracy(pred, targ).item(), 0.75);
  assert.equal(errorRate(pred, targ).item(), 0.25);
});

test('error_rate and valid_loss are weighted by batch size over the validation set', async () => {
  // 10 validation items in batches of 4, 4, 2: a mean of batch means would weigh the last batch double.
  manualSeed(0);
  const x = randn([10, 4]);
  const y = tensor([0, 1, 2, 0, 1, 2, 0, 1, 2, 0]);
  const data = tensorDataLoaders([randn([8, 4]), tensor([0, 1, 2, 0, 1, 2, 0, 1])], [x, y], { bs: 4, vocab: ['a', 'b', 'c'] });
  const { learn } = learner({}, data);
  const [vl, er] = await learn.validate();
  const logits = noGrad(() => learn.model.eval().call(x));
  const fullLoss = nn.functional.crossEntropy(logits, y).item();
  const fullErr = errorRate(logits, y).item();
  assert.ok(Math.abs(vl! - fullLoss) < 1e-5, `${vl} vs ${fullLoss}`);
  assert.ok(Math.abs(er! - fullErr) < 1e-6, `${er} vs ${fullErr}`);
});

test('callbacks run in order at each event; showTrainingLoop lists them', async () => {
  const seen: string[] = [];
  const events: Event[] = ['beforeFit', 'beforeEpoch', 'beforeTrain', 'beforeBatch', 'afterPred', 'afterLoss', 'beforeBackward', 'afterBackward', 'beforeStep', 'afterStep', 'afterBatch', 'afterTrain', 'beforeValidate', 'afterValidate', 'afterEpoch', 'afterFit'];
  class Spy extends Callback {
    override order = 100;
  }
  const spy = new Spy() as Spy & Record<string, unknown>;
  for (const e of events) spy[e] = (l: Learner) => seen.push(`${e}${l.training ? '' : '(valid)'}`);
  const late = { name: 'Early', order: -50, beforeFit: () => seen.push('early') };
  const data = makeData(64, 32, 32);
  const { learn } = learner({ cbs: [spy, late] }, data);
  await learn.fit(1);
  const batchT = ['beforeBatch', 'afterPred', 'afterLoss', 'beforeBackward', 'afterBackward', 'beforeStep', 'afterStep', 'afterBatch'];
  const batchV = ['beforeBatch(valid)', 'afterPred(valid)', 'afterLoss(valid)', 'afterBatch(valid)'];
  assert.deepEqual(seen, [
    'early', 'beforeFit(valid)', 'beforeEpoch(valid)', 'beforeTrain', ...batchT, ...batchT, 'afterTrain', 'beforeValidate(valid)', ...batchV, 'afterValidate(valid)', 'afterEpoch(valid)', 'afterFit(valid)',
  ]);
  const text = learn.showTrainingLoop(() => {});
  assert.match(text, /^Start Fit\n {3}- beforeFit {6}: \[Early, TrainEvalCallback, Recorder, Spy\]/);
  assert.match(text, /- afterBatch {5}: \[TrainEvalCallback, Recorder, ProgressCallback, Spy\]/);
  assert.match(text, /- afterLoss {6}: \[TerminateOnNaN, Spy\]/);
  assert.match(text, /\n {6}End Batch Loop\n {4}End Train\n/);
});

test('cancellation: CancelBatchException skips backward and step; CancelTrainException still validates; CancelFitException ends the fit', async () => {
  const seen: string[] = [];
  const data = makeData(64, 32, 32);
  const { learn } = learner({}, data);
  const before = weights(learn.model);
  const cancelBatch = {
    name: 'CancelAll',
    afterLoss: (l: Learner) => {
      if (l.training) throw new CancelBatchException();
    },
    afterCancelBatch: () => seen.push('afterCancelBatch'),
    beforeBackward: () => seen.push('beforeBackward'),
    afterStep: () => seen.push('afterStep'),
  };
  await learn.fit(1, { cbs: [cancelBatch] });
  assert.deepEqual(seen, ['afterCancelBatch', 'afterCancelBatch']);
  const afterW = weights(learn.model);
  // no step happened: only BatchNorm's running stats (buffers) changed
  assert.ok(same(before, afterW), 'weights changed although every batch was cancelled');

  seen.length = 0;
  await learn.fit(2, {
    cbs: [{
      name: 'StopTrain',
      beforeBatch: (l: Learner) => {
        if (l.training) throw new CancelTrainException();
      },
      afterCancelTrain: () => seen.push('afterCancelTrain'),
      afterValidate: () => seen.push('afterValidate'),
    }],
  });
  assert.deepEqual(seen, ['afterCancelTrain', 'afterValidate', 'afterCancelTrain', 'afterValidate']);

  seen.length = 0;
  await learn.fit(5, {
    cbs: [{
      name: 'StopFit',
      afterEpoch: (l: Learner) => {
        seen.push(`epoch ${l.epoch}`);
        if (l.epoch === 1) throw new CancelFitException();
      },
      afterCancelFit: () => seen.push('afterCancelFit'),
      afterFit: () => seen.push('afterFit'),
    }],
  });
  assert.deepEqual(seen, ['epoch 0', 'epoch 1', 'afterCancelFit', 'afterFit']);
});

test('an error in a callback names the callback and the event', async () => {
  const { learn } = learner({}, makeData(64, 32, 32));
  await assert.rejects(
    learn.fit(1, { cbs: [{ name: 'Broken', afterPred: () => { throw new Error('boom'); } }] }),
    /Exception occurred in `Broken` when calling event `afterPred`:\n\tboom/,
  );
  // the learner still works afterwards
  await learn.fit(1);
});

test('fitOneCycle follows fastai\'s schedule: cosine warm-up to lrMax over pctStart, cosine down to lrMax/divFinal; moms 0.95→0.85→0.95', async () => {
  const { learn } = learner();
  await learn.fitOneCycle(2, { lrMax: 1e-2 });
  const { lr, mom } = learn.recorder!.hps as { lr: number[]; mom: number[] };
  const total = 16;
  assert.equal(lr!.length, total);
  const cos = (a: number, b: number, p: number) => a + ((1 + Math.cos(Math.PI * (1 - p))) * (b - a)) / 2;
  for (let i = 0; i < total; i++) {
    const pos = i / total;
    const [wantLr, wantMom] = pos < 0.25
      ? [cos(1e-2 / 25, 1e-2, pos / 0.25), cos(0.95, 0.85, pos / 0.25)]
      : [cos(1e-2, 1e-2 / 1e5, (pos - 0.25) / 0.75), cos(0.85, 0.95, (pos - 0.25) / 0.75)];
    // float32 positions, as fastai's: agreement to ~1e-7 relative
    assert.ok(Math.abs(lr![i]! - wantLr) <= 1e-6 * wantLr, `lr at ${i}: ${lr![i]} vs ${wantLr}`);
    assert.ok(Math.abs(mom![i]! - wantMom) < 1e-7, `mom at ${i}: ${mom![i]} vs ${wantMom}`);
  }
  assert.equal(lr![0], 1e-2 / 25);
  assert.equal(lr![4], 1e-2);
  // the optimizer's own hypers carry the schedule (Adam's mom is beta1)
  assert.equal(learn.opt!.hypers[0]!['mom'], mom![total - 1]);
  // combinedCos keeps fastai's float32 boundaries and positions
  const f = combinedCos(0.3, 1, 10, 0);
  assert.equal(f(0.3), 10);
  assert.equal(f(0), 1);
  assert.ok(Math.abs((f(1) as number) - 0) < 1e-12);
  assert.ok(Math.abs((f(0.15) as number) - 5.5) < 1e-5);
});

test('fineTune: a frozen phase (norm layers still train) at lrSlice(baseLr), then unfrozen at lrSlice(baseLr/2/lrMult, baseLr/2); two tables', async () => {
  manualSeed(3);
  const { learn, lines } = learner({ splitter: bodyHeadSplitter });
  const body = learn.model.getSubmodule('0');
  const bodyLin = body.getSubmodule('0') as nn.Linear;
  const bodyBn = body.getSubmodule('1') as nn.BatchNorm1d;
  const linBefore = bodyLin.weight.detach().clone();
  const bnBefore = bodyBn.weight!.detach().clone();
  const phases: { lrs: number[][]; frozen: boolean[]; bnTrains: boolean[] }[] = [];
  const spy = {
    name: 'Spy',
    order: 70,
    beforeFit: () => phases.push({ lrs: [], frozen: [], bnTrains: [] }),
    beforeBatch: (l: Learner) => {
      if (!l.training) return;
      const ph = phases[phases.length - 1]!;
      ph.lrs.push(l.opt!.hypers.map((h) => h['lr']!));
      ph.frozen.push(!bodyLin.weight.requiresGrad);
      ph.bnTrains.push(bodyBn.weight!.requiresGrad);
    },
  };
  await learn.fineTune(2, { cbs: [spy] });
  const header = 'epoch     train_loss  valid_loss  error_rate  time    ';
  assert.deepEqual(lines.map((l) => (l === header ? 'H' : l.split(' ')[0])), ['H', '0', 'H', '0', '1']);
  assert.equal(phases.length, 2);
  const [p1, p2] = phases as [typeof phases[0], typeof phases[0]];
  assert.ok(p1.frozen.every(Boolean) && p1.bnTrains.every(Boolean), 'phase 1: body frozen, BatchNorm trainable');
  assert.ok(p2.frozen.every((f) => !f), 'phase 2: unfrozen');
  // phase 1: lrSlice(2e-3) over [body, head] = [2e-4, 2e-3], from /25, pctStart 0.99
  assert.deepEqual(p1.lrs[0], [2e-4 / 25, 2e-3 / 25]);
  const peak1 = Math.max(...p1.lrs.map((l) => l[1]!));
  assert.ok(peak1 > 0.95 * 2e-3 && peak1 <= 2e-3, String(peak1));
  // phase 2: base 1e-3: lrSlice(1e-5, 1e-3), div 5, pctStart 0.3
  const s = p2.lrs[0]!;
  assert.ok(Math.abs(s[0]! - 1e-5 / 5) < 1e-15 && Math.abs(s[1]! - 1e-3 / 5) < 1e-15, String(s));
  assert.ok(Math.max(...p2.lrs.map((l) => l[1]!)) <= 1e-3 + 1e-12);
  // during phase 1 the frozen linear did not move, the BatchNorm did (checked after phase 2 ran, so compare to a re-run)
  assert.ok(!bodyBn.weight!.detach().equal(bnBefore));
  assert.ok(!bodyLin.weight.detach().equal(linBefore), 'phase 2 trains the body');
});

test('freeze keeps the body still and its BatchNorm training; no weight decay on norm and bias parameters', async () => {
  const { learn } = learner({ splitter: bodyHeadSplitter });
  learn.freeze();
  const bodyLin = learn.model.getSubmodule('0.0') as nn.Linear;
  const headLin = learn.model.getSubmodule('1.0') as nn.Linear;
  const bn = learn.model.getSubmodule('0.1') as nn.BatchNorm1d;
  const lin0 = bodyLin.weight.detach().clone();
  const bn0 = bn.weight!.detach().clone();
  const head0 = headLin.weight.detach().clone();
  await learn.fit(1, { lr: 1e-2 });
  assert.ok(bodyLin.weight.detach().equal(lin0), 'frozen body weight moved');
  assert.ok(!bn.weight!.detach().equal(bn0), 'BatchNorm in the frozen body should train');
  assert.ok(!headLin.weight.detach().equal(head0));
  const st = (p: Tensor) => learn.opt!.state.get(p)!;
  assert.equal(st(bodyLin.bias!).doWd, false);
  assert.equal(st(bn.weight!).doWd, false);
  assert.equal(st(bn.weight!).forceTrain, true);
  assert.equal(st(bodyLin.weight).doWd, undefined);
  assert.equal(learn.opt!.hypers[0]!['wd'], 0.01);
  learn.unfreeze();
  assert.ok(bodyLin.weight.requiresGrad);
  assert.throws(() => learner().learn.freeze(), /at least two parameter groups/);
});

test('a NaN loss stops training with a clear message, before the step', async () => {
  let calls = 0;
  const ce = crossEntropyLossFlat();
  const lossFunc = ((p: Tensor, t: Tensor, o?: { reduction?: 'none' | 'mean' | 'sum' }) => {
    const l = ce(p, t, o);
    return ++calls === 3 ? l.mul(NaN) : l;
  }) as LossFunc;
  const { learn } = learner({ lossFunc });
  let before: Tensor[] = [];
  await assert.rejects(
    learn.fit(2, { cbs: [{ name: 'Keep', beforeBatch: (l: Learner) => { if (l.training && l.iter === 2) before = weights(l.model); } }] }),
    (e: unknown) => {
      assert.ok(e instanceof NonFiniteLossError);
      assert.match(e.message, /training stopped: the loss is NaN in epoch 0, batch 3 of 8 \(learning rate .*\)\. The weights are those before this batch\.\nTry a lower learning rate/);
      return true;
    },
  );
  assert.ok(same(before, weights(learn.model)), 'the NaN batch must not step');
  assert.ok(learn.model.parameters().every((p) => p.detach().isfinite().all().item()));
});

test('lrFind: suggests a valley learning rate, plots it, and puts the model back', async () => {
  manualSeed(5);
  const { learn, lines } = learner();
  const before = weights(learn.model);
  const file = join(tmp, 'lr_find.png');
  const r = await learn.lrFind({ plot: file });
  assert.equal(lines.length, 0, 'lrFind prints no table');
  assert.ok(r.valley !== undefined && r.valley > 1e-7 && r.valley < 10, `valley ${r.valley}`);
  assert.ok(r.lrs.length > 20 && r.lrs.length <= 100);
  assert.ok(r.lrs[0]! < 1.2e-7 && r.lrs.every((l, i) => i === 0 || l > r.lrs[i - 1]!));
  assert.ok(same(before, weights(learn.model)), 'lrFind must restore the weights');
  assert.ok(existsSync(file) && readFileSync(file).subarray(1, 4).toString() === 'PNG');
  // fastai's valley on a made-up curve: the longest descent (indices 0-6, 7 points) gives
  // max_start = 6 - 7 = -1 (fastai's off-by-one, kept), sections 7/3, idx = -1 + 2 + 1 = 2
  const lrs = Array.from({ length: 10 }, (_, i) => 10 ** (i - 7));
  const losses = [5, 4, 3, 2.5, 2, 1.5, 1, 2, 3, 9];
  assert.equal(valley(lrs, losses).lr, lrs[2]);
  // fit still works and the NaN guard is back
  await learn.fit(1);
  assert.ok(learn.cbs.some((c) => c.name === 'TerminateOnNaN'));
});

test('save and load: weights and optimizer state round-trip; clear errors for other files', async () => {
  const { learn } = learner({ path: tmp });
  await learn.fit(1, { lr: 1e-2 });
  const file = learn.save('stage1');
  assert.equal(file, join(tmp, 'models', 'stage1.safetensors'));
  const w = weights(learn.model);
  const step = learn.opt!.state.get(learn.model.parameters()[0]!)!['step'];
  const { learn: other } = learner({ path: tmp });
  other.load('stage1');
  assert.ok(same(w, weights(other.model)));
  assert.equal(other.opt!.state.get(other.model.parameters()[0]!)!['step'], step);
  const junk = join(tmp, 'junk.safetensors');
  writeFileSync(junk, 'not a checkpoint');
  assert.throws(() => other.load(junk), /cannot load the checkpoint: .*junk\.safetensors/);
  assert.throws(() => other.load(join(tmp, 'nope.safetensors')), /no checkpoint at/);
});

test('Ctrl-C saves a checkpoint; fit resumes from it at the interrupted epoch', async () => {
  const { learn, lines } = learner({ path: tmp });
  let fired = false;
  const interrupter = {
    name: 'Interrupter',
    afterBatch: (l: Learner) => {
      if (l.training && l.epoch === 1 && l.iter === 2 && !fired) {
        fired = true;
        process.emit('SIGINT', 'SIGINT');
      }
    },
  };
  const origWrite = process.stderr.write.bind(process.stderr);
  const err: string[] = [];
  process.stderr.write = ((s: string) => (err.push(String(s)), true)) as typeof process.stderr.write;
  let checkpoint = '';
  try {
    await assert.rejects(learn.fitOneCycle(3, { cbs: [interrupter] }), (e: unknown) => {
      assert.ok(e instanceof TrainingInterrupted);
      assert.match(e.message, /training interrupted \(Ctrl-C\) in epoch 1: checkpoint saved to .*interrupted\.safetensors\.\nResume with learn\.fitOneCycle\(3, \{ resume: '.*' \}\)/);
      checkpoint = e.checkpoint!;
      return true;
    });
  } finally {
    process.stderr.write = origWrite;
  }
  assert.match(err.join(''), /Interrupted: finishing this batch/);
  assert.equal(process.listenerCount('SIGINT'), 0, 'the SIGINT handler is removed after the fit');
  assert.ok(existsSync(checkpoint));
  assert.deepEqual(lines.slice(1).map((l) => l.split(' ')[0]), ['0']);
  const { learn: again, lines: lines2 } = learner({ path: tmp });
  const errs: string[] = [];
  process.stderr.write = ((s: string) => (errs.push(String(s)), true)) as typeof process.stderr.write;
  try {
    await again.fitOneCycle(3, { resume: checkpoint });
  } finally {
    process.stderr.write = origWrite;
  }
  assert.match(errs.join(''), /Resuming from .*: epoch 1/);
  assert.deepEqual(lines2.slice(1).map((l) => l.split(' ')[0]), ['1', '2']);
  await assert.rejects(again.fit(1, { resume: checkpoint }), /was saved by fitOneCycle\(\), not fit\(\)/);
});

test('fineTune resumes from a checkpoint made in its second phase: the frozen phase is skipped', async () => {
  const { learn } = learner({ path: tmp, splitter: bodyHeadSplitter });
  let fired = false;
  const origWrite = process.stderr.write.bind(process.stderr);
  process.stderr.write = (() => true) as typeof process.stderr.write;
  let checkpoint = '';
  try {
    await assert.rejects(
      learn.fineTune(3, {
        cbs: [{
          name: 'Interrupter',
          afterBatch: (l: Learner) => {
            if (!fired && l.training && l.opt!.frozenIdx === 0 && l.epoch === 2 && l.iter === 1) {
              fired = true;
              process.emit('SIGINT', 'SIGINT');
            }
          },
        }],
      }),
      (e: unknown) => {
        assert.ok(e instanceof TrainingInterrupted);
        assert.match(e.message, /in epoch 2 of fineTune's phase 2: .*\nResume with learn\.fineTune\(…, \{ resume: /);
        checkpoint = e.checkpoint!;
        return true;
      },
    );
    const { learn: again, lines } = learner({ path: tmp, splitter: bodyHeadSplitter });
    let frozenSeen = false;
    await again.fineTune(3, { resume: checkpoint, cbs: [{ name: 'F', beforeBatch: (l: Learner) => { if (l.opt!.frozenIdx !== 0) frozenSeen = true; } }] });
    assert.equal(frozenSeen, false, 'phase 1 must be skipped');
    assert.deepEqual(lines.map((l) => l.split(' ')[0]), ['epoch', '2']);
  } finally {
    process.stderr.write = origWrite;
  }
});

test('getPreds gives probabilities, targets, decoded classes and per-item losses in order', async () => {
  const { learn } = learner();
  await learn.fit(1, { lr: 1e-2 });
  const r = await learn.getPreds(undefined, { withLoss: true, withDecoded: true });
  assert.deepEqual(r.preds.shape, [128, 3]);
  assert.ok(r.preds.sum(1).sub(1).abs().max().item() < 1e-5);
  assert.deepEqual(r.losses!.shape, [128]);
  assert.ok(r.decoded!.equal(r.preds.argmax(1)));
  const [vl] = await learn.validate();
  assert.ok(Math.abs(r.losses!.mean().item() - vl!) < 1e-5);
  const p = await learn.predict(randn([4]));
  assert.ok(['a', 'b', 'c'].includes(p.label) && p.probs.length === 3 && p.label === ['a', 'b', 'c'][p.index]);
  const many = await learn.predictBatch(randn([5, 4]), { bs: 2 });
  assert.equal(many.length, 5);
});

test('SGD as optFunc, lrSlice over groups, and wd given to fit', async () => {
  const { learn } = learner({ optFunc: (ps, o) => SGD(ps, { ...o, mom: 0.9 }), splitter: bodyHeadSplitter });
  await learn.fit(1, { lr: lrSlice(1e-3, 1e-1), wd: 0.1 });
  const lrs = learn.opt!.hypers.map((h) => h['lr']!);
  assert.ok(Math.abs(lrs[0]! - 1e-3) < 1e-15 && Math.abs(lrs[1]! - 1e-1) < 1e-15, String(lrs));
  assert.equal(learn.opt!.hypers[1]!['wd'], 0.1);
  assert.equal(learn.opt!.constructor.name, 'SGDOptimizer');
});

test('toFp16: bf16 autocast and channels-last on a CPU with bf16; a clear refusal without', async (t) => {
  const mkImgs = () => {
    manualSeed(7);
    const n = 96;
    const y = tensor(Array.from({ length: n }, (_, i) => i % 2));
    const x = randn([n, 3, 8, 8]).add(y.reshape(n, 1, 1, 1).float().mul(1.5));
    return tensorDataLoaders([x.narrow(0, 0, 64), y.narrow(0, 0, 64)], [x.narrow(0, 64, 32), y.narrow(0, 64, 32)], { bs: 16 });
  };
  const cnn = () => new nn.Sequential(new nn.Conv2d(3, 8, 3, { padding: 1 }), new nn.BatchNorm2d(8), new nn.ReLU(), new nn.AdaptiveAvgPool2d(1), new nn.Flatten(), new nn.Linear(8, 2));
  const prev = process.env['OWLET_CPU_BF16'];
  process.env['OWLET_CPU_BF16'] = '0';
  try {
    const learn = new Learner(mkImgs(), cnn(), { logger: null });
    assert.throws(() => learn.toFp16(), /mixed precision refused: OWLET_CPU_BF16=0\. Train in float32/);
  } finally {
    if (prev === undefined) delete process.env['OWLET_CPU_BF16'];
    else process.env['OWLET_CPU_BF16'] = prev;
  }
  if (!cpuBf16Support().supported) {
    t.skip('this CPU has no bf16 instructions');
    return;
  }
  const learn = new Learner(mkImgs(), cnn(), { logger: null, metrics: [errorRate] }).toFp16();
  assert.deepEqual(learn.mixedPrecision, { device: 'cpu', dtype: 'bfloat16', channelsLast: true, lossScale: false });
  const conv = learn.model.getSubmodule('0') as nn.Conv2d;
  assert.ok(conv.weight.isContiguous('channelsLast'));
  let predDtype = '';
  await learn.fit(2, { lr: 1e-2, cbs: [{ name: 'Dt', order: 5, afterPred: (l: Learner) => { predDtype = l.pred!.dtype; } }] });
  assert.equal(predDtype, 'bfloat16', 'the forward ran in bf16 under autocast');
  assert.equal(conv.weight.dtype, 'float32', 'weights stay float32');
  const [vl, er] = learn.finalRecord.slice(1) as number[];
  assert.ok(Number.isFinite(vl) && er! < 0.3, `valid loss ${vl}, error ${er}`);
  learn.toFp32();
  assert.equal(learn.mixedPrecision, null);
  assert.ok(!learn.cbs.some((c) => c.name === 'MixedPrecision'));
});

test('a real Ctrl-C (SIGINT) in a training process saves a checkpoint and exits with the resume hint', async () => {
  const { spawn } = await import('node:child_process');
  const { pathToFileURL } = await import('node:url');
  const lib = pathToFileURL(join(process.cwd(), 'dist', 'src', 'learner', 'index.js')).href;
  const eng = pathToFileURL(join(process.cwd(), 'dist', 'src', 'index.js')).href;
  const nnUrl = pathToFileURL(join(process.cwd(), 'dist', 'src', 'nn', 'index.js')).href;
  const dir = mkdtempSync(join(tmp, 'sigint-'));
  const script = `
    import { Learner, tensorDataLoaders } from '${lib}';
    import { manualSeed, randn, tensor } from '${eng}';
    import * as nn from '${nnUrl}';
    manualSeed(0);
    const y = tensor(Array.from({ length: 64 }, (_, i) => i % 2));
    const dls = tensorDataLoaders([randn([64, 4]), y], [randn([16, 4]), y.narrow(0, 0, 16)], { bs: 8 });
    const learn = new Learner(dls, new nn.Sequential(new nn.Linear(4, 2)), { path: ${JSON.stringify(dir)} });
    let told = false;
    await learn.fit(50, { cbs: [{ name: 'Slow', afterBatch: (l) => {
      if (!told && l.epoch === 1) { told = true; process.stderr.write('READY\\n'); }
      const until = Date.now() + 15; while (Date.now() < until) {}
    } }] });
  `;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], { env: { ...process.env, OWLET_PROGRESS: 'none' } });
  let stderr = '';
  let stdout = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  const code = await new Promise<number | null>((resolve) => {
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      if (stderr.includes('READY') && !stderr.includes('Interrupted')) child.kill('SIGINT');
    });
    child.on('exit', (c) => resolve(c));
  });
  assert.notEqual(code, 0);
  assert.match(stderr, /Interrupted: finishing this batch and saving a checkpoint/);
  assert.match(stderr, /TrainingInterrupted: training interrupted \(Ctrl-C\) in epoch 1: checkpoint saved to .*interrupted\.safetensors/);
  assert.match(stdout, /^epoch {5}train_loss {2}valid_loss {2}time {4}\n0 /);
  assert.ok(existsSync(join(dir, 'models', 'interrupted.safetensors')));
});
