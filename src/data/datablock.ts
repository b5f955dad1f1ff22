/**
 * `DataBlock`: fastai's data block API for image classification, the builder under
 * `ImageDataLoaders`. It says where the items come from (`getItems`), how to label them (`getY`),
 * how to split them (`splitter`) and how to transform them (`itemTfms`, `batchTfms`);
 * `datasets()` applies the first three; `dataloaders()` makes the loaders — an image
 * pipeline's, installed by src/vision/datablock.ts (vision builds on data, not the reverse).
 *
 *     const dblock = new DataBlock({
 *       getItems: getImageFiles,
 *       getY: usingName(RegexLabeller(String.raw`^([^/]+)_\d+`)),
 *       splitter: RandomSplitter({ validPct: 0.2, seed: 42 }),
 *       itemTfms: Resize(224),
 *       batchTfms: augTransforms(),
 *     });
 *     const dls = dblock.dataloaders('images', { bs: 64 });
 */
import type { BatchTransform } from './batch-transform.js';
import { compareCodePoints, getImageFiles } from './files.js';
import type { ItemTransform } from './item-transforms.js';
import { labelItems, LabelError, type LabelFunc } from './labellers.js';
import { RandomSplitter, type Splitter } from './splitters.js';

export interface DataBlockOptions {
  /** From the source (a folder) to the items; default `getImageFiles`. */
  getItems?: (source: string) => string[];
  /** The label of an item (a path). */
  getY: LabelFunc;
  /** Default `RandomSplitter()` (20 %, unseeded), as fastai. */
  splitter?: Splitter;
  /** A Resize-like transform (at most one). */
  itemTfms?: ItemTransform | readonly ItemTransform[] | null;
  batchTfms?: BatchTransform | readonly BatchTransform[] | null;
  /** The classes, in the order to use; default the sorted labels of the training set. */
  vocab?: readonly string[];
}

/** The split, labelled items: what `dataloaders` turns into loaders. */
export interface Datasets {
  train: { files: string[]; labels: string[] };
  valid: { files: string[]; labels: string[] };
  vocab: string[];
}

function list<T>(x: T | readonly T[] | null | undefined): T[] {
  if (x === null || x === undefined) return [];
  return Array.isArray(x) ? [...(x as T[])] : [x as T];
}

/** fastai's `CategoryMap`: the sorted distinct labels (Python's code-point order). */
export function makeVocab(labels: readonly string[]): string[] {
  return [...new Set(labels)].sort(compareCodePoints);
}

export class DataBlock {
  readonly getItems: (source: string) => string[];
  readonly getY: LabelFunc;
  readonly splitter: Splitter;
  readonly itemTfm: ItemTransform | null;
  readonly batchTfms: BatchTransform[];
  readonly vocab: readonly string[] | undefined;

  constructor(options: DataBlockOptions) {
    if (typeof options.getY !== 'function') throw new TypeError('DataBlock: getY (a label function) is required');
    this.getItems = options.getItems ?? ((s) => getImageFiles(s));
    this.getY = options.getY;
    this.splitter = options.splitter ?? RandomSplitter();
    const itemTfms = list(options.itemTfms);
    if (itemTfms.length > 1) throw new Error(`DataBlock: owlet takes one resizing item transform (Resize or RandomResizedCrop), got ${itemTfms.length}`);
    this.itemTfm = itemTfms[0] ?? null;
    this.batchTfms = list(options.batchTfms);
    this.vocab = options.vocab;
  }

  /** Items, labels and split from a source folder, or from a list of items. */
  datasets(source: string | readonly string[]): Datasets {
    const items = typeof source === 'string' ? this.getItems(source) : [...source];
    if (items.length === 0) throw new Error(`no items found${typeof source === 'string' ? ` in ${source}` : ''}`);
    const labels = labelItems(items, this.getY);
    const [t, v] = this.splitter(items);
    const pick = (idx: number[]) => ({ files: idx.map((i) => items[i]!), labels: idx.map((i) => labels[i]!) });
    const train = pick(t);
    const valid = pick(v);
    if (train.files.length === 0) throw new Error(`the split left no item for training (${items.length} items, ${valid.files.length} for validation)`);
    const vocab = this.vocab ? [...this.vocab] : makeVocab(train.labels);
    const known = new Set(vocab);
    for (const [k, set] of [['validation', valid], ['training', train]] as const) {
      const i = set.labels.findIndex((l) => !known.has(l));
      if (i >= 0) throw new LabelError(`the ${k} item ${set.files[i]} has the label '${set.labels[i]}', which is not in the vocabulary (the training set's labels${this.vocab ? ', as given' : ''}: ${vocab.join(', ')})`, set.files[i]!);
    }
    return { train, valid, vocab };
  }
}
