/**
 * fastai's `TabularDataLoaders.from_df` / `from_csv`: a table's rows split into training and
 * validation (fastai's `RandomSplitter(valid_pct=0.2, seed)` unless `validIdx` says which), the
 * processors set up on the training rows (procs.ts), and every row encoded once, so that a batch
 * is a slice of two tensors: x float32 [bs, nCat + nCont] (model.ts says why one tensor) and y.
 * Training batches are shuffled with the last partial one dropped, validation batches in order
 * (fastai's defaults), bs 64.
 *
 *     const dls = TabularDataLoaders.fromCsv('train.csv', {
 *       yNames: 'Survived', yBlock: 'category', catNames: ['Sex', 'Pclass'], contNames: ['Age', 'Fare'],
 *       procs: [Categorify, FillMissing, Normalize], seed: 42,
 *     });
 *     const tst = dls.testDl(readCsv('test.csv'));     // the training set's vocabularies, fills, means
 */
import { existsSync } from 'node:fs';
import { tensor, type Tensor } from '../engine/index.js';
import type { DataLoader, DataLoaders, InputPipeline } from '../data/types.js';
import { RandomSplitter } from '../data/splitters.js';
import { TensorDataLoader } from '../learner/tensor-data.js';
import { readCsv } from './csv.js';
import { DataFrame, type Row } from './dataframe.js';
import { TabularDataError } from './errors.js';
import { applyProcs, Categorify, FillMissing, Normalize, setupProcs, type Encoded, type TabularProc, type TabularState } from './procs.js';

export interface TabularDataLoadersOptions {
  /** The target column(s). */
  yNames: string | readonly string[];
  /** 'category' (classification, cross-entropy) or 'regression' (MSE); default: category unless the target is numeric, as fastai. */
  yBlock?: 'category' | 'regression';
  catNames?: readonly string[];
  contNames?: readonly string[];
  /** Default `[Categorify, FillMissing, Normalize]`: what fastai's examples pass (fastai's own default is none, which leaves text categories unusable). */
  procs?: readonly TabularProc[];
  /** The share of rows held out for validation (default 0.2), drawn with `seed`. */
  validPct?: number;
  seed?: number;
  /** The validation rows, by index, instead of a random split. */
  validIdx?: readonly number[];
  bs?: number;
  /** Validation batch size (default bs). */
  valBs?: number;
}

/** The pipeline an export stores: the processors' state, which `predict` and `testDl` apply to new rows. */
export interface TabularPipeline extends InputPipeline {
  kind: 'tabular';
  tabular: TabularState;
}

/** What `testDl` takes: a DataFrame, row objects, or CSV files (their rows, in order). */
export type TabularItems = DataFrame | readonly Row[] | readonly string[];

/** A loader over encoded rows; without labels its y holds -1s (a test set). */
export class TabDataLoader extends TensorDataLoader {
  constructor(x: Tensor, y: Tensor, readonly hasLabels: boolean, options: { bs?: number; shuffle?: boolean; dropLast?: boolean } = {}) {
    super(x, y, options);
  }
}

/** The rows of `items` as one DataFrame. */
export function itemsFrame(items: TabularItems): DataFrame {
  if (items instanceof DataFrame) return items;
  if (items.length > 0 && items.every((i) => typeof i === 'string')) {
    const frames = (items as readonly string[]).map((f) => readCsv(f));
    return frames.length === 1 ? frames[0]! : DataFrame.fromRows(frames.flatMap((f) => f.rows()));
  }
  if (items.some((i) => typeof i !== 'object' || i === null || Array.isArray(i)))
    throw new TypeError('a tabular test set is a DataFrame, an array of row objects ({column: value}), or an array of CSV file paths');
  return DataFrame.fromRows(items as readonly Row[]);
}

/** x and y tensors of encoded rows (y: -1s without labels). */
function encodedTensors(e: Encoded, state: TabularState): [Tensor, Tensor] {
  const width = state.catNames.length + state.contNames.length;
  const x = tensor(e.x, { shape: [e.n, width] });
  if (e.y === null) return [x, tensor(new BigInt64Array(e.n).fill(-1n))];
  if (e.y instanceof BigInt64Array) return [x, tensor(e.y)];
  return [x, tensor(e.y, { shape: [e.n, state.yNames.length] })];
}

/** A loader over new rows with the processors of `state` (fastai's `test_dl`); labelled when the rows have the target columns. */
export function tabularTestDl(state: TabularState, items: TabularItems, options: { bs?: number } = {}): TabDataLoader {
  const df = itemsFrame(items);
  const labels = state.yNames.every((n) => df.has(n));
  const [x, y] = encodedTensors(applyProcs(df, state, labels), state);
  return new TabDataLoader(x, y, labels, { bs: options.bs ?? 64, shuffle: false, dropLast: false });
}

/** fastai's check that the frame has the columns, and that continuous columns hold numbers (its row numbers are the file's). */
function checkFrame(df: DataFrame, cat: readonly string[], cont: readonly string[], y: readonly string[]): void {
  if (df.length === 0) throw new TabularDataError('the table has no rows');
  for (const [role, names] of [['target', y], ['categorical', cat], ['continuous', cont]] as const) {
    for (const n of names) if (!df.has(n)) throw new TabularDataError(`no ${role} column '${n}' in the table (its columns: ${df.columns.join(', ')})`);
  }
  for (const n of cont) df.numbers(n);
  for (const n of y) {
    const col = df.col(n);
    const missing = col.filter((v) => v === null).length;
    if (missing > 0) throw new TabularDataError(`the target '${n}' is missing in row ${col.indexOf(null) + 1}${missing > 1 ? ` and ${missing - 1} other row${missing > 2 ? 's' : ''}` : ''}: fill them or drop those rows`);
  }
}

export class TabularDataLoaders implements DataLoaders {
  readonly train: TabDataLoader;
  readonly valid: TabDataLoader;
  readonly vocab: readonly string[];
  readonly c: number;
  readonly pipeline: TabularPipeline;
  /** The row indices of the training and validation sets, in the table's order of rows. */
  readonly splits: [number[], number[]];

  constructor(readonly state: TabularState, train: TabDataLoader, valid: TabDataLoader, splits: [number[], number[]]) {
    this.train = train;
    this.valid = valid;
    this.splits = splits;
    this.vocab = state.yBlock === 'category' ? state.yVocab : [];
    this.c = state.yBlock === 'category' ? state.yVocab.length : state.yNames.length;
    this.pipeline = { kind: 'tabular', tabular: state };
  }

  get catNames(): string[] {
    return this.state.catNames;
  }

  get contNames(): string[] {
    return this.state.contNames;
  }

  get yNames(): string[] {
    return this.state.yNames;
  }

  /** fastai's `TabularDataLoaders.from_df`. */
  static fromDf(df: DataFrame, options: TabularDataLoadersOptions): TabularDataLoaders {
    const yNames = typeof options.yNames === 'string' ? [options.yNames] : [...options.yNames];
    if (yNames.length === 0) throw new TabularDataError('yNames: name the target column');
    const catNames = [...(options.catNames ?? [])];
    const contNames = [...(options.contNames ?? [])];
    checkFrame(df, catNames, contNames, yNames);
    const yBlock = options.yBlock ?? (yNames.every((n) => df.dtype(n) === 'int' || df.dtype(n) === 'float') ? 'regression' : 'category');
    const procs = options.procs ?? [Categorify, FillMissing, Normalize];
    const bs = options.bs ?? 64;
    if (!Number.isInteger(bs) || bs < 1) throw new RangeError(`bs must be a positive whole number, got ${bs}`);
    const items = Array.from({ length: df.length }, (_, i) => String(i));
    const [trainIdx, validIdx] =
      options.validIdx !== undefined
        ? [items.map((_, i) => i).filter((i) => !new Set(options.validIdx).has(i)), [...options.validIdx]]
        : RandomSplitter({ validPct: options.validPct ?? 0.2, ...(options.seed !== undefined ? { seed: options.seed } : {}) })(items);
    if (trainIdx.length === 0) throw new TabularDataError(`no training rows: the table has ${df.length} rows and all went to validation`);
    const trainDf = df.take(trainIdx);
    const state = setupProcs(trainDf, { catNames, contNames, yNames, yBlock }, procs);
    const [tx, ty] = encodedTensors(applyProcs(trainDf, state, true), state);
    const [vx, vy] = encodedTensors(applyProcs(df.take(validIdx), state, true), state);
    const train = new TabDataLoader(tx, ty, true, { bs, shuffle: true, dropLast: true });
    if (train.length === 0) throw new TabularDataError(`${trainIdx.length} training rows are fewer than one batch (bs ${bs}): pass a smaller bs`);
    const valid = new TabDataLoader(vx, vy, true, { bs: options.valBs ?? bs, shuffle: false, dropLast: false });
    return new TabularDataLoaders(state, train, valid, [trainIdx, validIdx]);
  }

  /** fastai's `TabularDataLoaders.from_csv`: reads the file (csv.ts), then `fromDf`. */
  static fromCsv(file: string, options: TabularDataLoadersOptions): TabularDataLoaders {
    if (!existsSync(file)) throw new TabularDataError(`${file}: no such file`);
    return TabularDataLoaders.fromDf(readCsv(file), options);
  }

  /** New rows through the training set's processors (fastai's `test_dl`): a DataFrame, row objects or CSV files. */
  testDl(items: TabularItems, options: { bs?: number } = {}): DataLoader {
    return tabularTestDl(this.state, items, options);
  }
}
