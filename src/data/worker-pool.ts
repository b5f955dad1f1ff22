/**
 * A pool of decoding worker threads (node:worker_threads). Batches go to the least busy worker; the
 * workers hold the process open only while they have work (they are unref'd when idle), so a
 * script that is done exits without closing its loaders.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { decodeBatch, type BatchReply, type BatchRequest } from './batch-decode.js';

interface Slot {
  worker: Worker;
  pending: Map<number, { resolve: (r: BatchReply) => void; reject: (e: Error) => void }>;
}

/** The default number of decoding workers: one fewer than the cores, at least 1, at most 4. */
export function defaultNumWorkers(): number {
  return Math.max(1, Math.min(4, availableParallelism() - 1));
}

export class DecodePool {
  readonly numWorkers: number;
  #slots: Slot[] = [];
  #nextId = 1;
  #closed = false;

  /** `numWorkers` 0 decodes on the main thread's event loop (sharp still works off-thread). */
  constructor(numWorkers = defaultNumWorkers()) {
    if (!Number.isInteger(numWorkers) || numWorkers < 0) throw new RangeError(`numWorkers must be a non-negative integer, got ${numWorkers}`);
    this.numWorkers = numWorkers;
  }

  #start(): void {
    for (let i = 0; i < this.numWorkers; i++) {
      const worker = new Worker(new URL('./decode-worker.js', import.meta.url));
      const slot: Slot = { worker, pending: new Map() };
      worker.on('message', (reply: BatchReply) => {
        const p = slot.pending.get(reply.id);
        if (!p) return;
        slot.pending.delete(reply.id);
        if (slot.pending.size === 0) worker.unref();
        p.resolve(reply);
      });
      const fail = (e: Error) => {
        for (const p of slot.pending.values()) p.reject(e);
        slot.pending.clear();
        const k = this.#slots.indexOf(slot);
        if (k >= 0) this.#slots.splice(k, 1);
      };
      worker.on('error', (e) => fail(new Error(`a decoding worker failed: ${e.message}`)));
      worker.on('exit', (code) => { if (slot.pending.size > 0) fail(new Error(`a decoding worker stopped (exit code ${code})`)); });
      worker.unref();
      this.#slots.push(slot);
    }
  }

  /** Decodes one batch, on a worker or (with no workers) here. */
  run(req: Omit<BatchRequest, 'id'>): Promise<BatchReply> {
    if (this.#closed) return Promise.reject(new Error('the decoding pool is closed'));
    const id = this.#nextId++;
    if (this.numWorkers === 0) return decodeBatch({ ...req, id });
    if (this.#slots.length === 0) this.#start();
    if (this.#slots.length === 0) return Promise.reject(new Error('no decoding worker could be started'));
    let slot = this.#slots[0]!;
    for (const s of this.#slots) if (s.pending.size < slot.pending.size) slot = s;
    return new Promise((resolve, reject) => {
      slot.pending.set(id, { resolve, reject });
      slot.worker.ref();
      slot.worker.postMessage({ ...req, id });
    });
  }

  /** Stops the workers (a later `run` is refused). */
  async close(): Promise<void> {
    this.#closed = true;
    const slots = this.#slots;
    this.#slots = [];
    await Promise.all(slots.map((s) => s.worker.terminate()));
  }
}
