/**
 * Splitters: which items go to training and which to validation. A splitter takes the list of items
 * and returns `[trainIndices, validIndices]`, as fastai's do.
 */
import { basename, dirname } from 'node:path';
import { randperm } from '../engine/index.js';
import { manualSeed } from '../engine/index.js';

export type Splitter = (items: readonly string[]) => [train: number[], valid: number[]];

/**
 * fastai's `RandomSplitter(valid_pct=0.2, seed=None)`: with a seed, `torch.manual_seed(seed)`, then
 * `torch.randperm(n)`; the first `int(validPct * n)` indices are the validation set and the rest the
 * training set, both in the permutation's order. owlet's `randperm` is libtorch's, so the split is
 * exactly fastai's for the same seed and the same list of items (test/golden/make_split_golden.py).
 * Like fastai, seeding resets libtorch's global generator.
 */
export function RandomSplitter(options: { validPct?: number; seed?: number } = {}): Splitter {
  const validPct = options.validPct ?? 0.2;
  if (!(validPct >= 0 && validPct <= 1)) throw new RangeError(`RandomSplitter: validPct must be between 0 and 1, got ${validPct}`);
  return (items) => {
    const n = items.length;
    if (options.seed !== undefined) manualSeed(options.seed);
    const perm = randperm(n);
    const idx = Array.from(perm.toTypedArray() as BigInt64Array, Number);
    perm.dispose();
    // Python's int(valid_pct * n): the float product truncated, as fastai computes it.
    const cut = Math.trunc(validPct * n);
    return [idx.slice(cut), idx.slice(0, cut)];
  };
}

/**
 * fastai's `GrandparentSplitter(train_name='train', valid_name='valid')`: the split comes from the
 * folder above each file's folder (`train/cat/1.jpg`, `valid/dog/7.jpg`). Items under neither are
 * in neither set.
 */
export function GrandparentSplitter(options: { trainName?: string | readonly string[]; validName?: string | readonly string[] } = {}): Splitter {
  const names = (x: string | readonly string[] | undefined, d: string) => new Set(x === undefined ? [d] : typeof x === 'string' ? [x] : x);
  const train = names(options.trainName, 'train');
  const valid = names(options.validName, 'valid');
  return (items) => {
    const t: number[] = [];
    const v: number[] = [];
    items.forEach((o, i) => {
      const g = basename(dirname(dirname(o)));
      if (train.has(g)) t.push(i);
      if (valid.has(g)) v.push(i);
    });
    return [t, v];
  };
}

/** A folder-name splitter: validation for the items with a folder named `validName` in their path. */
export function FolderSplitter(validName: string | readonly string[]): Splitter {
  const names = new Set(typeof validName === 'string' ? [validName] : validName);
  return FuncSplitter((o) => dirname(o).split(/[\\/]/).some((part) => names.has(part)));
}

/** fastai's `FuncSplitter(func)`: validation for the items where `func` is true. */
export function FuncSplitter(func: (item: string, index: number) => boolean): Splitter {
  return (items) => {
    const t: number[] = [];
    const v: number[] = [];
    items.forEach((o, i) => (func(o, i) ? v : t).push(i));
    return [t, v];
  };
}

/** fastai's `IndexSplitter(valid_idx)`: the given indices are the validation set. */
export function IndexSplitter(validIdx: readonly number[]): Splitter {
  const valid = new Set(validIdx);
  return (items) => {
    for (const i of valid) if (!Number.isInteger(i) || i < 0 || i >= items.length) throw new RangeError(`IndexSplitter: index ${i} is out of range for ${items.length} items`);
    const t: number[] = [];
    for (let i = 0; i < items.length; i++) if (!valid.has(i)) t.push(i);
    return [t, [...validIdx]];
  };
}
