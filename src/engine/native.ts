/**
 * The native addon: libtorch reached through Node-API (native/owlet.cc). Everything above it is
 * TypeScript. Handles to tensors are opaque JS externals owned by `Tensor` objects.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { packageRoot } from './package-root.js';

/** An opaque handle to a libtorch tensor. */
export type Handle = { readonly __owletHandle: unique symbol };

/** What a native call returns for a tensor, a list, a tuple or a plain value. */
export type NativeValue = Handle | null | number | boolean | string | undefined | NativeValue[];

export interface Native {
  opHandle(name: string, overload: string): number;
  call(op: number, ...args: unknown[]): NativeValue;
  schemas(): string[];
  add(a: Handle, b: Handle | number): Handle;
  sub(a: Handle, b: Handle | number): Handle;
  mul(a: Handle, b: Handle | number): Handle;
  div(a: Handle, b: Handle | number): Handle;
  add_(a: Handle, b: Handle | number): void;
  sub_(a: Handle, b: Handle | number): void;
  mul_(a: Handle, b: Handle | number): void;
  shape(t: Handle): number[];
  strides(t: Handle): number[];
  dim(t: Handle): number;
  numel(t: Handle): number;
  dtype(t: Handle): number;
  device(t: Handle): string;
  isContiguous(t: Handle, memoryFormat?: number): boolean;
  isDisposed(t: Handle): boolean;
  dispose(t: Handle): void;
  item(t: Handle): number | boolean;
  fromBuffer(data: ArrayBufferView | ArrayBuffer, dtype: number, shape: readonly number[]): Handle;
  toBuffer(t: Handle): ArrayBuffer;
  dataView(t: Handle): ArrayBuffer;
  requiresGrad(t: Handle): boolean;
  setRequiresGrad(t: Handle, value: boolean): void;
  grad(t: Handle): Handle | null;
  setGrad(t: Handle, g: Handle | null): void;
  gradFn(t: Handle): string | null;
  setData(t: Handle, data: Handle): void;
  /** fastai's Adam step in one pass (native/adam.h); false when the tensors are not float32, contiguous, CPU. */
  adamStep_(p: Handle, grad: Handle, gradAvg: Handle, sqrAvg: Handle, lr: number, mom: number, sqrMom: number, eps: number,
    wd: number, decoupleWd: boolean, debias1: number, debias2: number): boolean;
  isLeaf(t: Handle): boolean;
  retainGrad(t: Handle): void;
  backward(t: Handle, grad: Handle | null, retainGraph: boolean, createGraph: boolean): void;
  setGradEnabled(enabled: boolean): boolean;
  isGradEnabled(): boolean;
  setAutocast(device: 'cpu' | 'cuda', enabled: boolean, dtype: number): [boolean, number];
  autocastNesting(delta: 1 | -1): void;
  manualSeed(seed: number): void;
  setNumThreads(n: number): void;
  getNumThreads(): number;
  blasNumThreads(): number | null;
  cudaAvailable(): boolean;
  memoryStats(): { liveHandles: number; reportedBytes: number };
  version(): string;
  cpuCache(action?: 'empty'): { cachedBytes: number };
  parallelInfo(): string;
}

function load(): Native {
  const root = packageRoot();
  const file = join(root, 'build', 'Release', 'owlet.node');
  if (!existsSync(file))
    throw new Error(`owlet's native addon is not built (${file} is missing): run \`npm run setup\` in ${root}`);
  try {
    return createRequire(import.meta.url)(file) as Native;
  } catch (e) {
    throw new Error(
      `owlet's native addon could not be loaded from ${file}: ${(e as Error).message}\n` +
        'libtorch may have moved since it was built: run `npm run setup -- --force` to rebuild against the libtorch found now.',
    );
  }
}

export const native: Native = load();
