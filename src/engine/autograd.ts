/** Switches for autograd and mixed precision, as PyTorch's `no_grad`, `enable_grad` and `autocast`. */
import type { DType } from './dtype.js';
import { dtypeCode } from './dtype.js';
import { native } from './native.js';

function withGradMode<T>(enabled: boolean, fn: () => T, name: string): T {
  const prev = native.setGradEnabled(enabled);
  try {
    const result = fn();
    if (result instanceof Promise)
      throw new TypeError(`${name}() takes a synchronous function: grad mode would not hold across await`);
    return result;
  } finally {
    native.setGradEnabled(prev);
  }
}

/** Runs `fn` without recording operations for autograd (PyTorch's `with torch.no_grad():`). */
export function noGrad<T>(fn: () => T): T {
  return withGradMode(false, fn, 'noGrad');
}

/** Runs `fn` with autograd on, inside a `noGrad` block. */
export function enableGrad<T>(fn: () => T): T {
  return withGradMode(true, fn, 'enableGrad');
}

export function setGradEnabled(enabled: boolean): void {
  native.setGradEnabled(enabled);
}

export function isGradEnabled(): boolean {
  return native.isGradEnabled();
}

/**
 * Runs `fn` under autocast: on 'cpu' (bfloat16 by default) or 'cuda' (float16 by default), the
 * eligible ops (convolutions, matmuls) run in the lower precision.
 */
export function autocast<T>(device: 'cpu' | 'cuda', fn: () => T, options: { dtype?: DType; enabled?: boolean } = {}): T {
  const dtype = options.dtype ?? (device === 'cpu' ? 'bfloat16' : 'float16');
  const [prevEnabled, prevDtype] = native.setAutocast(device, options.enabled ?? true, dtypeCode(dtype));
  native.autocastNesting(1);
  try {
    const result = fn();
    if (result instanceof Promise) throw new TypeError('autocast() takes a synchronous function');
    return result;
  } finally {
    native.autocastNesting(-1);
    native.setAutocast(device, prevEnabled, prevDtype);
  }
}

/** Whether autocast is on for `device` (PyTorch's `torch.is_autocast_enabled()` / `is_autocast_cpu_enabled()`). */
export function isAutocastEnabled(device: 'cpu' | 'cuda' = 'cpu'): boolean {
  const [enabled, dtype] = native.setAutocast(device, false, dtypeCode(device === 'cpu' ? 'bfloat16' : 'float16'));
  native.setAutocast(device, enabled, dtype);
  return enabled;
}
