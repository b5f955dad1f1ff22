/**
 * The lesson's "which image models are best?" chart: a bubble per item at (x, y) on a log x axis,
 * its area proportional to `area`, its colour its group, its label beside it, and its details on
 * hover. Drawn as PNG (for a README) and a self-contained HTML page (hover, zoom, pan).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { TopLevelSpec } from 'vega-lite';
import { specToHTML } from './html.js';
import { specToPNG } from './render.js';

export interface Bubble {
  label: string;
  group: string;
  x: number;
  y: number;
  /** The bubble's area is proportional to this (an input size², say). */
  area: number;
  /** Shown on hover, in this order. */
  details: Record<string, string | number>;
}

export interface BubbleChartOptions {
  title?: string;
  xlabel: string;
  ylabel: string;
  /** The legend's title for the groups (default none). */
  groupTitle?: string;
  /** The legend's title for the areas (default none: no size legend). */
  areaTitle?: string;
  /** A Vega expression for the size legend's labels, of `datum.value` (default the value). */
  areaLabelExpr?: string;
  width?: number;
  height?: number;
}

/** The chart as a Vega-Lite specification. Bubbles with a non-finite or non-positive x, or a non-finite y, are left out. */
export function bubbleSpec(bubbles: readonly Bubble[], options: BubbleChartOptions): TopLevelSpec {
  const values = bubbles
    .filter((b) => Number.isFinite(b.x) && b.x > 0 && Number.isFinite(b.y) && Number.isFinite(b.area) && b.area > 0)
    .map((b) => ({ ...b.details, _label: b.label, _group: b.group, _x: b.x, _y: b.y, _area: b.area }));
  const detailKeys = [...new Set(bubbles.flatMap((b) => Object.keys(b.details)))];
  const x = { field: '_x', type: 'quantitative' as const, title: options.xlabel, scale: { type: 'log' as const, nice: false, padding: 90 }, axis: { format: '~g' } };
  const y = { field: '_y', type: 'quantitative' as const, title: options.ylabel, scale: { zero: false, padding: 30 } };
  // one size for every bubble: a size legend would only show made-up steps
  const sizeLegend = options.areaTitle !== undefined && new Set(values.map((v) => v._area)).size > 1;
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    width: options.width ?? 720,
    height: options.height ?? 460,
    padding: { left: 8, right: 16, top: 8, bottom: 8 },
    ...(options.title ? { title: { text: options.title, fontSize: 16 } } : {}),
    config: { font: 'DejaVu Sans, Helvetica, Arial, sans-serif', view: { stroke: null }, legend: { labelLimit: 400, labelFontSize: 12 } },
    data: { values },
    layer: [
      {
        mark: { type: 'circle', opacity: 0.7, stroke: 'white', strokeWidth: 1 },
        params: [{ name: 'zoom', select: 'interval', bind: 'scales' }],
        encoding: {
          x, y,
          size: {
            field: '_area', type: 'quantitative', scale: { zero: true, range: [0, 1000] },
            ...(sizeLegend ? { title: options.areaTitle, legend: { labelExpr: options.areaLabelExpr ?? 'datum.label' } } : { legend: null }),
          },
          color: { field: '_group', type: 'nominal', title: options.groupTitle ?? null },
          tooltip: [{ field: '_label', type: 'nominal', title: 'model' }, ...detailKeys.map((k) => ({ field: k, title: k }))],
        },
      },
      {
        mark: { type: 'text', align: 'left', dx: 9, dy: -7, fontSize: 11, color: '#333' },
        encoding: { x, y, text: { field: '_label' } },
      },
    ],
  } as TopLevelSpec;
}

/** Writes the chart as `<path>.png` and `<path>.html`; returns the files. */
export async function saveBubbleChart(bubbles: readonly Bubble[], options: BubbleChartOptions, path: string): Promise<string[]> {
  const spec = bubbleSpec(bubbles, options);
  mkdirSync(dirname(path), { recursive: true });
  const files = [`${path}.png`, `${path}.html`];
  writeFileSync(files[0]!, await specToPNG(spec));
  writeFileSync(files[1]!, await specToHTML(spec, options.title ?? 'owlet chart'));
  return files;
}
