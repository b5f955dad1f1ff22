/**
 * fastai's `Optimizer`: parameter groups, each with its own hyper-parameters (lr, mom, wd, …), and a
 * state per parameter. Subclasses implement one parameter's update (`updateParam`), done in place
 * without recording gradients.
 *
 * Per-parameter flags, as fastai keeps them in the state: `doWd: false` (no weight decay: the
 * learner sets it on BatchNorm/LayerNorm parameters and biases, fastai's `wd_bn_bias=False`) and
 * `forceTrain: true` (stays trainable when its group is frozen: the learner sets it on norm
 * parameters, fastai's `train_bn=True`). Both survive `clearState()`.
 */
import { noGrad, type Tensor } from '../engine/index.js';
import { spreadHyper, type HyperValue } from './hypers.js';

/** One group's hyper-parameters (`lr`, `mom`, `wd`, and the optimizer's own: `sqrMom`, `eps`, …). */
export type Hypers = Record<string, number>;

/** A parameter's optimizer state: running averages (tensors), the step count, and the two flags. */
export interface ParamState {
  doWd?: boolean;
  forceTrain?: boolean;
  [key: string]: Tensor | number | boolean | undefined;
}

/** What `allParams` yields: a parameter, its group index, its state and its group's hypers. */
export interface ParamEntry {
  p: Tensor;
  group: number;
  state: ParamState;
  hyper: Hypers;
}

/** The options every optimizer factory takes: the learner passes `lr`. */
export interface OptimizerOptions {
  lr?: number;
}

/** What the learner calls to make its optimizer: `optFunc(paramGroups, {lr})`. */
export type OptFunc = (params: Tensor[] | Tensor[][], options: OptimizerOptions) => Optimizer;

const KEEP_ON_CLEAR = ['doWd', 'forceTrain'] as const;

export abstract class Optimizer {
  /** The parameters, by group. */
  readonly paramLists: Tensor[][];
  /** Each group's hyper-parameters. */
  readonly hypers: Hypers[];
  /** Each parameter's state, by the parameter tensor itself. */
  readonly state = new Map<Tensor, ParamState>();
  /** Groups before this index are frozen (see `freezeTo`). */
  frozenIdx = 0;

  constructor(params: Tensor[] | Tensor[][], defaults: Hypers) {
    const groups: Tensor[][] = params.length > 0 && Array.isArray(params[0]) ? (params as Tensor[][]).map((g) => [...g]) : [[...(params as Tensor[])]];
    if (groups.length === 0) throw new Error('an optimizer needs at least one parameter group');
    this.paramLists = groups;
    this.hypers = groups.map(() => ({ ...defaults }));
    for (const g of groups) for (const p of g) if (!this.state.has(p)) this.state.set(p, {});
  }

  /** The class name and hypers, for messages. */
  toString(): string {
    return `${this.constructor.name}(${this.paramLists.length} group(s): ${this.hypers.map((h) => JSON.stringify(h)).join(', ')})`;
  }

  /** Updates one parameter in place, given its gradient; called under `noGrad`. */
  protected abstract updateParam(p: Tensor, grad: Tensor, state: ParamState, hyper: Hypers): void;

  /** Every (parameter, group, state, hypers), for groups in [from, to); with `withGrad`, only those that have a gradient. */
  allParams(options: { from?: number; to?: number; withGrad?: boolean } = {}): ParamEntry[] {
    const n = this.paramLists.length;
    const norm = (i: number) => (i < 0 ? Math.max(0, n + i) : Math.min(n, i));
    const from = norm(options.from ?? 0);
    const to = norm(options.to ?? n);
    const out: ParamEntry[] = [];
    for (let g = from; g < to; g++) {
      const hyper = this.hypers[g]!;
      for (const p of this.paramLists[g]!) {
        if (options.withGrad) {
          const grad = p.grad;
          if (grad === null) continue;
          grad.dispose();
        }
        out.push({ p, group: g, state: this.state.get(p)!, hyper });
      }
    }
    return out;
  }

  /** One optimisation step over every parameter that has a gradient. */
  step(): void {
    noGrad(() => {
      for (let g = 0; g < this.paramLists.length; g++) {
        const hyper = this.hypers[g]!;
        for (const p of this.paramLists[g]!) {
          const grad = p.grad;
          if (grad === null) continue;
          try {
            this.updateParam(p, grad, this.state.get(p)!, hyper);
          } finally {
            grad.dispose();
          }
        }
      }
    });
  }

  /**
   * Clears the gradients. They are dropped (PyTorch's `set_to_none`), which gives the same next
   * step as zeroing them and saves a pass over memory; a parameter without a gradient is skipped
   * by `step()`.
   */
  zeroGrad(): void {
    for (const g of this.paramLists) for (const p of g) p.grad = null;
  }

  /** Sets a hyper-parameter: one value for all groups, one per group, or `lrSlice(...)`. */
  setHyper(name: string, value: HyperValue): void {
    const vals = spreadHyper(name, value, this.paramLists.length);
    vals.forEach((v, i) => {
      this.hypers[i]![name] = v;
    });
  }

  /** Sets several hyper-parameters at once: `setHypers({lr: 1e-3, wd: 0.1})`. */
  setHypers(values: Record<string, HyperValue | undefined>): void {
    for (const [k, v] of Object.entries(values)) if (v !== undefined) this.setHyper(k, v);
  }

  /**
   * Freezes the groups before `n` (negative counts from the end) and unfreezes the rest. Frozen
   * parameters stop requiring gradients, except those with `forceTrain` (norm layers).
   */
  freezeTo(n: number): void {
    const nGroups = this.paramLists.length;
    this.frozenIdx = n >= 0 ? n : nGroups + n;
    if (this.frozenIdx >= nGroups)
      process.emitWarning(`freezing ${this.frozenIdx} groups; the model has ${nGroups}: the whole model is frozen`);
    for (const { p } of this.allParams({ from: n })) p.requiresGrad_(true);
    for (const { p, state } of this.allParams({ to: n })) if (!state.forceTrain) p.requiresGrad_(false);
  }

  /** Freezes every group but the last. */
  freeze(): void {
    if (this.paramLists.length < 2)
      throw new Error(`freeze() needs at least two parameter groups (body and head); this optimizer has ${this.paramLists.length}. Give the Learner a splitter.`);
    this.freezeTo(-1);
  }

  unfreeze(): void {
    this.freezeTo(0);
  }

  /** Forgets the running averages and step counts, keeping the `doWd` and `forceTrain` flags. */
  clearState(): void {
    for (const [p, s] of this.state) {
      const kept: ParamState = {};
      for (const k of KEEP_ON_CLEAR) if (s[k] !== undefined) kept[k] = s[k];
      for (const v of Object.values(s)) if (typeof v === 'object') v.dispose();
      this.state.set(p, kept);
    }
  }

  /**
   * The state for a checkpoint: tensors named `<group>.<index>.<key>`, and the rest (hypers,
   * numbers, flags, frozen index) as plain JSON.
   */
  stateDict(): { tensors: Map<string, Tensor>; meta: OptimizerMeta } {
    const tensors = new Map<string, Tensor>();
    const scalars: Record<string, Record<string, number | boolean>> = {};
    this.paramLists.forEach((group, g) =>
      group.forEach((p, i) => {
        const s = this.state.get(p)!;
        const plain: Record<string, number | boolean> = {};
        for (const [k, v] of Object.entries(s)) {
          if (v === undefined) continue;
          if (typeof v === 'number' || typeof v === 'boolean') plain[k] = v;
          else tensors.set(`${g}.${i}.${k}`, v.detach());
        }
        if (Object.keys(plain).length > 0) scalars[`${g}.${i}`] = plain;
      }),
    );
    return {
      tensors,
      meta: { type: this.constructor.name, groupSizes: this.paramLists.map((g) => g.length), hypers: this.hypers.map((h) => ({ ...h })), frozenIdx: this.frozenIdx, scalars },
    };
  }

  /** Restores what `stateDict()` gave, checking that the groups have the same sizes and shapes. */
  loadStateDict(tensors: Map<string, Tensor>, meta: OptimizerMeta): void {
    const sizes = this.paramLists.map((g) => g.length);
    if (meta.type !== this.constructor.name) throw new Error(`optimizer state is for ${meta.type}, but this optimizer is ${this.constructor.name}`);
    if (sizes.length !== meta.groupSizes.length || sizes.some((n, i) => n !== meta.groupSizes[i]))
      throw new Error(`optimizer state has groups of [${meta.groupSizes.join(', ')}] parameters, but this optimizer has [${sizes.join(', ')}]`);
    noGrad(() => {
      this.paramLists.forEach((group, g) =>
        group.forEach((p, i) => {
          const s: ParamState = { ...(meta.scalars[`${g}.${i}`] ?? {}) };
          const prefix = `${g}.${i}.`;
          for (const [name, t] of tensors) {
            if (!name.startsWith(prefix)) continue;
            const ps = p.shape;
            const ts = t.shape;
            if (ps.length !== ts.length || ps.some((d, j) => d !== ts[j]))
              throw new Error(`optimizer state '${name}' has shape [${ts.join(', ')}] but its parameter has [${ps.join(', ')}]`);
            s[name.slice(prefix.length)] = t.to({ dtype: p.dtype, device: p.device, copy: true });
          }
          this.state.set(p, s);
        }),
      );
      meta.hypers.forEach((h, g) => Object.assign(this.hypers[g]!, h));
    });
    this.frozenIdx = meta.frozenIdx;
  }
}

/** The plain-JSON half of an optimizer's state. */
export interface OptimizerMeta {
  type: string;
  groupSizes: number[];
  hypers: Hypers[];
  frozenIdx: number;
  scalars: Record<string, Record<string, number | boolean>>;
}
