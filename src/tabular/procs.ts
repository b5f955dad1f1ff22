/**
 * fastai's tabular processors, set up on the training rows and applied to every set, their state
 * plain JSON (it travels in an export):
 *
 * - `FillMissing` (order 0): a continuous column with missing values in the training set is filled
 *   with its training median (fastai's default `FillStrategy.median`), and a `<col>_na` column
 *   (true where the value was missing) is added to the categorical columns. A column that was
 *   complete in training but has missing values later is fastai's error, naming the column — or,
 *   with `FillMissing({unseen: 'fill'})`, filled with its training median (no `_na` column: the
 *   model has none), which the command line uses and says so.
 * - `Categorify` (order 1): each categorical column's vocabulary is `#na#` then the training set's
 *   values, sorted; a value becomes its index, and a missing or unseen value 0 (`#na#`).
 * - `Normalize` (order 2): continuous columns become `(x - mean) / std` with the training set's
 *   mean and standard deviation (ddof 0, plus 1e-7), as fastai's.
 *
 * They run in that order whatever order they are given in, as fastai's Pipeline sorts them.
 */
import { compareValues, valueText, type DataFrame, type Value } from './dataframe.js';
import { TabularDataError } from './errors.js';

export type FillStrategy = 'median' | 'mode' | 'constant';

export type ProcSpec =
  | { name: 'Categorify' }
  | { name: 'FillMissing'; fillStrategy: FillStrategy; fillVal: number; addCol: boolean; unseen: 'error' | 'fill' }
  | { name: 'Normalize' };

/** A processor as `procs` takes it: `Categorify`, or `FillMissing({addCol: false})`. */
export type TabularProc = ProcSpec | (() => ProcSpec);

export const Categorify = (): ProcSpec => ({ name: 'Categorify' });
export const Normalize = (): ProcSpec => ({ name: 'Normalize' });
export const FillMissing = (options: { fillStrategy?: FillStrategy; fillVal?: number; addCol?: boolean; unseen?: 'error' | 'fill' } = {}): ProcSpec => ({
  name: 'FillMissing',
  fillStrategy: options.fillStrategy ?? 'median',
  fillVal: options.fillVal ?? 0,
  addCol: options.addCol ?? true,
  unseen: options.unseen ?? 'error',
});

const ORDER = { FillMissing: 0, Categorify: 1, Normalize: 2 } as const;

/** The processors as specs, in fastai's order. */
export function resolveProcs(procs: readonly TabularProc[]): ProcSpec[] {
  return procs.map((p) => (typeof p === 'function' ? p() : p)).sort((a, b) => ORDER[a.name] - ORDER[b.name]);
}

/** Everything the processors learnt from the training set, and the columns' roles. */
export interface TabularState {
  /** Categorical columns, in the model's order (FillMissing's `<col>_na` columns at the end). */
  catNames: string[];
  contNames: string[];
  yNames: string[];
  yBlock: 'category' | 'regression';
  /** The target's classes, sorted (a categorical target). */
  yVocab: string[];
  procs: ProcSpec[];
  /** Categorify: each categorical column's vocabulary, `#na#` first. */
  classes: Record<string, string[]>;
  /** FillMissing: the fill of each continuous column that had missing values in training. */
  naDict: Record<string, number>;
  /** The training median of every continuous column (FillMissing's `unseen: 'fill'`). */
  medians: Record<string, number>;
  means: Record<string, number>;
  stds: Record<string, number>;
}

export interface TabularColumns {
  catNames: string[];
  contNames: string[];
  yNames: string[];
  yBlock: 'category' | 'regression';
}

function fillValue(df: DataFrame, name: string, spec: Extract<ProcSpec, { name: 'FillMissing' }>): number {
  if (spec.fillStrategy === 'constant') return spec.fillVal;
  if (spec.fillStrategy === 'median') return df.median(name);
  return df.mode(name) as number;
}

function meanStd(v: Float64Array): [number, number] {
  let s = 0;
  for (const x of v) s += x;
  const mean = s / v.length;
  let ss = 0;
  for (const x of v) ss += (x - mean) ** 2;
  return [mean, Math.sqrt(ss / v.length) + 1e-7];
}

/** Sets the processors up on the training rows `train`: their vocabularies, fills, means and stds. */
export function setupProcs(train: DataFrame, cols: TabularColumns, procs: readonly TabularProc[]): TabularState {
  const specs = resolveProcs(procs);
  for (const n of [...cols.catNames, ...cols.contNames, ...cols.yNames]) train.col(n);
  const state: TabularState = { ...cols, catNames: [...cols.catNames], yVocab: [], procs: specs, classes: {}, naDict: {}, medians: {}, means: {}, stds: {} };
  const df = train.select([...new Set([...cols.catNames, ...cols.contNames, ...cols.yNames])]);
  for (const n of cols.contNames) state.medians[n] = df.median(n);
  const fill = specs.find((p) => p.name === 'FillMissing') as Extract<ProcSpec, { name: 'FillMissing' }> | undefined;
  if (fill !== undefined) {
    for (const n of cols.contNames) {
      if (!df.numbers(n).some(Number.isNaN)) continue;
      state.naDict[n] = fillValue(df, n, fill);
      if (fill.addCol && !state.catNames.includes(`${n}_na`)) state.catNames.push(`${n}_na`);
    }
  }
  applyFill(df, state);
  if (specs.some((p) => p.name === 'Categorify')) {
    for (const n of state.catNames) state.classes[n] = ['#na#', ...df.unique(n).map(valueText)];
  } else if (state.catNames.length > 0) {
    throw new TabularDataError(`categorical columns (${state.catNames.join(', ')}) need the Categorify processor to become codes: add it to procs`);
  }
  if (specs.some((p) => p.name === 'Normalize')) {
    for (const n of cols.contNames) [state.means[n], state.stds[n]] = meanStd(df.numbers(n));
  }
  if (cols.yBlock === 'category') {
    if (cols.yNames.length !== 1) throw new TabularDataError(`a categorical target is one column, got ${cols.yNames.length} (${cols.yNames.join(', ')})`);
    const y = df.col(cols.yNames[0]!);
    if (y.includes(null)) throw new TabularDataError(`the target column '${cols.yNames[0]}' has missing values in the training rows (row ${y.indexOf(null) + 1} of the training set): fill or drop them`);
    state.yVocab = [...new Set(y)].sort(compareValues).map(valueText);
  }
  return state;
}

/** FillMissing on a copy of the continuous columns: fills, adds the `_na` columns; an unseen missing value is an error or a fill. */
function applyFill(df: DataFrame, state: TabularState): void {
  const fill = state.procs.find((p) => p.name === 'FillMissing') as Extract<ProcSpec, { name: 'FillMissing' }> | undefined;
  for (const n of state.contNames) {
    const v = df.numbers(n);
    const missing = v.map((x) => (Number.isNaN(x) ? 1 : 0));
    const count = missing.reduce((a, b) => a + b, 0);
    let with_: number | undefined = state.naDict[n];
    if (count > 0 && with_ === undefined) {
      if (fill?.unseen !== 'fill')
        throw new TabularDataError(
          `nan values in '${n}' (${count}, first at row ${missing.indexOf(1) + 1}) but not in the training set, so FillMissing learnt no fill for it (fastai's error): ` +
            `fill them before (e.g. with the training median, ${state.medians[n]}), or use FillMissing({unseen: 'fill'})`,
        );
      with_ = state.medians[n]!;
    }
    if (with_ !== undefined && count > 0) df.set(n, v.map((x) => (Number.isNaN(x) ? with_! : x)), 'float');
    if (n in state.naDict && state.catNames.includes(`${n}_na`)) df.set(`${n}_na`, Array.from(missing, (m) => m === 1), 'bool');
  }
}

/** The encoded rows: `x` float32 [n, cats + conts] (category codes, then normalised numbers), and the targets if asked. */
export interface Encoded {
  x: Float32Array;
  /** Class indices (int64) or values [n, yNames.length] (float32); null without labels. */
  y: BigInt64Array | Float32Array | null;
  n: number;
}

/** Applies the processors set up in `state` to `df`; with `labels`, the targets too (an error if a target is missing or unknown). */
export function applyProcs(input: DataFrame, state: TabularState, labels: boolean): Encoded {
  const absent = [...state.catNames.filter((c) => !c.endsWith('_na') || !(c.slice(0, -3) in state.naDict)), ...state.contNames].filter((c) => !input.has(c));
  if (absent.length > 0) throw new TabularDataError(`the table has no column${absent.length > 1 ? 's' : ''} ${absent.map((c) => `'${c}'`).join(', ')}, which the model was trained with (its columns: ${input.columns.join(', ')})`);
  const df = input.select([...new Set([...state.catNames.filter((c) => input.has(c)), ...state.contNames, ...(labels ? state.yNames : [])])]);
  applyFill(df, state);
  const n = df.length;
  const nCat = state.catNames.length;
  const width = nCat + state.contNames.length;
  const x = new Float32Array(n * width);
  state.catNames.forEach((c, j) => {
    const index = new Map(state.classes[c]!.map((v, i) => [v, i]));
    const col = df.col(c);
    for (let i = 0; i < n; i++) x[i * width + j] = col[i] === null ? 0 : (index.get(valueText(col[i]!)) ?? 0);
  });
  state.contNames.forEach((c, k) => {
    const v = df.numbers(c);
    const mean = state.means[c] ?? 0;
    const std = state.stds[c] ?? 1;
    for (let i = 0; i < n; i++) x[i * width + nCat + k] = (v[i]! - mean) / std;
  });
  if (!labels) return { x, y: null, n };
  return { x, y: encodeTargets(df, state), n };
}

function encodeTargets(df: DataFrame, state: TabularState): BigInt64Array | Float32Array {
  if (state.yBlock === 'category') {
    const name = state.yNames[0]!;
    const index = new Map(state.yVocab.map((v, i) => [v, i]));
    return BigInt64Array.from(df.col(name), (v: Value, i) => {
      const k = v === null ? undefined : index.get(valueText(v));
      if (k === undefined) throw new TabularDataError(`the target '${name}' of row ${i + 1} is ${v === null ? 'missing' : `'${valueText(v)}'`}, not one of the training set's classes (${state.yVocab.join(', ')})`);
      return BigInt(k);
    });
  }
  const ys = state.yNames.map((c) => df.numbers(c));
  const out = new Float32Array(df.length * ys.length);
  ys.forEach((v, j) =>
    v.forEach((y, i) => {
      if (Number.isNaN(y)) throw new TabularDataError(`the target '${state.yNames[j]}' of row ${i + 1} is missing: fill or drop the row`);
      out[i * ys.length + j] = y;
    }),
  );
  return out;
}
