/** owlet's plots: functions, points and fits as PNG, SVG and self-contained HTML. */
export { type Figure, type FigureOptions, type Series, toVegaLite } from './figure.js';
export { plotFunction, functionSeries, scatter, linePlot, lineOverPoints, type PlotFunctionOptions, type LineSpec } from './plots.js';
export { toVega, toSVG, toPNG } from './render.js';
export { toHTML, type HtmlOptions } from './html.js';
export { savePlot, plotDir } from './save.js';
export { texToText, mathToText } from './tex.js';
export { toNumbers, type Values } from './values.js';
export { bubbleSpec, saveBubbleChart, type Bubble, type BubbleChartOptions } from './bubble.js';
export { specToSVG, specToPNG } from './render.js';
export { specToHTML } from './html.js';
