/** A module's forward hooks (PyTorch's forward pre-hooks and forward hooks) and running `forward` between them. */
import type { AnyModule, ForwardHook, ForwardPreHook, RemovableHandle } from './module-types.js';

let nextHookId = 0;
/** Forward hooks and pre-hooks registered on any module and not removed. */
let liveHooks = 0;

/** Whether any module has a forward hook or pre-hook (a hook may keep the tensors it sees). */
export function anyForwardHooks(): boolean {
  return liveHooks !== 0;
}

function removal(map: Map<number, unknown>, id: number): RemovableHandle {
  return { remove: () => void (map.delete(id) && liveHooks--) };
}

export class ForwardHooks {
  readonly #preHooks = new Map<number, ForwardPreHook>();
  readonly #hooks = new Map<number, ForwardHook>();

  /** No hook is registered: `forward` runs alone. */
  get empty(): boolean {
    return this.#preHooks.size === 0 && this.#hooks.size === 0;
  }

  addPreHook(hook: ForwardPreHook): RemovableHandle {
    const id = nextHookId++;
    this.#preHooks.set(id, hook);
    liveHooks++;
    return removal(this.#preHooks, id);
  }

  addHook(hook: ForwardHook): RemovableHandle {
    const id = nextHookId++;
    this.#hooks.set(id, hook);
    liveHooks++;
    return removal(this.#hooks, id);
  }

  /** The pre-hooks (each may replace the arguments), `forward`, then the hooks (each may replace the output). */
  run(module: AnyModule, forward: (args: unknown[]) => unknown, args: unknown[]): unknown {
    let a: unknown[] = args;
    for (const hook of [...this.#preHooks.values()]) {
      const r = hook(module, a);
      if (r !== undefined) a = Array.isArray(r) ? r : [r];
    }
    let out: unknown = forward(a);
    for (const hook of [...this.#hooks.values()]) {
      const r = hook(module, a, out);
      if (r !== undefined) out = r;
    }
    return out;
  }
}
