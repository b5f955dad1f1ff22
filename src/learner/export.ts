/**
 * Exporting a trained learner to one file, and reading it back.
 *
 * The file is safetensors: the model's state (weights and BatchNorm statistics) as tensors, and as
 * `__metadata__` JSON strings what is needed to rebuild and use the model — the format and its
 * version, owlet's version, the model spec (its kind and what that kind rebuilds it from), the
 * vocabulary, the input pipeline and the loss (for the activation) — plus a sha256 over all of it.
 * Reading takes data only: the model is rebuilt by the code registered for its kind
 * (export-kinds.ts; no code, no pickle in the file), and a truncated, altered or foreign file gets
 * an error that says which it is. `loadLearner` (load.ts) makes a Learner of what is read.
 */
import { createHash } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { noGrad, owletVersion, type Tensor } from '../engine/index.js';
import type { InputPipeline } from '../data/types.js';
import { readSafetensors, saveSafetensors, SafetensorsError } from '../io/index.js';
import type { ModelSpec } from './export-kinds.js';
import type { Learner } from './learner.js';
import type { LossFunc } from './loss.js';
import { isRankZero } from './distributed.js';

export const EXPORT_FORMAT = 'owlet.learner';
export const EXPORT_FORMAT_VERSION = 1;

/** The metadata keys of an export. */
const KEYS = ['format', 'format_version', 'owlet_version', 'model', 'vocab', 'pipeline', 'loss'] as const;

/** sha256 over the metadata (but the checksum itself) and every tensor's name, dtype, shape and bytes, in name order. */
function digest(tensors: Map<string, Tensor>, metadata: Record<string, string>): string {
  const h = createHash('sha256');
  for (const k of Object.keys(metadata).sort()) {
    if (k === 'sha256') continue;
    h.update(`${k}\0${metadata[k]}\0`);
  }
  for (const name of [...tensors.keys()].sort()) {
    let t = tensors.get(name)!;
    if (t.device !== 'cpu') t = t.cpu();
    if (!t.isContiguous()) t = t.contiguous();
    h.update(`${name}\0${t.dtype}\0${JSON.stringify(t.shape)}\0`);
    if (t.numel() > 0) {
      const v = t.dataView();
      h.update(new Uint8Array(v.buffer, v.byteOffset, v.byteLength));
    }
  }
  return h.digest('hex');
}

function lossSpec(loss: LossFunc): { name: string } {
  return { name: loss.lossName ?? 'custom' };
}

/** Writes `learn` to `file` (see the module's notes). Returns the file. */
export function exportLearner(learn: Learner, file: string): string {
  if (!isRankZero()) return file; // data-parallel: rank 0 writes
  const custom = { kind: 'custom', name: learn.model.getName() };
  const spec: ModelSpec = learn.modelSpec ?? custom;
  const tensors = new Map<string, Tensor>();
  noGrad(() => {
    for (const [k, v] of learn.model.stateDict()) tensors.set(k, v.device === 'cpu' ? v.contiguous() : v.cpu().contiguous());
  });
  const metadata: Record<string, string> = {
    format: EXPORT_FORMAT,
    format_version: String(EXPORT_FORMAT_VERSION),
    owlet_version: owletVersion(),
    model: JSON.stringify(spec),
    vocab: JSON.stringify([...learn.dls.vocab]),
    pipeline: JSON.stringify(learn.dls.pipeline ?? { kind: 'tabular' }),
    loss: JSON.stringify(lossSpec(learn.lossFunc)),
  };
  metadata['sha256'] = digest(tensors, metadata);
  saveSafetensors(file, tensors, metadata);
  return file;
}

/** An export's contents, checked. */
export interface ExportContents {
  tensors: Map<string, Tensor>;
  spec: ModelSpec;
  vocab: string[];
  pipeline: InputPipeline;
  loss: { name: string };
}

/** Throws the error of an export that cannot be loaded, naming the file. */
export function failExport(file: string, problem: string): never {
  throw new Error(`${file}: cannot load this model: ${problem}`);
}

function parseJson<T>(file: string, metadata: Record<string, string>, key: string): T {
  const text = metadata[key];
  if (text === undefined) failExport(file, `its metadata has no '${key}' (the file is damaged or was not written by learn.export)`);
  try {
    return JSON.parse(text) as T;
  } catch (e) {
    failExport(file, `its '${key}' metadata is not valid JSON (${(e as Error).message}): the file is damaged`);
  }
}

/** Reads an export: checks that it is one, its format version, its checksum, and parses its metadata. */
export function readExport(file: string): ExportContents {
  function fail(problem: string): never {
    failExport(file, problem);
  }
  if (!existsSync(file)) throw new Error(`${file}: no such file`);
  if (statSync(file).isDirectory()) throw new Error(`${file}: is a directory, not an exported model`);
  let contents: ReturnType<typeof readSafetensors>;
  try {
    contents = readSafetensors(file);
  } catch (e) {
    if (e instanceof SafetensorsError) fail(`${e.problem}${/truncat|short|end of|beyond/i.test(e.problem) ? ' (the file is truncated: export it again or copy it whole)' : ''}`);
    throw e;
  }
  const { tensors, metadata } = contents;
  if (metadata['format'] !== EXPORT_FORMAT) {
    if (metadata['owlet.kind'] === 'checkpoint') fail('it is a training checkpoint (learn.save), not an export: load it into a learner with learn.load()');
    fail('it is a safetensors file but not an owlet export (no owlet metadata): plain weights load with model.loadStateDict(loadSafetensorsFile(file))');
  }
  const version = Number(metadata['format_version']);
  if (!Number.isInteger(version) || version < 1) fail(`its format version '${metadata['format_version']}' is not valid: the file is damaged`);
  if (version > EXPORT_FORMAT_VERSION)
    fail(`it was exported by owlet ${metadata['owlet_version'] ?? '?'} in format version ${version}; this owlet (${owletVersion()}) reads up to version ${EXPORT_FORMAT_VERSION}: update owlet`);
  for (const k of KEYS) if (metadata[k] === undefined) fail(`its metadata has no '${k}': the file is damaged or was altered`);
  const expected = metadata['sha256'];
  if (expected === undefined) fail('it has no checksum (sha256): the file was altered or not written by learn.export');
  const actual = digest(tensors, metadata);
  if (actual !== expected) fail(`its checksum does not match (expected sha256 ${expected.slice(0, 12)}…, got ${actual.slice(0, 12)}…): the file was altered or damaged after export`);

  const spec = parseJson<ModelSpec>(file, metadata, 'model');
  const vocab = parseJson<string[]>(file, metadata, 'vocab');
  const pipeline = parseJson<InputPipeline>(file, metadata, 'pipeline');
  const loss = parseJson<{ name: string }>(file, metadata, 'loss');
  if (!Array.isArray(vocab) || vocab.some((v) => typeof v !== 'string')) fail('its vocabulary is not a list of strings');
  return { tensors, spec, vocab, pipeline, loss };
}
