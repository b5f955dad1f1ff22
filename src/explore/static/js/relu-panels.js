// One ReLU (sliders m, b) and two added (m1, b1, m2, b2), drawn over the points with their MSE.
import { Chart } from './chart.js';
import { Messages, ParamControl } from './fields.js';
import { fixed, linspace, mse, relu } from './math.js';

const $ = (id) => document.getElementById(id);

function sliderPanel(prefix, params, data, fn) {
  const chart = new Chart($(`${prefix}-chart`));
  const messages = new Messages($(`${prefix}-msg`));
  const grid = linspace(-2.2, 2.2, 221);
  chart.points('data', data.x, data.y);
  const controls = {};
  const redraw = () => {
    const v = Object.fromEntries(Object.entries(controls).map(([k, c]) => [k, c.value]));
    chart.lines('curve', grid, grid.map((x) => fn(v, x)));
    $(`${prefix}-mse`).textContent = fixed(mse((x) => fn(v, x), data.x, data.y));
  };
  for (const [name, value] of Object.entries(params))
    controls[name] = new ParamControl($(`${prefix}-params`), { id: `${prefix}-${name}`, name, min: -10, max: 10, value }, messages, redraw);
  redraw();
}

export function reluPanels(data) {
  sliderPanel('relu', { m: 1, b: 1 }, data, (v, x) => relu(v.m, v.b, x));
  sliderPanel('drelu', { m1: 1, b1: 1, m2: -1, b2: 1 }, data, (v, x) => relu(v.m1, v.b1, x) + relu(v.m2, v.b2, x));
}
