// Many ReLUs: a sum of N of them fitted by gradient descent on the server, animated as the loss
// falls, to the noisy points or to a shape drawn with the mouse.
import { postJson } from './api.js';
import { Chart, LossChart } from './chart.js';
import { Messages, NumberField } from './fields.js';
import { fixed, linspace, relu, relus } from './math.js';

const CHUNK = 20;
const BINS = 60;
const $ = (id) => document.getElementById(id);

/** A drawn stroke as at most BINS points, evenly spread in x (the mean y of each bin). */
export function resample(stroke, xRange, yRange) {
  const pts = stroke.filter((p) => p.x >= xRange[0] && p.x <= xRange[1]).map((p) => ({ x: p.x, y: Math.min(yRange[1], Math.max(yRange[0], p.y)) }));
  if (pts.length < 2) return { x: [], y: [] };
  const lo = Math.min(...pts.map((p) => p.x));
  const hi = Math.max(...pts.map((p) => p.x));
  if (hi - lo < 1e-6) return { x: [], y: [] };
  const sums = new Array(BINS).fill(0);
  const counts = new Array(BINS).fill(0);
  for (const p of pts) {
    const i = Math.min(BINS - 1, Math.floor(((p.x - lo) / (hi - lo)) * BINS));
    sums[i] += p.y;
    counts[i] += 1;
  }
  const x = [];
  const y = [];
  for (let i = 0; i < BINS; i++) {
    if (counts[i] === 0) continue;
    x.push(+(lo + ((i + 0.5) * (hi - lo)) / BINS).toFixed(4));
    y.push(+(sums[i] / counts[i]).toFixed(4));
  }
  return { x, y };
}

export function manyPanel(data) {
  const chart = new Chart($('many-chart'));
  const lossChart = new LossChart($('many-loss-chart'));
  const messages = new Messages($('many-msg'));
  const grid = linspace(-2.2, 2.2, 221);
  const nField = new NumberField($('many-n'), { name: 'N (the number of ReLUs)', min: 1, max: 100, integer: true }, messages);
  const lrField = new NumberField($('many-lr'), { name: 'The learning rate', min: 0, max: 100, minExclusive: true }, messages);
  const maxField = new NumberField($('many-max'), { name: 'Steps to run', min: 1, max: 100000, integer: true }, messages);

  let params = null;
  let seed = 42;
  let target = { x: data.x, y: data.y };
  let stroke = null;
  let running = null;
  let diverged = false;
  let stepsTaken = 0;
  const mode = () => $('many-target').value;

  const buttons = () => {
    $('many-fit').disabled = running !== null || diverged;
    $('many-stop').disabled = running === null;
    $('many-init').classList.toggle('attention', diverged);
    $('many-clear').disabled = mode() !== 'draw';
  };

  const drawFit = () => {
    chart.points('target', target.x, target.y);
    if (!params) return;
    const { m, b, w } = params;
    chart.lines('components', grid, m.map((_, i) => grid.map((x) => w[i] * relu(m[i], b[i], x))), 'component');
    chart.lines('curve', grid, grid.map((x) => relus(m, b, w, x)));
  };

  const clearRun = () => {
    stepsTaken = 0;
    diverged = false;
    lossChart.reset();
    $('many-loss').textContent = '–';
    $('many-count').textContent = '';
    messages.clear('diverged');
  };

  const init = async (newSeed) => {
    const n = nField.check();
    if (n === null) return false;
    if (newSeed) seed += 1;
    try {
      params = await postJson('/api/relus/init', { n, seed });
      messages.clear('server');
    } catch (e) {
      messages.set('server', e.message);
      return false;
    }
    clearRun();
    drawFit();
    buttons();
    return true;
  };

  const fit = async () => {
    const n = nField.check();
    const lr = lrField.check();
    const max = maxField.check();
    if (n === null || lr === null || max === null) {
      messages.set('run', 'Fix the fields marked in red first.');
      return;
    }
    messages.clear('run');
    if (target.x.length < 2) {
      messages.set('run', 'Draw a shape on the chart first: press, drag from left to right, release.');
      return;
    }
    if (!params || params.m.length !== n) if (!(await init(false))) return;
    running = new AbortController();
    const signal = running.signal;
    buttons();
    try {
      for (let done = 0; done < max && !signal.aborted; done += CHUNK) {
        const r = await postJson('/api/relus/step', { ...params, x: target.x, y: target.y, lr, steps: Math.min(CHUNK, max - done) }, { signal });
        params = { m: r.m, b: r.b, w: r.w };
        stepsTaken += r.losses.length;
        lossChart.push(r.losses.map((v) => (v === null ? NaN : v)));
        $('many-loss').textContent = fixed(r.loss);
        $('many-count').textContent = `after ${stepsTaken} steps`;
        drawFit();
        if (r.diverged) {
          diverged = true;
          messages.set('diverged', `The loss diverged: with learning rate ${lr} the steps overshoot and the loss blows up. Press New start to reset the ReLUs, then try a smaller learning rate (0.01 works).`);
          break;
        }
        await new Promise((res) => requestAnimationFrame(() => res()));
      }
      messages.clear('server');
    } catch (e) {
      if (e.name !== 'AbortError') messages.set('server', e.message);
    } finally {
      running = null;
      buttons();
    }
  };

  const setTarget = () => {
    if (running) running.abort();
    chart.svg.classList.toggle('drawing', mode() === 'draw');
    if (mode() === 'data') {
      target = { x: data.x, y: data.y };
      chart.clear('stroke');
      $('many-hint').textContent = 'Fitting the noisy points. Choose “a shape I draw” to draw your own with the mouse.';
    } else {
      target = { x: [], y: [] };
      $('many-hint').textContent = 'Draw a shape on the chart: press, drag from left to right, release. Then press Fit.';
    }
    messages.clear('run');
    clearRun();
    drawFit();
    buttons();
  };

  const svg = chart.svg;
  svg.addEventListener('pointerdown', (e) => {
    if (mode() !== 'draw' || running) return;
    svg.setPointerCapture(e.pointerId);
    stroke = [chart.toData(e)];
    e.preventDefault();
  });
  svg.addEventListener('pointermove', (e) => {
    if (!stroke) return;
    stroke.push(chart.toData(e));
    chart.lines('stroke', stroke.map((p) => p.x), stroke.map((p) => p.y), 'drawn');
  });
  const finish = () => {
    if (!stroke) return;
    target = resample(stroke, chart.x, chart.y);
    stroke = null;
    if (target.x.length < 2) messages.set('run', 'That shape is too short: drag across the chart from left to right.');
    else messages.clear('run');
    clearRun();
    drawFit();
  };
  svg.addEventListener('pointerup', finish);
  svg.addEventListener('pointercancel', finish);

  $('many-target').addEventListener('change', setTarget);
  $('many-fit').addEventListener('click', fit);
  $('many-stop').addEventListener('click', () => running && running.abort());
  $('many-init').addEventListener('click', () => {
    if (running) running.abort();
    void init(true);
  });
  $('many-clear').addEventListener('click', () => {
    target = { x: [], y: [] };
    chart.clear('stroke');
    clearRun();
    drawFit();
  });
  $('many-n').addEventListener('change', () => {
    if (!running && nField.check() !== null) void init(false);
  });
  void init(false);
  buttons();
}
