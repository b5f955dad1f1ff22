/**
 * Walking a module tree: every module below one, the parameters and buffers by dotted path, and the
 * module, parameter or buffer at a path (the bodies of `Module`'s walking methods).
 */
import type { Tensor } from '../engine/index.js';
import { slotsOf } from './module-slots.js';
import type { AnyModule } from './module-types.js';

/** `root` and all below it, depth first, each once unless `removeDuplicate` is false. */
export function namedModules(root: AnyModule, prefix: string, options: { removeDuplicate?: boolean }): [string, AnyModule][] {
  const out: [string, AnyModule][] = [];
  const memo = options.removeDuplicate === false ? null : new Set<AnyModule>();
  const walk = (m: AnyModule, p: string): void => {
    if (memo !== null) {
      if (memo.has(m)) return;
      memo.add(m);
    }
    out.push([p, m]);
    for (const [name, child] of slotsOf(m).modules) if (child !== null) walk(child, p === '' ? name : `${p}.${name}`);
  };
  walk(root, prefix);
  return out;
}

/** The parameters or buffers of `root` (and below it with `recurse`) by path, each tensor once. */
export function namedTensors(root: AnyModule, kind: 'parameter' | 'buffer', prefix: string, recurse: boolean): [string, Tensor][] {
  const out: [string, Tensor][] = [];
  const seen = new Set<Tensor>();
  const mods: [string, AnyModule][] = recurse ? root.namedModules(prefix) : [[prefix, root]];
  for (const [p, m] of mods) {
    const slots = slotsOf(m);
    for (const [name, t] of kind === 'parameter' ? slots.parameters : slots.buffers) {
      if (t === null || seen.has(t)) continue;
      seen.add(t);
      out.push([p === '' ? name : `${p}.${name}`, t]);
    }
  }
  return out;
}

/** The module at a dotted path below `root`; the error names what is there instead. */
export function getSubmodule(root: AnyModule, target: string): AnyModule {
  if (target === '') return root;
  let mod: AnyModule = root;
  const parts = target.split('.');
  for (let i = 0; i < parts.length; i++) {
    const item = parts[i]!;
    const slots = slotsOf(mod);
    const child = slots.modules.get(item);
    if (child === undefined || child === null) {
      const at = i === 0 ? 'the root' : `'${parts.slice(0, i).join('.')}'`;
      const names = [...slots.modules.keys()];
      const what = slots.parameters.has(item) || slots.buffers.has(item) ? ` ('${item}' is a ${slots.parameters.has(item) ? 'parameter' : 'buffer'}, not a module)` : '';
      const there = names.length === 0 ? 'it has no children' : `its children are ${names.map((n) => `'${n}'`).join(', ')}`;
      throw new Error(`getSubmodule('${target}'): ${mod.getName()} at ${at} has no child '${item}'${what}; ${there}`);
    }
    mod = child;
  }
  return mod;
}

/** The parameter or buffer at a dotted path below `root`. */
export function getTensor(root: AnyModule, target: string, kind: 'parameter' | 'buffer'): Tensor {
  const dot = target.lastIndexOf('.');
  const modPath = dot < 0 ? '' : target.slice(0, dot);
  const name = dot < 0 ? target : target.slice(dot + 1);
  const mod = root.getSubmodule(modPath);
  const slots = slotsOf(mod);
  const map = kind === 'parameter' ? slots.parameters : slots.buffers;
  const t = map.get(name);
  if (t === undefined || t === null) {
    const names = [...map.entries()].filter(([, v]) => v !== null).map(([n]) => `'${n}'`);
    const own = names.length === 0 ? `it has no ${kind}s` : `its ${kind}s are ${names.join(', ')}`;
    throw new Error(`get${kind === 'parameter' ? 'Parameter' : 'Buffer'}('${target}'): ${mod.getName()} at ${modPath === '' ? 'the root' : `'${modPath}'`} has no ${kind} '${name}'; ${own}`);
  }
  return t;
}

/** The children in `modules` with their names, each once (`Module.namedChildren`). */
export function uniqueChildren(modules: Map<string, AnyModule | null>): [string, AnyModule][] {
  const out: [string, AnyModule][] = [];
  const seen = new Set<AnyModule>();
  for (const [name, m] of modules)
    if (m !== null && !seen.has(m)) {
      seen.add(m);
      out.push([name, m]);
    }
  return out;
}
