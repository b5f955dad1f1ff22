/** Process-wide settings of libtorch: seeds, threads, devices. */
import { native } from './native.js';

/** Seeds libtorch's generator (PyTorch's `torch.manual_seed`). */
export function manualSeed(seed: number): void {
  if (!Number.isInteger(seed)) throw new TypeError(`manualSeed takes an integer, got ${seed}`);
  native.manualSeed(seed);
}

export function setNumThreads(n: number): void {
  native.setNumThreads(n);
}

export function getNumThreads(): number {
  return native.getNumThreads();
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
