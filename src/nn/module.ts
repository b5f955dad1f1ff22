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
 *
 * The class keeps registration; the rest is in files of its own, called from thin methods:
 * module-slots.ts (the registry and its checks), module-hooks.ts (forward hooks), module-walk.ts
 * (walking the tree), module-state.ts (state dicts), module-convert.ts (`to()`), module-repr.ts
 * (printing) and module-types.ts (the types, re-exported here).
 */
import { inspect } from 'node:util';
import { Tensor, zerosLike } from '../engine/index.js';
import { moduleTo } from './module-convert.js';
import { ForwardHooks } from './module-hooks.js';
import { moduleRepr } from './module-repr.js';
import { asParameter, checkName, setSlotAccess, type Kind, type ModuleSlots } from './module-slots.js';
import * as state from './module-state.js';
import type {
  AnyModule, ForwardHook, ForwardPreHook, LoadStateDictResult, ModuleTarget, RemovableHandle, StateDict,
} from './module-types.js';
import * as walk from './module-walk.js';

export type {
  AnyModule, ForwardHook, ForwardPreHook, LoadStateDictResult, ModuleTarget, RemovableHandle, StateDict,
} from './module-types.js';

export class Module<Args extends unknown[] = [Tensor], Out = Tensor> {
  /** Training mode, set by `train()` and `eval()`; dropout and batch norm follow it. */
  training = true;

  /** The registered parameters, buffers and children (module-slots.ts). */
  readonly #slots: ModuleSlots = { parameters: new Map(), buffers: new Map(), nonPersistent: new Set(), modules: new Map() };
  readonly #hooks = new ForwardHooks();

  static {
    // The access module-walk.ts, module-state.ts and module-convert.ts have to the registry.
    setSlotAccess((m, discover) => {
      if (discover) m.#discover();
      return m.#slots;
    });
  }

  // -------------------------------------------------------------------------------------------
  // Running

  /** The computation; subclasses implement it. Run a module with `call()`. */
  forward(...args: Args): Out {
    void args;
    throw new Error(`Module [${this.getName()}] is missing the required "forward" function`);
  }

  /** Runs the module (PyTorch's `module(x)`): forward pre-hooks, `forward`, then forward hooks. */
  call(...args: Args): Out {
    if (this.#hooks.empty) return this.forward(...args);
    return this.#hooks.run(this, (a) => this.forward(...(a as Args)), args) as Out;
  }

  /** `hook(module, args)` runs before each `call`; returning arguments replaces them. */
  registerForwardPreHook(hook: ForwardPreHook): RemovableHandle {
    return this.#hooks.addPreHook(hook);
  }

  /** `hook(module, args, output)` runs after each `call`; returning a value replaces the output. */
  registerForwardHook(hook: ForwardHook): RemovableHandle {
    return this.#hooks.addHook(hook);
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
    const t = asParameter(this.getName(), name, tensor, options.requiresGrad ?? true);
    this.#define(name);
    this.#slots.parameters.set(name, t);
    return t;
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
    this.#slots.buffers.set(name, tensor);
    if (options.persistent ?? true) this.#slots.nonPersistent.delete(name);
    else this.#slots.nonPersistent.add(name);
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
    this.#slots.modules.set(name, module);
    return module;
  }

  /** PyTorch's `add_module`. */
  addModule<M extends AnyModule | null>(name: string, module: M): M {
    return this.registerModule(name, module);
  }

  /** Removes a parameter, buffer or child (PyTorch's `del module.name`). */
  deleteAttr(name: string): void {
    this.#discover();
    const had = this.#slots.parameters.delete(name) || this.#slots.buffers.delete(name) || this.#slots.modules.delete(name);
    if (!had) throw new Error(`${this.getName()} has no parameter, buffer or child '${name}'`);
    this.#slots.nonPersistent.delete(name);
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
      if (this.#slots.parameters.has(key) || this.#slots.buffers.has(key) || this.#slots.modules.has(key)) {
        delete self[key];
        this.#define(key);
        self[key] = v;
      } else if (v instanceof Module) {
        this.#define(key);
        this.#slots.modules.set(key, v as AnyModule);
      }
    }
  }

  #checkFree(name: string, kind: Kind): void {
    const taken: [Kind, boolean][] = [
      ['parameter', this.#slots.parameters.has(name)],
      ['buffer', this.#slots.buffers.has(name)],
      ['module', this.#slots.modules.has(name)],
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
    if (own?.get !== undefined && (this.#slots.parameters.has(name) || this.#slots.buffers.has(name) || this.#slots.modules.has(name))) return;
    if (own !== undefined && !own.configurable) throw new Error(`${this.getName()}: '${name}' cannot be redefined`);
    Object.defineProperty(this, name, {
      configurable: true,
      enumerable: false,
      get: () => this.#slots.parameters.get(name) ?? this.#slots.buffers.get(name) ?? this.#slots.modules.get(name) ?? null,
      set: (v: unknown) => {
        if (this.#slots.parameters.has(name)) this.registerParameter(name, v as Tensor | null, { requiresGrad: v instanceof Tensor ? v.isFloatingPoint() : true });
        else if (this.#slots.buffers.has(name)) this.registerBuffer(name, v as Tensor | null, { persistent: !this.#slots.nonPersistent.has(name) });
        else this.registerModule(name, v as AnyModule | null);
      },
    });
  }

  /** The registered children by name, in order, including null entries (for containers). */
  protected moduleEntries(): [string, AnyModule | null][] {
    this.#discover();
    return [...this.#slots.modules];
  }

  // -------------------------------------------------------------------------------------------
  // Walking

  /** The direct children with their names, each once. */
  namedChildren(): [string, AnyModule][] {
    this.#discover();
    return walk.uniqueChildren(this.#slots.modules);
  }

  children(): AnyModule[] {
    return this.namedChildren().map(([, m]) => m);
  }

  /** This module and all below it, depth first, each once: `['', model], ['0', body], ['0.stem', ...]`. */
  namedModules(prefix = '', options: { removeDuplicate?: boolean } = {}): [string, AnyModule][] {
    return walk.namedModules(this, prefix, options);
  }

  modules(): AnyModule[] {
    return this.namedModules().map(([, m]) => m);
  }

  /** Parameters by path (`0.stem.1.weight`), each tensor once, in PyTorch's order. */
  namedParameters(prefix = '', recurse = true): [string, Tensor][] {
    return walk.namedTensors(this, 'parameter', prefix, recurse);
  }

  parameters(recurse = true): Tensor[] {
    return this.namedParameters('', recurse).map(([, t]) => t);
  }

  /** Buffers by path, each tensor once. */
  namedBuffers(prefix = '', recurse = true): [string, Tensor][] {
    return walk.namedTensors(this, 'buffer', prefix, recurse);
  }

  buffers(recurse = true): Tensor[] {
    return this.namedBuffers('', recurse).map(([, t]) => t);
  }

  /** The module at a dotted path (`'0.model.stem.1'`); `''` is this module. */
  getSubmodule(target: string): AnyModule {
    return walk.getSubmodule(this, target);
  }

  /** The parameter at a dotted path (`'0.stem.1.weight'`). */
  getParameter(target: string): Tensor {
    return walk.getTensor(this, target, 'parameter');
  }

  /** The buffer at a dotted path (`'1.2.running_mean'`). */
  getBuffer(target: string): Tensor {
    return walk.getTensor(this, target, 'buffer');
  }

  // -------------------------------------------------------------------------------------------
  // State

  /**
   * Parameters and persistent buffers by path, in PyTorch's order (each module's parameters, then
   * its buffers, then its children's), detached: they share memory with the module.
   */
  stateDict(prefix = ''): StateDict {
    return state.stateDict(this, prefix);
  }

  /**
   * Copies a state dict into this module's parameters and buffers, in place. With `strict` (the
   * default) missing and unexpected keys are errors; shape mismatches always are. The error lists
   * them all, worded as PyTorch words them.
   */
  loadStateDict(stateDict: Map<string, Tensor> | Record<string, Tensor>, options: { strict?: boolean } = {}): LoadStateDictResult {
    return state.loadStateDict(this, stateDict, options, (m, ...args) => m.loadFromStateDict(...args));
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
    state.loadOwnState(this, sd, prefix, strict, missingKeys, unexpectedKeys, errors);
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
    moduleTo(this, target);
    return this;
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
    const children = this.moduleEntries();
    return moduleRepr(this.getName(), extra, children);
  }

  [inspect.custom](): string {
    return this.toString();
  }
}

