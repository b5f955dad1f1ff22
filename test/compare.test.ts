// Choosing a model: the pattern matching of `owlet compare`, the multiply-add count against known
// figures, timm's published top-1 table, and the two comparisons end to end on tiny inputs:
// `owlet compare` (16 px, with the training step: about 30 s on two busy cores) and
// `owlet train --arch a,b` on 200 Fashion-MNIST images for one epoch each (about 60 s).
// The children run with one libtorch thread: on a machine whose cores other jobs share, two threads
// per process make batch-1 latency swing twentyfold, and only the shape of the output is tested here.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { parse } from 'csv-parse/sync';
import { writeFashionMnistFolder } from '../src/data/index.js';
import { zeros } from '../src/engine/index.js';
import { createModel, getModelEntry, imagenetTop1, imagenetTop1Models, listModels } from '../src/models/index.js';
import { Conv2d, Linear, Module, Sequential, countMacs, type AnyModule } from '../src/nn/index.js';
import { Tensor } from '../src/engine/index.js';
import { matchModels } from '../src/cli/jobs/compare.js';
import { bubbleSpec, saveBubbleChart } from '../src/plot/index.js';
import { parseArchList } from '../src/cli/jobs/train-compare.js';
import { owletBin, runNode } from './helpers.js';
import { launchChromium } from './browser.js';

const tmp = mkdtempSync(join(tmpdir(), 'owlet-compare-'));
process.on('exit', () => rmSync(tmp, { recursive: true, force: true }));
const owlet = (...args: string[]) => runNode([owletBin, ...args], { env: { OWLET_PROGRESS: 'none', HF_HUB_OFFLINE: '1', OWLET_CACHE: join(tmp, 'cache') }, timeoutMs: 240_000 });

test('model patterns match registry names as timm.list_models does: in order, each once, unknown ones refused', () => {
  const resnets = matchModels(['resnet*']);
  assert.deepEqual(resnets, listModels('resnet*'));
  assert.ok(resnets.includes('resnet18') && resnets.includes('resnet20'));
  // 'convnext_*' has the underscore: ConvNeXt-V2 (convnextv2_*) is not in it
  const convnexts = matchModels(['convnext_*']);
  assert.ok(convnexts.includes('convnext_tiny') && !convnexts.some((n) => n.startsWith('convnextv2')));
  assert.deepEqual(matchModels(['resnet18', 'resnet1?', 'resnet18']), ['resnet18']);
  assert.deepEqual(matchModels(['small_cnn', 'resnet18']), ['small_cnn', 'resnet18']);
  assert.deepEqual(matchModels(['*']), listModels('*'));
  const small = matchModels(['convnext*'], ['*large*', '*huge*']);
  assert.ok(small.includes('convnextv2_tiny') && !small.some((n) => /large|huge/.test(n)));
  assert.throws(() => matchModels(['nosuch*']), /no model of the zoo matches 'nosuch\*'/);
  assert.throws(() => matchModels([]), /name the models to compare/);
  assert.deepEqual(parseArchList('small_cnn, resnet20,small_cnn'), ['small_cnn', 'resnet20']);
  assert.throws(() => parseArchList('small_cnn,nosuch'), /no model 'nosuch' in the zoo/);
});

test('multiply-adds: exact on a hand-counted model, and ResNet-18/50 as published (1.82 and 4.09 GMACs at 224 px)', async () => {
  class Attention extends Module<[Tensor], Tensor> {
    override forward(x: Tensor): Tensor {
      return x;
    }
  }
  const m = new Sequential(new Conv2d(3, 8, 3, { padding: 1 }), new Conv2d(8, 8, 3, { padding: 1, groups: 4 })) as unknown as AnyModule;
  // 8×8 output: 8 channels × 64 × 3·9, then 8 × 64 × (8/4)·9
  assert.equal(countMacs(m, zeros([1, 3, 8, 8])).total, 8 * 64 * 27 + 8 * 64 * 18);
  const lin = countMacs(new Linear(10, 4) as unknown as AnyModule, zeros([2, 5, 10]));
  assert.equal(lin.byKind.linear, 2 * 5 * 4 * 10);
  // timm's ViT attention: q·kᵀ and attn·v, 2 × B × N² × C
  assert.equal(countMacs(new Attention() as unknown as AnyModule, zeros([1, 197, 192])).byKind.matmul, 2 * 197 * 197 * 192);
  for (const [name, gmacs] of [['resnet18', 1.819], ['resnet50', 4.089]] as const) {
    const model = await createModel(name);
    model.eval();
    const c = countMacs(model as unknown as AnyModule, zeros([1, 3, 224, 224]));
    assert.ok(Math.abs(c.total / 1e9 - gmacs) / gmacs < 0.005, `${name}: ${c.total / 1e9} GMACs, expected ${gmacs}`);
  }
});

test('timm\'s published top-1: by arch.tag, the default tag for an architecture, every ImageNet model of the zoo covered', () => {
  assert.deepEqual(imagenetTop1('resnet50.tv_in1k'), { model: 'resnet50.tv_in1k', top1: 76.13, imgSize: 224 });
  assert.equal(imagenetTop1('resnet50')?.model, `resnet50.${getModelEntry('resnet50').tag}`);
  assert.equal(imagenetTop1('convnext_tiny.fb_in1k')?.top1, 82.698);
  assert.equal(imagenetTop1('resnet20'), undefined);
  assert.equal(imagenetTop1('resnet50.nosuch'), undefined);
  for (const n of ['mobilenetv3_large_100', 'efficientnet_b3', 'regnety_032', 'vit_small_patch16_224']) assert.ok(imagenetTop1(n) !== undefined, n);
  assert.ok(imagenetTop1Models().every((m) => /^[a-z0-9_]+\.[a-z0-9_]+$/.test(m)));
  // registry-driven: a family registered with ImageNet-1k weights needs its rows here
  const missing = listModels().filter((n) => getModelEntry(n).cfg?.numClasses === 1000 && imagenetTop1(n) === undefined);
  assert.deepEqual(missing, []);
});

test('owlet compare: table, CSV, PNG and HTML for two models; one that fails and one over the time limit are reported', () => {
  const out = join(tmp, 'compare');
  const r = owlet('compare', 'small_cnn', 'resnet18', 'convnext_atto', '--size', '16', '--threads', '1', '--seconds', '0.2', '--out', out);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^model +family +params \(M\) +GMACs +px +img\/s bs1 +img\/s bs16 +train img\/s +peak MiB +top-1 +top-1 of +status$/m);
  assert.match(r.stdout, /^small_cnn +SmallCnn +0\.42 +0\.0098 +16 +[\d.]+ +[\d.]+ +[\d.]+ +\d+ +— +no published top-1 +ok$/m);
  assert.match(r.stdout, /^resnet18 +ResNet +11\.69 +0\.0161 +16 +[\d.]+ +[\d.]+ +[\d.]+ +\d+ +73\.16 +resnet18\.a1_in1k @288 +ok$/m);
  // ConvNeXt's 2×2 downsampling convolutions cannot run on 16 px: the child's error is the row's status
  assert.match(r.stdout, /^convnext_atto +16 +77\.01 +convnext_atto\.d2_in1k @288 +failed: .+$/m);
  const rows = parse(readFileSync(join(out, 'compare.csv')), { columns: true }) as Record<string, string>[];
  assert.deepEqual(rows.map((x) => [x['model'], x['status']]), [['small_cnn', 'ok'], ['resnet18', 'ok'], ['convnext_atto', 'failed']]);
  assert.match(rows[2]!['error']!, /^failed: .*Kernel size can't be greater than actual input size/);
  assert.equal(Number(rows[1]!['params']), 11_689_512);
  assert.ok(Number(rows[1]!['train_ips']) > 0 && Number(rows[1]!['infer_ips']) > 0);
  assert.ok(Number(rows[1]!['peak_mib']) > Number(rows[1]!['base_mib']), 'the peak is above the process\'s own');
  const png = readFileSync(join(out, 'compare.png'));
  assert.equal(png.subarray(1, 4).toString('latin1'), 'PNG');
  const html = readFileSync(join(out, 'compare.html'), 'utf8');
  assert.match(html, /seconds per image/);
  // on the chart: the models with a published top-1 that ran; small_cnn has none, convnext_atto failed
  assert.match(html, /"_label":"resnet18"/);
  assert.ok(!html.includes('"_label":"small_cnn"') && !html.includes('"_label":"convnext_atto"'));

  const slow = owlet('compare', 'resnet18', '--no-train', '--threads', '1', '--timeout', '0.3', '--out', join(tmp, 'slow'));
  assert.equal(slow.status, 0, slow.stderr);
  assert.match(slow.stdout, /^resnet18 +\d+ +73\.16 .* timed out \(over 0\.3 s\)$/m);
  const bad = owlet('compare', 'nosuch*');
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /^owlet: no model of the zoo matches 'nosuch\*'/m);
});

test('owlet train --data <folder> --arch a,b: each model one epoch on the same split, one table side by side, CSV and chart', { skip: existsSync('/usr/share/datasets/fashion-mnist') ? false : 'Fashion-MNIST is not installed' }, async () => {
  const data = join(tmp, 'fm200');
  await writeFashionMnistFolder(data, { limit: 200 });
  const out = join(tmp, 'arch');
  const r = owlet('train', '--data', data, '--arch', 'small_cnn,resnet20', '--no-pretrained', '--size', '28', '--epochs', '1', '--bs', '32', '--lr', '3e-3', '--threads', '1', '--out', out);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^comparing small_cnn, resnet20 on .*fm200: the same split \(seed 42\), 1 epoch each/m);
  assert.equal((r.stdout.match(/^data: 200 images in .*; 160 for training, 40 for validation \(20% at random, seed 42\)$/gm) ?? []).length, 2);
  assert.match(r.stdout, /^model +family +epochs +error rate +valid loss +train time +train img\/s +infer img\/s +peak MiB +export MB$/m);
  assert.match(r.stdout, /^small_cnn +SmallCnn +1 +0\.\d{4} +\d\.\d{4} +0:\d\d +[\d.]+ +[\d.]+ +\d+ +\d\.\d$/m);
  assert.match(r.stdout, /^resnet20 +CifarResNet +1 +0\.\d{4} +\d\.\d{4} +0:\d\d +[\d.]+ +[\d.]+ +\d+ +\d\.\d$/m);
  for (const f of ['small_cnn.safetensors', 'resnet20.safetensors', 'compare.csv', 'compare.png', 'compare.html']) assert.ok(existsSync(join(out, f)), f);
  const rows = parse(readFileSync(join(out, 'compare.csv')), { columns: true }) as Record<string, string>[];
  assert.deepEqual(rows.map((x) => x['model']), ['small_cnn', 'resnet20']);
  for (const row of rows) {
    const err = Number(row['error_rate']);
    assert.ok(err >= 0 && err <= 1 && Number(row['export_bytes']) > 100_000, JSON.stringify(row));
  }
  const bad = owlet('train', '--data', data, '--arch', 'small_cnn,resnet20', '--export', join(tmp, 'x.safetensors'));
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /--export names one model's file/);
});

test('the chart\'s HTML page draws itself offline with Vega; hovering a bubble shows its figures', async () => {
  const bubbles = [
    { label: 'resnet18', group: 'ResNet', x: 0.02, y: 73.2, area: 224 * 224, details: { 'top-1 (%)': 73.158, 'img/s bs16': 50 } },
    { label: 'convnext_atto', group: 'ConvNeXt', x: 0.01, y: 77, area: 288 * 288, details: { 'top-1 (%)': 77.008, 'img/s bs16': 100 } },
  ];
  const [png, html] = await saveBubbleChart(bubbles, { title: 'chart', xlabel: 'seconds per image', ylabel: 'top-1', groupTitle: 'family', areaTitle: 'input size' }, join(tmp, 'bubbles', 'chart'));
  assert.ok(readFileSync(png!).length > 10_000);
  const spec = bubbleSpec(bubbles, { xlabel: 'x', ylabel: 'y' }) as unknown as { data: { values: unknown[] } };
  assert.equal(spec.data.values.length, 2);
  assert.equal((bubbleSpec([{ ...bubbles[0]!, x: 0 }], { xlabel: 'x', ylabel: 'y' }) as unknown as { data: { values: unknown[] } }).data.values.length, 0, 'a non-positive x cannot be on a log axis');
  const profile = mkdtempSync(join(tmpdir(), 'owlet-chromium-profile-'));
  const browser = await launchChromium(profile, { width: 1000, height: 700 });
  try {
    const page = browser.pages()[0] ?? (await browser.newPage());
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(`file://${html}`);
    await page.waitForSelector('#plot[data-rendered="vega"]', { timeout: 15_000 });
    const circles = page.locator('#plot svg .mark-symbol.role-mark path');
    assert.equal(await circles.count(), 2);
    await circles.nth(0).hover();
    const tip = (await page.locator('#plot').getAttribute('title')) ?? '';
    assert.match(tip, /^model: (resnet18|convnext_atto)\ntop-1 \(%\): \d+\.\d+\nimg\/s bs16: \d+$/);
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
    rmSync(profile, { recursive: true, force: true });
  }
});
