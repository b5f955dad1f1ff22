/**
 * fastai's `cont_cat_split(df, max_card=20, dep_var=None)`: which columns are continuous and which
 * categorical, from their dtypes — a float column is continuous, an integer column with more than
 * `maxCard` distinct values is continuous, everything else (text, booleans, integers with few
 * values) is categorical. The target columns are left out. Returns `[contNames, catNames]`, as fastai.
 */
import type { DataFrame } from './dataframe.js';

export function contCatSplit(df: DataFrame, maxCard = 20, depVar: string | readonly string[] = []): [contNames: string[], catNames: string[]] {
  const dep = new Set(typeof depVar === 'string' ? [depVar] : depVar);
  const cont: string[] = [];
  const cat: string[] = [];
  for (const name of df.columns) {
    if (dep.has(name)) continue;
    const dtype = df.dtype(name);
    if (dtype === 'float' || (dtype === 'int' && df.unique(name).length > maxCard)) cont.push(name);
    else cat.push(name);
  }
  return [cont, cat];
}
