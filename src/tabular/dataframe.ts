/**
 * A small typed data frame: named columns of equal length, each a list of values (a number, a
 * string, a boolean, or null for a missing value), with a dtype inferred as pandas infers it —
 * 'int' (whole numbers written without a decimal point, none missing), 'float' (numbers, some
 * perhaps missing), 'bool', or 'string'. It has what the course's Titanic notebooks do with pandas
 * (`mode`, `fillna`, `getDummies`, selecting rows and columns, writing a CSV) and what the tabular
 * processors read; nothing more. Reading a CSV is csv.ts (csv-parse underneath).
 *
 *     const df = readCsv('train.csv');
 *     df.fillna(df.modes());
 *     df.set('LogFare', df.numbers('Fare').map((f) => Math.log(f + 1)));
 */
import { TabularDataError } from './errors.js';

export type Value = number | string | boolean | null;
export type Dtype = 'int' | 'float' | 'bool' | 'string';
/** One row as an object, as `predict(row)` and `testDl(rows)` take it; a missing or undefined field is a missing value. */
export type Row = Readonly<Record<string, Value | undefined>>;

/** pandas' dtype for a list of values (`intText`: every number was written as a whole number, for a CSV). */
export function inferDtype(values: readonly Value[], intText = true): Dtype {
  let kind: 'none' | 'number' | 'bool' | 'string' = 'none';
  let missing = false;
  let whole = true;
  for (const v of values) {
    if (v === null) {
      missing = true;
      continue;
    }
    const k = typeof v === 'number' ? 'number' : typeof v === 'boolean' ? 'bool' : 'string';
    if (kind !== 'none' && kind !== k) return 'string';
    kind = k;
    if (k === 'number' && !Number.isInteger(v)) whole = false;
  }
  if (kind === 'number') return whole && intText && !missing ? 'int' : 'float';
  if (kind === 'bool') return missing ? 'string' : 'bool';
  return kind === 'none' ? 'float' : 'string';
}

/** Python's ordering of two values of a column (numbers before strings, then by value): how pandas sorts a vocabulary. */
export function compareValues(a: Value, b: Value): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  const sa = String(a);
  const sb = String(b);
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}

/** A value as its text in a CSV or a column name (pandas' spelling for whole floats in dummies is the caller's). */
export function valueText(v: Value): string {
  return v === null ? '' : typeof v === 'boolean' ? (v ? 'True' : 'False') : String(v);
}

export class DataFrame {
  readonly #cols = new Map<string, Value[]>();
  readonly #dtypes = new Map<string, Dtype>();
  #length: number;

  /** A frame from columns of equal length; `dtypes` overrides the inferred ones (csv.ts passes what it read). */
  constructor(columns: Readonly<Record<string, readonly Value[]>> | Map<string, readonly Value[]> = {}, dtypes: Readonly<Record<string, Dtype>> = {}) {
    const entries = columns instanceof Map ? [...columns] : Object.entries(columns);
    this.#length = entries[0]?.[1].length ?? 0;
    for (const [name, values] of entries) this.set(name, values, dtypes[name]);
  }

  /** A frame from row objects; the columns are those of the first row, then any new ones in order of appearance. */
  static fromRows(rows: readonly Row[], columns?: readonly string[]): DataFrame {
    const names = columns ? [...columns] : [...new Set(rows.flatMap((r) => Object.keys(r)))];
    const cols = new Map<string, Value[]>(names.map((n) => [n, rows.map((r) => r[n] ?? null)]));
    const df = new DataFrame();
    df.#length = rows.length;
    for (const [n, v] of cols) df.set(n, v);
    return df;
  }

  get length(): number {
    return this.#length;
  }

  get columns(): string[] {
    return [...this.#cols.keys()];
  }

  has(name: string): boolean {
    return this.#cols.has(name);
  }

  /** The column's values (the frame's own array: do not change it, use `set`). */
  col(name: string): readonly Value[] {
    const c = this.#cols.get(name);
    if (c === undefined) throw new TabularDataError(`no column '${name}' (the columns are: ${this.columns.join(', ')})`);
    return c;
  }

  dtype(name: string): Dtype {
    this.col(name);
    return this.#dtypes.get(name)!;
  }

  /** Sets (or adds, at the end) a column; its dtype is inferred unless given. */
  set(name: string, values: readonly Value[] | Float64Array, dtype?: Dtype): this {
    const v = Array.from(values as ArrayLike<Value>, (x) => (typeof x === 'number' && Number.isNaN(x) ? null : x));
    if (this.#cols.size > 0 && !(this.#cols.size === 1 && this.#cols.has(name)) && v.length !== this.#length)
      throw new RangeError(`column '${name}' has ${v.length} values but the frame has ${this.#length} rows`);
    this.#length = v.length;
    this.#cols.set(name, v);
    this.#dtypes.set(name, dtype ?? inferDtype(v, !(values instanceof Float64Array)));
    return this;
  }

  drop(names: readonly string[]): this {
    for (const n of names) {
      this.col(n);
      this.#cols.delete(n);
      this.#dtypes.delete(n);
    }
    return this;
  }

  /**
   * The column as numbers, NaN where a value is missing (booleans as 0 and 1). A value that is not a
   * number is an error naming the column, the row (counted from 1, the header not counted) and the value.
   */
  numbers(name: string): Float64Array {
    const c = this.col(name);
    const out = new Float64Array(c.length);
    for (let i = 0; i < c.length; i++) {
      const v = c[i]!;
      if (v === null) out[i] = NaN;
      else if (typeof v === 'number') out[i] = v;
      else if (typeof v === 'boolean') out[i] = v ? 1 : 0;
      else {
        const n = v.trim() === '' ? NaN : Number(v);
        if (Number.isNaN(n)) throw new TabularDataError(`column '${name}' is continuous (numbers) but row ${i + 1} holds '${v}', which is not a number: fix the value, or make '${name}' a categorical column`);
        out[i] = n;
      }
    }
    return out;
  }

  /** Row `i` as an object. */
  row(i: number): Record<string, Value> {
    const r: Record<string, Value> = {};
    for (const [n, c] of this.#cols) r[n] = c[i]!;
    return r;
  }

  rows(): Record<string, Value>[] {
    return Array.from({ length: this.#length }, (_, i) => this.row(i));
  }

  /** The rows at `indices`, in that order (pandas' `df.iloc[indices]`). */
  take(indices: readonly number[]): DataFrame {
    const df = new DataFrame();
    df.#length = indices.length;
    for (const [n, c] of this.#cols) df.set(n, indices.map((i) => c[i]!), this.#dtypes.get(n));
    return df;
  }

  /** Only these columns, in this order (pandas' `df[cols]`). */
  select(names: readonly string[]): DataFrame {
    const df = new DataFrame();
    df.#length = this.#length;
    for (const n of names) df.set(n, this.col(n), this.dtype(n));
    return df;
  }

  /** A copy (columns copied, values shared: they are immutable). */
  copy(): DataFrame {
    return this.select(this.columns);
  }

  /** The distinct values, missing left out, sorted as pandas sorts them. */
  unique(name: string): Value[] {
    return [...new Set(this.col(name).filter((v) => v !== null))].sort(compareValues);
  }

  /** How many values are missing in each column (pandas' `df.isna().sum()`). */
  isnaSum(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const [n, c] of this.#cols) out[n] = c.filter((v) => v === null).length;
    return out;
  }

  /** The most frequent value of a column, ties to the smallest (pandas' `df[name].mode()[0]`); null if all are missing. */
  mode(name: string): Value {
    const counts = new Map<Value, number>();
    for (const v of this.col(name)) if (v !== null) counts.set(v, (counts.get(v) ?? 0) + 1);
    let best: Value = null;
    let bestN = 0;
    for (const [v, n] of counts) if (n > bestN || (n === bestN && compareValues(v, best) < 0)) [best, bestN] = [v, n];
    return best;
  }

  /** Every column's mode (pandas' `df.mode().iloc[0]`). */
  modes(): Record<string, Value> {
    return Object.fromEntries(this.columns.map((n) => [n, this.mode(n)]));
  }

  /** The median of a column's numbers, missing values left out (pandas' `median`); NaN if none. */
  median(name: string): number {
    const v = [...this.numbers(name)].filter((x) => !Number.isNaN(x)).sort((a, b) => a - b);
    if (v.length === 0) return NaN;
    const m = v.length >> 1;
    return v.length % 2 === 1 ? v[m]! : (v[m - 1]! + v[m]!) / 2;
  }

  /** Fills the missing values of the named columns (pandas' `df.fillna(values, inplace=True)`); a column's dtype is inferred again. */
  fillna(values: Readonly<Record<string, Value>>): this {
    for (const [n, fill] of Object.entries(values)) {
      if (!this.has(n) || fill === null) continue;
      const c = this.col(n);
      if (!c.includes(null)) continue;
      // pandas keeps a float column float when the fill is a number (SibSp stays float64 after fillna(0)).
      this.set(n, c.map((v) => (v === null ? fill : v)), this.dtype(n) === 'float' && typeof fill === 'number' ? 'float' : undefined);
    }
    return this;
  }

  /**
   * pandas' `get_dummies(df, columns=…)`: each named column replaced, at the end, by one 0/1 column a
   * value, `<column>_<value>`, in sorted order of the values (a missing value gives zeros).
   */
  getDummies(columns: readonly string[]): DataFrame {
    const df = this.select(this.columns.filter((c) => !columns.includes(c)));
    for (const name of columns) {
      const c = this.col(name);
      const floatName = this.dtype(name) === 'float';
      for (const u of this.unique(name)) {
        const label = typeof u === 'number' && floatName && Number.isInteger(u) ? `${u}.0` : valueText(u);
        df.set(`${name}_${label}`, c.map((v) => (v === u ? 1 : 0)), 'int');
      }
    }
    return df;
  }

  /** The frame as CSV text (header, then rows; fields quoted where needed), as pandas' `to_csv(index=False)`. */
  toCsv(): string {
    const quote = (s: string) => (/[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
    const cols = this.columns;
    const lines = [cols.map(quote).join(',')];
    for (let i = 0; i < this.#length; i++) lines.push(cols.map((n) => quote(valueText(this.#cols.get(n)![i]!))).join(','));
    return `${lines.join('\n')}\n`;
  }

  /** The first rows, as pandas prints `df.head()` (plain columns, for a terminal). */
  toString(maxRows = 5): string {
    const cols = this.columns;
    const rows = Array.from({ length: Math.min(maxRows, this.#length) }, (_, i) => cols.map((n) => (this.#cols.get(n)![i] === null ? 'NaN' : valueText(this.#cols.get(n)![i]!))));
    const widths = cols.map((n, j) => Math.max(n.length, ...rows.map((r) => r[j]!.length)));
    const line = (cells: string[]) => cells.map((c, j) => c.padStart(widths[j]!)).join('  ');
    return [line(cols), ...rows.map(line), `[${this.#length} rows x ${cols.length} columns]`].join('\n');
  }
}
