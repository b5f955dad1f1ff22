/**
 * One model measured on this machine, as `owlet compare` reports it: parameters, multiply-adds,
 * inference images/s at batch 1 and at the batch size, training images/s (forward, loss, backward
 * and an SGD step), and the process's peak memory. Meant to run alone in its own process
 * (`measure-child.ts`), so that the peak is this model's. The weights are the model's initial ones
 * (speed does not depend on them, and nothing is downloaded).
 */
import { readFileSync } from 'node:fs';
import { autocast, getNumThreads, manualSeed, noGrad, randint, randn, tidy, type Tensor } from '../../engine/index.js';
import { resolvePrecision } from '../../learner/index.js';
import { createModel, getModelEntry } from '../../models/index.js';
import { countMacs, functional as F } from '../../nn/index.js';
import { SGD } from '../../optim/index.js';
import type { CliPrecision } from '../recipes.js';

export interface MeasureOptions {
  model: string;
  /** Input side in pixels. */
  size: number;
  /** The batch size of the batched inference and of training. */
  batch: number;
  precision: CliPrecision;
  /** Measure training too (default true). */
  train?: boolean;
  /** Seconds each timed phase aims for (at least `minRuns` runs, at most `maxRuns`). Default 2. */
  phaseSeconds?: number;
  minRuns?: number;
  maxRuns?: number;
}

export interface Measurement {
  model: string;
  /** The model's class: what the chart colours by. */
  family: string;
  size: number;
  batch: number;
  /** What it ran in: 'float32' or 'bfloat16 autocast, channels-last'. */
  precision: string;
  threads: number;
  params: number;
  /** Multiply-adds of one image's forward pass. */
  macs: number;
  /** Inference images/s at batch 1 and at `batch`. */
  inferIps1: number;
  inferIps: number;
  /** Training images/s at `batch` (null: not measured). */
  trainIps: number | null;
  /** Resident memory when the model was made (the process's own: node, libtorch) and its high-water mark at the end, in MiB. */
  baseMiB: number;
  peakMiB: number;
}

/** A line of /proc/self/status in MiB (VmRSS, VmHWM); NaN where there is no /proc. */
export function procStatusMiB(field: 'VmRSS' | 'VmHWM'): number {
  try {
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync('/proc/self/status', 'utf8'));
    return m ? Number(m[1]) / 1024 : NaN;
  } catch {
    return NaN;
  }
}

/** The median seconds of one call of `f`: runs it until `seconds` have passed, at least `minRuns` and at most `maxRuns` times. */
function timeRuns(f: () => void, seconds: number, minRuns: number, maxRuns: number): number {
  const each: number[] = [];
  let total = 0;
  while (each.length < maxRuns && (each.length < minRuns || total < seconds)) {
    const t0 = performance.now();
    f();
    const s = (performance.now() - t0) / 1000;
    each.push(s);
    total += s;
  }
  return each.sort((a, b) => a - b)[each.length >> 1]!;
}

export async function measureModel(options: MeasureOptions): Promise<Measurement> {
  const { size, batch, precision } = options;
  const phase = options.phaseSeconds ?? 2;
  const minRuns = options.minRuns ?? 3;
  const maxRuns = options.maxRuns ?? 30;
  const mp = resolvePrecision(precision, 'cpu');
  const baseMiB = procStatusMiB('VmRSS');
  manualSeed(0);
  const { architecture } = getModelEntry(options.model);
  const model = await createModel(options.model);
  const memoryFormat = mp?.channelsLast ? 'channelsLast' : 'contiguous';
  if (mp?.channelsLast) model.to({ memoryFormat: 'channelsLast' });
  const input = (n: number): Tensor => {
    const x = randn([n, 3, size, size]);
    return mp?.channelsLast ? x.contiguous(memoryFormat) : x;
  };
  const withPrecision = <T>(f: () => T): T => (mp !== null ? autocast(mp.device, f, { dtype: mp.dtype }) : f());
  const params = model.parameters().reduce((n, p) => n + p.numel(), 0);
  model.eval();
  const x1 = input(1);
  const macs = countMacs(model, x1).total;
  // Each run's tensors are released at its end (tidy), as a training loop or the server does: left
  // to the garbage collector, they pile up and every run pays for fresh memory (efficientnet_b0
  // measured 22 images/s that way, 37 with them released).
  const infer = (x: Tensor) => () => tidy(() => noGrad(() => withPrecision(() => model.call(x).dispose())));
  timeRuns(infer(x1), 0, 2, 2);
  const inferIps1 = 1 / timeRuns(infer(x1), phase, minRuns, maxRuns);
  const xb = input(batch);
  timeRuns(infer(xb), 0, 1, 1);
  const inferIps = batch / timeRuns(infer(xb), phase, minRuns, maxRuns);
  let trainIps: number | null = null;
  if (options.train ?? true) {
    model.train();
    const y = randint(0, model.numClasses, [batch], { dtype: 'int64' });
    const opt = SGD(model.parameters(), { lr: 1e-3, mom: 0.9 });
    const step = () => {
      const loss = withPrecision(() => F.crossEntropy(model.call(xb).float(), y));
      loss.backward();
      opt.step();
      opt.zeroGrad();
      loss.dispose();
    };
    timeRuns(step, 0, 1, 1); // outside tidy: the optimizer's state is made here and must stay
    trainIps = batch / timeRuns(() => tidy(step), phase, Math.min(minRuns, 2), maxRuns);
  }
  return {
    model: architecture, family: model.constructor.name, size, batch,
    precision: mp === null ? 'float32' : `${mp.dtype} autocast${mp.channelsLast ? ', channels-last' : ''}`,
    threads: getNumThreads(), params, macs, inferIps1, inferIps, trainIps, baseMiB, peakMiB: procStatusMiB('VmHWM'),
  };
}
