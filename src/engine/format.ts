/**
 * PyTorch's tensor printing, character for character: a port of PyTorch 1.13's
 * `torch/_tensor_str.py` for dense (strided) tensors of owlet's dtypes.
 *
 * Works on a plain snapshot of the tensor's data, so it needs no native code.
 * Python's float formatting (`'{:.4f}'`, `'{:.4e}'`, `'{:.0f}'`) is reproduced
 * exactly with BigInt arithmetic on the double's exact binary value, rounding
 * half to even as Python does (JS's toFixed/toExponential round ties up).
 */
import type { DType } from './dtype.js';
import { torchName } from './dtype.js';

export interface TensorSnapshot {
  shape: readonly number[];
  dtype: DType;
  /** Flat, row-major, as JS numbers (float16/bfloat16 widened exactly, int64 as numbers); booleans for bool. */
  values: ArrayLike<number | boolean>;
  /** 'cpu', 'cuda:0', ... */
  device: string;
  requiresGrad: boolean;
  /** e.g. 'MeanBackward0'; null for leaves. */
  gradFn: string | null;
}

export interface PrintOptions {
  precision: number;
  threshold: number;
  edgeitems: number;
  linewidth: number;
  sciMode: boolean | null;
}

const DEFAULTS: PrintOptions = { precision: 4, threshold: 1000, edgeitems: 3, linewidth: 80, sciMode: null };
const opts: PrintOptions = { ...DEFAULTS };

/**
 * torch.set_printoptions. As in PyTorch, `profile` is applied first and the other
 * options override it, and sciMode is *always* set: leaving it out resets it to
 * null (automatic), exactly like `set_printoptions(precision=2)` does in Python.
 */
export function setPrintOptions(o: Partial<PrintOptions> & { profile?: 'default' | 'short' | 'full' }): void {
  if (o.profile === 'default') Object.assign(opts, { precision: 4, threshold: 1000, edgeitems: 3, linewidth: 80 });
  else if (o.profile === 'short') Object.assign(opts, { precision: 2, threshold: 1000, edgeitems: 2, linewidth: 80 });
  else if (o.profile === 'full') Object.assign(opts, { precision: 4, threshold: Infinity, edgeitems: 3, linewidth: 80 });
  if (o.precision !== undefined) opts.precision = o.precision;
  if (o.threshold !== undefined) opts.threshold = o.threshold;
  if (o.edgeitems !== undefined) opts.edgeitems = o.edgeitems;
  if (o.linewidth !== undefined) opts.linewidth = o.linewidth;
  opts.sciMode = o.sciMode ?? null;
}

export function getPrintOptions(): PrintOptions {
  return { ...opts };
}

// ---------------------------------------------------------------------------
// Python float formatting
// ---------------------------------------------------------------------------

/** |x| (finite) as an exact fraction n / 10^k, from its IEEE-754 bits. */
function exactDecimal(x: number): { n: bigint; k: number } {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const hi = view.getUint32(0);
  const lo = view.getUint32(4);
  const biased = (hi >>> 20) & 0x7ff;
  let m = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  let e: number;
  if (biased === 0) e = -1074; // subnormal (or zero)
  else {
    m |= 1n << 52n;
    e = biased - 1075;
  }
  // m * 2^e; for e < 0 that is m * 5^-e / 10^-e.
  if (e >= 0) return { n: m << BigInt(e), k: 0 };
  return { n: m * 5n ** BigInt(-e), k: -e };
}

/** round(n / 10^d), ties to even. */
function roundDiv(n: bigint, d: number): bigint {
  if (d <= 0) return n * 10n ** BigInt(-d);
  const div = 10n ** BigInt(d);
  const q = n / div;
  const r2 = (n % div) * 2n;
  return r2 > div || (r2 === div && q % 2n === 1n) ? q + 1n : q;
}

function nonFinite(x: number): string | null {
  if (Number.isNaN(x)) return 'nan'; // Python drops the sign of a nan
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  return null;
}

/** Sign prefix: Python prints '-' for -0.0 and for negatives that round to zero. */
function sign(x: number): string {
  return x < 0 || Object.is(x, -0) ? '-' : '';
}

/** Python's `'{:.<p>f}'.format(x)`. */
export function pyFixed(x: number, p: number): string {
  const nf = nonFinite(x);
  if (nf !== null) return nf;
  const { n, k } = exactDecimal(x);
  const digits = roundDiv(n, k - p).toString().padStart(p + 1, '0');
  const int = digits.slice(0, digits.length - p);
  return sign(x) + (p > 0 ? `${int}.${digits.slice(digits.length - p)}` : int);
}

/** Python's `'{:.<p>e}'.format(x)`: mantissa with p decimals, exponent of at least two digits. */
export function pyExp(x: number, p: number): string {
  const nf = nonFinite(x);
  if (nf !== null) return nf;
  const { n, k } = exactDecimal(x);
  let digits: string;
  let exp: number;
  if (n === 0n) {
    digits = '0'.repeat(p + 1);
    exp = 0;
  } else {
    const len = n.toString().length;
    exp = len - 1 - k;
    digits = roundDiv(n, len - (p + 1)).toString();
    if (digits.length > p + 1) {
      // rounding carried into a new digit (9.99995 -> 10.0000): renormalise
      digits = digits.slice(0, p + 1);
      exp += 1;
    }
  }
  const mant = p > 0 ? `${digits[0]}.${digits.slice(1)}` : digits;
  const e = Math.abs(exp).toString().padStart(2, '0');
  return `${sign(x)}${mant}e${exp < 0 ? '-' : '+'}${e}`;
}

/** Python's `'{}'.format(v)` for an int or bool element. */
function pyStr(v: number | boolean): string {
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  // BigInt gives every digit of large int64 values (String(2**62) would print 4611686018427388000)
  return Number.isInteger(v) ? BigInt(v).toString() : String(v);
}

// ---------------------------------------------------------------------------
// _Formatter
// ---------------------------------------------------------------------------

function isFloatingDType(d: DType): boolean {
  return d === 'float16' || d === 'float32' || d === 'float64' || d === 'bfloat16';
}

/** Chooses int/fixed/sci mode and the column width from (the summarised part of) the data. */
class Formatter {
  readonly floating: boolean;
  intMode = true;
  sciMode = false;
  maxWidth = 1;

  constructor(dtype: DType, values: (number | boolean)[], private readonly precision: number, sciOpt: boolean | null) {
    this.floating = isFloatingDType(dtype);
    if (!this.floating) {
      for (const v of values) this.maxWidth = Math.max(this.maxWidth, pyStr(v).length);
      return;
    }
    // Only nonzero finite values decide the mode and the width; nan/inf/0 may overflow the column.
    const vals = (values as number[]).filter((v) => Number.isFinite(v) && v !== 0);
    // PyTorch returns here before applying PRINT_OPTS.sci_mode: a tensor of only
    // zeros/nan/inf prints in int mode even when sci_mode=True.
    if (vals.length === 0) return;
    let min = Infinity;
    let max = 0;
    for (const v of vals) {
      const a = Math.abs(v);
      if (a < min) min = a;
      if (a > max) max = a;
    }
    this.intMode = vals.every((v) => v === Math.ceil(v));
    // Ratio and thresholds are computed in double, as PyTorch converts to double first.
    const wide = max / min > 1000.0 || max > 1.0e8;
    if (this.intMode) {
      // int mode: "{:.0f}" plus a trailing '.', hence the + 1.
      if (wide) this.sciMode = true;
      for (const v of vals) {
        const w = this.sciMode ? pyExp(v, precision).length : pyFixed(v, 0).length + 1;
        this.maxWidth = Math.max(this.maxWidth, w);
      }
    } else {
      if (wide || min < 1.0e-4) this.sciMode = true;
      for (const v of vals) {
        const w = (this.sciMode ? pyExp(v, precision) : pyFixed(v, precision)).length;
        this.maxWidth = Math.max(this.maxWidth, w);
      }
    }
    if (sciOpt !== null) this.sciMode = sciOpt;
  }

  /** Right-aligned to the column width (never truncated). */
  format(v: number | boolean): string {
    let ret: string;
    if (!this.floating) ret = pyStr(v);
    else {
      const x = Number(v);
      if (this.sciMode) ret = pyExp(x, this.precision);
      else if (this.intMode) {
        ret = pyFixed(x, 0);
        if (Number.isFinite(x)) ret += '.';
      } else ret = pyFixed(x, this.precision);
    }
    return ret.padStart(this.maxWidth, ' ');
  }
}

// ---------------------------------------------------------------------------
// Layout
// ---------------------------------------------------------------------------

/** Flat offsets of the elements that get_summarized_data keeps (the edge items of every dim). */
function summarizedOffsets(shape: readonly number[], edge: number, summarize: boolean): number[] {
  const out: number[] = [];
  const strides = contiguousStrides(shape);
  const walk = (dim: number, base: number): void => {
    if (dim === shape.length) {
      out.push(base);
      return;
    }
    for (const i of keptIndices(shape[dim]!, edge, summarize)) walk(dim + 1, base + i * strides[dim]!);
  };
  walk(0, 0);
  return out;
}

/** Indices kept along a dim of size n: all of them, or (summarising) the first and last `edge`. */
function keptIndices(n: number, edge: number, summarize: boolean): number[] {
  const idx: number[] = [];
  if (summarize && n > 2 * edge) {
    for (let i = 0; i < edge; i++) idx.push(i);
    for (let i = n - edge; i < n; i++) idx.push(i);
  } else for (let i = 0; i < n; i++) idx.push(i);
  return idx;
}

function contiguousStrides(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length);
  let acc = 1;
  for (let d = shape.length - 1; d >= 0; d--) {
    s[d] = acc;
    acc *= shape[d]!;
  }
  return s;
}

/** _tensor_str: the bracketed body; `indent` is the column where the body starts. */
function tensorStr(t: TensorSnapshot, indent: number): string {
  const numel = t.shape.reduce((a, b) => a * b, 1);
  if (numel === 0) return '[]';
  const { edgeitems: edge, linewidth, precision } = opts;
  const summarize = numel > opts.threshold;
  const values = t.values; // indexed in place: no copy of a large tensor
  const fmtVals = summarize ? summarizedOffsets(t.shape, edge, true).map((o) => values[o]!) : Array.from(values);
  const fmt = new Formatter(t.dtype, fmtVals, precision, opts.sciMode);
  const strides = contiguousStrides(t.shape);

  // _tensor_str_with_formatter / _vector_str, walking the flat data by offset.
  const rec = (dim: number, base: number, ind: number): string => {
    const left = t.shape.length - dim; // dims remaining
    if (left === 0) return fmt.format(values[base]!);
    const n = t.shape[dim]!;
    const gap = summarize && n > 2 * edge;
    const idx = keptIndices(n, edge, summarize);
    if (left === 1) {
      const elementLength = fmt.maxWidth + 2; // width plus ", "
      const perLine = Math.max(1, Math.floor((linewidth - ind) / elementLength));
      const data = idx.map((i) => fmt.format(values[base + i]!));
      if (gap) data.splice(edge, 0, ' ...'); // counts as one element when wrapping
      const lines: string[] = [];
      for (let i = 0; i < data.length; i += perLine) lines.push(data.slice(i, i + perLine).join(', '));
      return '[' + lines.join(',\n' + ' '.repeat(ind + 1)) + ']';
    }
    const slices = idx.map((i) => rec(dim + 1, base + i * strides[dim]!, ind + 1));
    if (gap) slices.splice(edge, 0, '...');
    // Sub-blocks are separated by (dims - 1) newlines: one blank line between matrices, etc.
    return '[' + slices.join(',' + '\n'.repeat(left - 1) + ' '.repeat(ind + 1)) + ']';
  };
  return rec(0, 0, indent);
}

/** _add_suffixes: each suffix goes on the same line unless it would pass linewidth. */
function addSuffixes(s: string, suffixes: string[], indent: number): string {
  const parts = [s];
  // As in PyTorch: len - rfind('\n') + 1, i.e. 2 more than the last line's length.
  let lastLineLen = s.length - s.lastIndexOf('\n') + 1;
  for (const suffix of suffixes) {
    if (lastLineLen + suffix.length + 2 > opts.linewidth) {
      parts.push(',\n' + ' '.repeat(indent) + suffix);
      lastLineLen = indent + suffix.length;
    } else {
      parts.push(', ' + suffix);
      lastLineLen += suffix.length + 2;
    }
  }
  parts.push(')');
  return parts.join('');
}

/** Python's str(tuple(shape)). */
function pyTuple(shape: readonly number[]): string {
  return shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
}

/** Exactly what Python's repr(tensor) prints (default dtype float32, default device cpu). */
export function formatTensor(t: TensorSnapshot): string {
  const prefix = 'tensor(';
  const indent = prefix.length;
  const suffixes: string[] = [];
  // Printed whenever the device is not the default (cpu); str(device) includes the index.
  if (t.device !== 'cpu') suffixes.push(`device='${t.device}'`);
  const numel = t.shape.reduce((a, b) => a * b, 1);
  let body: string;
  if (numel === 0) {
    // Shape shown unless it is (0,); dtype shown unless float32, since nothing can be inferred.
    if (t.shape.length !== 1) suffixes.push('size=' + pyTuple(t.shape));
    if (t.dtype !== 'float32') suffixes.push('dtype=' + torchName(t.dtype));
    body = '[]';
  } else {
    // float32 (the default dtype), int64 and bool are what Python infers from literals.
    if (t.dtype !== 'float32' && t.dtype !== 'int64' && t.dtype !== 'bool') suffixes.push('dtype=' + torchName(t.dtype));
    body = tensorStr(t, indent);
  }
  if (t.gradFn !== null) suffixes.push(`grad_fn=<${t.gradFn}>`);
  else if (t.requiresGrad) suffixes.push('requires_grad=True');
  return addSuffixes(prefix + body, suffixes, indent);
}
