/** `owlet export-onnx` and `owlet export-web`: an exported model as ONNX, or as a page that classifies in the browser. */
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadLearner, type Learner } from '../../learner/index.js';

import { exportLearnerOnnx, exportWeb, OnnxExportError, type ExportWebResult } from '../../onnx/index.js';
import { UserError } from '../errors.js';
import '../../vision/export.js'; // registers the image model kinds and pipeline that loadLearner rebuilds

async function load(modelFile: string): Promise<Learner> {
  const file = resolve(modelFile);
  if (!existsSync(file)) throw new UserError(`the model file ${file} does not exist (owlet train --export <file> writes one)`);
  if (statSync(file).isDirectory()) throw new UserError(`${file} is a folder: give the exported model file (.safetensors)`);
  try {
    return await loadLearner(file);
  } catch (e) {
    throw new UserError((e as Error).message, { cause: e });
  }
}

async function userErrors<T>(fn: () => T | Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof OnnxExportError || /^(export-web|exportOnnx):/.test((e as Error).message)) throw new UserError((e as Error).message, { cause: e });
    throw e;
  }
}

/** Writes `modelFile`'s model to `out` as ONNX; returns the file written. */
export async function exportOnnxFile(modelFile: string, out: string, options: { size?: [number, number] } = {}): Promise<string> {
  const learn = await load(modelFile);
  const target = resolve(out);
  if (existsSync(target) && statSync(target).isDirectory()) throw new UserError(`${target} is a folder: give the .onnx file to write`);
  return userErrors(() => exportLearnerOnnx(learn, target, options));
}

/** Writes the static page of `modelFile` into the folder `out`. */
export async function exportWebFolder(modelFile: string, out: string, options: { size?: [number, number] } = {}): Promise<ExportWebResult> {
  const learn = await load(modelFile);
  return userErrors(() => exportWeb(learn, resolve(out), options));
}
