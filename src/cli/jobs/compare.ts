/**
 * `owlet compare 'resnet*' 'convnext_*' …`: the lesson's "which image models are best?" chart,
 * measured on this machine. Each model is measured in a child process of its own (its memory figures
 * are its own; a crash or a model over the time limit is reported and the rest go on), joined with
 * timm's published ImageNet top-1 (`imagenet-top1.ts`), printed as a table, written as CSV, and drawn
 * as a bubble chart: seconds per image (log) against top-1, area ∝ input size², colour the family.
 */
import { join, resolve } from 'node:path';
import { Progress } from '../../hub/progress.js';
import { getModelEntry, imagenetTop1, IMAGENET_TOP1_SOURCE, isModel, listModels, type ImagenetTop1 } from '../../models/index.js';
import { saveBubbleChart, type Bubble, type BubbleChartOptions } from '../../plot/index.js';
import { UserError } from '../errors.js';
import type { CliPrecision } from '../recipes.js';
import { runChild } from './child-process.js';
import { fmt, formatTable, machineLine, writeCsv, type Cell } from './compare-report.js';
import type { Measurement } from './measure-model.js';

export interface CompareOptions {
  /** Model names or wildcard patterns (`timm.list_models`'s): `resnet*`, `convnext_tiny`. */
  patterns: string[];
  /** Patterns of names to leave out (timm's `exclude_filters`). */
  exclude?: string[];
  /** Input side for every model (default: the size its published top-1 was measured at, else its config's, else 224). */
  size?: number;
  /** Batch of the batched inference and of training (default 16). */
  batch?: number;
  precision?: CliPrecision;
  threads: number;
  /** Measure training too (default true). */
  train?: boolean;
  /** Seconds a model may take before its process is stopped (default 600). */
  timeout?: number;
  /** Seconds each timed phase aims for (default 2). */
  phaseSeconds?: number;
  /** Where the CSV, PNG and HTML go (default ./owlet-compare). */
  out?: string;
  /** Where the table and messages go (default stdout). */
  print?: (line: string) => void;
  /** The progress bar's stream (default stderr); mode 'off' for none. */
  progress?: { mode: 'bar' | 'lines' | 'off'; out: NodeJS.WritableStream & { isTTY?: boolean; columns?: number } };
}

export interface CompareRow {
  model: string;
  size: number;
  top1: ImagenetTop1 | undefined;
  measurement: Measurement | null;
  /** Why there is no measurement (a crash, the time limit). */
  error: string | null;
  seconds: number;
}

export interface CompareResult {
  rows: CompareRow[];
  files: string[];
}

/** The zoo's names that the patterns match, in the patterns' order, each once; a pattern that matches nothing is an error. */
export function matchModels(patterns: readonly string[], exclude: readonly string[] = []): string[] {
  if (patterns.length === 0) throw new UserError('name the models to compare: owlet compare \'resnet*\' \'convnext_*\' (`owlet models` lists them)');
  const names: string[] = [];
  for (const p of patterns) {
    const found = p.includes('.') && isModel(p) ? [p] : listModels(p, { exclude: [...exclude] });
    if (found.length === 0) throw new UserError(`no model of the zoo matches '${p}': \`owlet models\` lists them (wildcards: 'resnet*', 'convnext_*')`);
    for (const n of found) if (!names.includes(n)) names.push(n);
  }
  return names;
}

/** The size a model is measured at: the option, else its top-1's evaluation size, else its config's, else 224. */
function sizeFor(model: string, top1: ImagenetTop1 | undefined, size: number | undefined): number {
  return size ?? top1?.imgSize ?? getModelEntry(model).cfg?.inputSize[1] ?? 224;
}

const HEADER = ['model', 'family', 'params (M)', 'GMACs', 'px', 'img/s bs1', 'img/s bs{b}', 'train img/s', 'peak MiB', 'top-1', 'top-1 of', 'status'];

/** An error in a table cell: its first line, cut to 90 characters (the CSV has it whole). */
const short = (e: string) => {
  const line = e.split('\n')[0]!;
  return line.length > 90 ? `${line.slice(0, 89)}…` : line;
};
const top1Of = (t: ImagenetTop1 | undefined) => (t ? `${t.model} @${t.imgSize}` : 'no published top-1');

function tableRow(r: CompareRow): string[] {
  const m = r.measurement;
  if (m === null) return [r.model, '', '', '', String(r.size), '', '', '', '', fmt(r.top1?.top1, 2), top1Of(r.top1), short(r.error ?? 'failed')];
  return [
    r.model, m.family, fmt(m.params / 1e6, 2), fmt(m.macs / 1e9, m.macs < 1e8 ? 4 : 2), String(m.size), fmt(m.inferIps1, m.inferIps1 < 10 ? 2 : 1), fmt(m.inferIps, m.inferIps < 10 ? 2 : 1),
    fmt(m.trainIps, (m.trainIps ?? 0) < 10 ? 2 : 1), fmt(m.peakMiB, 0), fmt(r.top1?.top1, 2), top1Of(r.top1), 'ok',
  ];
}

const CSV_HEADER = [
  'model', 'family', 'status', 'error', 'size', 'batch', 'precision', 'threads', 'params', 'gmacs', 'infer_ips_bs1', 'infer_ips',
  'seconds_per_image', 'train_ips', 'peak_mib', 'base_mib', 'top1', 'top1_model', 'top1_img_size', 'seconds',
];

function csvRow(r: CompareRow): Cell[] {
  const m = r.measurement;
  return [
    r.model, m?.family ?? null, m ? 'ok' : 'failed', r.error, r.size, m?.batch ?? null, m?.precision ?? null, m?.threads ?? null,
    m?.params ?? null, m ? m.macs / 1e9 : null, m?.inferIps1 ?? null, m?.inferIps ?? null, m ? 1 / m.inferIps : null, m?.trainIps ?? null,
    m?.peakMiB ?? null, m?.baseMiB ?? null, r.top1?.top1 ?? null, r.top1?.model ?? null, r.top1?.imgSize ?? null, Number(r.seconds.toFixed(1)),
  ];
}

/** The chart's titles and legends. */
export function compareChartOptions(batch: number, precision: string, threads: number): BubbleChartOptions {
  return {
    title: `Which image models are best? Measured on ${machineLine(threads)}`,
    xlabel: `seconds per image (inference, batch ${batch}, ${precision}; log scale)`,
    ylabel: 'ImageNet top-1 (%, timm\'s published)',
    groupTitle: 'family', areaTitle: 'input size', areaLabelExpr: "format(sqrt(datum.value), '.0f') + ' px'",
  };
}

/** A row's bubble: seconds per image (batched inference) against top-1; none without a measurement or a published top-1. */
export function bubble(r: CompareRow): Bubble | null {
  const m = r.measurement;
  if (m === null || r.top1 === undefined) return null;
  return {
    label: r.model, group: m.family, x: 1 / m.inferIps, y: r.top1.top1, area: m.size * m.size,
    details: {
      'seconds/image': Number((1 / m.inferIps).toPrecision(3)), 'img/s bs1': Number(m.inferIps1.toFixed(1)), [`img/s bs${m.batch}`]: Number(m.inferIps.toFixed(1)),
      'train img/s': m.trainIps === null ? '—' : Number(m.trainIps.toFixed(1)), 'top-1 (%)': r.top1.top1, 'top-1 of': r.top1.model,
      'params (M)': Number((m.params / 1e6).toFixed(2)), GMACs: Number((m.macs / 1e9).toFixed(2)), 'input (px)': m.size, 'peak MiB': Math.round(m.peakMiB),
    },
  };
}

export async function compareModels(options: CompareOptions): Promise<CompareResult> {
  const print = options.print ?? ((line: string) => process.stdout.write(`${line}\n`));
  const models = matchModels(options.patterns, options.exclude);
  const batch = options.batch ?? 16;
  const precision = options.precision ?? 'fp32';
  const timeout = options.timeout ?? 600;
  const out = resolve(options.out ?? 'owlet-compare');
  const progressOut = options.progress?.out ?? process.stderr;
  const bar = new Progress('compare', { mode: options.progress?.mode ?? (progressOut.isTTY ? 'bar' : 'lines'), out: progressOut, total: models.length, unit: 'models', lineEveryMs: 60_000 });
  print(`measuring ${models.length} model${models.length > 1 ? 's' : ''} on ${machineLine(options.threads)}, ${precision}, batch 1 and ${batch}${options.train === false ? '' : ', training at batch ' + batch}; each in its own process, at most ${timeout} s each`);
  const rows: CompareRow[] = [];
  for (const [i, model] of models.entries()) {
    const top1 = imagenetTop1(model);
    const size = sizeFor(model, top1, options.size);
    bar.label = `${model} @${size}px`;
    bar.set(i);
    const tick = setInterval(() => bar.set(i), 1000);
    const outcome = await runChild<Measurement>({
      kind: 'measure', threads: options.threads,
      options: { model, size, batch, precision, train: options.train ?? true, ...(options.phaseSeconds !== undefined ? { phaseSeconds: options.phaseSeconds } : {}) },
    }, { timeoutSeconds: timeout, quiet: true });
    clearInterval(tick);
    const row: CompareRow = outcome.ok
      ? { model, size, top1, measurement: outcome.result, error: null, seconds: outcome.seconds }
      : { model, size, top1, measurement: null, error: outcome.timedOut ? `timed out (over ${timeout} s)` : `failed: ${outcome.error}`, seconds: outcome.seconds };
    rows.push(row);
    bar.set(i + 1);
    bar.note(row.measurement ? `  ${model}: ${fmt(row.measurement.inferIps)} img/s at batch ${batch} (${outcome.seconds.toFixed(0)} s)` : `  ${model}: ${row.error}`);
  }
  bar.finish();
  print('');
  for (const line of formatTable(HEADER.map((h) => h.replace('{b}', String(batch))), rows.map(tableRow))) print(line);
  const csv = join(out, 'compare.csv');
  writeCsv(csv, CSV_HEADER, rows.map(csvRow));
  const bubbles = rows.map(bubble).filter((b): b is Bubble => b !== null);
  const chart = await saveBubbleChart(bubbles, compareChartOptions(batch, precision, options.threads), join(out, 'compare'));
  const left = rows.length - bubbles.length;
  print(`\ntop-1: ${IMAGENET_TOP1_SOURCE}${left > 0 ? `; ${left} model${left > 1 ? 's' : ''} not on the chart (failed or no published top-1)` : ''}`);
  print(`wrote ${[csv, ...chart].join(', ')}`);
  return { rows, files: [csv, ...chart] };
}
