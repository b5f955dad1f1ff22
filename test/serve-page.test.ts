/**
 * `owlet serve` from the command line, and its page in a real browser (Debian's Chromium, headless,
 * driven by playwright-core): the model's name, classes and size shown; a file uploaded, dropped
 * and pasted, and an example clicked, each giving the labels `learn.predict` gives, as bars with
 * percentages; a non-image's error shown; the layout stacked on a phone; screenshots in
 * $TMPDIR/owlet-serve-screenshots. Then SIGTERM stops the server cleanly, and the command's own
 * errors are checked. Chromium must be installed (apt-get install -y chromium).
 */
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { BrowserContext, Page } from 'playwright-core';
import { loadLearner, type Learner } from '../src/learner/index.js';
import { owletBin, runNode, startOwlet, type OwletProcess } from './helpers.js';
import { colourImage, COLOURS, makeColourModel } from './serve-helpers.js';
import { launchChromium } from './browser.js';

process.env['OWLET_PROGRESS'] = 'none';
const shots = join(tmpdir(), 'owlet-serve-screenshots');
rmSync(shots, { recursive: true, force: true });
mkdirSync(shots, { recursive: true });
const tmp = mkdtempSync(join(tmpdir(), 'owlet-serve-page-'));
const profile = join(tmp, 'chromium-profile');
let child: ChildProcess | undefined;
let server: OwletProcess | undefined;
let browser: BrowserContext | undefined;
let page: Page;
let learn: Learner;
let model = '';
const pageErrors: string[] = [];
const files: Record<string, string> = {};

/** Starts `owlet serve <model> --port 0` and reads the address it prints. */
function startServer(args: string[]): Promise<string> {
  server = startOwlet(['serve', ...args], /open (http:\/\/127\.0\.0\.1:\d+\/)/, 60);
  child = server.child;
  return server.url;
}

before(async () => {
  model = await makeColourModel(tmp);
  learn = await loadLearner(model);
  const examples = join(tmp, 'examples');
  mkdirSync(examples);
  for (const [name, rgb] of Object.entries(COLOURS)) {
    files[name] = join(tmp, `${name}.jpg`);
    writeFileSync(files[name]!, await colourImage(rgb, { seed: 40, format: 'jpeg', w: 64, h: 48 }));
    writeFileSync(join(examples, `${name}.png`), await colourImage(rgb, { seed: 50 }));
  }
  const url = await startServer([model, '--port', '0', '--examples', examples, '--max-wait-ms', '2']);
  browser = await launchChromium(profile, { width: 1200, height: 860 });
  page = browser.pages()[0] ?? (await browser.newPage());
  page.on('pageerror', (e) => pageErrors.push(String(e)));
  page.on('console', (m) => {
    if (m.type() === 'error' && !/status of 4\d\d/.test(m.text())) pageErrors.push(m.text());
  });
  await page.goto(url);
  await page.waitForSelector('body[data-ready="true"]', { timeout: 20_000 });
});

after(async () => {
  await browser?.close();
  if (child && child.exitCode === null) child.kill('SIGKILL');
  rmSync(tmp, { recursive: true, force: true });
});

const text = (sel: string) => page.locator(sel).first().textContent().then((t) => (t ?? '').trim());

/** Runs `act`, waits for the page's answer, and reads the labels it shows. */
async function labelsAfter(act: () => Promise<unknown>): Promise<{ top: string; rows: { label: string; pct: string; width: string }[] }> {
  await page.evaluate('delete document.body.dataset.state');
  await act();
  await page.waitForSelector('body[data-state="done"], body[data-state="error"]', { timeout: 20_000 });
  assert.equal(await page.getAttribute('body', 'data-state'), 'done', await text('#status'));
  const rows = (await page.evaluate(`[...document.querySelectorAll('#labels .label-row')].map((li) => ({
    label: li.querySelector('.label-name').textContent, pct: li.querySelector('.label-pct').textContent, width: li.querySelector('.label-bar').style.width }))`)) as { label: string; pct: string; width: string }[];
  return { top: await text('#top-label'), rows };
}

/** The page shows learn.predict's label, and every class's percentage, highest first. */
async function assertShows(shown: Awaited<ReturnType<typeof labelsAfter>>, file: string): Promise<void> {
  const p = await learn.predict(readFileSync(file));
  assert.equal(shown.top, p.label);
  const want = p.probs.map((c, i) => ({ label: learn.dls.vocab[i]!, c })).sort((a, b) => b.c - a.c);
  assert.deepEqual(shown.rows.map((r) => r.label), want.map((w) => w.label));
  shown.rows.forEach((r, i) => {
    assert.match(r.pct, /^\d+(\.\d)?%$/);
    assert.ok(Math.abs(Number(r.pct.slice(0, -1)) - want[i]!.c * 100) <= 0.051, `${r.label}: ${r.pct} vs ${want[i]!.c}`);
    assert.ok(Math.abs(Number.parseFloat(r.width) - want[i]!.c * 100) < 0.01, `the bar of ${r.label} is ${r.width} wide`);
  });
}

test('the page shows the model, and an uploaded file\'s labels as bars with percentages', async () => {
  assert.equal(await text('#model-name'), 'colours');
  assert.equal(await text('#model-meta'), 'small_cnn · 3 classes · 24×24 px');
  assert.match(await page.locator('#details').textContent() ?? '', /classesblue, green, red/);
  const shown = await labelsAfter(() => page.setInputFiles('#file-input', files['red']!));
  await assertShows(shown, files['red']!);
  assert.equal(await page.locator('#preview').isVisible(), true);
  await page.screenshot({ path: join(shots, 'desktop.png'), fullPage: true });
});

test('a dropped file, a pasted image and a clicked example are classified too', async () => {
  // what a browser dispatches when a file is dropped on the zone, or an image pasted
  const dispatch = (kind: 'drop' | 'paste', file: string) =>
    page.evaluate(`(() => {
      const bytes = Uint8Array.from(atob('${readFileSync(file).toString('base64')}'), (c) => c.charCodeAt(0));
      const dt = new DataTransfer();
      dt.items.add(new File([bytes], 'photo.jpg', { type: 'image/jpeg' }));
      if ('${kind}' === 'drop') document.getElementById('drop').dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
      else document.dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true }));
    })()`);
  await assertShows(await labelsAfter(() => dispatch('drop', files['blue']!)), files['blue']!);
  await assertShows(await labelsAfter(() => dispatch('paste', files['green']!)), files['green']!);
  const examples = await page.evaluate(`[...document.querySelectorAll('#examples button')].map((b) => b.dataset.example)`);
  assert.deepEqual(examples, ['blue.png', 'green.png', 'red.png']);
  await assertShows(await labelsAfter(() => page.click('#examples button[data-example="green.png"]')), join(tmp, 'examples', 'green.png'));
});

test('a file that is not an image shows the server\'s error; the page keeps working', async () => {
  await page.evaluate('delete document.body.dataset.state');
  await page.setInputFiles('#file-input', { name: 'photo.png', mimeType: 'image/png', buffer: Buffer.from('this is a text file') });
  await page.waitForSelector('body[data-state="error"]', { timeout: 20_000 });
  assert.match(await text('#status'), /not an image owlet reads/);
  assert.equal(await page.locator('#labels .label-row').count(), 0);
  await assertShows(await labelsAfter(() => page.setInputFiles('#file-input', files['blue']!)), files['blue']!);
});

test('on a phone the panels stack, nothing overflows the width', async () => {
  await page.setViewportSize({ width: 390, height: 844 });
  const input = await page.locator('main > section').nth(0).boundingBox();
  const output = await page.locator('main > section').nth(1).boundingBox();
  assert.ok(input && output && output.y >= input.y + input.height, 'the labels sit below the image');
  assert.ok(input.width > 330, `the image panel takes the width (${input.width} px)`);
  const scroll = (await page.evaluate('document.documentElement.scrollWidth')) as number;
  assert.ok(scroll <= 390, `the page is ${scroll} px wide on a 390 px screen`);
  await page.screenshot({ path: join(shots, 'phone.png'), fullPage: true });
  await page.setViewportSize({ width: 1200, height: 860 });
  assert.deepEqual(pageErrors, []);
});

test('SIGTERM stops the server cleanly (exit code 0)', async () => {
  const exited = new Promise<number | null>((resolve) => child!.once('exit', (code) => resolve(code)));
  child!.kill('SIGTERM');
  assert.equal(await exited, 0);
  assert.match(server!.stdout(), /owlet serve: SIGTERM: finishing the requests in flight, then stopping\nowlet serve: stopped/);
});

test('owlet serve: a missing model, a file that is not a model, a bad option, a taken port', async () => {
  const blocker = createServer();
  await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
  const taken = (blocker.address() as AddressInfo).port;
  const notModel = join(tmp, 'notes.safetensors');
  writeFileSync(notModel, 'not a model');
  const cases: [string[], RegExp][] = [
    [[join(tmp, 'missing.safetensors')], /^owlet: the model file .*missing\.safetensors does not exist/m],
    [[notModel], /^owlet: .*notes\.safetensors/m],
    [[model, '--port', '70000'], /the port must be a whole number from 0 to 65535/],
    [[model, '--port', String(taken)], /^owlet: port \d+ is in use: choose another with --port/m],
    [[model, '--max-batch', '0'], /--max-batch must be a whole number of at least 1/],
    [[model, '--examples', join(tmp, 'nowhere')], /^owlet: the examples folder .*nowhere does not exist/m],
  ];
  for (const [args, re] of cases) {
    const r = runNode([owletBin, 'serve', ...args], { timeoutMs: 60_000 });
    assert.equal(r.status, 1, `${args.join(' ')}: ${r.stdout}${r.stderr}`);
    assert.match(r.stderr, re);
    assert.doesNotMatch(r.stderr, /bug in owlet/);
  }
  blocker.close();
});
