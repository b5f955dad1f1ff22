/** The types around `Module` (module.ts): state dicts, `to()` targets, hooks. */
import type { DType } from '../engine/dtype.js';
import type { MemoryFormat, Tensor } from '../engine/index.js';
import type { Module } from './module.js';

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
