/**
 * `owlet export-web`: a static folder that classifies images in the browser, with no server:
 * index.html and its scripts (src/onnx/web/), the ONNX model, `model.json` (labels, pipeline,
 * input size) and onnxruntime-web's WebAssembly CPU backend, copied from its npm package (the
 * bundle and its .wasm, with its licence) so that nothing comes from a CDN.
 *
 * onnxruntime-web is an optional peer dependency (its WebAssembly alone is about 15 MB): owlet
 * trains and predicts without it, and export-web says how to install it when it is missing.
 */
import { copyFileSync, existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { owletVersion } from '../engine/index.js';
import type { Learner, OnnxExportOptions } from '../learner/index.js';
import { learnerToOnnx, pipelineInputSize } from './export.js';

/** The page's own files. */
const PAGE_FILES = ['index.html', 'app.js', 'preprocess.js'];
/** What the page needs of onnxruntime-web's dist/: the WebAssembly backend's bundle and its binary. */
export const ORT_WEB_FILES = ['ort.wasm.bundle.min.mjs', 'ort-wasm-simd-threaded.wasm'];

/** src/onnx/web, found from the compiled file in dist/src/onnx/ or from the source. */
export function webPageDir(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  for (const dir of [join(here, 'web'), join(here, '..', '..', '..', 'src', 'onnx', 'web')]) if (existsSync(join(dir, 'index.html'))) return dir;
  throw new Error(`owlet export-web: the page's files are missing (looked for src/onnx/web/index.html near ${here})`);
}

/** onnxruntime-web's dist/ folder and its package folder (`name`: the package), or an error that says how to install it. */
export function ortWebDist(name = 'onnxruntime-web'): { dist: string; pkg: string } {
  let entry: string;
  try {
    entry = createRequire(import.meta.url).resolve(`${name}/wasm`);
  } catch {
    throw new Error('export-web needs onnxruntime-web (an optional peer dependency of owlet: its WebAssembly is about 15 MB): install it with `npm install onnxruntime-web`');
  }
  const dist = dirname(entry);
  const missing = ORT_WEB_FILES.filter((f) => !existsSync(join(dist, f)));
  if (missing.length > 0) throw new Error(`export-web: onnxruntime-web at ${dist} lacks ${missing.join(', ')}: reinstall it with \`npm install onnxruntime-web@latest\``);
  return { dist, pkg: dirname(dist) };
}

export interface ExportWebResult {
  folder: string;
  files: string[];
  bytes: number;
}

/** What the page reads besides the model: labels, the pipeline to reproduce, the input size. */
export function pageInfo(learn: Learner, size: [number, number]): Record<string, unknown> {
  const spec = learn.modelSpec as { arch?: string } | null;
  return {
    arch: spec?.arch ?? learn.model.getName(),
    labels: [...learn.dls.vocab],
    inputSize: [3, size[0], size[1]],
    pipeline: learn.dls.pipeline,
    owletVersion: owletVersion(),
  };
}

/** Writes the page of `learn` into `folder` (made if missing; a file there of the same name is replaced). */
export function exportWeb(learn: Learner, folder: string, options: OnnxExportOptions = {}): ExportWebResult {
  if (learn.dls.pipeline?.kind !== 'image') throw new Error(`export-web: the page classifies images; this model's pipeline is '${learn.dls.pipeline?.kind ?? 'unknown'}'`);
  const { dist, pkg } = ortWebDist();
  if (existsSync(folder) && !statSync(folder).isDirectory()) throw new Error(`export-web: ${folder} is a file: give a folder to write the page into`);
  const size = options.size ?? pipelineInputSize(learn);
  if (size === null) throw new Error('exportOnnx: the pipeline resizes to no fixed size: pass the input size (owlet export-web --size HxW)');
  mkdirSync(join(folder, 'ort'), { recursive: true });
  const page = webPageDir();
  for (const f of PAGE_FILES) copyFileSync(join(page, f), join(folder, f));
  for (const f of ORT_WEB_FILES) copyFileSync(join(dist, f), join(folder, 'ort', f));
  if (existsSync(join(pkg, 'LICENSE'))) copyFileSync(join(pkg, 'LICENSE'), join(folder, 'ort', 'LICENSE'));
  writeFileSync(join(folder, 'model.onnx'), learnerToOnnx(learn, { size }));
  writeFileSync(join(folder, 'model.json'), `${JSON.stringify(pageInfo(learn, size), null, 2)}\n`);
  const files: string[] = [];
  let bytes = 0;
  const walk = (d: string, prefix: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(d, e.name), `${prefix}${e.name}/`);
      else {
        files.push(`${prefix}${e.name}`);
        bytes += statSync(join(d, e.name)).size;
      }
    }
  };
  walk(folder, '');
  return { folder, files: files.sort(), bytes };
}
