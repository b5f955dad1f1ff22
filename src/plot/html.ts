/**
 * A figure as a self-contained HTML page: the SVG drawn in Node shows at once, and Vega's runtime,
 * inlined, takes over to add zooming, panning (drag, wheel; double-click resets) and tooltips. Nothing
 * is fetched, so the page works offline and from a file.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { compile, type TopLevelSpec } from 'vega-lite';
import { toVegaLite, type Figure } from './figure.js';
import { specToSVG } from './render.js';
import { texToText } from './tex.js';

let vegaRuntime: string | undefined;

/** Vega's browser build (read once), made safe to inline in a <script>. */
export function vegaScript(): string {
  if (vegaRuntime === undefined) {
    const file = createRequire(import.meta.url).resolve('vega/build/vega.min.js');
    vegaRuntime = readFileSync(file, 'utf8').replace(/<\/(script)/gi, '<\\/$1').replace(/<!--/g, '<\\!--');
  }
  return vegaRuntime;
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** JSON safe inside a <script> element. */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

export interface HtmlOptions {
  /** Inline Vega's runtime for zoom, pan and tooltips (about 500 kB); false gives the static SVG only. */
  interactive?: boolean;
}

export async function toHTML(fig: Figure, options: HtmlOptions = {}): Promise<string> {
  return specToHTML(toVegaLite(fig), fig.title ? texToText(fig.title) : 'owlet plot', options);
}

/** Any Vega-Lite specification as the same self-contained page (the charts that are not a Figure: bubble.ts). */
export async function specToHTML(spec: TopLevelSpec, title: string, options: HtmlOptions = {}): Promise<string> {
  const interactive = options.interactive ?? true;
  const svg = await specToSVG(spec);
  const script = interactive
    ? `<script>${vegaScript()}</script>
<script>
(function () {
  var spec = ${scriptJson(compile(spec).spec)};
  var view = new vega.View(vega.parse(spec), { renderer: 'svg', container: '#plot', hover: true });
  view.runAsync().then(function () {
    document.getElementById('plot').setAttribute('data-rendered', 'vega');
  }).catch(function (e) { console.error(e); });
})();
</script>`
    : '';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>
  body { font-family: "DejaVu Sans", Helvetica, Arial, sans-serif; margin: 24px; color: #222; }
  #plot svg { max-width: 100%; height: auto; }
  .hint { color: #777; font-size: 13px; }
</style>
</head>
<body>
<div id="plot">${svg}</div>
${interactive ? '<p class="hint">Drag to pan, scroll to zoom, double-click to reset; hover a point for its values.</p>' : ''}
${script}
</body>
</html>
`;
}
