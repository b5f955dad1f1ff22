/**
 * An ONNX graph being written: named values, nodes, initializers (weights, as float32 raw data) and
 * the graph's inputs and outputs, as the plain objects protobufjs encodes (onnx-proto.ts). Each
 * value's rank is tracked, because a few converters choose their ops by it (a Linear on [N, C] is
 * a Gemm, on [N, H, W, C] a MatMul).
 */
import { noGrad, type Tensor } from '../engine/index.js';
import { AttributeType, DataType } from './onnx-proto.js';

/** A node attribute: an integer, a float, integers, floats or a string, tagged so that 1 and 1.0 stay apart. */
export type Attr = { i: number } | { f: number } | { ints: readonly number[] } | { floats: readonly number[] } | { s: string };

export const int = (i: number): Attr => ({ i });
export const float = (f: number): Attr => ({ f });
export const ints = (v: readonly number[]): Attr => ({ ints: v });
export const floats = (v: readonly number[]): Attr => ({ floats: v });
export const str = (s: string): Attr => ({ s });

/** A dimension of a graph input or output: a size, or a name for a dynamic one (`batch`). */
export type Dim = number | string;

interface AttributeProto {
  name: string;
  type: number;
  i?: number;
  f?: number;
  ints?: number[];
  floats?: number[];
  s?: Uint8Array;
}

export interface NodeProto {
  input: string[];
  output: string[];
  name: string;
  op_type: string;
  attribute: AttributeProto[];
}

export interface TensorProto {
  name: string;
  dims: number[];
  data_type: number;
  raw_data: Uint8Array;
}

export interface ValueInfoProto {
  name: string;
  type: { tensor_type: { elem_type: number; shape: { dim: ({ dim_value: number } | { dim_param: string })[] } } };
}

function attribute(name: string, a: Attr): AttributeProto {
  if ('i' in a) return { name, type: AttributeType.INT, i: a.i };
  if ('f' in a) return { name, type: AttributeType.FLOAT, f: a.f };
  if ('ints' in a) return { name, type: AttributeType.INTS, ints: [...a.ints] };
  if ('floats' in a) return { name, type: AttributeType.FLOATS, floats: [...a.floats] };
  return { name, type: AttributeType.STRING, s: new TextEncoder().encode(a.s) };
}

function valueInfo(name: string, dims: readonly Dim[]): ValueInfoProto {
  const dim = dims.map((d) => (typeof d === 'number' ? { dim_value: d } : { dim_param: d }));
  return { name, type: { tensor_type: { elem_type: DataType.FLOAT, shape: { dim } } } };
}

function bytesOf(view: ArrayBufferView): Uint8Array {
  return new Uint8Array(view.buffer.slice(view.byteOffset, view.byteOffset + view.byteLength));
}

export class OnnxGraph {
  readonly nodes: NodeProto[] = [];
  readonly initializers: TensorProto[] = [];
  readonly inputs: ValueInfoProto[] = [];
  readonly outputs: ValueInfoProto[] = [];
  readonly #ranks = new Map<string, number>();
  readonly #names = new Set<string>();
  readonly #weights = new Map<Tensor, string>();
  #counter = 0;

  /** A value name not used yet, from `hint`. */
  fresh(hint: string): string {
    let name = hint === '' ? 'value' : hint;
    while (this.#names.has(name)) name = `${hint}_${++this.#counter}`;
    this.#names.add(name);
    return name;
  }

  /** The rank of a value. */
  rank(value: string): number {
    const r = this.#ranks.get(value);
    if (r === undefined) throw new Error(`ONNX export: unknown value '${value}' (a converter used a value before making it)`);
    return r;
  }

  /** Adds a graph input of shape `dims` (float32). */
  input(name: string, dims: readonly Dim[]): string {
    const n = this.fresh(name);
    this.inputs.push(valueInfo(n, dims));
    this.#ranks.set(n, dims.length);
    return n;
  }

  /** Makes `value` a graph output named `name` (through an Identity when the names differ). */
  output(value: string, name: string, dims: readonly Dim[]): void {
    let v = value;
    if (v !== name) {
      this.#names.add(name);
      this.nodes.push({ input: [value], output: [name], name: `${name}/Identity`, op_type: 'Identity', attribute: [] });
      v = name;
    }
    this.outputs.push(valueInfo(v, dims));
  }

  /** An initializer of float32 `data` with `dims`. */
  constant(hint: string, data: Float32Array, dims: readonly number[]): string {
    const name = this.fresh(hint);
    this.initializers.push({ name, dims: [...dims], data_type: DataType.FLOAT, raw_data: bytesOf(data) });
    this.#ranks.set(name, dims.length);
    return name;
  }

  /** An int64 initializer (shapes, axes), 1-D unless `dims` says otherwise (`[]`: a scalar index). */
  int64s(hint: string, data: readonly number[], dims: readonly number[] = [data.length]): string {
    const name = this.fresh(hint);
    this.initializers.push({ name, dims: [...dims], data_type: DataType.INT64, raw_data: bytesOf(BigInt64Array.from(data.map(BigInt))) });
    this.#ranks.set(name, dims.length);
    return name;
  }

  /**
   * A module's tensor as an initializer named by its path (`layer1.0.conv1.weight`), float32,
   * optionally reshaped (`dims`) or transposed first (`transform`). The same tensor, untransformed,
   * is written once.
   */
  weight(path: string, t: Tensor, options: { dims?: readonly number[]; transform?: (t: Tensor) => Tensor } = {}): string {
    const plain = options.dims === undefined && options.transform === undefined;
    const known = plain ? this.#weights.get(t) : undefined;
    if (known !== undefined) return known;
    const data = noGrad(() => {
      let x = t.detach();
      if (options.transform) x = options.transform(x);
      return new Float32Array(x.to({ dtype: 'float32', device: 'cpu' }).contiguous().dataView() as Float32Array);
    });
    const dims = options.dims ?? (options.transform ? noGrad(() => options.transform!(t.detach()).shape) : t.shape);
    const name = this.constant(path, data, dims);
    if (plain) this.#weights.set(t, name);
    return name;
  }

  /**
   * A node of `op` on `inputs` (an empty string is an omitted optional input) with `attrs`; returns
   * its output, named from `hint`, of rank `rank` (default: its first input's).
   */
  node(op: string, inputs: readonly string[], attrs: Record<string, Attr> = {}, options: { hint?: string; rank?: number } = {}): string {
    const out = this.fresh(options.hint ?? op);
    this.nodes.push({ input: [...inputs], output: [out], name: out, op_type: op, attribute: Object.entries(attrs).map(([k, v]) => attribute(k, v)) });
    this.#ranks.set(out, options.rank ?? this.rank(inputs[0]!));
    return out;
  }
}
