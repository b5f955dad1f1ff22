/**
 * What an export can hold, by kind: the learner's export format knows no domain, so each domain
 * registers its own (src/vision/export.ts registers the vision model and the image pipeline).
 *
 * - A model kind rebuilds a module from the spec recorded in the file (`{kind: 'vision', arch, …}`);
 *   `loadLearner` then loads the file's weights into it. 'custom' is built in: the user passes the
 *   module, as owlet cannot rebuild a model it did not make.
 * - An input pipeline kind turns raw inputs (an image path, a buffer, …) into model inputs for
 *   `predict`, gives a loaded learner its `dls.testDl`, and says how many dimensions one item has
 *   (so that `predict` tells one item from a batch).
 */
import type { Tensor } from '../engine/index.js';
import type { DataLoader, InputPipeline } from '../data/types.js';
import type { Module } from '../nn/module.js';
import type { Learner } from './learner.js';

/** How to rebuild a model: its kind, and what that kind's builder reads (plain JSON). */
export interface ModelSpec {
  readonly kind: string;
}

/** What a model kind's builder gets besides the spec. */
export interface ModelBuildContext {
  /** The export being loaded (for messages). */
  file: string;
  /** The module the user passed to `loadLearner` (`{model}`), if any. */
  model?: Module;
  /** Throws the export's error (`<file>: cannot load this model: <problem>`). */
  fail(problem: string): never;
}

/** Rebuilds a model of one kind from its spec, with fresh weights (the export's are loaded next). */
export type ModelBuilder<S extends ModelSpec = ModelSpec> = (spec: S, context: ModelBuildContext) => Module | Promise<Module>;

/** Makes, from an exported pipeline, the function that turns one raw input into a model input. */
export type InputPreparerFactory = (pipeline: InputPipeline) => (input: unknown) => Tensor | Promise<Tensor>;

/** A loader over raw items without labels (what `dls.testDl` gives). */
export type TestDl = (items: readonly string[], options?: { bs?: number }) => DataLoader;

/** What an input pipeline kind provides; every part is optional. */
export interface InputPipelineKind {
  /** Dimensions of one item (an image [c, h, w] has 3): a tensor of one more is a batch. */
  itemRank?: number;
  /** How `predict` prepares raw inputs. */
  prepare?: InputPreparerFactory;
  /** A loaded learner's `dls.testDl`, from the exported pipeline. */
  testDl?: (pipeline: InputPipeline) => TestDl | Promise<TestDl>;
}

const modelKinds = new Map<string, ModelBuilder>();
const pipelineKinds = new Map<string, InputPipelineKind>();

/** Registers how `loadLearner` rebuilds models of `kind` (a later registration replaces an earlier one). */
export function registerModelKind<S extends ModelSpec>(kind: S['kind'], build: ModelBuilder<S>): void {
  modelKinds.set(kind, build as unknown as ModelBuilder);
}

/** The builder for `kind`, if one is registered. */
export function modelKind(kind: string): ModelBuilder | undefined {
  return modelKinds.get(kind);
}

/** The model kinds registered, sorted. */
export function registeredModelKinds(): string[] {
  return [...modelKinds.keys()].sort();
}

/** Registers what an input pipeline of `kind` provides (merged with what was registered for it before). */
export function registerInputPipeline(kind: string, provides: InputPipelineKind): void {
  pipelineKinds.set(kind, { ...pipelineKinds.get(kind), ...provides });
}

/** Registers how raw inputs of a pipeline kind are prepared for `predict`. */
export function registerInputPreparer(kind: InputPipeline['kind'], factory: InputPreparerFactory): void {
  registerInputPipeline(kind, { prepare: factory });
}

/** What is registered for the pipeline kind `kind`, if anything. */
export function inputPipelineKind(kind: string | undefined): InputPipelineKind | undefined {
  return kind === undefined ? undefined : pipelineKinds.get(kind);
}

// 'custom': the user's own module, which only the user can construct.
registerModelKind<{ kind: 'custom'; name: string }>('custom', (spec, { model, fail }) => {
  if (model === undefined) return fail(`it holds a custom model (${spec.name}) that owlet cannot rebuild by itself: pass the module, loadLearner(file, {model: new ${spec.name}(…)})`);
  return model;
});

/** The model input for `input`: a tensor as is (already prepared), else through the learner's `prepare` hook or its pipeline kind's preparer. */
export async function prepareInput(learn: Learner, input: unknown): Promise<Tensor> {
  if (isTensor(input)) return input;
  if (learn.prepare !== null) return await learn.prepare(input);
  const pipeline = learn.dls.pipeline;
  const factory = inputPipelineKind(pipeline?.kind)?.prepare;
  if (factory === undefined)
    throw new Error(
      `predict: no way to prepare a ${typeof input === 'string' ? 'path' : Buffer.isBuffer(input) ? 'buffer' : typeof input} for a '${pipeline?.kind ?? 'unknown'}' pipeline: ` +
        'pass a prepared tensor, set learn.prepare = (input) => tensor, or import the module that registers the pipeline (owlet\'s index registers images)',
    );
  learn.prepare = factory(pipeline);
  return await learn.prepare(input);
}

function isTensor(x: unknown): x is Tensor {
  return typeof x === 'object' && x !== null && typeof (x as Tensor).dim === 'function' && typeof (x as Tensor).shape !== 'undefined';
}

/** Options of `learn.exportOnnx`. */
export interface OnnxExportOptions {
  /** The input's [height, width] (default: the size the pipeline resizes to). */
  size?: [number, number];
}

/** Writes a learner as an ONNX model (src/onnx registers it; owlet's index imports that). */
export type OnnxExporter = (learn: Learner, file: string, options?: OnnxExportOptions) => string;

let onnxExporter: OnnxExporter | null = null;

/** Registers the ONNX writer that `learn.exportOnnx` calls. */
export function registerOnnxExporter(exporter: OnnxExporter): void {
  onnxExporter = exporter;
}

/** `learn.exportOnnx`: the registered writer, or an error saying what to import. */
export function exportOnnxWith(learn: Learner, file: string, options?: OnnxExportOptions): string {
  if (onnxExporter === null) throw new Error("exportOnnx: no ONNX writer is loaded: import owlet's index (or 'owlet/dist/src/onnx/index.js'), which registers it");
  return onnxExporter(learn, file, options);
}
