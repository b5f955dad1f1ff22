/**
 * What `owlet tabular` makes of a table's columns, printed before training: the target's kind
 * (categories when it is text, booleans, or whole numbers with at most 20 distinct values, as
 * notebook 06's `y_block=CategoryBlock()` for Survived; a regression otherwise), identifiers
 * (whole numbers or text, every value distinct) and free text (more distinct values than
 * max(20, half the rows)) left out, and the rest split by fastai's `cont_cat_split(max_card=20)`.
 * `--cat`/`--cont` name the columns instead.
 */
import { contCatSplit, type DataFrame } from '../../tabular/index.js';
import { UserError } from '../errors.js';

export const MAX_CARD = 20;

export interface ColumnPlan {
  yName: string;
  yBlock: 'category' | 'regression';
  catNames: string[];
  contNames: string[];
  /** An identifier column, if one was found (PassengerId): the submission's first column. */
  idName: string | null;
  /** One line a column, for the printout. */
  lines: string[];
}

function nameList(text: string | undefined): string[] | undefined {
  return text === undefined ? undefined : text.split(',').map((s) => s.trim()).filter((s) => s !== '');
}

export function planColumns(df: DataFrame, yName: string, options: { cat?: string; cont?: string; file: string }): ColumnPlan {
  if (!df.has(yName)) throw new UserError(`${options.file}: no target column '${yName}' (--y): its columns are ${df.columns.join(', ')}`);
  const yType = df.dtype(yName);
  const yValues = df.unique(yName);
  const yBlock = yType === 'string' || yType === 'bool' || (yType === 'int' && yValues.length <= MAX_CARD) ? 'category' : 'regression';
  if (yBlock === 'category' && yValues.length < 2) throw new UserError(`${options.file}: the target '${yName}' has ${yValues.length} distinct value${yValues.length === 1 ? '' : 's'}: a classifier needs at least 2`);
  const lines: string[] = [];
  const width = Math.max(...df.columns.map((c) => c.length));
  const line = (name: string, what: string) => lines.push(`  ${name.padEnd(width)}  ${df.dtype(name).padEnd(6)}  ${what}`);
  const missing = (name: string) => {
    const n = df.col(name).filter((v) => v === null).length;
    return n > 0 ? `, ${n} missing` : '';
  };
  let idName: string | null = null;
  const left: string[] = [];
  for (const name of df.columns) {
    if (name === yName) continue;
    const distinct = df.unique(name).length;
    const type = df.dtype(name);
    if ((type === 'int' || type === 'string') && distinct === df.length && df.length > MAX_CARD) {
      idName ??= type === 'int' ? name : null;
      left.push(name);
    } else if (type === 'string' && distinct > Math.max(MAX_CARD, df.length / 2)) left.push(name);
  }
  const cat = nameList(options.cat);
  const cont = nameList(options.cont);
  let catNames: string[];
  let contNames: string[];
  const keep = df.select(df.columns.filter((c) => c !== yName && !left.includes(c)));
  const [autoCont, autoCat] = contCatSplit(keep, MAX_CARD);
  if (cat !== undefined || cont !== undefined) {
    for (const n of [...(cat ?? []), ...(cont ?? [])]) if (!df.has(n)) throw new UserError(`${options.file}: no column '${n}' (--cat/--cont): its columns are ${df.columns.join(', ')}`);
    catNames = cat ?? autoCat.filter((c) => !(cont ?? []).includes(c));
    contNames = cont ?? autoCont.filter((c) => !(cat ?? []).includes(c));
  } else {
    catNames = autoCat;
    contNames = autoCont;
  }
  for (const name of df.columns) {
    const distinct = df.unique(name).length;
    if (name === yName) line(name, yBlock === 'category' ? `target: categories ${yValues.slice(0, 10).join(', ')}${yValues.length > 10 ? ', …' : ''}` : 'target: regression (numbers)');
    else if (catNames.includes(name)) line(name, `categorical (${distinct} value${distinct === 1 ? '' : 's'}${missing(name)})`);
    else if (contNames.includes(name)) line(name, `continuous${missing(name)}`);
    else if (left.includes(name)) line(name, df.dtype(name) === 'string' && distinct !== df.length ? `free text (${distinct} distinct values): left out` : 'identifier (every value distinct): left out');
    else line(name, 'left out');
  }
  if (catNames.length + contNames.length === 0) throw new UserError(`${options.file}: no column is left to learn from besides the target '${yName}'`);
  return { yName, yBlock, catNames, contNames, idName, lines };
}
