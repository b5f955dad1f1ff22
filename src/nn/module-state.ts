/**
 * State dicts: a module tree's parameters and persistent buffers by path (`stateDict`), and loading
 * them back in place with PyTorch's checks and messages (`loadStateDict`, `_load_from_state_dict`).
 */
import { noGrad, Tensor } from '../engine/index.js';
import { currentSlotsOf, slotsOf } from './module-slots.js';
import type { AnyModule, LoadStateDictResult, StateDict } from './module-types.js';

/** Loads one module's own entries: `Module.loadFromStateDict`, which subclasses may override. */
export type LoadOwn = (
  m: AnyModule,
  sd: Map<string, Tensor>,
  prefix: string,
  strict: boolean,
  missingKeys: string[],
  unexpectedKeys: string[],
  errors: string[],
) => void;

/** PyTorch's `torch.Size([2, 3])`, as its state-dict messages print shapes. */
function torchSize(shape: readonly number[]): string {
  return `torch.Size([${shape.join(', ')}])`;
}

/** `root`'s parameters and persistent buffers by path, in PyTorch's order, detached. */
export function stateDict(root: AnyModule, prefix: string): StateDict {
  const out: StateDict = new Map();
  const walk = (m: AnyModule, p: string): void => {
    const slots = slotsOf(m);
    for (const [name, t] of slots.parameters) if (t !== null) out.set(p + name, t.detach());
    for (const [name, t] of slots.buffers) if (t !== null && !slots.nonPersistent.has(name)) out.set(p + name, t.detach());
    for (const [name, child] of slots.modules) if (child !== null) walk(child, `${p}${name}.`);
  };
  walk(root, prefix);
  return out;
}

/** Copies a state dict into `root`'s tree, each module by `loadOwn`; throws PyTorch's error listing every problem. */
export function loadStateDict(
  root: AnyModule,
  stateDict: Map<string, Tensor> | Record<string, Tensor>,
  options: { strict?: boolean },
  loadOwn: LoadOwn,
): LoadStateDictResult {
  const strict = options.strict ?? true;
  const sd = new Map(stateDict instanceof Map ? stateDict : Object.entries(stateDict));
  const missingKeys: string[] = [];
  const unexpectedKeys: string[] = [];
  const errors: string[] = [];
  noGrad(() => {
    const load = (m: AnyModule, prefix: string): void => {
      // As in PyTorch, every module collects missing and unexpected keys; `strict` decides
      // below whether they are errors.
      loadOwn(m, sd, prefix, true, missingKeys, unexpectedKeys, errors);
      for (const [name, child] of currentSlotsOf(m).modules) if (child !== null) load(child, `${prefix}${name}.`);
    };
    load(root, '');
  });
  if (strict) {
    if (unexpectedKeys.length > 0) errors.unshift(`Unexpected key(s) in state_dict: ${unexpectedKeys.map((k) => `"${k}"`).join(', ')}. `);
    if (missingKeys.length > 0) errors.unshift(`Missing key(s) in state_dict: ${missingKeys.map((k) => `"${k}"`).join(', ')}. `);
  }
  if (errors.length > 0) throw new Error(`Error(s) in loading state_dict for ${root.getName()}:\n\t${errors.join('\n\t')}`);
  return { missingKeys, unexpectedKeys };
}

/**
 * Loads `m`'s own parameters and persistent buffers from `sd` (keys under `prefix`), and records
 * what is missing, unexpected or the wrong shape (PyTorch's `_load_from_state_dict`).
 */
export function loadOwnState(
  m: AnyModule,
  sd: Map<string, Tensor>,
  prefix: string,
  strict: boolean,
  missingKeys: string[],
  unexpectedKeys: string[],
  errors: string[],
): void {
  const slots = slotsOf(m);
  const local = new Map<string, Tensor>();
  for (const [name, t] of slots.parameters) if (t !== null) local.set(name, t);
  for (const [name, t] of slots.buffers) if (t !== null && !slots.nonPersistent.has(name)) local.set(name, t);
  for (const [name, param] of local) {
    const key = prefix + name;
    let input = sd.get(key);
    if (input === undefined) {
      if (strict) missingKeys.push(key);
      continue;
    }
    if (!(input instanceof Tensor)) {
      errors.push(`While copying the parameter named "${key}", expected Tensor from checkpoint but received ${typeof input}`);
      continue;
    }
    // PyTorch reads a 0-dim parameter from a 1-element 1-dim entry (old checkpoints).
    if (param.dim() === 0 && input.dim() === 1) input = input.index(0);
    const ps = param.shape;
    const is = input.shape;
    if (ps.length !== is.length || ps.some((d, i) => d !== is[i])) {
      errors.push(`size mismatch for ${key}: copying a param with shape ${torchSize(is)} from checkpoint, the shape in current model is ${torchSize(ps)}.`);
      continue;
    }
    try {
      param.copy_(input);
    } catch (e) {
      errors.push(
        `While copying the parameter named "${key}", whose dimensions in the model are ${torchSize(ps)} and whose dimensions in the checkpoint are ${torchSize(is)}, an exception occurred : ${(e as Error).message}.`,
      );
    }
  }
  if (strict) {
    for (const key of sd.keys()) {
      if (!key.startsWith(prefix)) continue;
      const first = key.slice(prefix.length).split('.', 1)[0]!;
      if (!slots.modules.has(first) && !local.has(first)) unexpectedKeys.push(key);
    }
  }
}
