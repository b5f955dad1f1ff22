import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { accuracy, loadLearner, manualSeed, readSafetensors } from '../src/index.js';
import {
  Categorify, contCatSplit, DataFrame, embSzRule, FillMissing, Normalize, readCsv, TabularDataError, TabularDataLoaders, tabularLearner,
} from '../src/tabular/index.js';
import { repoRoot } from './helpers.js';

const data = join(repoRoot, 'examples', 'titanic', 'data');
const golden = JSON.parse(readFileSync(join(repoRoot, 'test', 'golden', 'tabular.json'), 'utf8'));
const tmp = mkdtempSync(join(tmpdir(), 'owlet-tabular-'));

function titanic(): DataFrame {
  const df = readCsv(join(data, 'train.csv'));
  return df.set('LogFare', df.numbers('Fare').map((f) => Math.log1p(f)), 'float');
}
const COLS = { yNames: 'Survived', yBlock: 'category' as const, catNames: ['Sex', 'Pclass', 'Embarked', 'Country'], contNames: ['Age', 'SibSp', 'Parch', 'LogFare'], seed: 42 };

test('the processors learn what fastai learns on the training rows (pandas, test/golden/make_tabular_golden.py)', () => {
  const dls = TabularDataLoaders.fromDf(titanic(), COLS);
  const s = dls.state;
  assert.deepEqual(s.catNames, golden.catNames);
  assert.deepEqual(s.contNames, golden.contNames);
  assert.deepEqual(s.classes, golden.classes);
  assert.equal(dls.train.n, golden.nTrain);
  assert.equal(dls.valid.n, golden.nValid);
  for (const n of Object.keys(golden.naDict)) assert.ok(Math.abs(s.naDict[n]! - golden.naDict[n]) < 1e-12, `median of ${n}`);
  for (const n of s.contNames) {
    assert.ok(Math.abs(s.means[n]! - golden.means[n]) < 1e-9, `mean of ${n}: ${s.means[n]} against ${golden.means[n]}`);
    assert.ok(Math.abs(s.stds[n]! - golden.stds[n]) < 1e-9, `std of ${n}`);
  }
  const x = (dls.valid as unknown as { x: { narrow: (d: number, s: number, l: number) => { toArray: () => number[][] } } }).x.narrow(0, 0, 5).toArray();
  golden.validRows.forEach((row: number[], i: number) => row.forEach((v, j) => assert.ok(Math.abs(x[i]![j]! - v) < 1e-5, `valid row ${i}, column ${j}: ${x[i]![j]} against ${v}`)));
});

test('Categorify puts #na# at 0 and sends missing and unseen values to it; FillMissing fills with the median and flags', () => {
  const train = DataFrame.fromRows([
    { c: 'b', x: 1, y: 'no' }, { c: 'a', x: null, y: 'yes' }, { c: 'b', x: 3, y: 'no' }, { c: 'a', x: 10, y: 'yes' }, { c: 'b', x: 4, y: 'no' },
  ]);
  const dls = TabularDataLoaders.fromDf(train, { yNames: 'y', catNames: ['c'], contNames: ['x'], validIdx: [], bs: 2, procs: [Normalize, Categorify, FillMissing] });
  assert.deepEqual(dls.state.classes, { c: ['#na#', 'a', 'b'], x_na: ['#na#', 'False', 'True'] });
  assert.equal(dls.state.naDict['x'], 3.5);
  assert.deepEqual(dls.vocab, ['no', 'yes']);
  const tst = dls.testDl([{ c: 'zebra', x: 2 }, { c: null, x: null }, { c: 'a', x: 3.5 }]) as unknown as { x: { toArray: () => number[][] }; hasLabels: boolean };
  assert.equal(tst.hasLabels, false);
  const rows = tst.x.toArray();
  assert.deepEqual(rows.map((r) => [r[0], r[1]]), [[0, 1], [0, 2], [1, 1]], 'unseen and missing → #na#; x_na True only where x was missing');
  assert.ok(Math.abs(rows[1]![2]! - rows[2]![2]!) < 1e-6, 'a missing x is filled with the median 3.5');
});

test('a continuous column complete in training but missing later: fastai\'s error naming it, or a fill when asked', () => {
  const train = DataFrame.fromRows([{ x: 1, y: 0 }, { x: 2, y: 1 }, { x: 3, y: 0 }, { x: 5, y: 1 }]);
  const opts = { yNames: 'y', yBlock: 'category' as const, contNames: ['x'], validIdx: [], bs: 2 };
  const dls = TabularDataLoaders.fromDf(train, opts);
  assert.throws(() => dls.testDl([{ x: 1 }, { x: null }]), (e: Error) => e instanceof TabularDataError && /nan values in 'x' \(1, first at row 2\) but not in the training set/.test(e.message));
  const filled = TabularDataLoaders.fromDf(train, { ...opts, procs: [Categorify, FillMissing({ unseen: 'fill' }), Normalize] });
  const x = (filled.testDl([{ x: null }]) as unknown as { x: { item: () => number } }).x.item();
  assert.ok(Number.isFinite(x) && Math.abs(x - (2.5 - filled.state.means['x']!) / filled.state.stds['x']!) < 1e-6, 'filled with the training median 2.5');
});

test('fastai\'s embedding size rule and cont_cat_split', () => {
  assert.deepEqual([2, 3, 4, 5, 10, 100, 1000, 1e6].map(embSzRule), [2, 3, 3, 4, 6, 21, 77, 600]);
  const [cont, cat] = contCatSplit(readCsv(join(data, 'train.csv')), 20, 'Survived');
  assert.deepEqual(cont, ['PassengerId', 'Age', 'SibSp', 'Parch', 'Ticket', 'Fare']);
  assert.deepEqual(cat, ['Pclass', 'Name', 'Sex', 'Embarked', 'Country']);
});

test('CSV errors name the file, the row or the column', () => {
  const f = (name: string, text: string) => {
    const p = join(tmp, name);
    writeFileSync(p, text);
    return p;
  };
  assert.throws(() => readCsv(f('empty.csv', '')), /empty.csv: the file is empty/);
  assert.throws(() => readCsv(f('ragged.csv', 'a,b,c\n1,2,3\n4,5\n')), /ragged.csv: row 2 \(line 3\) has 2 fields but the header has 3/);
  const bad = readCsv(f('text.csv', 'a,y\n1,0\n2,1\nabc,0\n'));
  assert.throws(() => TabularDataLoaders.fromDf(bad, { yNames: 'y', contNames: ['a'] }), /column 'a' is continuous \(numbers\) but row 3 holds 'abc'/);
  assert.throws(() => TabularDataLoaders.fromDf(bad, { yNames: 'Survived', contNames: ['a'] }), /no target column 'Survived' in the table \(its columns: a, y\)/);
});

test('a tabular learner trains, and its export predicts the same after loadLearner', async () => {
  const dls = TabularDataLoaders.fromDf(titanic(), COLS);
  manualSeed(1);
  const lines: string[] = [];
  const learn = tabularLearner(dls, { metrics: [accuracy], logger: (l) => lines.push(l) });
  assert.deepEqual([...learn.model.stateDict().keys()].slice(0, 3), ['embeds.0.weight', 'embeds.1.weight', 'embeds.2.weight']);
  assert.ok(learn.model.stateDict().has('bn_cont.running_mean') && learn.model.stateDict().has('layers.0.0.weight') && learn.model.stateDict().has('layers.0.2.bias'));
  await learn.fitOneCycle(4, { lrMax: 1e-2 });
  assert.match(lines[0]!, /^epoch\s+train_loss\s+valid_loss\s+accuracy\s+time/);
  const [, acc] = await learn.validate();
  assert.ok(acc! > 0.75, `validation accuracy ${acc} after 4 epochs`);
  const tst = readCsv(join(data, 'test.csv'));
  tst.set('LogFare', tst.numbers('Fare').map((f) => Math.log1p(f)), 'float');
  const { preds } = await learn.getPreds(dls.testDl(tst));
  assert.deepEqual(preds.shape, [426, 2]);
  const file = learn.export(join(tmp, 'titanic.safetensors'));
  const meta = readSafetensors(file).metadata;
  assert.match(meta['pipeline']!, /"classes":\{"Sex":\["#na#","female","male"\]/);
  const loaded = await loadLearner(file);
  // A loaded learner's testDl takes what a trained one's takes: a DataFrame, row objects, or CSV files (here without LogFare).
  assert.throws(() => loaded.dls.testDl!([join(data, 'test.csv')]), /the table has no column 'LogFare', which the model was trained with/);
  const again = await loaded.getPreds(loaded.dls.testDl!(tst as never));
  assert.ok(again.preds.sub(preds).abs().max().item() < 1e-6, 'the same predictions after loading');
  const row = tst.row(3);
  const [p1, p2] = [await learn.predict(row), await loaded.predict(row)];
  assert.equal(p1.label, p2.label);
  assert.ok(Math.abs(p1.probs[1]! - p2.probs[1]!) < 1e-6);
  assert.ok(['0', '1'].includes(p2.label));
});

test('regression: MSE, yRange, and predict gives the value', async () => {
  manualSeed(0);
  const rows = Array.from({ length: 300 }, (_, i) => ({ a: (i % 17) / 17, b: ['x', 'y', 'z'][i % 3]!, t: 2 * ((i % 17) / 17) + (i % 3) }));
  const dls = TabularDataLoaders.fromDf(DataFrame.fromRows(rows), { yNames: 't', catNames: ['b'], contNames: ['a'], seed: 0, bs: 32 });
  assert.equal(dls.state.yBlock, 'regression');
  const learn = tabularLearner(dls, { yRange: [-0.5, 4.5], layers: [20], logger: null });
  const [before] = await learn.validate();
  await learn.fitOneCycle(8, { lrMax: 3e-2 });
  const [after] = await learn.validate();
  assert.ok(after! < before! / 3, `valid MSE ${before} → ${after}`);
  const p = await learn.predict({ a: 0.5, b: 'z' });
  assert.ok(Math.abs(Number(p.label) - 3) < 0.6, `predicted ${p.label} for 3`);
});
