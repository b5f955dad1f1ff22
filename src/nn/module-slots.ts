/**
 * A module's registry: the entries `Module` keeps private, the access to them that the files
 * walking, saving, loading and converting modules (module-walk.ts, module-state.ts,
 * module-convert.ts) use, and the checks on what is registered. module.ts hands over the access
 * when its class is defined; this file imports nothing of nn at run time, so none of them imports
 * module.ts (no import circle).
 */
import { Tensor } from '../engine/index.js';
import type { AnyModule } from './module-types.js';

export type Kind = 'parameter' | 'buffer' | 'module';

export interface ModuleSlots {
  readonly parameters: Map<string, Tensor | null>;
  readonly buffers: Map<string, Tensor | null>;
  /** Buffers left out of the state dict. */
  readonly nonPersistent: Set<string>;
  readonly modules: Map<string, AnyModule | null>;
}

type Access = (m: AnyModule, discover: boolean) => ModuleSlots;
let access: Access | null = null;

/** Called once, by `Module`'s static initializer. */
export function setSlotAccess(fn: Access): void {
  access = fn;
}

/** `m`'s entries, after registering the fields holding modules that are not yet registered. */
export function slotsOf(m: AnyModule): ModuleSlots {
  return access!(m, true);
}

/** `m`'s entries as they are, registering nothing. */
export function currentSlotsOf(m: AnyModule): ModuleSlots {
  return access!(m, false);
}

export function checkName(owner: string, kind: Kind, name: unknown): asserts name is string {
  if (typeof name !== 'string') throw new TypeError(`${owner}: ${kind} name should be a string, got ${typeof name}`);
  if (name === '') throw new Error(`${owner}: ${kind} name can't be empty string ""`);
  if (name.includes('.')) throw new Error(`${owner}: ${kind} name can't contain ".", got "${name}"`);
}

/** What `registerParameter` stores for `tensor` (PyTorch's `nn.Parameter(tensor)`), checked. */
export function asParameter<T extends Tensor | null>(owner: string, name: string, tensor: T, requiresGrad: boolean): T {
  let t: Tensor | null = tensor;
  if (t !== null) {
    if (!(t instanceof Tensor)) throw new TypeError(`${owner}: cannot assign ${typeof t} as parameter '${name}' (Tensor or null expected)`);
    if (requiresGrad && !t.isFloatingPoint()) throw new TypeError(`${owner}: parameter '${name}' must be floating point to require grad, got ${t.dtype}`);
    // Like `nn.Parameter(t)`: a new leaf sharing t's memory, unless t already is the leaf wanted.
    if (!t.isLeaf || t.requiresGrad !== requiresGrad) t = t.detach().requiresGrad_(requiresGrad);
  }
  return t as T;
}
