/**
 * The plots' HTML pages in a real browser (Debian's Chromium, headless, through playwright-core),
 * opened from a file with every network request refused: Vega's inlined runtime draws the figure,
 * nothing is fetched, and hovering a point shows its values. Chromium must be installed
 * (apt-get install -y chromium); without it this test fails.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, test } from 'node:test';
import { linspace, type Tensor } from '../src/index.js';
import { functionSeries, lineOverPoints, savePlot } from '../src/plot/index.js';
import { launchChromium } from './browser.js';


const dir = mkdtempSync(join(tmpdir(), 'owlet-plot-html-'));
const profile = mkdtempSync(join(tmpdir(), 'owlet-chromium-profile-'));
after(() => {
  rmSync(dir, { recursive: true, force: true });
  rmSync(profile, { recursive: true, force: true });
});

const f = (x: Tensor): Tensor => x.pow(2).mul(3).add(x.mul(2)).add(1);

test('a plot\'s HTML page draws itself offline with Vega, and shows values on hover', async (t) => {
  const x = linspace(-2, 2, 9);
  const [, html] = await savePlot(lineOverPoints(x, f(x), [functionSeries(f, { name: 'f' })], { title: '$3x^2 + 2x + 1$', pointsName: 'points' }), join(dir, 'fit'));
  const browser = await launchChromium(profile, { width: 900, height: 600 });
  try {
    const fetched: string[] = [];
    await browser.route('**/*', (route) => {
      const url = route.request().url();
      if (url.startsWith('file:')) return route.continue();
      fetched.push(url);
      return route.abort();
    });
    const page = browser.pages()[0] ?? (await browser.newPage());
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(pathToFileURL(html!).href);
    await page.waitForSelector('#plot[data-rendered="vega"]', { timeout: 15_000 });
    assert.equal(await page.locator('#plot svg').count(), 1, 'Vega replaced the static SVG with its own');
    assert.equal(await page.title(), '3x² + 2x + 1');
    assert.equal(await page.locator('#plot svg .mark-symbol.role-mark path').count(), 9, 'the nine points are drawn');
    const point = page.locator('#plot svg .mark-symbol.role-mark path').nth(4);
    await point.hover();
    const tip = await page.locator('#plot').getAttribute('title'); // Vega's tooltip, on its container
    t.diagnostic(`tooltip: ${tip}`);
    assert.match(tip ?? '', /^x: 0\ny: 1$/);
    await page.screenshot({ path: join(dir, 'page.png') });
    assert.deepEqual(fetched, [], 'the page fetched nothing');
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
  }
});
