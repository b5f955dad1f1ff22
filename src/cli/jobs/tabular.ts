/**
 * `owlet tabular --train <csv> --y <column>`: a table to a trained, exported tabular learner, with
 * fastai's table (`epoch train_loss valid_loss accuracy time` for categories), and with `--test`
 * predictions for another table, written as a submission (`<id>,<target>`, Kaggle's layout).
 * The columns' roles are inferred and printed (tabular-columns.ts). A continuous column with
 * missing values in the test table but none in training is filled with its training median, and a
 * note says so (FillMissing's `unseen: 'fill'`).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { manualSeed, pyFixed, setNumThreads } from '../../engine/index.js';
import { accuracy, type Learner } from '../../learner/index.js';
import {
  Categorify, DataFrame, FillMissing, Normalize, readCsv, TabularDataError, TabularDataLoaders, tabularLearner, type TabularState,
} from '../../tabular/index.js';
import { UserError } from '../errors.js';
import { planColumns, type ColumnPlan } from './tabular-columns.js';

export interface TabularJobOptions {
  train: string;
  y: string;
  test?: string;
  submission?: string;
  cat?: string;
  cont?: string;
  epochs?: number;
  lr?: number;
  bs?: number;
  layers?: number[];
  validPct?: number;
  seed?: number;
  /** Where to export (default `<train's folder>/export.safetensors`); null: no export. */
  export?: string | null;
  threads?: number;
  out?: (line: string) => void;
}

export const TABULAR_DEFAULTS = { epochs: 5, lr: 1e-2, bs: 64, layers: [200, 100], validPct: 0.2, seed: 42 };

/** Runs `fn`, turning a TabularDataError into a UserError that names the file. */
function inFile<T>(file: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof TabularDataError) throw new UserError(e.message.startsWith(file) ? e.message : `${file}: ${e.message}`, { cause: e });
    throw e;
  }
}

/** Notes for continuous columns that are missing in `df` but were complete in training (they are filled with the training median). */
function unseenMissing(df: DataFrame, state: TabularState, file: string): string[] {
  return state.contNames
    .filter((n) => df.has(n) && !(n in state.naDict))
    .map((n) => [n, df.col(n).filter((v) => v === null).length] as const)
    .filter(([, k]) => k > 0)
    .map(([n, k]) => `note: ${file}: '${n}' has ${k} missing value${k > 1 ? 's' : ''} but none in training: filled with the training median, ${pyFixed(state.medians[n]!, 4)}`);
}

export interface TabularJobResult {
  learn: Learner;
  dls: TabularDataLoaders;
  plan: ColumnPlan;
  exportFile: string | null;
  validAccuracy: number | null;
}

export async function tabularJob(options: TabularJobOptions): Promise<TabularJobResult> {
  const out = options.out ?? ((l: string) => process.stdout.write(`${l}\n`));
  const o = { ...TABULAR_DEFAULTS, ...Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) } as typeof TABULAR_DEFAULTS & TabularJobOptions;
  if (options.submission !== undefined && options.test === undefined) throw new UserError('--submission needs --test: the table to predict');
  // libtorch's own default (one thread a physical core): a tabular model's matrices are small, and
  // handing them to a second thread costs more than it saves (README, Tables: Titanic).
  if (options.threads !== undefined) setNumThreads(options.threads);
  const df = inFile(o.train, () => readCsv(o.train));
  const plan = planColumns(df, o.y, { ...(o.cat !== undefined ? { cat: o.cat } : {}), ...(o.cont !== undefined ? { cont: o.cont } : {}), file: o.train });
  out(`${o.train}: ${df.length} rows, ${df.columns.length} columns`);
  for (const l of plan.lines) out(l);
  const dls = inFile(o.train, () =>
    TabularDataLoaders.fromDf(df, {
      yNames: plan.yName, yBlock: plan.yBlock, catNames: plan.catNames, contNames: plan.contNames,
      procs: [Categorify, FillMissing({ unseen: 'fill' }), Normalize], validPct: o.validPct, seed: o.seed, bs: o.bs,
    }),
  );
  out(`training on ${dls.train.n} rows, validating on ${dls.valid.n} (${Math.round(o.validPct * 100)} % held out at random, seed ${o.seed}); ` +
    `layers [${o.layers.join(', ')}], batch ${o.bs}, fitOneCycle(${o.epochs}, lr ${o.lr})`);
  manualSeed(o.seed);
  const learn = tabularLearner(dls, { layers: o.layers, metrics: plan.yBlock === 'category' ? [accuracy] : [], logger: out });
  await learn.fitOneCycle(o.epochs, { lrMax: o.lr });
  const [validLoss, acc] = await learn.validate();
  const validAccuracy = plan.yBlock === 'category' ? acc ?? null : null;
  out(plan.yBlock === 'category' ? `validation accuracy: ${pyFixed(validAccuracy!, 4)}` : `validation mse: ${pyFixed(validLoss!, 4)}`);

  let exportFile: string | null = null;
  if (options.export !== null) {
    exportFile = resolve(options.export ?? join(dirname(o.train), 'export.safetensors'));
    mkdirSync(dirname(exportFile), { recursive: true });
    learn.export(exportFile);
    out(`exported the model to ${exportFile}`);
  }
  if (o.test !== undefined) await predictTable(learn, dls, plan, o.test, o.submission, out);
  return { learn, dls, plan, exportFile, validAccuracy };
}

async function predictTable(learn: Learner, dls: TabularDataLoaders, plan: ColumnPlan, test: string, submission: string | undefined, out: (l: string) => void): Promise<void> {
  const tst = inFile(test, () => readCsv(test));
  for (const note of unseenMissing(tst, dls.state, test)) out(note);
  const dl = inFile(test, () => dls.testDl(tst));
  const { preds } = await learn.getPreds(dl);
  const values =
    plan.yBlock === 'category'
      ? (preds.argmax(1).toFlatArray() as number[]).map((i) => labelValue(dls.vocab[i]!))
      : (preds.reshape(-1).toFlatArray() as number[]);
  const idName = plan.idName !== null && tst.has(plan.idName) ? plan.idName : null;
  const sub = new DataFrame(idName !== null ? { [idName]: tst.col(idName), [plan.yName]: values } : { row: tst.col(tst.columns[0]!).map((_, i) => i + 1), [plan.yName]: values });
  const file = resolve(submission ?? join(dirname(test), 'submission.csv'));
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, sub.toCsv());
  out(`wrote ${tst.length} predictions (${idName ?? 'row'},${plan.yName}) to ${file}`);
}

/** A class label as the submission writes it: a number when it is one (Survived 0/1), else the text. */
function labelValue(label: string): number | string {
  return /^-?\d+$/.test(label) ? Number(label) : label;
}
