/**
 * `owlet export-web` in a real browser: the folder it writes, served by a plain static server on
 * loopback, opened in Debian's Chromium (headless, driven by playwright-core). On 20 images (10
 * real Fashion-MNIST images, 10 generated colour pictures of other sizes, PNG and JPEG) the page's
 * top-1 equals `owlet predict`'s and its probabilities agree to 1e-3; a file picked in the page
 * shows its labels with bars (a screenshot goes to $TMPDIR/owlet-web-screenshots).
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { BrowserContext, Page } from 'playwright-core';
import { serveStatic } from '../bench/lib/static-server.js';
import { owletBin, runNode } from './helpers.js';
import { onnxFixture, type OnnxFixture } from './onnx-fixture.js';
import { describeItemTfm, imageToTensor, RandomResizedCrop, Resize, type InputPipeline, type ItemTransform } from '../src/index.js';
import { launchChromium } from './browser.js';

const shots = join(tmpdir(), 'owlet-web-screenshots');
const tmp = mkdtempSync(join(tmpdir(), 'owlet-web-'));
const profile = mkdtempSync(join(tmpdir(), 'owlet-chromium-profile-'));
let fixture: OnnxFixture;
let server: Server | undefined;
let browser: BrowserContext | undefined;
let page: Page;
const pageErrors: string[] = [];

before(async () => {
  rmSync(shots, { recursive: true, force: true });
  mkdirSync(shots, { recursive: true });
  fixture = await onnxFixture();
  const out = join(tmp, 'site');
  const r = runNode([owletBin, 'export-web', fixture.model, out]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /wrote .*site \(\d+ files/);
  const s = await serveStatic(out);
  server = s.server;
  browser = await launchChromium(profile, { width: 900, height: 800 });
  page = browser.pages()[0] ?? (await browser.newPage());
  page.on('pageerror', (e) => pageErrors.push(String(e)));
  await page.goto(s.url);
  await page.evaluate(() => (globalThis as unknown as { owlet: { ready: Promise<unknown> } }).owlet.ready.then(() => undefined));
});

after(async () => {
  await browser?.close();
  server?.close();
  rmSync(tmp, { recursive: true, force: true });
  rmSync(profile, { recursive: true, force: true });
});

test('the folder holds the page, the model and onnxruntime-web\'s WebAssembly backend, nothing from a CDN', () => {
  const site = join(tmp, 'site');
  for (const f of ['index.html', 'app.js', 'preprocess.js', 'model.onnx', 'model.json', 'ort/ort.wasm.bundle.min.mjs', 'ort/ort-wasm-simd-threaded.wasm'])
    assert.ok(existsSync(join(site, f)), f);
  for (const f of ['index.html', 'app.js']) assert.doesNotMatch(readFileSync(join(site, f), 'utf8'), /https?:\/\/(?!www\.w3\.org)/, `${f} loads nothing from the network`);
  const info = JSON.parse(readFileSync(join(site, 'model.json'), 'utf8')) as { labels: string[]; inputSize: number[]; arch: string };
  assert.equal(info.arch, 'small_cnn');
  assert.deepEqual(info.inputSize, [3, 32, 32]);
  assert.equal(info.labels.length, 10);
});

test('on 20 images the page\'s top-1 equals owlet predict\'s and the probabilities agree to 1e-3', async () => {
  const r = runNode([owletBin, 'predict', fixture.model, ...fixture.images, '--json']);
  assert.equal(r.status, 0, r.stderr);
  const expected = JSON.parse(r.stdout) as { file: string; label: string; probs: Record<string, number> }[];
  assert.equal(expected.length, 20);
  let worst = 0;
  for (const e of expected) {
    const b64 = readFileSync(e.file).toString('base64');
    const type = e.file.endsWith('.png') ? 'image/png' : 'image/jpeg';
    const got = await page.evaluate(async ([data, t]) => {
      const bytes = Uint8Array.from(atob(data!), (c) => c.charCodeAt(0));
      const api = (globalThis as unknown as { owlet: { classify(b: Blob): Promise<{ label: string; probs: number[] }> } }).owlet;
      return api.classify(new Blob([bytes], { type: t }));
    }, [b64, type]);
    assert.equal(got.label, e.label, `${e.file}: the page says ${got.label}, owlet predict ${e.label}`);
    const ref = Object.values(e.probs);
    const diff = Math.max(...ref.map((p, i) => Math.abs(p - got.probs[i]!)));
    worst = Math.max(worst, diff);
    assert.ok(diff <= 1e-3, `${e.file}: probabilities differ by ${diff.toExponential(2)}`);
  }
  console.log(`largest probability difference over 20 images: ${worst.toExponential(2)}`);
  assert.deepEqual(pageErrors, []);
});

test('a file picked in the page shows the top labels with bars and percentages', async () => {
  const file = fixture.images.find((f) => f.endsWith('.jpg'))!;
  await page.setInputFiles('#file', file);
  await page.waitForSelector('#results li.top');
  const rows = await page.$$eval('#results li', (lis) => lis.map((li) => [li.querySelector('.label')!.textContent, li.querySelector('.pct')!.textContent]));
  assert.equal(rows.length, 5);
  for (const [label, pct] of rows) {
    assert.ok(label && label.length > 0);
    assert.match(pct!, /^\d+\.\d%$/);
  }
  const r = runNode([owletBin, 'predict', fixture.model, file, '--json']);
  assert.equal(rows[0]![0], (JSON.parse(r.stdout) as { label: string }[])[0]!.label);
  assert.match(await page.textContent('#meta') ?? '', /10 classes · input 32×32/);
  await page.screenshot({ path: join(shots, 'export-web.png'), fullPage: true });
  assert.deepEqual(pageErrors, []);
});

test('the page prepares images as owlet does for every resize: crop, pad (reflection, zeros, border), squish, RandomResizedCrop, a batch resize', async () => {
  const stats = { mean: [0.4, 0.45, 0.5] as [number, number, number], std: [0.2, 0.25, 0.3] as [number, number, number] };
  const of = (t: ItemTransform, extra: Partial<InputPipeline> = {}): InputPipeline => ({ kind: 'image', ...describeItemTfm(t), ...stats, ...extra });
  const pipelines: [string, InputPipeline][] = [
    ['crop', of(Resize([30, 36]))],
    ['pad reflection', of(Resize(32, { method: 'pad', padMode: 'reflection' }))],
    ['pad zeros', of(Resize(32, { method: 'pad', padMode: 'zeros' }))],
    ['pad border', of(Resize([40, 24], { method: 'pad', padMode: 'border' }))],
    ['squish', of(Resize([28, 36], { method: 'squish' }))],
    ['RandomResizedCrop', of(RandomResizedCrop(32))],
    ['batch resize down, align corners', of(Resize(40), { batchResize: { size: [32, 32], mode: 'bilinear', padMode: 'reflection', alignCorners: true } })],
    ['batch resize up, no align corners', of(Resize(24), { batchResize: { size: [32, 32], mode: 'bilinear', padMode: 'reflection', alignCorners: false } })],
  ];
  const images = fixture.images.filter((f, i) => f.includes('picture_') || i < 2);
  for (const [name, pipeline] of pipelines) {
    let worst = 0;
    for (const file of images) {
      const expected = (await imageToTensor(file, pipeline)).toFlatArray() as number[];
      const b64 = readFileSync(file).toString('base64');
      const got = await page.evaluate(async ([data, p]) => {
        const bytes = Uint8Array.from(atob(data as string), (c) => c.charCodeAt(0));
        const m = (await import('./preprocess.js' as string)) as { decodeToRgb(b: Blob): Promise<unknown>; toInput(img: unknown, p: unknown): { data: Float32Array } };
        return Array.from(m.toInput(await m.decodeToRgb(new Blob([bytes])), p).data);
      }, [b64, pipeline] as const);
      assert.equal(got.length, expected.length, `${name}, ${file}: sizes differ`);
      for (let i = 0; i < got.length; i++) worst = Math.max(worst, Math.abs(got[i]! - expected[i]!));
    }
    console.log(`${name}: largest difference ${worst.toExponential(2)}`);
    assert.ok(worst <= 1e-4, `${name}: the page's input differs from owlet's by ${worst.toExponential(2)}`);
  }
});
