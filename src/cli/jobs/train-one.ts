/**
 * One model of `owlet train --arch a,b,c`, trained in a child process of its own: the same job as
 * `owlet train --arch a` (a folder, or the Fashion-MNIST main job), then the figures the comparison
 * table shows: the last epoch's error rate and validation loss, the time the fit took, images/s
 * (training steps and inference, measured on batches of the trained shape), the process's peak
 * memory and the exported file's size.
 */
import { statSync } from 'node:fs';
import { measureSpeed } from '../../learner/index.js';
import { createModel } from '../../models/index.js';
import { mainJob } from './main-job.js';
import { procStatusMiB } from './measure-model.js';
import { trainFolder, type TrainOptions, type TrainResult } from './train-folder.js';

/** TrainOptions as JSON (no `out`); no `data`: the Fashion-MNIST main job. */
export interface TrainOneOptions extends Omit<TrainOptions, 'data' | 'out'> {
  arch: string;
  data?: string;
  export: string;
  /** Fashion-MNIST only. */
  limit?: number;
  tta?: number;
}

export interface TrainOneResult {
  arch: string;
  family: string;
  epochs: number;
  size: number;
  bs: number;
  errorRate: number | null;
  validLoss: number | null;
  /** Fashion-MNIST: the exported model's accuracy on the 10,000 test images. */
  testAccuracy: number | null;
  /** Seconds the fit took (training and validation). */
  seconds: number;
  trainIps: number;
  inferIps: number;
  peakMiB: number;
  exportBytes: number;
  exportFile: string;
}

function lastValue(res: TrainResult, name: string): number | null {
  const rec = res.learn.recorder;
  if (rec === null) return null;
  const col = rec.metricNames.indexOf(name) - 1;
  const last = rec.values[rec.values.length - 1];
  return col >= 0 && last !== undefined ? (last[col] ?? null) : null;
}

export async function trainOne(options: TrainOneOptions): Promise<TrainOneResult> {
  let res: TrainResult;
  let testAccuracy: number | null = null;
  if (options.data !== undefined) {
    res = await trainFolder({ ...options, data: options.data });
    await res.dls.close();
  } else {
    const r = await mainJob(options);
    res = r.train;
    testAccuracy = r.testAccuracy;
  }
  const speed = measureSpeed(res.learn, { inputShape: [res.bs, 3, res.size, res.size] });
  const peakMiB = procStatusMiB('VmHWM');
  // The learner's model is the zoo model cut into body and head: its family is the zoo model's class.
  const family = (await createModel(options.arch, { numClasses: res.dls.c })).constructor.name;
  return {
    arch: options.arch, family, epochs: res.epochs, size: res.size, bs: res.bs,
    errorRate: lastValue(res, 'error_rate'), validLoss: lastValue(res, 'valid_loss'), testAccuracy,
    seconds: res.seconds, trainIps: speed.trainIps, inferIps: speed.validIps,
    peakMiB, exportBytes: statSync(options.export).size, exportFile: options.export,
  };
}
