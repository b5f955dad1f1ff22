/**
 * `owlet explore` in a real browser: Debian's Chromium, headless, driven by playwright-core. Moves
 * sliders and sees the curves and the MSE change, takes gradient steps and sees the loss fall,
 * types bad values and sees the messages, blows the loss up and resets, fits many ReLUs to the
 * points and to a drawn shape, and saves screenshots in $TMPDIR/owlet-explore-screenshots.
 * Chromium must be installed (apt-get install -y chromium); without it this test fails.
 */
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { BrowserContext, Page } from 'playwright-core';
import { startOwlet } from './helpers.js';
import { launchChromium } from './browser.js';


// One folder, emptied at each run, so that runs do not pile up screenshots.
const shots = join(tmpdir(), 'owlet-explore-screenshots');
rmSync(shots, { recursive: true, force: true });
mkdirSync(shots, { recursive: true });
const profile = mkdtempSync(join(tmpdir(), 'owlet-chromium-profile-'));
let serverProcess: ChildProcess | undefined;
let url = '';
let browser: BrowserContext | undefined;
let page: Page;
const pageErrors: string[] = [];

/** Starts `owlet explore --port 0` and reads the address it prints. */
function startServer(): Promise<string> {
  const server = startOwlet(['explore', '--port', '0'], /(http:\/\/127\.0\.0\.1:\d+\/)/, 20);
  serverProcess = server.child;
  return server.url;
}

before(async () => {
  url = await startServer();
  browser = await launchChromium(profile, { width: 1200, height: 900 });
  page = browser.pages()[0] ?? (await browser.newPage());
  page.on('pageerror', (e) => pageErrors.push(String(e)));
  page.on('console', (m) => {
    if (m.type() === 'error') pageErrors.push(m.text());
  });
  await page.goto(url);
  await page.waitForSelector('body[data-ready="true"]', { timeout: 20_000 });
});

after(async () => {
  await browser?.close();
  if (serverProcess && serverProcess.exitCode === null) serverProcess.kill('SIGTERM');
  rmSync(profile, { recursive: true, force: true });
});

const text = (sel: string) => page.locator(sel).textContent().then((t) => (t ?? '').trim());
const curve = (chart: string) => page.locator(`#${chart} g[data-name="curve"] path`).first().getAttribute('d');
const num = async (sel: string) => Number(await text(sel));

/** Polls until `check` holds (the page animates; its state arrives a few frames later). */
async function until(what: string, check: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) assert.fail(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function shot(name: string, selector?: string): Promise<void> {
  const path = join(shots, `${name}.png`);
  if (selector) await page.locator(selector).screenshot({ path });
  else await page.screenshot({ path, fullPage: true });
}

test('the page shows the noisy points and a quadratic with its MSE', async (t) => {
  t.diagnostic(`screenshots: ${shots}`);
  assert.equal(await page.locator('#quad-chart circle.point').count(), 40);
  assert.equal(await text('#quad-mse'), '6.7798'); // the lesson's quad_mse([1.5, 1.5, 1.5])
  await shot('start', '#quad');
});

test('moving a slider moves the curve and changes the MSE (the same MSE owlet computes)', async () => {
  const before = await curve('quad-chart');
  await page.locator('#quad-a-range').fill('3');
  assert.equal(await page.locator('#quad-a').inputValue(), '3');
  assert.notEqual(await curve('quad-chart'), before);
  const shown = await text('#quad-mse');
  assert.notEqual(shown, '6.7798');
  const r = await fetch(new URL('/api/quad/loss', url), { method: 'POST', body: JSON.stringify({ a: 3, b: 1.5, c: 1.5 }) });
  const { loss } = (await r.json()) as { loss: number };
  assert.equal(shown, loss.toFixed(4));
  await shot('slider-moved', '#quad');
});

test('one gradient step gives the lesson\'s 6.1349 and moves the sliders; a run makes the loss fall', async () => {
  await page.click('#quad-reset');
  assert.equal(await text('#quad-mse'), '6.7798');
  await page.click('#quad-step');
  await until('a loss is shown', async () => (await text('#quad-loss')) !== '–');
  assert.equal(await text('#quad-loss'), '6.1349');
  assert.notEqual(await page.locator('#quad-a').inputValue(), '1.5', 'the a slider moved');
  assert.equal(await text('#quad-mse'), '6.1349', 'the MSE shown is the loss at the new a, b, c');
  await page.click('#quad-run');
  await until('51 steps are taken', async () => (await text('#quad-count')).includes('51 steps'));
  await page.waitForSelector('#quad-run:not([disabled])');
  const after = await num('#quad-loss');
  assert.ok(after < 6.1349, `the loss fell: ${after}`);
  assert.ok(Number(await page.locator('#quad-a').inputValue()) > 2, 'a moved towards 3');
  assert.ok((await page.locator('#quad-loss-chart path.loss-line').getAttribute('d'))!.length > 100, 'the loss chart has the steps');
  await shot('after-steps', '#quad');
});

test('bad values in fields are refused with a message on the page', async () => {
  await page.fill('#quad-a', 'abc');
  await page.locator('#quad-a').dispatchEvent('change');
  assert.match(await text('#quad-msg'), /a must be a number from -10 to 10; “abc” is not a number/);
  assert.equal(await page.locator('#quad-a').getAttribute('aria-invalid'), 'true');
  await page.fill('#quad-a', '42');
  assert.match(await text('#quad-msg'), /42 is out of range/);
  await page.fill('#quad-lr', '-1');
  assert.match(await text('#quad-msg'), /The learning rate must be a number greater than 0/);
  await page.click('#quad-step');
  assert.match(await text('#quad-msg'), /Fix the fields marked in red first/);
  await shot('bad-input', '#quad');
  await page.fill('#quad-a', '2');
  await page.fill('#quad-lr', '0.01');
  await page.click('#quad-step');
  await until('the message goes', async () => !(await text('#quad-msg')).includes('Fix'));
  assert.equal(await text('#quad-msg'), '');
});

test('a learning rate that blows the loss up says it diverged and offers a reset; the page stays live', async () => {
  await page.fill('#quad-lr', '5');
  await page.click('#quad-run');
  await until('the page says the loss diverged', async () => (await text('#quad-msg')).includes('diverged'));
  assert.match(await text('#quad-msg'), /The loss diverged: with learning rate 5/);
  assert.equal(await page.locator('#quad-step').isDisabled(), true);
  assert.match((await page.locator('#quad-reset').getAttribute('class')) ?? '', /attention/);
  await shot('diverged', '#quad');
  const t0 = Date.now();
  await page.locator('#relu-m-range').fill('2'); // the page answers while in that state
  assert.ok(Date.now() - t0 < 5000);
  await page.click('#quad-reset');
  await page.fill('#quad-lr', '0.01');
  assert.equal(await text('#quad-msg'), '');
  assert.equal(await text('#quad-mse'), '6.7798');
  assert.equal(await page.locator('#quad-step').isDisabled(), false);
});

test('the ReLU sliders move one ReLU and two added', async () => {
  const one = await curve('relu-chart');
  const mse1 = await text('#relu-mse');
  await page.locator('#relu-b-range').fill('-1');
  assert.notEqual(await curve('relu-chart'), one);
  assert.notEqual(await text('#relu-mse'), mse1);
  const two = await curve('drelu-chart');
  for (const [id, v] of [['m1', '3'], ['b1', '0'], ['m2', '-3'], ['b2', '0']] as const) await page.locator(`#drelu-${id}-range`).fill(v);
  assert.notEqual(await curve('drelu-chart'), two);
  await page.fill('#drelu-m2', 'x');
  await page.locator('#drelu-m2').dispatchEvent('change');
  assert.match(await text('#drelu-msg'), /m2 must be a number/);
  await page.fill('#drelu-m2', '-3');
  await shot('relus', '#drelu');
});

test('many ReLUs fit the noisy points by gradient descent, the loss falling as it animates', async () => {
  await page.fill('#many-n', '0');
  await page.locator('#many-n').dispatchEvent('change');
  assert.match(await text('#many-msg'), /N \(the number of ReLUs\) must be a whole number from 1 to 100/);
  await page.fill('#many-n', '20');
  await page.locator('#many-n').dispatchEvent('change');
  await page.fill('#many-max', '400');
  await page.click('#many-fit');
  await until('400 steps are taken', async () => (await text('#many-count')).includes('400 steps'), 60_000);
  await page.waitForSelector('#many-fit:not([disabled])');
  const loss = await num('#many-loss');
  assert.ok(loss < 3, `the fit's loss is low: ${loss}`); // examples/how-nets-work/relu-fit: 2.2979 after 400 steps
  assert.equal(await page.locator('#many-chart g[data-name="components"] path').count(), 20);
  await shot('many-relus', '#many');
});

test('many ReLUs fit a shape drawn with the mouse', async () => {
  await page.selectOption('#many-target', 'draw');
  const box = (await page.locator('#many-chart').boundingBox())!;
  await page.mouse.move(box.x + 50, box.y + box.height * 0.7);
  await page.mouse.down();
  for (let i = 0; i <= 60; i++) {
    const fx = i / 60;
    await page.mouse.move(box.x + 50 + fx * (box.width - 70), box.y + box.height * (0.5 - 0.3 * Math.sin(fx * 2 * Math.PI)));
  }
  await page.mouse.up();
  const targets = await page.locator('#many-chart g[data-name="target"] circle').count();
  assert.ok(targets > 20, `the drawn shape became ${targets} points`);
  await page.fill('#many-lr', '0.01');
  await page.fill('#many-max', '1000');
  await page.click('#many-fit');
  await until('some steps are taken', async () => (await text('#many-loss')) !== '–');
  const first = await num('#many-loss');
  await until('1000 steps are taken', async () => (await text('#many-count')).includes('1000 steps'), 60_000);
  await page.waitForSelector('#many-fit:not([disabled])');
  const last = await num('#many-loss');
  assert.ok(last < first / 2, `the loss fell from ${first} to ${last}`);
  const losses = await page.locator('#many-loss-chart path.loss-line').getAttribute('d');
  assert.ok(losses && losses.length > 100);
  await shot('many-relus-drawn', '#many');
  await shot('page');
});

test('no errors in the page', () => {
  assert.deepEqual(pageErrors, []);
});
