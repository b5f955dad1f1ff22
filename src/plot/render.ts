/** A figure drawn as SVG by Vega (no browser needed), and as PNG by sharp (libvips). */
import sharp from 'sharp';
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { toVegaLite, type Figure } from './figure.js';
import { installTextMetrics } from './text-width.js';

installTextMetrics();

/** The figure as a Vega specification (what the HTML page's Vega runtime draws). */
export function toVega(fig: Figure): vega.Spec {
  return compile(toVegaLite(fig)).spec;
}

/** The figure as an SVG document; `scale` multiplies its pixel size. */
export async function toSVG(fig: Figure, scale = 1): Promise<string> {
  return specToSVG(toVegaLite(fig), scale);
}

/** Any Vega-Lite specification as an SVG document (the charts that are not a Figure: bubble.ts). */
export async function specToSVG(spec: TopLevelSpec, scale = 1): Promise<string> {
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG(scale);
  } finally {
    view.finalize();
  }
}

/** The figure as PNG bytes, drawn at `scale` times its size (2 by default, for sharp text). */
export async function toPNG(fig: Figure, scale = 2): Promise<Buffer> {
  return specToPNG(toVegaLite(fig), scale);
}

/** Any Vega-Lite specification as PNG bytes. */
export async function specToPNG(spec: TopLevelSpec, scale = 2): Promise<Buffer> {
  const svg = await specToSVG(spec, scale);
  return sharp(Buffer.from(svg)).png().toBuffer();
}
