/** Small HTTP helpers of the server: JSON answers and errors, listening, the query's topk. */
import type { Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HttpError } from './errors.js';

export function sendJson(res: ServerResponse, status: number, value: unknown, headers: Record<string, string> = {}): void {
  if (res.headersSent) return;
  const body = JSON.stringify(value);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-store',
    ...headers,
  });
  res.end(body);
}

export function sendError(res: ServerResponse, status: number, message: string, headers: Record<string, string> = {}): void {
  sendJson(res, status, { error: message }, headers);
}

/** A raw JSON error on a socket that has no response object (a request node itself refused). */
export function rawJsonError(status: number, reason: string, message: string): string {
  const body = JSON.stringify({ error: message });
  return `HTTP/1.1 ${status} ${reason}\r\ncontent-type: application/json; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`;
}

/** `?topk=` as an integer from 1 (default `fallback`), at most `max`; a 400 otherwise. */
export function parseTopk(params: URLSearchParams, fallback: number, max: number): number {
  const raw = params.get('topk');
  if (raw === null || raw === '') return Math.min(fallback, max);
  if (!/^\d+$/.test(raw.trim()) || Number(raw) < 1) throw new HttpError(400, `topk must be a whole number from 1 (the model has ${max} classes), got '${raw}'`);
  return Math.min(Number(raw), max);
}

/** Listens on host:port; resolves with the port (port 0: any free one). */
export function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (e: Error) => {
      server.off('listening', onListening);
      reject(e);
    };
    const onListening = () => {
      server.off('error', onError);
      resolve((server.address() as AddressInfo).port);
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, host);
  });
}
