/**
 * Converters: one per module class, each writing the ONNX nodes of its class's `forward` in
 * evaluation mode (and, for a zoo model, of its `forwardFeatures`, which fastai's TimmBody calls).
 * `registerConverter(Class, emit)` is the whole registration: a new family adds one file under
 * converters/ that registers its classes (and one import line in converters/index.ts).
 *
 * A module is converted by its own class's converter. A subclass without one uses its parent's
 * only when it does not define `forward` itself (timm's `GELU` only prints differently; fastai's
 * Flatten computes differently and has its own): a class that defines its own `forward` and has no
 * converter stops the search, and the export fails naming the module's path and class — owlet
 * never writes a graph it has not been told how to write.
 */
import { Module, type AnyModule } from '../nn/index.js';
import type { Attr, OnnxGraph } from './graph.js';

/** Writes a module's nodes on the input value `x`; returns the output value. */
export type Emit<M extends AnyModule = AnyModule> = (m: M, x: string, ctx: ConvertContext) => string;

interface Converter {
  forward: Emit;
  features?: Emit;
}

type ModuleClass<M extends AnyModule> = abstract new (...args: never[]) => M;

const converters = new Map<unknown, Converter>();

/**
 * Registers how modules of `cls` are written: `forward` as the class's `forward` computes, and for
 * a zoo model `features` as its `forwardFeatures` does. A later registration replaces an earlier one.
 */
export function registerConverter<M extends AnyModule>(cls: ModuleClass<M>, forward: Emit<M>, options: { features?: Emit<M> } = {}): void {
  converters.set(cls, { forward: forward as Emit, ...(options.features ? { features: options.features as Emit } : {}) });
}

/** A module that cannot be written: names its path and class. */
export class OnnxExportError extends Error {
  override name = 'OnnxExportError';
  constructor(readonly path: string, readonly className: string, readonly problem: string) {
    super(`cannot export ${path === '' ? 'the model' : `'${path}'`} (${className}) to ONNX: ${problem}`);
  }
}

function find(m: AnyModule, which: 'forward' | 'features'): Emit | null {
  const method = which === 'forward' ? 'forward' : 'forwardFeatures';
  let proto: object | null = Object.getPrototypeOf(m) as object | null;
  while (proto !== null && proto !== Module.prototype) {
    const c = converters.get((proto as { constructor: unknown }).constructor);
    const emit = c?.[which];
    if (emit !== undefined) return emit;
    if (Object.prototype.hasOwnProperty.call(proto, method)) return null;
    proto = Object.getPrototypeOf(proto) as object | null;
  }
  return null;
}

/** What a converter works with: the graph, the module's path, its children and its weights. */
export class ConvertContext {
  constructor(readonly graph: OnnxGraph, readonly module: AnyModule, readonly path: string) {}

  /** The dotted path of `local` below this module (`layer1.0` + `conv1` → `layer1.0.conv1`). */
  name(local: string): string {
    return this.path === '' ? local : `${this.path}.${local}`;
  }

  /** Throws the export error for this module. */
  fail(problem: string): never {
    throw new OnnxExportError(this.path, this.module.getName(), problem);
  }

  /** A node of this module (named by its path). */
  op(op: string, inputs: readonly string[], attrs: Record<string, Attr> = {}, rank?: number): string {
    return this.graph.node(op, inputs, attrs, { hint: `${this.path === '' ? 'model' : this.path}/${op}`, ...(rank !== undefined ? { rank } : {}) });
  }

  /** A child's output on `x`, by the child's converter. */
  child(child: AnyModule | null, x: string): string {
    if (child === null) return x;
    return convertModule(this.graph, child, this.#childPath(child), x, 'forward');
  }

  /** A zoo model's features (its `forwardFeatures`) on `x`. */
  features(child: AnyModule, x: string): string {
    return convertModule(this.graph, child, this.#childPath(child), x, 'features');
  }

  #childPath(child: AnyModule): string {
    const entry = this.module.namedChildren().find(([, c]) => c === child);
    if (entry === undefined) this.fail(`its converter used a module that is not one of its children (${child.getName()})`);
    return this.name(entry[0]);
  }
}

/** Writes `m` (at `path`) on the value `x`: its forward, or its features. */
export function convertModule(graph: OnnxGraph, m: AnyModule, path: string, x: string, which: 'forward' | 'features' = 'forward'): string {
  const emit = find(m, which);
  const ctx = new ConvertContext(graph, m, path);
  if (emit === null) {
    const cls = m.getName();
    if (which === 'features') ctx.fail(`owlet has no ONNX converter for the features (forwardFeatures) of ${cls}: register one with registerConverter(${cls}, forward, {features}) in src/onnx/converters/`);
    return ctx.fail(`owlet has no ONNX converter for ${cls}: register one with registerConverter(${cls}, …) in src/onnx/converters/`);
  }
  return emit(m, x, ctx);
}
