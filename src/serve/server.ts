/**
 * `owlet serve`'s server, on node's own http: the page, its example images, and the JSON API —
 * `POST /api/predict` (an image: raw bytes, a multipart file or a JSON data URL; answers Gradio's
 * Label shape, `?topk=`), `GET /api/info`, `GET /healthz` (also `/api/health`). Whatever a request
 * sends, it gets an answer (a 4xx with `{"error": …}` for a bad one) and the server keeps serving.
 * `close()` shuts down gracefully: no new requests, the ones in flight finished, then the workers
 * stopped.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { readFileSync } from 'node:fs';
import { basename, extname, resolve } from 'node:path';
import { getNumThreads, owletVersion, setNumThreads } from '../engine/index.js';
import { QueueFullError } from './batcher.js';
import { HttpError } from './errors.js';
import { listen, sendError, sendJson } from '../http/index.js';
import { parseTopk, rawJsonError } from './http.js';
import { checkImage } from './image-check.js';
import { imageFromRequest } from './image-input.js';
import { toLabel } from './label.js';
import { listExamples, loadPage, type Example } from './page-files.js';
import { Predictor } from './predictor.js';
import { resolveServeOptions, type ServeOptions, type ResolvedServeOptions } from './options.js';

export interface ServeServer {
  url: string;
  port: number;
  server: Server;
  predictor: Predictor;
  /** What `GET /api/info` answers. */
  info: ServeInfo;
  /** Requests being answered now. */
  inFlight(): number;
  /** Stops taking requests, finishes those in flight, stops the decoding workers. */
  close(): Promise<void>;
}

export interface ServeInfo {
  name: string;
  arch: string | null;
  classes: readonly string[];
  numClasses: number;
  /** The model's input [height, width] after the pipeline's resize; null when the pipeline keeps each image's size. */
  inputSize: [number, number] | null;
  resizeMethod: string | null;
  mean: number[] | null;
  std: number[] | null;
  owlet: string;
  topk: number;
  batching: { maxBatch: number; maxWaitMs: number };
  threads: { libtorch: number; decode: number };
  limits: { maxBodyBytes: number; maxPixels: number; timeoutMs: number };
  examples: { name: string; url: string }[];
}

function describeModel(p: Predictor, file: string, o: ResolvedServeOptions, examples: Example[]): ServeInfo {
  const pipe = p.learn.dls.pipeline;
  const spec = p.learn.modelSpec as { arch?: unknown } | null;
  const size = pipe.batchResize?.size ?? pipe.size ?? null;
  return {
    name: basename(file, extname(file)),
    arch: typeof spec?.arch === 'string' ? spec.arch : null,
    classes: p.vocab,
    numClasses: p.vocab.length,
    inputSize: size === null ? null : [size[0], size[1]],
    resizeMethod: pipe.resizeMethod ?? null,
    mean: pipe.mean ? [...pipe.mean] : null,
    std: pipe.std ? [...pipe.std] : null,
    owlet: owletVersion(),
    topk: Math.min(o.topk, p.vocab.length),
    batching: { maxBatch: o.maxBatch, maxWaitMs: o.maxWaitMs },
    threads: { libtorch: getNumThreads(), decode: o.workers },
    limits: { maxBodyBytes: o.maxBodyBytes, maxPixels: o.maxPixels, timeoutMs: o.timeoutMs },
    examples: examples.map((e) => ({ name: e.name, url: e.url })),
  };
}

/** Rejects after `ms` with a 503, unless `work` settles first. */
function withDeadline<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new HttpError(503, `the prediction took longer than ${ms} ms (--timeout-ms): the server is overloaded; try again`)), ms);
  });
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}

/** Loads the model and starts serving it. */
export async function startServe(modelFile: string, options: ServeOptions = {}): Promise<ServeServer> {
  const o = resolveServeOptions(options);
  const file = resolve(modelFile);
  const examples = o.examples !== null ? listExamples(o.examples) : [];
  if (o.threads !== null) setNumThreads(o.threads);
  const predictor = await Predictor.load(file, { maxBatch: o.maxBatch, maxWaitMs: o.maxWaitMs, maxQueue: o.maxQueue, workers: o.workers });
  const info = describeModel(predictor, file, o, examples);
  const page = loadPage();
  const exampleByUrl = new Map(examples.map((e) => [e.url, e]));
  const started = Date.now();
  let inFlight = 0;
  let closing = false;
  let idle: (() => void) | null = null;

  const health = () => ({
    status: closing ? 'shutting down' : 'ok',
    uptimeS: Math.round((Date.now() - started) / 1000),
    inFlight,
    queued: predictor.batcher.queued,
    batches: predictor.batcher.stats.batches,
    predictions: predictor.batcher.stats.items,
    rssBytes: process.memoryUsage.rss(),
    heapUsedBytes: process.memoryUsage().heapUsed,
    /** Memory outside V8's heap that V8 knows of (buffers, and libtorch's tensors where reported). */
    externalBytes: process.memoryUsage().external,
    /** CPU time of the whole process (every thread) since it started. */
    cpuSeconds: (process.cpuUsage().user + process.cpuUsage().system) / 1e6,
  });

  async function predictRoute(req: IncomingMessage, res: ServerResponse, params: URLSearchParams): Promise<void> {
    const topk = parseTopk(params, info.topk, info.numClasses);
    const bytes = await imageFromRequest(req, o.maxBodyBytes);
    await checkImage(bytes, o.maxPixels);
    const p = await withDeadline(predictor.predict(bytes), o.timeoutMs);
    sendJson(res, 200, toLabel(p, info.classes, topk));
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const path = url.pathname;
    const get = req.method === 'GET' || req.method === 'HEAD';
    if (path === '/api/predict') {
      if (req.method !== 'POST') throw new HttpError(405, `${req.method} is not allowed on /api/predict: POST an image`);
      if (closing) throw new HttpError(503, 'the server is shutting down');
      return predictRoute(req, res, url.searchParams);
    }
    if (path === '/api/info' || path === '/healthz' || path === '/api/health') {
      if (!get) throw new HttpError(405, `${req.method} is not allowed on ${path}: use GET`);
      if (path === '/api/info') sendJson(res, 200, info);
      else sendJson(res, closing ? 503 : 200, health());
      return;
    }
    const file = page.get(path);
    const example = exampleByUrl.get(path);
    if (file === undefined && example === undefined) throw new HttpError(404, `nothing at ${path} (the API: POST /api/predict, GET /api/info, GET /healthz)`);
    if (!get) throw new HttpError(405, `${req.method} is not allowed on ${path}: use GET`);
    const body = file?.body ?? readFileSync(example!.file);
    res.writeHead(200, { 'content-type': file?.type ?? example!.type, 'content-length': body.length, 'cache-control': 'no-cache' });
    res.end(req.method === 'HEAD' ? undefined : body);
  }

  const server = createServer({ connectionsCheckingInterval: Math.min(1000, Math.max(100, o.timeoutMs / 4)) }, (req, res) => {
    inFlight++;
    if (closing) res.setHeader('connection', 'close');
    res.on('close', () => {
      inFlight--;
      if (inFlight === 0 && idle !== null) idle();
    });
    handle(req, res).catch((e: unknown) => {
      // a body left unread (refused before its end) is not drained: the connection closes after the answer
      const headers: Record<string, string> = closing || !req.complete ? { connection: 'close' } : {};
      if (e instanceof HttpError) sendError(res, e.status, e.message, headers);
      else if (e instanceof QueueFullError) sendError(res, 503, e.message, { ...headers, 'retry-after': '1' });
      else {
        o.onError(e);
        sendError(res, 500, `the server failed on this request: ${(e as Error)?.message ?? String(e)}`, headers);
      }
    });
  });
  server.requestTimeout = o.timeoutMs;
  server.headersTimeout = Math.min(o.timeoutMs, 60_000);
  server.on('clientError', (e: NodeJS.ErrnoException, socket) => {
    if (!socket.writable) socket.destroy();
    else if (e.code === 'ERR_HTTP_REQUEST_TIMEOUT') socket.end(rawJsonError(408, 'Request Timeout', `the request did not arrive within ${o.timeoutMs} ms (--timeout-ms)`));
    else if (e.code === 'HPE_HEADER_OVERFLOW') socket.end(rawJsonError(431, 'Request Header Fields Too Large', 'the request headers are too large'));
    else socket.end(rawJsonError(400, 'Bad Request', `the request is not valid HTTP: ${e.message}`));
  });
  let port: number;
  try {
    port = await listen(server, o.port, o.host);
  } catch (e) {
    await predictor.close();
    throw e;
  }
  const shownHost = o.host.includes(':') ? `[${o.host}]` : o.host;
  let closed: Promise<void> | null = null;
  const close = (): Promise<void> =>
    (closed ??= (async () => {
      closing = true;
      const stopped = new Promise<void>((r) => server.close(() => r()));
      server.closeIdleConnections();
      if (inFlight > 0) {
        const grace = new Promise<void>((r) => setTimeout(r, o.shutdownGraceMs).unref());
        await Promise.race([new Promise<void>((r) => (idle = r)), grace]);
      }
      await predictor.close();
      server.closeAllConnections();
      await stopped;
    })());
  return { url: `http://${shownHost}:${port}/`, port, server, predictor, info, inFlight: () => inFlight, close };
}
