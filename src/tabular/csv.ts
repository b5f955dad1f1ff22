/**
 * Reading a CSV file into a DataFrame as pandas' `read_csv` does with its defaults: the first line
 * is the header; a column whose every present value is a number is numeric ('int' when all are
 * whole numbers written without a decimal point and none is missing, else 'float'); `True`/`False`
 * columns are booleans; the rest are text. pandas' default missing markers (empty, `NA`, `NaN`,
 * `null`, …) are missing values. Parsing is csv-parse's (quotes, escaped quotes, CRLF).
 *
 * What cannot be read is a TabularDataError naming the file and the line: an empty file, a file
 * with a header only where rows are needed, a row with more or fewer fields than the header, a
 * broken quote, a header with an empty or repeated name.
 */
import { readFileSync, existsSync, statSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { DataFrame, type Dtype, type Value } from './dataframe.js';
import { TabularDataError } from './errors.js';

/** pandas' default `na_values`. */
const NA = new Set(['', '#N/A', '#N/A N/A', '#NA', '-1.#IND', '-1.#QNAN', '-NaN', '-nan', '1.#IND', '1.#QNAN', '<NA>', 'N/A', 'NA', 'NULL', 'NaN', 'None', 'n/a', 'nan', 'null']);
const NUMBER = /^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$/;
const INTEGER = /^\s*[+-]?\d+\s*$/;

export interface ReadCsvOptions {
  /** The CSV's text, instead of reading `file` (which then only names it in messages). */
  text?: string;
  /** Refuse a file without data rows (default true). */
  requireRows?: boolean;
}

/** The columns of parsed text fields, typed as pandas would type them. */
export function typeColumns(header: readonly string[], records: readonly (readonly string[])[]): DataFrame {
  const cols = new Map<string, Value[]>();
  const dtypes: Record<string, Dtype> = {};
  header.forEach((name, j) => {
    const raw = records.map((r) => r[j]!);
    const present = raw.filter((s) => !NA.has(s));
    let values: Value[];
    if (present.length > 0 && present.every((s) => NUMBER.test(s))) {
      values = raw.map((s) => (NA.has(s) ? null : Number(s)));
      dtypes[name] = present.length === raw.length && present.every((s) => INTEGER.test(s)) ? 'int' : 'float';
    } else if (present.length > 0 && present.length === raw.length && present.every((s) => s === 'True' || s === 'False')) {
      values = raw.map((s) => s === 'True');
      dtypes[name] = 'bool';
    } else {
      values = raw.map((s) => (NA.has(s) ? null : s));
      dtypes[name] = present.length === 0 ? 'float' : 'string';
    }
    cols.set(name, values);
  });
  return new DataFrame(cols, dtypes);
}

/** Reads `file` (a CSV with a header line) into a DataFrame; see the module's notes. */
export function readCsv(file: string, options: ReadCsvOptions = {}): DataFrame {
  let text = options.text;
  if (text === undefined) {
    if (!existsSync(file)) throw new TabularDataError(`${file}: no such file`);
    if (statSync(file).isDirectory()) throw new TabularDataError(`${file}: is a directory, not a CSV file`);
    text = readFileSync(file, 'utf8');
  }
  if (text.trim() === '') throw new TabularDataError(`${file}: the file is empty: a CSV needs a header line naming the columns, then one line a row`);
  const options_ = { relax_column_count: true, skip_empty_lines: true, bom: true } as const;
  let records: string[][];
  try {
    records = parse(text, options_) as string[][];
  } catch (e) {
    const err = e as Error & { lines?: number };
    throw new TabularDataError(`${file}: not valid CSV${err.lines !== undefined ? ` at line ${err.lines}` : ''}: ${err.message}`);
  }
  // The line of record i, for messages: parsed again with csv-parse's record info only when needed.
  const lineOf = (i: number): number => (parse(text!, { ...options_, info: true }) as unknown as { info: { lines: number } }[])[i]!.info.lines;
  const header = records[0]!.map((h) => h.trim());
  const seen = new Set<string>();
  header.forEach((h, j) => {
    if (h === '') throw new TabularDataError(`${file}: column ${j + 1} of the header (line 1) has no name`);
    if (seen.has(h)) throw new TabularDataError(`${file}: the header (line 1) names the column '${h}' twice`);
    seen.add(h);
  });
  const rows = records.slice(1);
  rows.forEach((r, i) => {
    if (r.length !== header.length)
      throw new TabularDataError(`${file}: row ${i + 1} (line ${lineOf(i + 1)}) has ${r.length} field${r.length === 1 ? '' : 's'} but the header has ${header.length} (${header.join(', ')}): every row needs one value a column (an empty field for a missing one)`);
  });
  if ((options.requireRows ?? true) && rows.length === 0) throw new TabularDataError(`${file}: the file has a header but no rows`);
  return typeColumns(header, rows);
}
