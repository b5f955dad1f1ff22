// The quadratic: sliders for a, b, c with the curve and the MSE following them, and gradient descent
// on the server (one step, or a run animated a few steps at a time) moving the sliders.
import { postJson } from './api.js';
import { Chart, LossChart } from './chart.js';
import { Messages, NumberField, ParamControl } from './fields.js';
import { fixed, linspace, mse, quad } from './math.js';

const START = { a: 1.5, b: 1.5, c: 1.5 };
const CHUNK = 5;
const $ = (id) => document.getElementById(id);

export function quadPanel(data) {
  const chart = new Chart($('quad-chart'));
  const lossChart = new LossChart($('quad-loss-chart'));
  const messages = new Messages($('quad-msg'));
  const grid = linspace(-2.2, 2.2, 121);
  chart.points('data', data.x, data.y);

  const p = {};
  const redraw = () => {
    const { a, b, c } = { a: p.a.value, b: p.b.value, c: p.c.value };
    chart.lines('curve', grid, grid.map((x) => quad(a, b, c, x)));
    $('quad-mse').textContent = fixed(mse((x) => quad(a, b, c, x), data.x, data.y));
  };
  for (const name of ['a', 'b', 'c']) p[name] = new ParamControl($('quad-params'), { id: `quad-${name}`, name, min: -10, max: 10, value: START[name] }, messages, redraw);
  const lr = new NumberField($('quad-lr'), { name: 'The learning rate', min: 0, max: 100, minExclusive: true }, messages);
  const steps = new NumberField($('quad-steps'), { name: 'Steps per run', min: 1, max: 5000, integer: true }, messages);

  let steps_taken = 0;
  let running = null;
  let diverged = false;

  const buttons = () => {
    $('quad-step').disabled = running !== null || diverged;
    $('quad-run').disabled = running !== null || diverged;
    $('quad-stop').disabled = running === null;
    $('quad-reset').classList.toggle('attention', diverged);
  };

  /** Reads the inputs; null (with messages shown) when one is not acceptable. */
  const inputs = () => {
    const rate = lr.check();
    const n = steps.check();
    if (![p.a, p.b, p.c].every((c) => c.valid) || rate === null || n === null) {
      messages.set('run', 'Fix the fields marked in red first.');
      return null;
    }
    messages.clear('run');
    return { rate, n };
  };

  /** k steps on the server; false when the run must stop. */
  const step = async (k, rate, signal) => {
    const r = await postJson('/api/quad/step', { a: p.a.value, b: p.b.value, c: p.c.value, lr: rate, steps: k }, { signal });
    p.a.show(r.a);
    p.b.show(r.b);
    p.c.show(r.c);
    redraw();
    steps_taken += r.losses.length;
    lossChart.push(r.losses.map((v) => (v === null ? NaN : v)));
    $('quad-loss').textContent = fixed(r.loss);
    $('quad-count').textContent = `after ${steps_taken} step${steps_taken === 1 ? '' : 's'}`;
    if (r.diverged) {
      diverged = true;
      messages.set('diverged', `The loss diverged: with learning rate ${rate} each step overshoots and the loss grows without bound. Press Reset, then try a smaller learning rate (0.01 works).`);
      return false;
    }
    return true;
  };

  const run = async (total) => {
    const got = inputs();
    if (!got) return;
    const n = total ?? got.n;
    running = new AbortController();
    buttons();
    const signal = running.signal;
    try {
      for (let done = 0; done < n && !signal.aborted; done += CHUNK) {
        if (!(await step(Math.min(CHUNK, n - done), got.rate, signal))) break;
        if (n > 1) await new Promise((r) => requestAnimationFrame(() => r()));
      }
      messages.clear('server');
    } catch (e) {
      if (e.name !== 'AbortError') messages.set('server', e.message);
    } finally {
      running = null;
      buttons();
    }
  };

  const reset = () => {
    if (running) running.abort();
    diverged = false;
    steps_taken = 0;
    for (const name of ['a', 'b', 'c']) p[name].show(START[name]);
    messages.clear('diverged');
    messages.clear('server');
    lossChart.reset();
    $('quad-loss').textContent = '–';
    $('quad-count').textContent = '';
    redraw();
    buttons();
  };

  $('quad-step').addEventListener('click', () => run(1));
  $('quad-run').addEventListener('click', () => run());
  $('quad-stop').addEventListener('click', () => running && running.abort());
  $('quad-reset').addEventListener('click', reset);
  redraw();
  buttons();
}
