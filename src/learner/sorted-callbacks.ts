/**
 * The callbacks in running order: by `order`, then as added (fastai's sort_by_run). The loop reads
 * it at every event of every batch, so it is rebuilt only when the list or a callback's `order`
 * changes.
 */
import type { CallbackLike } from './callback.js';

export class SortedCallbacks {
  #sorted: CallbackLike[] | null = null;
  /** Each sorted callback's `order` when the order was built. */
  #orders: (number | undefined)[] = [];

  /** After a callback was added or removed. */
  invalidate(): void {
    this.#sorted = null;
  }

  /** `cbs` in running order (the same array until something changes: do not modify it). */
  of(cbs: readonly CallbackLike[]): readonly CallbackLike[] {
    const cached = this.#sorted;
    if (cached !== null && cached.every((cb, i) => cb.order === this.#orders[i])) return cached;
    const sorted = cbs.map((cb, i) => ({ cb, i })).sort((a, b) => (a.cb.order ?? 0) - (b.cb.order ?? 0) || a.i - b.i).map((x) => x.cb);
    this.#orders = sorted.map((cb) => cb.order);
    this.#sorted = sorted;
    return sorted;
  }
}
