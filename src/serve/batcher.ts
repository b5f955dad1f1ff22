/**
 * Dynamic batching, as model servers do it (TorchServe's batchSize / maxBatchDelay, Triton's
 * dynamic batcher): requests wait in a queue, and a batch runs as soon as `maxBatch` are waiting or
 * the oldest has waited `maxWaitMs`. One batch runs at a time; what arrives meanwhile waits for the
 * next, so under load the batches fill up by themselves.
 */

export interface BatcherOptions {
  /** The most items a batch holds. */
  maxBatch: number;
  /** How long the first item of a batch waits for others, in milliseconds. */
  maxWaitMs: number;
  /** The most items waiting; past it `submit` is refused (the server answers 503). */
  maxQueue?: number;
}

export interface BatcherStats {
  /** Batches run. */
  batches: number;
  /** Items run. */
  items: number;
  /** The largest batch so far. */
  largest: number;
}

interface Waiting<I, O> {
  item: I;
  resolve: (o: O) => void;
  reject: (e: unknown) => void;
}

/** Raised by `submit` when the queue is full or the batcher is closed. */
export class QueueFullError extends Error {
  override name = 'QueueFullError';
}

export class DynamicBatcher<I, O> {
  readonly stats: BatcherStats = { batches: 0, items: 0, largest: 0 };
  #queue: Waiting<I, O>[] = [];
  #timer: NodeJS.Timeout | null = null;
  #running: Promise<void> | null = null;
  #closed = false;

  /** `run` takes a batch's items and gives one output per item, in order. */
  constructor(private readonly run: (items: I[]) => Promise<O[]>, readonly options: BatcherOptions) {
    if (!Number.isInteger(options.maxBatch) || options.maxBatch < 1) throw new RangeError(`maxBatch must be an integer ≥ 1, got ${options.maxBatch}`);
    if (!(options.maxWaitMs >= 0)) throw new RangeError(`maxWaitMs must be ≥ 0, got ${options.maxWaitMs}`);
  }

  /** Items waiting for a batch. */
  get queued(): number {
    return this.#queue.length;
  }

  /** Queues one item; resolves with its output once its batch has run. */
  submit(item: I): Promise<O> {
    if (this.#closed) return Promise.reject(new QueueFullError('the server is shutting down'));
    if (this.#queue.length >= (this.options.maxQueue ?? Infinity)) return Promise.reject(new QueueFullError(`${this.#queue.length} requests are already waiting: try again shortly`));
    return new Promise<O>((resolve, reject) => {
      this.#queue.push({ item, resolve, reject });
      this.#schedule();
    });
  }

  #schedule(): void {
    if (this.#running !== null) return; // the running batch schedules the next when it ends
    if (this.#queue.length >= this.options.maxBatch) {
      this.#flush();
    } else if (this.#queue.length > 0 && this.#timer === null) {
      this.#timer = setTimeout(() => this.#flush(), this.options.maxWaitMs);
    }
  }

  #flush(): void {
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
    if (this.#running !== null || this.#queue.length === 0) return;
    const batch = this.#queue.splice(0, this.options.maxBatch);
    this.stats.batches++;
    this.stats.items += batch.length;
    this.stats.largest = Math.max(this.stats.largest, batch.length);
    this.#running = this.#runBatch(batch).finally(() => {
      this.#running = null;
      // items that arrived during the run have waited at least that long: run them now
      if (this.#queue.length > 0) this.#flush();
    });
  }

  async #runBatch(batch: Waiting<I, O>[]): Promise<void> {
    try {
      const out = await this.run(batch.map((w) => w.item));
      if (out.length !== batch.length) throw new Error(`the batch function gave ${out.length} outputs for ${batch.length} items`);
      batch.forEach((w, i) => w.resolve(out[i]!));
    } catch (e) {
      for (const w of batch) w.reject(e);
    }
  }

  /** Refuses new items and waits until every queued one has run. */
  async drain(): Promise<void> {
    this.#closed = true;
    while (this.#queue.length > 0 || this.#running !== null) {
      if (this.#running === null) this.#flush();
      await this.#running;
    }
  }
}
