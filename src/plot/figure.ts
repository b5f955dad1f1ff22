/**
 * A figure: lines and points on one pair of axes, and its Vega-Lite specification. The plots in
 * plots.ts build figures; render.ts and html.ts turn them into SVG, PNG and HTML.
 */
import type { TopLevelSpec } from 'vega-lite';
import { texToText } from './tex.js';

export interface Series {
  kind: 'line' | 'points';
  x: number[];
  y: number[];
  /** The legend's name for it (a legend shows when a figure has more than one named series). */
  name?: string;
  color?: string;
}

export interface FigureOptions {
  /** May carry TeX between dollar signs: `$3x^2 + 2x + 1$`. */
  title?: string;
  xlabel?: string;
  ylabel?: string;
  /** The x axis range; by default the data's. */
  xlim?: [number, number];
  /** The y axis range; by default the data's. What falls outside is clipped. */
  ylim?: [number, number];
  width?: number;
  height?: number;
}

export interface Figure extends FigureOptions {
  series: Series[];
}

const PALETTE = ['#4c78a8', '#f58518', '#e45756', '#72b7b2', '#54a24b', '#eeca3b', '#b279a2', '#ff9da6'];

/** Points with non-finite coordinates are dropped: JSON (and Vega) cannot carry them. */
function rows(s: Series): { x: number; y: number }[] {
  const n = Math.min(s.x.length, s.y.length);
  const out: { x: number; y: number }[] = [];
  for (let i = 0; i < n; i++) if (Number.isFinite(s.x[i]) && Number.isFinite(s.y[i])) out.push({ x: s.x[i]!, y: s.y[i]! });
  return out;
}

function checkRange(name: string, r: [number, number] | undefined): void {
  if (r === undefined) return;
  if (!Array.isArray(r) || r.length !== 2 || !r.every(Number.isFinite) || !(r[0] < r[1]))
    throw new RangeError(`${name} must be two finite numbers [low, high] with low < high, got ${JSON.stringify(r)}`);
}

/** The figure as a Vega-Lite specification (zoom and pan with the mouse in the HTML page). */
export function toVegaLite(fig: Figure): TopLevelSpec {
  checkRange('xlim', fig.xlim);
  checkRange('ylim', fig.ylim);
  if (fig.series.length === 0) throw new RangeError('a figure needs at least one series to plot');
  const legend = fig.series.filter((s) => s.name).length > 1;
  const names = fig.series.map((s, i) => s.name ?? `series ${i + 1}`);
  const colors = fig.series.map((s, i) => s.color ?? PALETTE[i % PALETTE.length]!);
  const x = {
    field: 'x',
    type: 'quantitative' as const,
    title: fig.xlabel ?? 'x',
    scale: fig.xlim ? { domain: fig.xlim, nice: false, zero: false } : { nice: false, zero: false },
  };
  const y = {
    field: 'y',
    type: 'quantitative' as const,
    title: fig.ylabel ?? 'y',
    scale: fig.ylim ? { domain: fig.ylim, nice: false, zero: false } : { zero: false },
  };
  const layer = fig.series.map((s, i) => {
    const color = legend
      ? { datum: names[i], scale: { domain: names, range: colors }, legend: { title: null } }
      : { value: colors[i] };
    const mark = s.kind === 'line'
      ? { type: 'line' as const, clip: true, strokeWidth: 2.5 }
      : { type: 'point' as const, clip: true, filled: true, size: 45, opacity: 0.85 };
    const tooltip = [
      { field: 'x', type: 'quantitative' as const, format: '.4~f' },
      { field: 'y', type: 'quantitative' as const, format: '.4~f' },
    ];
    return {
      data: { values: rows(s) },
      mark,
      encoding: { x, y, color, tooltip },
      ...(i === 0 ? { params: [{ name: 'zoom', select: 'interval' as const, bind: 'scales' as const }] } : {}),
    };
  });
  // Points on top of lines, so that they show (and answer the mouse) where a line crosses them.
  const ordered = [...layer.keys()].sort((i, j) => Number(fig.series[i]!.kind === 'points') - Number(fig.series[j]!.kind === 'points')).map((i) => layer[i]!);
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    width: fig.width ?? 600,
    height: fig.height ?? 400,
    padding: { left: 8, right: 16, top: 8, bottom: 8 },
    ...(fig.title ? { title: { text: texToText(fig.title), fontSize: 16 } } : {}),
    config: { font: 'DejaVu Sans, Helvetica, Arial, sans-serif', view: { stroke: null }, legend: { labelLimit: 400, labelFontSize: 12 } },
    layer: ordered,
  } as TopLevelSpec;
}
