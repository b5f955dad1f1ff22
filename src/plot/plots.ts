/**
 * The lesson's plots: `plotFunction` (plotly's `px.line` of f over a range), `scatter` (`px.scatter`),
 * and lines over points (a fit drawn over the data). Each returns a Figure; `savePlot` writes it.
 */
import { linspace, noGrad, type Tensor } from '../engine/index.js';
import type { Figure, FigureOptions, Series } from './figure.js';
import { toNumbers, type Values } from './values.js';

export interface PlotFunctionOptions extends FigureOptions {
  /** The x range, as in the lesson's `plot_function(f, title, min=-2.1, max=2.1)`. */
  min?: number;
  max?: number;
  /** How many x values (`torch.linspace(min, max, steps)`); 100 by default. */
  steps?: number;
}

function checkSteps(steps: number): void {
  if (!Number.isInteger(steps) || steps < 2 || steps > 100_000) throw new RangeError(`steps must be an integer from 2 to 100000, got ${steps}`);
}

/** The series of f over [min, max]: x = linspace(min, max, steps), y = f(x). */
export function functionSeries(f: (x: Tensor) => Tensor, options: { min?: number; max?: number; steps?: number; name?: string } = {}): Series {
  const min = options.min ?? -2.1;
  const max = options.max ?? 2.1;
  const steps = options.steps ?? 100;
  checkSteps(steps);
  if (!Number.isFinite(min) || !Number.isFinite(max) || !(min < max)) throw new RangeError(`min and max must be finite with min < max, got ${min} and ${max}`);
  const [x, y] = noGrad(() => {
    const xs = linspace(min, max, steps);
    return [toNumbers(xs, 'x'), toNumbers(f(xs), 'f(x)')];
  });
  if (y.length !== x.length) throw new RangeError(`f(x) gave ${y.length} values for ${x.length} x values`);
  return { kind: 'line', x, y, ...(options.name ? { name: options.name } : {}) };
}

/** f plotted as a line over [min, max] (default -2.1 to 2.1, 100 steps). */
export function plotFunction(f: (x: Tensor) => Tensor, options: PlotFunctionOptions = {}): Figure {
  const { min, max, steps, ...fig } = options;
  return { ...fig, series: [functionSeries(f, { min, max, steps })] };
}

function pairs(xs: Values, ys: Values): { x: number[]; y: number[] } {
  const x = toNumbers(xs, 'x');
  const y = toNumbers(ys, 'y');
  if (x.length !== y.length) throw new RangeError(`x has ${x.length} values but y has ${y.length}`);
  return { x, y };
}

/** Points (x[i], y[i]). */
export function scatter(xs: Values, ys: Values, options: FigureOptions & { name?: string } = {}): Figure {
  const { name, ...fig } = options;
  return { ...fig, series: [{ kind: 'points', ...pairs(xs, ys), ...(name ? { name } : {}) }] };
}

export interface LineSpec {
  x: Values;
  y: Values;
  name?: string;
}

function toSeries(l: Series | LineSpec): Series {
  return 'kind' in l ? l : { kind: 'line', ...pairs(l.x, l.y), ...(l.name ? { name: l.name } : {}) };
}

/** Lines: each a function series (functionSeries) or x/y values (a loss per step, say). */
export function linePlot(lines: (Series | LineSpec)[], options: FigureOptions = {}): Figure {
  return { ...options, series: lines.map(toSeries) };
}

/** Lines (each a function series or x/y values) drawn over the points (xs, ys). */
export function lineOverPoints(xs: Values, ys: Values, lines: (Series | LineSpec)[], options: FigureOptions & { pointsName?: string } = {}): Figure {
  const { pointsName, ...fig } = options;
  const series: Series[] = [{ kind: 'points', ...pairs(xs, ys), ...(pointsName ? { name: pointsName } : {}) }];
  return { ...fig, series: [...series, ...lines.map(toSeries)] };
}
