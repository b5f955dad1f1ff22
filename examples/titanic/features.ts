/**
 * The feature engineering of the course's notebook 06 ("Why you should use a framework"), as a
 * helper of the Titanic examples: `addFeatures(df)` adds, in place,
 *
 * - `LogFare`: log(1 + Fare);
 * - `Family`: SibSp + Parch (missing where either is);
 * - `Alone`: Family is 0 (a boolean; a missing Family is not 0, as in pandas);
 * - `TicketFreq`: how many passengers of the same frame share the ticket (pandas'
 *   `groupby('Ticket')['Ticket'].transform('count')`, so the test set counts its own rows);
 * - `Title`: the word between ", " and "." in the name, kept when it is Mr, Miss, Mrs or Master
 *   and missing otherwise.
 *
 * The notebook's `Deck` (from the first letter of Cabin) is left out: this data has no Cabin column.
 */
import type { DataFrame, Value } from '../../src/tabular/index.js';

const TITLES = new Set(['Mr', 'Miss', 'Mrs', 'Master']);

/** The title of a name written "Surname, Title. Given names" (pandas' `str.split(', ')[1].str.split('.')[0]`). */
export function title(name: Value): string | null {
  if (typeof name !== 'string') return null;
  const after = name.split(', ')[1];
  if (after === undefined) return null;
  const t = after.split('.')[0]!;
  return TITLES.has(t) ? t : null;
}

export function addFeatures(df: DataFrame): DataFrame {
  df.set('LogFare', df.numbers('Fare').map((f) => Math.log1p(f)), 'float');
  const sib = df.numbers('SibSp');
  const par = df.numbers('Parch');
  const family = sib.map((s, i) => s + par[i]!);
  df.set('Family', family, 'float');
  df.set('Alone', Array.from(family, (f) => f === 0), 'bool');
  const tickets = df.col('Ticket');
  const counts = new Map<Value, number>();
  for (const t of tickets) if (t !== null) counts.set(t, (counts.get(t) ?? 0) + 1);
  df.set('TicketFreq', tickets.map((t) => (t === null ? null : counts.get(t)!)), 'float');
  df.set('Title', df.col('Name').map(title), 'string');
  return df;
}
