/**
 * `owlet serve`'s options and their defaults, and how the cores are shared out. The model runs on
 * the main thread with libtorch's intra-op threads; the images are decoded, resized and normalised
 * on decoding worker threads. The two run at the same time under load (the workers prepare the next
 * images while a batch runs), so by default the cores are split rather than each side taking all
 * of them and both fighting over the same cores: a quarter of them (at least 1, at most 4) decode
 * and the rest (at least 1) run the model — on 2 cores 1 and 1, on 16 cores 4 and 12.
 */
import { availableParallelism } from 'node:os';

export interface ServeOptions {
  /** Default 7860 (Gradio's); 0 picks a free port. */
  port?: number;
  /** Default 127.0.0.1 (this machine only); 0.0.0.0 to serve a network. */
  host?: string;
  /** A folder of example images shown on the page. */
  examples?: string | null;
  /** The most images a model call takes (default 16). */
  maxBatch?: number;
  /** How long the first image of a batch waits for others (default 5 ms). */
  maxWaitMs?: number;
  /** The most images waiting for the model; past it a request gets a 503 (default 256). */
  maxQueue?: number;
  /** libtorch threads (default: the cores the decoding workers leave). */
  threads?: number | null;
  /** Decoding worker threads (default: a quarter of the cores, 1 to 4). */
  workers?: number;
  /** The largest request body in bytes (default 10 MiB). */
  maxBodyBytes?: number;
  /** The most pixels an image may decode to, read from its header before decoding (default 40 megapixels). */
  maxPixels?: number;
  /** How long a request may take to arrive, and a prediction to be made, in milliseconds (default 30 s). */
  timeoutMs?: number;
  /** The number of labels an answer lists when the request gives no `?topk=` (default 5). */
  topk?: number;
  /** How long shutdown waits for requests in flight (default 10 s). */
  shutdownGraceMs?: number;
  /** Called with each request that failed unexpectedly (a 500). */
  onError?: (e: unknown) => void;
}

export type ResolvedServeOptions = Required<Omit<ServeOptions, 'examples' | 'threads'>> & { examples: string | null; threads: number | null };

/** The default split of `cores` between decoding workers and libtorch threads. */
export function defaultServeThreads(cores = availableParallelism()): { workers: number; threads: number } {
  const workers = Math.max(1, Math.min(4, Math.round(cores / 4)));
  return { workers, threads: Math.max(1, cores - workers) };
}

function check(name: string, v: number, min: number, integer = true): number {
  if (!Number.isFinite(v) || v < min || (integer && !Number.isInteger(v))) throw new RangeError(`${name} must be ${integer ? 'an integer' : 'a number'} ≥ ${min}, got ${v}`);
  return v;
}

export function resolveServeOptions(o: ServeOptions): ResolvedServeOptions {
  const split = defaultServeThreads();
  const r: ResolvedServeOptions = {
    port: o.port ?? 7860,
    host: o.host ?? '127.0.0.1',
    examples: o.examples ?? null,
    maxBatch: o.maxBatch ?? 16,
    maxWaitMs: o.maxWaitMs ?? 5,
    maxQueue: o.maxQueue ?? 256,
    workers: o.workers ?? split.workers,
    threads: o.threads === undefined ? split.threads : o.threads,
    maxBodyBytes: o.maxBodyBytes ?? 10 * 2 ** 20,
    maxPixels: o.maxPixels ?? 40e6,
    timeoutMs: o.timeoutMs ?? 30_000,
    topk: o.topk ?? 5,
    shutdownGraceMs: o.shutdownGraceMs ?? 10_000,
    onError: o.onError ?? ((e: unknown) => console.error('owlet serve: a request failed:', e)),
  };
  check('port', r.port, 0);
  if (r.port > 65535) throw new RangeError(`port must be from 0 to 65535, got ${r.port}`);
  check('maxBatch', r.maxBatch, 1);
  check('maxWaitMs', r.maxWaitMs, 0, false);
  check('maxQueue', r.maxQueue, 1);
  check('workers', r.workers, 0);
  if (r.threads !== null) check('threads', r.threads, 1);
  check('maxBodyBytes', r.maxBodyBytes, 1);
  check('maxPixels', r.maxPixels, 1);
  check('timeoutMs', r.timeoutMs, 1);
  check('topk', r.topk, 1);
  check('shutdownGraceMs', r.shutdownGraceMs, 0);
  return r;
}
