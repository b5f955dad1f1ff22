/**
 * The model zoo's registry, in timm's manner: one `registerModel` call a model, one file a family,
 * `arch.tag` names whose tags carry their pretrained configs, wildcards in `listModels`, and old
 * names mapped to new ones with a warning.
 */
import type { Tensor } from '../engine/index.js';
import type { Module } from '../nn/index.js';
import type { ForwardHeadOptions } from './layers/classifier.js';

/** What timm's `pretrained_cfg` holds for one tag. */
export interface PretrainedCfg {
  /** Hugging Face hub repository: `timm/convnext_tiny.fb_in22k`. */
  hubId: string;
  /** The weights' file in that repository. */
  filename?: string;
  numClasses: number;
  inputSize: [number, number, number];
  testInputSize?: [number, number, number];
  mean: [number, number, number];
  std: [number, number, number];
  cropPct: number;
  testCropPct?: number;
  interpolation: 'bilinear' | 'bicubic';
  firstConv: string;
  classifier: string;
  license?: string;
  /** The model takes only `inputSize` (timm's `fixed_input_size`: ViT's position embedding). */
  fixedInputSize?: boolean;
}

/** The interface every zoo model has, so that the learner needs no per-architecture table. */
export interface ZooModel extends Module<[Tensor], Tensor> {
  readonly numClasses: number;
  /** Channels of the features the head sees. */
  readonly numFeatures: number;
  /**
   * false when `forwardFeatures` gives tokens rather than a map to pool (ViT): fastai's TimmBody then
   * runs the whole model without its classifier (pooled features) and its head does not pool
   * (fastai's `needs_pool`, which it reads from timm's `pool_size`). Default true.
   */
  readonly needsPool?: boolean;
  forwardFeatures(x: Tensor): Tensor;
  forwardHead(x: Tensor, options?: ForwardHeadOptions): Tensor;
  /** Replaces the classifier with a new one for `numClasses` (0: no classifier, features out). */
  resetClassifier(numClasses: number): void;
  /** The config of the tag it was made for, when there is one. */
  pretrainedCfg?: PretrainedCfg & { tag: string; architecture: string };
}

/** Where a stage's output is found, and its channels and stride from the input (timm's `feature_info`). */
export interface FeatureInfo {
  numChs: number;
  reduction: number;
  module: string;
}

export interface CreateModelOptions {
  /** Load the published weights of the tag (default tag: the first registered). */
  pretrained?: boolean;
  numClasses?: number;
  inChans?: number;
  dropRate?: number;
  dropPathRate?: number;
  /** A local weights file (safetensors) to load instead of the hub's. */
  checkpointPath?: string;
}

export type ModelOptions = Omit<CreateModelOptions, 'pretrained' | 'checkpointPath'>;
export type ModelFactory = (options: ModelOptions) => ZooModel;

interface Entry {
  name: string;
  factory: ModelFactory;
  /** Tags in order of preference: the first is the default. */
  cfgs: Map<string, PretrainedCfg>;
}

const registry = new Map<string, Entry>();
const deprecated = new Map<string, string>();

export function registerModel(name: string, factory: ModelFactory, cfgs: Record<string, PretrainedCfg> = {}): void {
  if (registry.has(name)) throw new Error(`model '${name}' is registered twice`);
  registry.set(name, { name, factory, cfgs: new Map(Object.entries(cfgs)) });
}

/** An old name that now means `arch.tag` (timm's `register_model_deprecations`). */
export function registerDeprecated(oldName: string, newName: string): void {
  deprecated.set(oldName, newName);
}

function globToRegExp(pattern: string): RegExp {
  const escaped = pattern.replace(/[.+^${}()|\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${escaped}$`);
}

/**
 * Names of the registered models, sorted, filtered by wildcards (`convnext*`); with
 * `{pretrained: true}`, the `arch.tag` names that have published weights.
 */
export function listModels(pattern: string | string[] = '*', options: { pretrained?: boolean; exclude?: string | string[] } = {}): string[] {
  const include = (Array.isArray(pattern) ? pattern : [pattern]).map(globToRegExp);
  const exclude = (Array.isArray(options.exclude) ? options.exclude : options.exclude ? [options.exclude] : []).map(globToRegExp);
  const names: string[] = [];
  for (const entry of registry.values()) {
    const candidates = options.pretrained ? [...entry.cfgs.keys()].map((tag) => `${entry.name}.${tag}`) : [entry.name];
    for (const n of candidates) {
      const match = (r: RegExp) => r.test(n) || (options.pretrained === true && r.test(entry.name));
      if (include.some(match) && !exclude.some(match)) names.push(n);
    }
  }
  return names.sort();
}

/** Splits `convnext_tiny.fb_in22k` into architecture and tag, resolving deprecated names. */
export function parseModelName(name: string): { architecture: string; tag: string | undefined } {
  let full = name;
  const renamed = deprecated.get(name);
  if (renamed !== undefined) {
    process.emitWarning(`model name '${name}' is deprecated: use '${renamed}'`, 'DeprecationWarning');
    full = renamed;
  }
  const dot = full.indexOf('.');
  const architecture = dot < 0 ? full : full.slice(0, dot);
  const tag = dot < 0 ? undefined : full.slice(dot + 1);
  return { architecture, tag };
}

function closest(name: string): string[] {
  const stem = name.split(/[_.]/)[0] ?? name;
  return [...registry.keys()].filter((n) => n.startsWith(stem)).slice(0, 8);
}

export function isModel(name: string): boolean {
  return registry.has(parseModelName(name).architecture);
}

/** The entry for a name, or an error that lists near names. */
export function getModelEntry(name: string): { factory: ModelFactory; architecture: string; tag?: string; cfg?: PretrainedCfg } {
  const { architecture, tag } = parseModelName(name);
  const entry = registry.get(architecture);
  if (!entry) {
    const near = closest(architecture);
    throw new Error(`unknown model '${name}'.${near.length ? ` Did you mean one of: ${near.join(', ')}?` : ''} \`owlet models\` lists them all.`);
  }
  if (tag !== undefined && !entry.cfgs.has(tag)) {
    const tags = [...entry.cfgs.keys()];
    throw new Error(`model '${architecture}' has no pretrained tag '${tag}'. Its tags: ${tags.length ? tags.join(', ') : 'none'}`);
  }
  const chosen = tag ?? entry.cfgs.keys().next().value;
  return { factory: entry.factory, architecture, tag: chosen, cfg: chosen === undefined ? undefined : entry.cfgs.get(chosen) };
}
