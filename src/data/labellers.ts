/**
 * Labelling functions: fastai's `RegexLabeller`, `parent_label`, or any function from an item to
 * its label.
 */
import { basename, dirname, sep } from 'node:path';

/** What a label function receives and gives: an item (a file path) in, a class name out. */
export type LabelFunc = (item: string) => string;

/** A label could not be found for an item: says which item and why. */
export class LabelError extends Error {
  override name = 'LabelError';
  /** 'no-match': the pattern does not fit the item; 'no-group': it fits, but has no group 1 to give the label. */
  constructor(message: string, readonly item: string, readonly reason: 'no-match' | 'no-group' | 'other' = 'other') {
    super(message);
  }
}

/** A label function made by `RegexLabeller`: callable, and it remembers its pattern. */
export interface RegexLabellerFunc extends LabelFunc {
  readonly pattern: RegExp;
}

/**
 * Python's regular-expression syntax that JavaScript spells differently: named groups
 * `(?P<name>...)` and back-references `(?P=name)`. Everything the seed uses is the same in both.
 */
function pythonToJs(pat: string): string {
  return pat.replace(/\(\?P</g, '(?<').replace(/\(\?P=(\w+)\)/g, '\\k<$1>');
}

/**
 * fastai's `RegexLabeller(pat, match=false)`: the label is group 1 of the pattern found in the item
 * (`re.search`, anywhere in the string; `{match: true}` anchors it at the start, as `re.match`).
 * Path separators are turned into '/' first, as fastai does. An item the pattern does not fit throws
 * a `LabelError` naming the item and the pattern.
 *
 *     const label = RegexLabeller(String.raw`^([^/]+)_\d+`);
 *     label('great_pyrenees_173.jpg'); // 'great_pyrenees'
 */
export function RegexLabeller(pat: string | RegExp, options: { match?: boolean } = {}): RegexLabellerFunc {
  const source = typeof pat === 'string' ? pythonToJs(pat) : pat.source;
  const flags = typeof pat === 'string' ? '' : pat.flags.replace(/[gy]/g, '');
  const re = new RegExp(options.match ? `^(?:${source})` : source, flags);
  const shown = typeof pat === 'string' ? pat : pat.source;
  const f = (item: string): string => {
    const s = sep === '/' ? item : item.split(sep).join('/');
    const m = re.exec(s);
    if (m === null) throw new LabelError(`RegexLabeller: the pattern /${shown}/ does not match ${JSON.stringify(s)}`, item, 'no-match');
    if (m.length < 2 || m[1] === undefined)
      throw new LabelError(`RegexLabeller: the pattern /${shown}/ matched ${JSON.stringify(s)} but has no group 1 to give the label`, item, 'no-group');
    return m[1];
  };
  return Object.assign(f, { pattern: re });
}

/** fastai's `parent_label`: the name of the folder the file is in. */
export function parentLabel(item: string): string {
  return basename(dirname(item));
}

/** Applies a label function to the file's name only (fastai's `using_attr(f, 'name')`). */
export function usingName(f: LabelFunc): LabelFunc {
  return (item) => f(basename(item));
}

/**
 * Runs a label function over items, turning any failure into a `LabelError` that names the item
 * (a label function that returns something other than a non-empty string is refused too).
 */
export function labelItems(items: readonly string[], f: LabelFunc): string[] {
  return items.map((item) => {
    let y: unknown;
    try {
      y = f(item);
    } catch (e) {
      if (e instanceof LabelError) throw e;
      throw new LabelError(`the label function failed on ${item}: ${(e as Error).message}`, item);
    }
    if (typeof y !== 'string' || y === '') throw new LabelError(`the label function gave ${JSON.stringify(y)} for ${item}: expected a non-empty string`, item);
    return y;
  });
}
