/**
 * owlet's plots: TeX titles as clean text, the figures' Vega-Lite, SVG with the title and marks,
 * PNG of the right size, self-contained HTML, savePlot's files, and clear errors for bad input.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import sharp from 'sharp';
import { linspace, tensor, type Tensor } from '../src/index.js';
import { lineOverPoints, linePlot, functionSeries, plotFunction, savePlot, scatter, texToText, toHTML, toPNG, toSVG, toVegaLite } from '../src/plot/index.js';

const dir = mkdtempSync(join(tmpdir(), 'owlet-plot-test-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const f = (x: Tensor): Tensor => x.pow(2).mul(3).add(x.mul(2)).add(1);

describe('TeX in titles becomes clean text', () => {
  const cases: [string, string][] = [
    ['$3x^2 + 2x + 1$', '3x² + 2x + 1'],
    ['Fitting $ax^2 + bx + c$ by hand', 'Fitting ax² + bx + c by hand'],
    ['$x^{10} - x_1$', 'x¹⁰ − x₁'],
    ['$\\sin(3x) + x$', 'sin(3x) + x'],
    ['$\\frac{1}{n}\\sum_i (y_i - \\hat y_i)^2$', '1/n Σᵢ (yᵢ − ŷᵢ)²'],
    ['$\\alpha \\cdot \\sqrt{x}$', 'α · √x'],
    ['$e^{-x^2}$', 'e^(−x²)'],
    ['$\\max(0, mx + b)$', 'max(0, mx + b)'],
    ['costs \\$5, no math', 'costs $5, no math'],
    ['an unclosed $x^2', 'an unclosed $x^2'],
    ['plain title', 'plain title'],
  ];
  for (const [tex, text] of cases) test(`${tex} → ${text}`, () => assert.equal(texToText(tex), text));
});

test('plotFunction evaluates f on linspace(min, max, steps), as the lesson\'s plot_function', () => {
  const fig = plotFunction(f, { title: '$3x^2 + 2x + 1$' });
  assert.equal(fig.series.length, 1);
  const s = fig.series[0]!;
  assert.equal(s.kind, 'line');
  assert.equal(s.x.length, 100);
  assert.equal(s.x[0], Math.fround(-2.1));
  assert.equal(s.x[99], Math.fround(2.1));
  assert.equal(s.y[0]!.toFixed(4), '10.0300');
  const custom = plotFunction(f, { min: 0, max: 1, steps: 11 });
  assert.equal(custom.series[0]!.x.length, 11);
});

test('the Vega-Lite spec has the clean title, the ranges and one layer per series', () => {
  const x = linspace(-2, 2, 5);
  const spec = toVegaLite(lineOverPoints(x, f(x), [functionSeries(f, { name: 'f' })], { title: '$3x^2$', ylim: [0, 10], pointsName: 'data' })) as unknown as {
    title: { text: string };
    layer: { mark: { type: string }; data: { values: unknown[] }; encoding: { y: { scale: { domain: number[] } } } }[];
  };
  assert.equal(spec.title.text, '3x²');
  assert.deepEqual(spec.layer.map((l) => l.mark.type), ['line', 'point'], 'points are drawn over lines');
  assert.equal(spec.layer[1]!.data.values.length, 5);
  assert.deepEqual(spec.layer[1]!.encoding.y.scale.domain, [0, 10]);
});

test('linePlot draws lines of values, one legend entry each', () => {
  const fig = linePlot([{ x: [0, 1, 2], y: [3, 2, 1], name: 'loss' }, functionSeries(f, { name: 'f' })]);
  assert.deepEqual(fig.series.map((s) => [s.kind, s.name]), [['line', 'loss'], ['line', 'f']]);
  assert.deepEqual(fig.series[0]!.y, [3, 2, 1]);
});

test('the SVG carries the title as text, never as TeX markup', async () => {
  const svg = await toSVG(plotFunction(f, { title: '$3x^2 + 2x + 1$' }));
  assert.match(svg, /^<svg/);
  assert.match(svg, />3x² \+ 2x \+ 1</);
  assert.doesNotMatch(svg, /\$|\^|\\/);
  assert.match(svg, /role-mark/);
});

test('the PNG is a real image at twice the figure\'s size', async () => {
  const png = await toPNG(scatter([1, 2, 3], [3, 1, 2], { title: 'points', width: 300, height: 200 }));
  const meta = await sharp(png).metadata();
  assert.equal(meta.format, 'png');
  assert.ok(meta.width! > 600 && meta.width! < 800, `width ${meta.width}`);
  assert.ok(meta.height! > 400 && meta.height! < 600, `height ${meta.height}`);
  const stats = await sharp(png).stats();
  assert.ok(stats.channels.some((c) => c.min < 100), 'something dark is drawn (not a blank image)');
});

test('the HTML page is self-contained: inline SVG and Vega, nothing fetched', async () => {
  const html = await toHTML(plotFunction(f, { title: '$3x^2 + 2x + 1$' }));
  assert.match(html, /<title>3x² \+ 2x \+ 1<\/title>/);
  assert.match(html, /<div id="plot"><svg/);
  assert.doesNotMatch(html, /<script[^>]+src=|<link[^>]+href=|<img/);
  assert.ok(html.includes('vega.View'), 'the runtime is inlined');
  assert.equal(html.match(/<\/script>/g)!.length, 2, 'no </script> inside the inlined scripts');
  const plain = await toHTML(plotFunction(f), { interactive: false });
  assert.ok(plain.length < 60_000 && !plain.includes('<script'));
});

test('savePlot writes PNG and HTML, or the one file an extension names', async () => {
  const both = await savePlot(scatter(tensor([1, 2]), tensor([2, 1])), join(dir, 'sub', 'pts'));
  assert.deepEqual(both, [join(dir, 'sub', 'pts.png'), join(dir, 'sub', 'pts.html')]);
  for (const p of both) assert.ok(existsSync(p));
  const svg = await savePlot(scatter([1, 2], [2, 1]), join(dir, 'one.svg'));
  assert.deepEqual(svg, [join(dir, 'one.svg')]);
  assert.match(readFileSync(svg[0]!, 'utf8'), /^<svg/);
});

test('bad input is refused with a clear message', () => {
  assert.throws(() => scatter([1, 2, 3], [1, 2]), /x has 3 values but y has 2/);
  assert.throws(() => scatter([1, 'a' as unknown as number], [1, 2]), /x\[1\] is string, not a number/);
  assert.throws(() => plotFunction(f, { steps: 1 }), /steps must be an integer from 2/);
  assert.throws(() => plotFunction(f, { min: 2, max: 1 }), /min < max/);
  assert.throws(() => toVegaLite({ series: [{ kind: 'line', x: [1], y: [1] }], ylim: [5, 1] }), /ylim must be two finite numbers/);
  assert.throws(() => toVegaLite({ series: [] }), /at least one series/);
});

test('non-finite values are left out of the plot rather than breaking it', async () => {
  const svg = await toSVG(scatter([1, 2, 3, 4], [1, NaN, Infinity, 2]));
  assert.equal((svg.match(/<path[^>]*transform="translate/g) ?? []).length, 2);
});
