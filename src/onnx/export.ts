/**
 * Writing a model as ONNX from owlet's own module tree: opset 17 and IR version 8, which every
 * onnxruntime from 1.14 on loads. The graph is the model in evaluation mode (BatchNorm with its
 * running statistics, dropout off), its weights as float32 initializers named by their paths, one
 * input `input` [batch, 3, h, w] with a dynamic batch, and the outputs `logits` and, for a
 * classifier, `probs` (its softmax). A learner's file carries in its metadata what a caller needs
 * to prepare images and read the answer: the labels, mean and std, the input size, the
 * architecture, the pipeline and owlet's version.
 */
import { writeFileSync } from 'node:fs';
import { owletVersion } from '../engine/index.js';
import type { Learner, OnnxExportOptions } from '../learner/index.js';
import type { AnyModule } from '../nn/index.js';
import './converters/index.js';
import { OnnxGraph, type Dim } from './graph.js';
import { onnxType } from './onnx-proto.js';
import { convertModule } from './registry.js';

export const ONNX_OPSET = 17;
export const ONNX_IR_VERSION = 8;

export interface ModelToOnnxOptions {
  /** The input's [channels, height, width]; a string names a dynamic dimension. */
  inputShape: readonly [Dim, Dim, Dim];
  /** The output's activation, written as the `probs` output (default: none). */
  activation?: 'softmax' | 'sigmoid' | null;
  /** Metadata, as `metadata_props` (key → string). */
  metadata?: Record<string, string>;
  /** The graph's name (default: the model's class name). */
  name?: string;
}

/** The bytes of the ONNX model of `model` (see the module's notes). */
export function modelToOnnx(model: AnyModule, options: ModelToOnnxOptions): Uint8Array {
  const g = new OnnxGraph();
  const x = g.input('input', ['batch', ...options.inputShape]);
  const logits = convertModule(g, model, '', x);
  if (g.rank(logits) !== 2) throw new Error(`ONNX export: the model's output has rank ${g.rank(logits)}; a classifier's [batch, classes] was expected`);
  g.output(logits, 'logits', ['batch', 'classes']);
  const act = options.activation ?? null;
  if (act !== null) g.output(g.node(act === 'softmax' ? 'Softmax' : 'Sigmoid', [logits], act === 'softmax' ? { axis: { i: -1 } } : {}, { hint: 'probs_' }), 'probs', ['batch', 'classes']);
  const proto = {
    ir_version: ONNX_IR_VERSION,
    opset_import: [{ domain: '', version: ONNX_OPSET }],
    producer_name: 'owlet',
    producer_version: owletVersion(),
    graph: { name: options.name ?? model.getName(), node: g.nodes, initializer: g.initializers, input: g.inputs, output: g.outputs },
    metadata_props: Object.entries(options.metadata ?? {}).map(([key, value]) => ({ key, value })),
  };
  const type = onnxType('ModelProto');
  return type.encode(type.fromObject(proto)).finish();
}

/** The [height, width] images are brought to: the batch resize's size, else the item transform's. */
export function pipelineInputSize(learn: Learner): [number, number] | null {
  const p = learn.dls.pipeline;
  const size = p?.batchResize?.size ?? p?.size ?? (p?.['itemTfm'] as { size?: [number, number] } | undefined)?.size;
  return size ? [size[0], size[1]] : null;
}

/** What a learner's ONNX file records in its metadata (all values strings; JSON where structured). */
export function onnxMetadata(learn: Learner, size: [number, number]): Record<string, string> {
  const p = learn.dls.pipeline;
  const spec = learn.modelSpec as { arch?: string } | null;
  const meta: Record<string, string> = {
    format: 'owlet.onnx',
    owlet_version: owletVersion(),
    arch: spec?.arch ?? learn.model.getName(),
    labels: JSON.stringify([...learn.dls.vocab]),
    input_size: JSON.stringify([3, size[0], size[1]]),
  };
  if (p?.mean && p.std) {
    meta['mean'] = JSON.stringify(p.mean);
    meta['std'] = JSON.stringify(p.std);
  }
  if (p) meta['pipeline'] = JSON.stringify(p);
  return meta;
}

/** The ONNX bytes of a learner's model, with its metadata. */
export function learnerToOnnx(learn: Learner, options: OnnxExportOptions = {}): Uint8Array {
  const size = options.size ?? pipelineInputSize(learn);
  if (size === null) throw new Error('exportOnnx: the pipeline resizes to no fixed size: pass the input size, exportOnnx(file, {size: [height, width]}) (owlet export-onnx --size)');
  const lossName = learn.lossFunc.lossName;
  const activation = lossName === undefined || /CrossEntropy/.test(lossName) ? 'softmax' : /BCE/.test(lossName) ? 'sigmoid' : null;
  return modelToOnnx(learn.model, { inputShape: [3, size[0], size[1]], activation, metadata: onnxMetadata(learn, size) });
}

/** Writes `learn`'s model to `file` as ONNX (what `learn.exportOnnx` does). Returns the file. */
export function exportLearnerOnnx(learn: Learner, file: string, options: OnnxExportOptions = {}): string {
  writeFileSync(file, learnerToOnnx(learn, options));
  return file;
}
