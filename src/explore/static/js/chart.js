// A small SVG chart: axes with ticks, points and lines in data coordinates, and the way back from
// the mouse to the data (for drawing a shape).
const NS = 'http://www.w3.org/2000/svg';

function el(name, attrs = {}, parent) {
  const e = document.createElementNS(NS, name);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  if (parent) parent.appendChild(e);
  return e;
}

function ticks(lo, hi, count) {
  const step0 = (hi - lo) / count;
  const mag = 10 ** Math.floor(Math.log10(step0));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= step0) ?? 10 * mag;
  const out = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + 1e-9; v += step) out.push(Math.abs(v) < 1e-12 ? 0 : v);
  return out;
}

let clipIds = 0;

export class Chart {
  constructor(svg, { x = [-2.2, 2.2], y = [-2, 16], width = 560, height = 340 } = {}) {
    this.svg = svg;
    this.width = width;
    this.height = height;
    this.m = { left: 40, right: 12, top: 10, bottom: 26 };
    this.x = x;
    this.y = y;
    svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
    svg.replaceChildren();
    const clip = `clip${++clipIds}`;
    const defs = el('defs', {}, svg);
    el('rect', { x: this.m.left, y: this.m.top, width: this.plotW, height: this.plotH }, el('clipPath', { id: clip }, defs));
    this.axes = el('g', {}, svg);
    this.layer = el('g', { 'clip-path': `url(#${clip})` }, svg);
    this.named = new Map();
    this.drawAxes();
  }

  get plotW() { return this.width - this.m.left - this.m.right; }
  get plotH() { return this.height - this.m.top - this.m.bottom; }
  px(v) { return this.m.left + ((v - this.x[0]) / (this.x[1] - this.x[0])) * this.plotW; }
  py(v) { return this.m.top + ((this.y[1] - v) / (this.y[1] - this.y[0])) * this.plotH; }

  drawAxes() {
    this.axes.replaceChildren();
    const grid = el('g', { class: 'grid' }, this.axes);
    const axis = el('g', { class: 'axis' }, this.axes);
    for (const v of ticks(this.x[0], this.x[1], 8)) {
      el('line', { x1: this.px(v), x2: this.px(v), y1: this.m.top, y2: this.m.top + this.plotH }, grid);
      el('text', { x: this.px(v), y: this.height - 8, 'text-anchor': 'middle' }, axis).textContent = String(+v.toFixed(2));
    }
    for (const v of ticks(this.y[0], this.y[1], 6)) {
      el('line', { x1: this.m.left, x2: this.m.left + this.plotW, y1: this.py(v), y2: this.py(v) }, grid);
      el('text', { x: this.m.left - 6, y: this.py(v) + 4, 'text-anchor': 'end' }, axis).textContent = String(+v.toFixed(2));
    }
    el('rect', { x: this.m.left, y: this.m.top, width: this.plotW, height: this.plotH, fill: 'none', stroke: '#888' }, axis);
  }

  /** A group of layers under one name, replaced on each call. */
  group(name) {
    let g = this.named.get(name);
    if (!g) {
      g = el('g', { 'data-name': name }, this.layer);
      this.named.set(name, g);
    }
    return g;
  }

  points(name, xs, ys, cls = 'point') {
    const g = this.group(name);
    g.replaceChildren();
    for (let i = 0; i < xs.length; i++) el('circle', { class: cls, cx: this.px(xs[i]), cy: this.py(ys[i]), r: 3.5 }, g);
  }

  pathData(xs, ys) {
    let d = '';
    let pen = false;
    for (let i = 0; i < xs.length; i++) {
      // Far outside the view a value is drawn at the edge, and a non-finite one breaks the line.
      if (!Number.isFinite(ys[i])) { pen = false; continue; }
      const span = this.y[1] - this.y[0];
      const y = Math.min(this.y[1] + span, Math.max(this.y[0] - span, ys[i]));
      d += `${pen ? 'L' : 'M'}${this.px(xs[i]).toFixed(2)},${this.py(y).toFixed(2)}`;
      pen = true;
    }
    return d;
  }

  /** One line, or several (`ys` an array of arrays) sharing a class. */
  lines(name, xs, ysList, cls = 'curve') {
    const g = this.group(name);
    const list = Array.isArray(ysList[0]) ? ysList : [ysList];
    while (g.childNodes.length > list.length) g.lastChild.remove();
    list.forEach((ys, i) => {
      const p = g.childNodes[i] ?? el('path', { class: cls }, g);
      p.setAttribute('class', cls);
      p.setAttribute('d', this.pathData(xs, ys));
    });
  }

  clear(name) {
    this.group(name).replaceChildren();
  }

  /** The data coordinates under a mouse or pointer event. */
  toData(event) {
    const r = this.svg.getBoundingClientRect();
    const sx = ((event.clientX - r.left) / r.width) * this.width;
    const sy = ((event.clientY - r.top) / r.height) * this.height;
    return {
      x: this.x[0] + ((sx - this.m.left) / this.plotW) * (this.x[1] - this.x[0]),
      y: this.y[1] - ((sy - this.m.top) / this.plotH) * (this.y[1] - this.y[0]),
    };
  }
}

/** The loss at each step, on a log scale: it falls fast, then slowly. */
export class LossChart {
  constructor(svg, { width = 420, height = 110 } = {}) {
    this.svg = svg;
    this.width = width;
    this.height = height;
    svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
    this.reset();
  }

  reset() {
    this.losses = [];
    this.draw();
  }

  push(values) {
    for (const v of values) this.losses.push(v);
    if (this.losses.length > 20000) this.losses.splice(0, this.losses.length - 20000);
    this.draw();
  }

  draw() {
    this.svg.replaceChildren();
    const m = { left: 58, right: 8, top: 8, bottom: 18 };
    const w = this.width - m.left - m.right;
    const h = this.height - m.top - m.bottom;
    el('rect', { x: m.left, y: m.top, width: w, height: h, fill: 'none', stroke: '#ccc' }, this.svg);
    const finite = this.losses.filter((v) => Number.isFinite(v) && v > 0);
    if (finite.length === 0) return;
    const logs = finite.map(Math.log10);
    let lo = Math.min(...logs);
    let hi = Math.max(...logs);
    if (hi - lo < 1e-6) { lo -= 0.5; hi += 0.5; }
    const n = this.losses.length;
    const X = (i) => m.left + (n === 1 ? w / 2 : (i / (n - 1)) * w);
    const Y = (v) => m.top + ((hi - Math.log10(v)) / (hi - lo)) * h;
    let d = '';
    let pen = false;
    this.losses.forEach((v, i) => {
      if (!(Number.isFinite(v) && v > 0)) { pen = false; return; }
      d += `${pen ? 'L' : 'M'}${X(i).toFixed(1)},${Y(v).toFixed(1)}`;
      pen = true;
    });
    el('path', { class: 'loss-line', d }, this.svg);
    el('text', { x: m.left - 4, y: m.top + 9, 'text-anchor': 'end' }, this.svg).textContent = (10 ** hi).toPrecision(3);
    el('text', { x: m.left - 4, y: m.top + h, 'text-anchor': 'end' }, this.svg).textContent = (10 ** lo).toPrecision(3);
    el('text', { x: m.left + w, y: this.height - 4, 'text-anchor': 'end' }, this.svg).textContent = `${n} steps (log scale)`;
  }
}
