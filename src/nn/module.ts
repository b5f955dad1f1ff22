/**
 * `Module`: PyTorch's `nn.Module` in TypeScript.
 *
 * A module owns parameters, buffers and child modules, each registered under a name. Names and their
 * order are PyTorch's, so `stateDict()` keys (`layer1.0.conv1.weight`) and `toString()` match what
 * PyTorch prints and published weights load as they are.
 *
 * Registering:
 * - child modules are found by walking the module's own fields in the order they were assigned
 *   (`this.conv = new Conv2d(...)`), or registered with `registerModule(name, module)`;
 * - parameters and buffers are always explicit: `registerParameter(name, tensor)` and
 *   `registerBuffer(name, tensor)`. A tensor in a plain field is not state (as in PyTorch).
 *
 * Fields holding modules are registered in the order the class declares them (a field declared
 * but still unset when the module is first walked comes after the others, when it is set).
 *
 * After registration `this[name]` reads and writes the registered entry (an accessor property), so
 * `m.weight` always shows the live tensor and `m.weight = t` replaces it, keeping its place.
 * Declare such fields in TypeScript with `declare weight: Tensor;` (no initializer).
 *
 * Running: implement `forward(...)`; run a module with `m.call(x)`, which runs the forward hooks
 * around `forward` (PyTorch's `m(x)`). Calling `forward` directly skips the hooks.
 */
import { inspect } from 'node:util';
import type { DType } from '../engine/dtype.js';
import { isFloating, parseDType } from '../engine/dtype.js';
import { noGrad, ops, Tensor, zerosLike, type MemoryFormat } from '../engine/index.js';

/** Any module, whatever its forward's signature. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyModule = Module<any[], any>;

/** A state dict: names to tensors, in PyTorch's order. A plain record is accepted where one is read. */
export type StateDict = Map<string, Tensor>;

export interface LoadStateDictResult {
  missingKeys: string[];
  unexpectedKeys: string[];
}

/** What `to()` takes: a dtype (`'float64'`), a device (`'cuda'`), or an object of those and a memory format. */
export type ModuleTarget = DType | string | { dtype?: DType; device?: string; memoryFormat?: MemoryFormat };

export interface RemovableHandle {
  remove(): void;
}

/** Runs before `forward`; may return replacement arguments. */
export type ForwardPreHook = (module: AnyModule, args: unknown[]) => unknown[] | void;
/** Runs after `forward`; may return a replacement output. */
export type ForwardHook = (module: AnyModule, args: unknown[], output: unknown) => unknown;

type Kind = 'parameter' | 'buffer' | 'module';

let nextHookId = 0;

function checkName(owner: string, kind: Kind, name: unknown): asserts name is string {
  if (typeof name !== 'string') throw new TypeError(`${owner}: ${kind} name should be a string, got ${typeof name}`);
  if (name === '') throw new Error(`${owner}: ${kind} name can't be empty string ""`);
  if (name.includes('.')) throw new Error(`${owner}: ${kind} name can't contain ".", got "${name}"`);
}

/** PyTorch's `torch.Size([2, 3])`, as its state-dict messages print shapes. */
function torchSize(shape: readonly number[]): string {
  return `torch.Size([${shape.join(', ')}])`;
}

/** PyTorch's `_addindent`: indents every line but the first. */
function addIndent(s: string, spaces: number): string {
  const lines = s.split('\n');
  if (lines.length === 1) return s;
  const pad = ' '.repeat(spaces);
  return [lines[0], ...lines.slice(1).map((l) => pad + l)].join('\n');
}

export class Module<Args extends unknown[] = [Tensor], Out = Tensor> {
  /** Training mode, set by `train()` and `eval()`; dropout and batch norm follow it. */
  training = true;

  readonly #parameters = new Map<string, Tensor | null>();
  readonly #buffers = new Map<string, Tensor | null>();
  readonly #nonPersistent = new Set<string>();
  readonly #modules = new Map<string, AnyModule | null>();
  readonly #preHooks = new Map<number, ForwardPreHook>();
  readonly #hooks = new Map<number, ForwardHook>();

  // -------------------------------------------------------------------------------------------
  // Running

  /** The computation; subclasses implement it. Run a module with `call()`. */
  forward(...args: Args): Out {
    void args;
    throw new Error(`Module [${this.getName()}] is missing the required "forward" function`);
  }

  /** Runs the module (PyTorch's `module(x)`): forward pre-hooks, `forward`, then forward hooks. */
  call(...args: Args): Out {
    if (this.#preHooks.size === 0 && this.#hooks.size === 0) return this.forward(...args);
    let a: unknown[] = args;
    for (const hook of [...this.#preHooks.values()]) {
      const r = hook(this, a);
      if (r !== undefined) a = Array.isArray(r) ? r : [r];
    }
    let out: unknown = this.forward(...(a as Args));
    for (const hook of [...this.#hooks.values()]) {
      const r = hook(this, a, out);
      if (r !== undefined) out = r;
    }
    return out as Out;
  }

  /** `hook(module, args)` runs before each `call`; returning arguments replaces them. */
  registerForwardPreHook(hook: ForwardPreHook): RemovableHandle {
    const id = nextHookId++;
    this.#preHooks.set(id, hook);
    return { remove: () => void this.#preHooks.delete(id) };
  }

  /** `hook(module, args, output)` runs after each `call`; returning a value replaces the output. */
  registerForwardHook(hook: ForwardHook): RemovableHandle {
    const id = nextHookId++;
    this.#hooks.set(id, hook);
    return { remove: () => void this.#hooks.delete(id) };
  }

  // -------------------------------------------------------------------------------------------
  // Registration

  /**
   * Makes `tensor` the parameter `name` (PyTorch's `nn.Parameter`): a leaf that requires grad
   * (floating-point tensors only; `requiresGrad: false` for a frozen one). A tensor that is not such
   * a leaf already is stored as a new leaf sharing its memory, so use the returned tensor. null
   * registers an absent parameter (`bias=False`). Re-registering a name keeps its place.
   */
  registerParameter<T extends Tensor | null>(name: string, tensor: T, options: { requiresGrad?: boolean } = {}): T {
    this.#discover();
    checkName(this.getName(), 'parameter', name);
    this.#checkFree(name, 'parameter');
    let t: Tensor | null = tensor;
    if (t !== null) {
      if (!(t instanceof Tensor)) throw new TypeError(`${this.getName()}: cannot assign ${typeof t} as parameter '${name}' (Tensor or null expected)`);
      const rg = options.requiresGrad ?? true;
      if (rg && !t.isFloatingPoint()) throw new TypeError(`${this.getName()}: parameter '${name}' must be floating point to require grad, got ${t.dtype}`);
      // Like `nn.Parameter(t)`: a new leaf sharing t's memory, unless t already is the leaf wanted.
      if (!t.isLeaf || t.requiresGrad !== rg) t = t.detach().requiresGrad_(rg);
    }
    this.#define(name);
    this.#parameters.set(name, t);
    return t as T;
  }

  /**
   * Makes `tensor` the buffer `name`: state that is not trained (BatchNorm's running statistics).
   * Persistent buffers are part of `stateDict()`. Returns the tensor.
   */
  registerBuffer<T extends Tensor | null>(name: string, tensor: T, options: { persistent?: boolean } = {}): T {
    this.#discover();
    checkName(this.getName(), 'buffer', name);
    this.#checkFree(name, 'buffer');
    if (tensor !== null && !(tensor instanceof Tensor))
      throw new TypeError(`${this.getName()}: cannot assign ${typeof tensor} as buffer '${name}' (Tensor or null expected)`);
    this.#define(name);
    this.#buffers.set(name, tensor);
    if (options.persistent ?? true) this.#nonPersistent.delete(name);
    else this.#nonPersistent.add(name);
    return tensor;
  }

  /** Makes `module` the child `name` (fields holding modules are registered without it). Returns it. */
  registerModule<M extends AnyModule | null>(name: string, module: M): M {
    this.#discover();
    checkName(this.getName(), 'module', name);
    this.#checkFree(name, 'module');
    if (module !== null && !(module instanceof Module))
      throw new TypeError(`${this.getName()}: cannot assign ${typeof module} as child module '${name}' (Module or null expected)`);
    this.#define(name);
    this.#modules.set(name, module);
    return module;
  }

  /** PyTorch's `add_module`. */
  addModule<M extends AnyModule | null>(name: string, module: M): M {
    return this.registerModule(name, module);
  }

  /** Removes a parameter, buffer or child (PyTorch's `del module.name`). */
  deleteAttr(name: string): void {
    this.#discover();
    const had = this.#parameters.delete(name) || this.#buffers.delete(name) || this.#modules.delete(name);
    if (!had) throw new Error(`${this.getName()} has no parameter, buffer or child '${name}'`);
    this.#nonPersistent.delete(name);
    delete (this as Record<string, unknown>)[name];
  }

  /**
   * Registers the fields that hold modules and are not yet registered, in field order, and turns
   * plain fields of registered names (`w = this.registerParameter('w', t)` as a class field
   * initializer) back into accessors, taking their current value.
   */
  #discover(): void {
    const self = this as Record<string, unknown>;
    for (const key of Object.keys(this)) {
      const desc = Object.getOwnPropertyDescriptor(this, key);
      if (desc === undefined || desc.get !== undefined || desc.set !== undefined) continue;
      const v: unknown = desc.value;
      if (this.#parameters.has(key) || this.#buffers.has(key) || this.#modules.has(key)) {
        delete self[key];
        this.#define(key);
        self[key] = v;
      } else if (v instanceof Module) {
        this.#define(key);
        this.#modules.set(key, v as AnyModule);
      }
    }
  }

  #checkFree(name: string, kind: Kind): void {
    const taken: [Kind, boolean][] = [
      ['parameter', this.#parameters.has(name)],
      ['buffer', this.#buffers.has(name)],
      ['module', this.#modules.has(name)],
    ];
    for (const [k, has] of taken)
      if (has && k !== kind) throw new Error(`${this.getName()}: cannot register ${kind} '${name}': it is already a ${k}`);
    const own = Object.getOwnPropertyDescriptor(this, name);
    const clash =
      own === undefined
        ? name in this
        : own.get === undefined && own.value !== undefined && own.value !== null && !(own.value instanceof Module) && !(own.value instanceof Tensor);
    if (clash) throw new Error(`${this.getName()}: cannot register ${kind} '${name}': attribute '${name}' already exists`);
  }

  /** Turns `this[name]` into an accessor of the registry (keeping any value already registered). */
  #define(name: string): void {
    const own = Object.getOwnPropertyDescriptor(this, name);
    if (own?.get !== undefined && (this.#parameters.has(name) || this.#buffers.has(name) || this.#modules.has(name))) return;
    if (own !== undefined && !own.configurable) throw new Error(`${this.getName()}: '${name}' cannot be redefined`);
    Object.defineProperty(this, name, {
      configurable: true,
      enumerable: false,
      get: () => this.#parameters.get(name) ?? this.#buffers.get(name) ?? this.#modules.get(name) ?? null,
      set: (v: unknown) => {
        if (this.#parameters.has(name)) this.registerParameter(name, v as Tensor | null, { requiresGrad: v instanceof Tensor ? v.isFloatingPoint() : true });
        else if (this.#buffers.has(name)) this.registerBuffer(name, v as Tensor | null, { persistent: !this.#nonPersistent.has(name) });
        else this.registerModule(name, v as AnyModule | null);
      },
    });
  }

  /** The registered children by name, in order, including null entries (for containers). */
  protected moduleEntries(): [string, AnyModule | null][] {
    this.#discover();
    return [...this.#modules];
  }

  // -------------------------------------------------------------------------------------------
  // Walking

  /** The direct children with their names, each once. */
  namedChildren(): [string, AnyModule][] {
    this.#discover();
    const out: [string, AnyModule][] = [];
    const seen = new Set<AnyModule>();
    for (const [name, m] of this.#modules)
      if (m !== null && !seen.has(m)) {
        seen.add(m);
        out.push([name, m]);
      }
    return out;
  }

  children(): AnyModule[] {
    return this.namedChildren().map(([, m]) => m);
  }

  /** This module and all below it, depth first, each once: `['', model], ['0', body], ['0.stem', ...]`. */
  namedModules(prefix = '', options: { removeDuplicate?: boolean } = {}): [string, AnyModule][] {
    const out: [string, AnyModule][] = [];
    const memo = options.removeDuplicate === false ? null : new Set<AnyModule>();
    const walk = (m: AnyModule, p: string): void => {
      if (memo !== null) {
        if (memo.has(m)) return;
        memo.add(m);
      }
      out.push([p, m]);
      m.#discover();
      for (const [name, child] of m.#modules) if (child !== null) walk(child, p === '' ? name : `${p}.${name}`);
    };
    walk(this, prefix);
    return out;
  }

  modules(): AnyModule[] {
    return this.namedModules().map(([, m]) => m);
  }

  /** Parameters by path (`0.stem.1.weight`), each tensor once, in PyTorch's order. */
  namedParameters(prefix = '', recurse = true): [string, Tensor][] {
    return this.#namedTensors('parameter', prefix, recurse);
  }

  parameters(recurse = true): Tensor[] {
    return this.namedParameters('', recurse).map(([, t]) => t);
  }

  /** Buffers by path, each tensor once. */
  namedBuffers(prefix = '', recurse = true): [string, Tensor][] {
    return this.#namedTensors('buffer', prefix, recurse);
  }

  buffers(recurse = true): Tensor[] {
    return this.namedBuffers('', recurse).map(([, t]) => t);
  }

  #namedTensors(kind: 'parameter' | 'buffer', prefix: string, recurse: boolean): [string, Tensor][] {
    const out: [string, Tensor][] = [];
    const seen = new Set<Tensor>();
    const mods: [string, AnyModule][] = recurse ? this.namedModules(prefix) : [[prefix, this]];
    for (const [p, m] of mods) {
      m.#discover();
      for (const [name, t] of kind === 'parameter' ? m.#parameters : m.#buffers) {
        if (t === null || seen.has(t)) continue;
        seen.add(t);
        out.push([p === '' ? name : `${p}.${name}`, t]);
      }
    }
    return out;
  }

  /** The module at a dotted path (`'0.model.stem.1'`); `''` is this module. */
  getSubmodule(target: string): AnyModule {
    if (target === '') return this;
    let mod: AnyModule = this;
    const parts = target.split('.');
    for (let i = 0; i < parts.length; i++) {
      const item = parts[i]!;
      mod.#discover();
      const child = mod.#modules.get(item);
      if (child === undefined || child === null) {
        const at = i === 0 ? 'the root' : `'${parts.slice(0, i).join('.')}'`;
        const names = [...mod.#modules.keys()];
        const what = mod.#parameters.has(item) || mod.#buffers.has(item) ? ` ('${item}' is a ${mod.#parameters.has(item) ? 'parameter' : 'buffer'}, not a module)` : '';
        const there = names.length === 0 ? 'it has no children' : `its children are ${names.map((n) => `'${n}'`).join(', ')}`;
        throw new Error(`getSubmodule('${target}'): ${mod.getName()} at ${at} has no child '${item}'${what}; ${there}`);
      }
      mod = child;
    }
    return mod;
  }

  /** The parameter at a dotted path (`'0.stem.1.weight'`). */
  getParameter(target: string): Tensor {
    return this.#getTensor(target, 'parameter');
  }

  /** The buffer at a dotted path (`'1.2.running_mean'`). */
  getBuffer(target: string): Tensor {
    return this.#getTensor(target, 'buffer');
  }

  #getTensor(target: string, kind: 'parameter' | 'buffer'): Tensor {
    const dot = target.lastIndexOf('.');
    const modPath = dot < 0 ? '' : target.slice(0, dot);
    const name = dot < 0 ? target : target.slice(dot + 1);
    const mod = this.getSubmodule(modPath);
    mod.#discover();
    const map = kind === 'parameter' ? mod.#parameters : mod.#buffers;
    const t = map.get(name);
    if (t === undefined || t === null) {
      const names = [...map.entries()].filter(([, v]) => v !== null).map(([n]) => `'${n}'`);
      const own = names.length === 0 ? `it has no ${kind}s` : `its ${kind}s are ${names.join(', ')}`;
      throw new Error(`get${kind === 'parameter' ? 'Parameter' : 'Buffer'}('${target}'): ${mod.getName()} at ${modPath === '' ? 'the root' : `'${modPath}'`} has no ${kind} '${name}'; ${own}`);
    }
    return t;
  }

  // -------------------------------------------------------------------------------------------
  // State

  /**
   * Parameters and persistent buffers by path, in PyTorch's order (each module's parameters, then
   * its buffers, then its children's), detached: they share memory with the module.
   */
  stateDict(prefix = ''): StateDict {
    const out: StateDict = new Map();
    const walk = (m: AnyModule, p: string): void => {
      m.#discover();
      for (const [name, t] of m.#parameters) if (t !== null) out.set(p + name, t.detach());
      for (const [name, t] of m.#buffers) if (t !== null && !m.#nonPersistent.has(name)) out.set(p + name, t.detach());
      for (const [name, child] of m.#modules) if (child !== null) walk(child, `${p}${name}.`);
    };
    walk(this, prefix);
    return out;
  }

  /**
   * Copies a state dict into this module's parameters and buffers, in place. With `strict` (the
   * default) missing and unexpected keys are errors; shape mismatches always are. The error lists
   * them all, worded as PyTorch words them.
   */
  loadStateDict(stateDict: Map<string, Tensor> | Record<string, Tensor>, options: { strict?: boolean } = {}): LoadStateDictResult {
    const strict = options.strict ?? true;
    const sd = new Map(stateDict instanceof Map ? stateDict : Object.entries(stateDict));
    const missingKeys: string[] = [];
    const unexpectedKeys: string[] = [];
    const errors: string[] = [];
    noGrad(() => {
      const load = (m: AnyModule, prefix: string): void => {
        // As in PyTorch, every module collects missing and unexpected keys; `strict` decides
        // below whether they are errors.
        m.loadFromStateDict(sd, prefix, true, missingKeys, unexpectedKeys, errors);
        for (const [name, child] of m.#modules) if (child !== null) load(child, `${prefix}${name}.`);
      };
      load(this, '');
    });
    if (strict) {
      if (unexpectedKeys.length > 0) errors.unshift(`Unexpected key(s) in state_dict: ${unexpectedKeys.map((k) => `"${k}"`).join(', ')}. `);
      if (missingKeys.length > 0) errors.unshift(`Missing key(s) in state_dict: ${missingKeys.map((k) => `"${k}"`).join(', ')}. `);
    }
    if (errors.length > 0) throw new Error(`Error(s) in loading state_dict for ${this.getName()}:\n\t${errors.join('\n\t')}`);
    return { missingKeys, unexpectedKeys };
  }

  /**
   * Loads this module's own parameters and persistent buffers from `sd` (keys under `prefix`), and
   * records what is missing, unexpected or the wrong shape (PyTorch's `_load_from_state_dict`).
   * Subclasses may override it to adapt old checkpoints; call `super.loadFromStateDict` from it.
   */
  protected loadFromStateDict(
    sd: Map<string, Tensor>,
    prefix: string,
    strict: boolean,
    missingKeys: string[],
    unexpectedKeys: string[],
    errors: string[],
  ): void {
    this.#discover();
    const local = new Map<string, Tensor>();
    for (const [name, t] of this.#parameters) if (t !== null) local.set(name, t);
    for (const [name, t] of this.#buffers) if (t !== null && !this.#nonPersistent.has(name)) local.set(name, t);
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
        if (!this.#modules.has(first) && !local.has(first)) unexpectedKeys.push(key);
      }
    }
  }

  // -------------------------------------------------------------------------------------------
  // Modes and conversion

  /** Sets training mode here and below (dropout drops, batch norm uses batch statistics). */
  train(mode = true): this {
    if (typeof mode !== 'boolean') throw new TypeError('training mode is expected to be boolean');
    this.training = mode;
    for (const m of this.children()) m.train(mode);
    return this;
  }

  /** Evaluation mode: `train(false)`. */
  eval(): this {
    return this.train(false);
  }

  /** Sets `requiresGrad` on every parameter (freezing with `false`). */
  requiresGrad_(requiresGrad = true): this {
    for (const p of this.parameters()) p.requiresGrad_(requiresGrad);
    return this;
  }

  /**
   * Clears the parameters' gradients. As in PyTorch 1.13 they are zeroed in place by default;
   * `setToNone` drops them instead.
   */
  zeroGrad(setToNone = false): void {
    for (const p of this.parameters()) {
      const g = p.grad;
      if (g === null) continue;
      if (setToNone) p.grad = null;
      else if (g.gradFn !== null) p.grad = zerosLike(g);
      else g.requiresGrad_(false).zero_();
    }
  }

  /** Calls `fn` on every child (recursively) and then on this module. */
  apply(fn: (m: AnyModule) => void): this {
    for (const m of this.children()) m.apply(fn);
    fn(this);
    return this;
  }

  /**
   * Moves and casts parameters and buffers, in place: `to('float64')`, `to('cuda')`,
   * `to({memoryFormat: 'channelsLast'})`. A dtype applies to floating-point tensors only, a memory
   * format to 4-d and 5-d ones. A memory-format change keeps each tensor object; a dtype or device
   * change replaces the registered tensors (and their gradients) with converted ones, and updates
   * the module's fields that held the old ones. Make optimizers after moving the model.
   */
  to(target: ModuleTarget): this {
    let dtype: DType | undefined;
    let device: string | undefined;
    let memoryFormat: MemoryFormat | undefined;
    if (typeof target === 'string') {
      if (isDTypeName(target)) dtype = parseDType(target);
      else device = target;
    } else ({ dtype, device, memoryFormat } = target);
    if (dtype !== undefined && !isFloating(dtype))
      throw new TypeError(`Module.to only accepts floating point dtypes, but got desired dtype=${dtype}`);
    const convert = (t: Tensor): Tensor => {
      const mf = memoryFormat !== undefined && (t.dim() === 4 || t.dim() === 5) ? memoryFormat : undefined;
      const d = dtype !== undefined && isFloating(t.dtype) ? dtype : t.dtype;
      const sameDevice = device === undefined || sameDev(device, t.device);
      if (d === t.dtype && sameDevice) {
        if (mf === undefined || mf === 'preserve' || t.isContiguous(mf)) return t;
        return t.setData_(t.contiguous(mf));
      }
      // PyTorch's `param.data = param.to(...)`: the same tensor objects, so references stay valid.
      return t.setData_(t.to({ dtype: d, device: device ?? t.device, memoryFormat: mf }));
    };
    noGrad(() => {
      for (const m of this.modules()) m.#applyToTensors(convert);
    });
    return this;
  }

  /** Replaces each parameter and buffer by `fn(t)` (unless it returns `t`), carrying grads and fields along. */
  #applyToTensors(fn: (t: Tensor) => Tensor): void {
    this.#discover();
    const replaced = new Map<Tensor, Tensor>();
    for (const [name, p] of this.#parameters) {
      if (p === null) continue;
      const q = fn(p);
      const g = p.grad;
      if (q !== p) {
        const fresh = q.detach().requiresGrad_(p.requiresGrad);
        if (g !== null) fresh.grad = fn(g).detach();
        this.#parameters.set(name, fresh);
        replaced.set(p, fresh);
      } else if (g !== null) {
        const g2 = fn(g);
        if (g2 !== g) p.grad = g2.detach();
      }
    }
    for (const [name, b] of this.#buffers) {
      if (b === null) continue;
      const q = fn(b);
      if (q !== b) {
        this.#buffers.set(name, q);
        replaced.set(b, q);
      }
    }
    if (replaced.size === 0) return;
    const self = this as Record<string, unknown>;
    for (const key of Object.keys(this)) {
      const v = self[key];
      if (v instanceof Tensor && replaced.has(v)) self[key] = replaced.get(v);
    }
  }

  float(): this { return this.to('float32'); }
  double(): this { return this.to('float64'); }
  half(): this { return this.to('float16'); }
  bfloat16(): this { return this.to('bfloat16'); }
  cpu(): this { return this.to('cpu'); }
  cuda(device = 0): this { return this.to(`cuda:${device}`); }

  // -------------------------------------------------------------------------------------------
  // Printing

  /** The class name that `toString()` prints (PyTorch's `_get_name`). */
  getName(): string {
    return this.constructor.name;
  }

  /** The layer's settings, printed inside its parentheses (PyTorch's `extra_repr`). */
  extraRepr(): string {
    return '';
  }

  /** Exactly PyTorch's `repr(module)`. */
  toString(): string {
    const extra = this.extraRepr();
    const extraLines = extra === '' ? [] : extra.split('\n');
    const childLines = this.moduleEntries().map(([name, m]) => `(${name}): ${addIndent(m === null ? 'None' : m.toString(), 2)}`);
    const lines = [...extraLines, ...childLines];
    let s = `${this.getName()}(`;
    if (lines.length > 0) {
      if (extraLines.length === 1 && childLines.length === 0) s += extraLines[0];
      else s += `\n  ${lines.join('\n  ')}\n`;
    }
    return `${s})`;
  }

  [inspect.custom](): string {
    return this.toString();
  }
}

function isDTypeName(s: string): boolean {
  try {
    parseDType(s);
    return true;
  } catch {
    return false;
  }
}

function sameDev(a: string, b: string): boolean {
  const norm = (d: string) => (d === 'cuda' ? 'cuda:0' : d);
  return norm(a) === norm(b);
}
