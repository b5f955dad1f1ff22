/** Containers: Sequential, ModuleList, ModuleDict. */
import { isGradEnabled, Tensor, tidyOwned } from '../../engine/index.js';
import { anyForwardHooks } from '../module-hooks.js';
import { Module, type AnyModule } from '../module.js';

type Named<M> = Map<string, M> | Record<string, M> | Iterable<readonly [string, M]>;

function isNamed<M>(x: unknown): x is Named<M> {
  return x !== null && typeof x === 'object' && !(x instanceof Module);
}

function entriesOf<M>(named: Named<M>): [string, M][] {
  if (named instanceof Map) return [...named.entries()];
  if (Symbol.iterator in (named as object)) return [...(named as Iterable<readonly [string, M]>)].map(([k, v]) => [k, v]);
  return Object.entries(named as Record<string, M>);
}

function indexIn(i: number, n: number): number {
  if (!Number.isInteger(i) || i < -n || i >= n) throw new RangeError(`index ${i} is out of range`);
  return i < 0 ? i + n : i;
}

/** Python's slice bounds, clamped, with negatives from the end. */
function sliceBounds(n: number, start = 0, end = n): [number, number] {
  const norm = (x: number) => Math.min(n, Math.max(0, x < 0 ? x + n : x));
  return [norm(start), norm(end)];
}

/**
 * Runs its children in order, each on the previous one's output. Children are named '0', '1', …
 * (`new Sequential(a, b)`), or by the keys of a Map, a record or [name, module] pairs
 * (`new Sequential({ stem: a, head: b })`). Read them with `seq.at(i)`, `seq[i]`, `for (const m of seq)`.
 */
export class Sequential extends Module implements Iterable<AnyModule> {
  readonly [index: number]: AnyModule;

  constructor(...modules: AnyModule[]);
  constructor(named: Named<AnyModule>);
  constructor(...args: (AnyModule | Named<AnyModule>)[]) {
    super();
    if (args.length === 1 && isNamed<AnyModule>(args[0])) {
      for (const [name, m] of entriesOf(args[0])) this.registerModule(name, m);
    } else {
      args.forEach((m, i) => {
        if (!(m instanceof Module)) throw new TypeError(`Sequential: argument ${i} is not a Module`);
        this.registerModule(String(i), m);
      });
    }
  }

  get length(): number {
    return this.moduleEntries().length;
  }

  /** The child at position `i` (negative counts from the end). */
  at(i: number): AnyModule {
    const entries = this.moduleEntries();
    return entries[indexIn(i, entries.length)]![1]!;
  }

  /** A new Sequential of the children in [start, end), keeping their names (Python's `seq[a:b]`). */
  slice(start?: number, end?: number): Sequential {
    const entries = this.moduleEntries();
    const [a, b] = sliceBounds(entries.length, start, end);
    return new Sequential(new Map(entries.slice(a, b) as [string, AnyModule][]));
  }

  /** Adds a module at the end, named by its position. */
  append(module: AnyModule): this {
    this.registerModule(String(this.length), module);
    return this;
  }

  *[Symbol.iterator](): Iterator<AnyModule> {
    for (const [, m] of this.moduleEntries()) if (m !== null) yield m;
  }

  override forward(input: Tensor): Tensor {
    return chain(this.moduleEntries().map(([, m]) => m), input, this.training);
  }
}

/** A list of modules, named '0', '1', … It has no forward: iterate it in the owner's forward. */
export class ModuleList<M extends AnyModule = AnyModule> extends Module implements Iterable<M> {
  readonly [index: number]: M;

  constructor(modules: Iterable<M> = []) {
    super();
    for (const m of modules) this.append(m);
  }

  get length(): number {
    return this.moduleEntries().length;
  }

  at(i: number): M {
    const entries = this.moduleEntries();
    return entries[indexIn(i, entries.length)]![1] as M;
  }

  /** Replaces the module at position `i`. */
  set(i: number, module: M): void {
    const n = this.length;
    this.registerModule(String(indexIn(i, n)), module);
  }

  append(module: M): this {
    this.registerModule(String(this.length), module);
    return this;
  }

  extend(modules: Iterable<M>): this {
    for (const m of modules) this.append(m);
    return this;
  }

  /** Inserts before position `index`, renumbering the rest. */
  insert(index: number, module: M): void {
    const items = [...this] as M[];
    const n = items.length;
    let at = index < 0 ? index + n : index;
    at = Math.min(n, Math.max(0, at));
    items.splice(at, 0, module);
    this.#reset(items);
  }

  /** Removes and returns the module at position `i`, renumbering the rest. */
  pop(i = -1): M {
    const items = [...this] as M[];
    const [m] = items.splice(indexIn(i, items.length), 1);
    this.#reset(items);
    return m!;
  }

  slice(start?: number, end?: number): ModuleList<M> {
    const items = [...this] as M[];
    const [a, b] = sliceBounds(items.length, start, end);
    return new ModuleList(items.slice(a, b));
  }

  #reset(items: M[]): void {
    for (const [name] of this.moduleEntries()) this.deleteAttr(name);
    items.forEach((m, k) => this.registerModule(String(k), m));
  }

  *[Symbol.iterator](): Iterator<M> {
    for (const [, m] of this.moduleEntries()) if (m !== null) yield m as M;
  }
}

/**
 * Modules by name, in insertion order, like a Map. It has no forward. A key cannot be the name of
 * a method (`get`, `keys`, …), as in PyTorch.
 */
export class ModuleDict<M extends AnyModule = AnyModule> extends Module implements Iterable<[string, M]> {
  constructor(modules: Named<M> = []) {
    super();
    for (const [k, m] of entriesOf(modules)) this.set(k, m);
  }

  get size(): number {
    return this.moduleEntries().length;
  }

  get(key: string): M | undefined {
    return this.moduleEntries().find(([k]) => k === key)?.[1] as M | undefined;
  }

  set(key: string, module: M): this {
    this.registerModule(key, module);
    return this;
  }

  has(key: string): boolean {
    return this.moduleEntries().some(([k]) => k === key);
  }

  /** Removes `key`; returns the module it held. */
  pop(key: string): M {
    const m = this.get(key);
    if (m === undefined) throw new Error(`ModuleDict has no key '${key}'`);
    this.deleteAttr(key);
    return m;
  }

  delete(key: string): boolean {
    if (!this.has(key)) return false;
    this.deleteAttr(key);
    return true;
  }

  clear(): void {
    for (const [k] of this.moduleEntries()) this.deleteAttr(k);
  }

  update(modules: Named<M>): this {
    for (const [k, m] of entriesOf(modules)) this.set(k, m);
    return this;
  }

  keys(): string[] {
    return this.moduleEntries().map(([k]) => k);
  }

  values(): M[] {
    return this.moduleEntries().map(([, m]) => m as M);
  }

  entries(): [string, M][] {
    return this.moduleEntries().map(([k, m]) => [k, m as M]);
  }

  [Symbol.iterator](): Iterator<[string, M]> {
    return this.entries()[Symbol.iterator]();
  }
}

/**
 * Runs `modules` one after the other (a Sequential's forward). In inference (eval, grad off, no
 * forward hook anywhere) each module's temporaries, and each intermediate output once the next
 * module has used it, are released at once, as PyTorch's reference counting releases them, so that
 * the next allocation reuses memory still in cache instead of growing the batch's memory.
 */
export function chain(modules: readonly (AnyModule | null)[], input: Tensor, training: boolean): Tensor {
  let x = input;
  if (training || isGradEnabled() || anyForwardHooks()) {
    for (const m of modules) if (m !== null) x = m.call(x) as Tensor;
    return x;
  }
  let owned = false;
  for (const m of modules) {
    if (m === null) continue;
    const prev = x;
    const [y, made] = tidyOwned(() => m.call(prev) as Tensor);
    if (y !== prev) {
      // a result that is not one tensor (a tuple) may hold the previous one: keep it
      if (owned && y instanceof Tensor) prev.dispose();
      owned = made && y instanceof Tensor;
    }
    x = y;
  }
  return x;
}
