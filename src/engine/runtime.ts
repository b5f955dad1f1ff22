/** Process-wide settings of libtorch: seeds, threads, devices. */
import { native } from './native.js';

/** Seeds libtorch's generator (PyTorch's `torch.manual_seed`). */
export function manualSeed(seed: number): void {
  if (!Number.isInteger(seed)) throw new TypeError(`manualSeed takes an integer, got ${seed}`);
  native.manualSeed(seed);
}

/**
 * libtorch's threads for its ops (PyTorch's `torch.set_num_threads`), and the same cap for
 * OpenBLAS's own pool where libtorch's BLAS is OpenBLAS: PyTorch leaves that pool at every core,
 * where its idle threads spin beside libtorch's on small matrices.
 */
export function setNumThreads(n: number): void {
  native.setNumThreads(n);
}

export function getNumThreads(): number {
  return native.getNumThreads();
}

/** OpenBLAS's thread count (`openblas_get_num_threads`), or null where libtorch's BLAS is another library. */
export function blasNumThreads(): number | null {
  return native.blasNumThreads();
}

export function cudaIsAvailable(): boolean {
  return native.cudaAvailable();
}

export function libtorchVersion(): string {
  return native.version();
}

/** Live tensor handles and the bytes reported to V8, for checking that memory stays flat. */
export function memoryStats(): { liveHandles: number; reportedBytes: number } {
  return native.memoryStats();
}
