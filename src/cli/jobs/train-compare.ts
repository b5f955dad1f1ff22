/**
 * `owlet train --arch resnet34,convnext_tiny,…`: the lesson's side-by-side run. Every model is
 * trained on the same split with the same seed and schedule (the same job `owlet train --arch a`
 * runs, each in a child process of its own so that its peak memory is its own), then one table side
 * by side, a CSV, and the chart of the measured error against seconds per image.
 */
import { join, resolve } from 'node:path';
import { isModel } from '../../models/index.js';
import { saveBubbleChart, type Bubble } from '../../plot/index.js';
import { UserError } from '../errors.js';
import { FOLDER_RECIPE, MAIN_JOB_RECIPES } from '../recipes.js';
import { formatDuration } from '../plan.js';
import { runChild } from './child-process.js';
import { fmt, formatTable, machineLine, writeCsv, type Cell } from './compare-report.js';
import type { TrainOneOptions, TrainOneResult } from './train-one.js';

export interface TrainCompareOptions extends Omit<TrainOneOptions, 'arch' | 'export'> {
  archs: string[];
  threads: number;
  /** Where the exports, CSV, PNG and HTML go (default ./owlet-compare). */
  out?: string;
  /** Seconds a model may take before its process is stopped (default: no limit). */
  timeout?: number;
  print?: (line: string) => void;
}

export interface TrainCompareRow {
  arch: string;
  result: TrainOneResult | null;
  error: string | null;
  seconds: number;
}

/** The models of `--arch a,b,c`: each a model of the zoo, each once. */
export function parseArchList(list: string): string[] {
  const archs = [...new Set(list.split(',').map((a) => a.trim()).filter((a) => a !== ''))];
  const unknown = archs.filter((a) => !isModel(a));
  if (unknown.length > 0) throw new UserError(`no model ${unknown.map((a) => `'${a}'`).join(', ')} in the zoo: \`owlet models\` lists them (resnet18, resnet34, convnext_tiny, small_cnn, …)`);
  if (archs.length === 0) throw new UserError('--arch: name one model or more, separated by commas: --arch resnet34,convnext_tiny');
  return archs;
}

const pct = (v: number | null) => (v === null ? null : v * 100);

export async function trainCompare(options: TrainCompareOptions): Promise<{ rows: TrainCompareRow[]; files: string[] }> {
  const print = options.print ?? ((line: string) => process.stdout.write(`${line}\n`));
  const { archs, threads, timeout, print: _print, out: _out, ...shared } = options;
  if (shared.budget !== undefined) throw new UserError('--budget cannot be used with several models: a comparison trains each for the same epochs (pass --epochs)');
  const fashion = shared.data === undefined;
  if (!fashion && shared.limit !== undefined) throw new UserError('--limit is for the Fashion-MNIST job (no --data)');
  if (!fashion && shared.tta !== undefined) throw new UserError('--tta is for the Fashion-MNIST job (no --data)');
  const epochs = shared.epochs ?? (fashion ? MAIN_JOB_RECIPES[0]!.epochs : FOLDER_RECIPE.epochs);
  const out = resolve(options.out ?? 'owlet-compare');
  print(`comparing ${archs.join(', ')} on ${fashion ? 'Fashion-MNIST' : resolve(shared.data!)}: the same split (seed ${shared.seed ?? 42}), ${epochs} epoch${epochs > 1 ? 's' : ''} each, each in its own process; results in ${out}`);
  const rows: TrainCompareRow[] = [];
  for (const [i, arch] of archs.entries()) {
    print(`\n── ${arch} (${i + 1}/${archs.length}) ──`);
    const outcome = await runChild<TrainOneResult>({ kind: 'train', threads, options: { ...shared, arch, epochs, export: join(out, `${arch}.safetensors`) } },
      timeout !== undefined ? { timeoutSeconds: timeout } : {});
    rows.push(outcome.ok
      ? { arch, result: outcome.result, error: null, seconds: outcome.seconds }
      : { arch, result: null, error: outcome.timedOut ? `timed out (over ${timeout} s)` : `failed: ${outcome.error}`, seconds: outcome.seconds });
  }
  const header = ['model', 'family', 'epochs', 'error rate', 'valid loss', ...(fashion ? ['test acc'] : []), 'train time', 'train img/s', 'infer img/s', 'peak MiB', 'export MB'];
  const table = rows.map((r) => {
    const m = r.result;
    if (m === null) return [r.arch, r.error ?? 'failed'];
    return [
      r.arch, m.family, String(m.epochs), fmt(m.errorRate, 4), fmt(m.validLoss, 4), ...(fashion ? [fmt(m.testAccuracy, 4)] : []),
      formatDuration(m.seconds), fmt(m.trainIps), fmt(m.inferIps), fmt(m.peakMiB, 0), fmt(m.exportBytes / 1e6, 1),
    ];
  });
  print('');
  for (const line of formatTable(header, table)) print(line);
  const csv = join(out, 'compare.csv');
  writeCsv(csv, ['model', 'family', 'status', 'error', 'epochs', 'size', 'batch', 'error_rate', 'valid_loss', 'test_accuracy', 'train_seconds', 'train_ips', 'infer_ips', 'peak_mib', 'export_bytes'],
    rows.map((r): Cell[] => {
      const m = r.result;
      return [r.arch, m?.family ?? null, m ? 'ok' : 'failed', r.error, m?.epochs ?? null, m?.size ?? null, m?.bs ?? null, m?.errorRate ?? null, m?.validLoss ?? null,
        m?.testAccuracy ?? null, m?.seconds ?? null, m?.trainIps ?? null, m?.inferIps ?? null, m?.peakMiB ?? null, m?.exportBytes ?? null];
    }));
  const bubbles = rows.flatMap((r): Bubble[] => {
    const m = r.result;
    if (m === null || m.errorRate === null) return [];
    return [{
      label: r.arch, group: m.family, x: 1 / m.inferIps, y: pct(m.errorRate)!, area: m.size * m.size,
      details: {
        'error rate (%)': Number(pct(m.errorRate)!.toFixed(2)), 'valid loss': Number((m.validLoss ?? NaN).toFixed(4)), 'seconds/image': Number((1 / m.inferIps).toPrecision(3)),
        'train img/s': Number(m.trainIps.toFixed(1)), 'train time': formatDuration(m.seconds), 'peak MiB': Math.round(m.peakMiB), 'export MB': Number((m.exportBytes / 1e6).toFixed(1)), 'input (px)': m.size,
      },
    }];
  });
  const chart = await saveBubbleChart(bubbles, {
    title: `${fashion ? 'Fashion-MNIST' : 'Your data'}: error against speed, measured on ${machineLine(threads)}`,
    xlabel: 'seconds per image (inference at the training batch size; log scale)',
    ylabel: 'error rate on the validation set (%, lower is better)',
    groupTitle: 'family', areaTitle: 'input size', areaLabelExpr: "format(sqrt(datum.value), '.0f') + ' px'",
  }, join(out, 'compare'));
  print(`\nwrote ${[csv, ...chart].join(', ')}; the models: ${join(out, '<arch>.safetensors')}`);
  return { rows, files: [csv, ...chart] };
}
