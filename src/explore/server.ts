/**
 * `owlet explore`'s server: the page's files and its JSON API on 127.0.0.1. Every request is
 * answered; a bad one gets a 4xx with a message, and nothing a request sends can stop the server.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { getRoutes, postRoutes } from './api.js';
import { listen, sendError, sendJson } from '../http/index.js';
import { parseJson, readBody } from './http.js';
import { loadStatic } from './static-files.js';
import { BadRequest } from './validate.js';

export interface ExploreOptions {
  /** 0 picks a free port. */
  port?: number;
  host?: string;
  /** Called with each request that failed unexpectedly (a 500). */
  onError?: (e: unknown) => void;
}

export interface ExploreServer {
  url: string;
  port: number;
  server: Server;
  close(): Promise<void>;
}

async function handle(req: IncomingMessage, res: ServerResponse, files: ReturnType<typeof loadStatic>, onError: (e: unknown) => void): Promise<void> {
  const path = new URL(req.url ?? '/', 'http://localhost').pathname;
  try {
    if (req.method === 'POST' && postRoutes[path]) {
      const body = parseJson(await readBody(req));
      sendJson(res, 200, postRoutes[path](body));
      return;
    }
    if ((req.method === 'GET' || req.method === 'HEAD') && getRoutes[path]) {
      sendJson(res, 200, getRoutes[path]());
      return;
    }
    const file = files.get(path);
    if ((req.method === 'GET' || req.method === 'HEAD') && file) {
      res.writeHead(200, { 'content-type': file.type, 'content-length': file.body.length, 'cache-control': 'no-cache' });
      res.end(req.method === 'HEAD' ? undefined : file.body);
      return;
    }
    if (postRoutes[path] || getRoutes[path] || file) {
      res.setHeader('allow', postRoutes[path] ? 'POST' : 'GET, HEAD');
      sendError(res, 405, `${req.method} is not allowed on ${path}: use ${postRoutes[path] ? 'POST' : 'GET'}`);
      return;
    }
    sendError(res, 404, `nothing at ${path}`);
  } catch (e) {
    if (e instanceof BadRequest) sendError(res, e.status, e.message);
    else {
      onError(e);
      sendError(res, 500, `the server failed on this request: ${(e as Error).message ?? String(e)}`);
    }
  }
}

/** Starts the server; with no port, 8765 when it is free, else any free port. */
export async function startExplore(options: ExploreOptions = {}): Promise<ExploreServer> {
  const host = options.host ?? '127.0.0.1';
  const files = loadStatic();
  const onError = options.onError ?? ((e: unknown) => console.error('owlet explore: request failed:', e));
  const server = createServer((req, res) => {
    handle(req, res, files, onError).catch((e: unknown) => {
      onError(e);
      if (!res.headersSent) sendError(res, 500, 'the server failed on this request');
    });
  });
  server.requestTimeout = 30_000;
  server.headersTimeout = 10_000;
  server.on('clientError', (_e, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    else socket.destroy();
  });
  let port: number;
  if (options.port !== undefined) port = await listen(server, options.port, host);
  else {
    try {
      port = await listen(server, 8765, host);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw e;
      port = await listen(server, 0, host);
    }
  }
  const shownHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${shownHost}:${port}/`,
    port,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
