/** Writing figures to files: PNG for the terminal and README, HTML for the browser. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, extname, join } from 'node:path';
import type { Figure } from './figure.js';
import { toHTML } from './html.js';
import { toPNG, toSVG } from './render.js';

/** Where examples write their plots: $OWLET_PLOTS, or ./plots. */
export function plotDir(...sub: string[]): string {
  return join(process.env['OWLET_PLOTS'] || 'plots', ...sub);
}

/**
 * Writes the figure. With an extension (.png, .svg, .html) writes that one file; without one writes
 * `<path>.png` and `<path>.html`. Returns the files written.
 */
export async function savePlot(fig: Figure, path: string): Promise<string[]> {
  const ext = extname(path).toLowerCase();
  const targets = ext === '.png' || ext === '.svg' || ext === '.html' ? [path] : [`${path}.png`, `${path}.html`];
  mkdirSync(dirname(path), { recursive: true });
  for (const file of targets) {
    if (file.endsWith('.png')) writeFileSync(file, await toPNG(fig));
    else if (file.endsWith('.svg')) writeFileSync(file, await toSVG(fig));
    else writeFileSync(file, await toHTML(fig));
  }
  return targets;
}
