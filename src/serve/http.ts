/** The server's own HTTP helpers: a raw error on a bare socket, the query's topk (JSON answers and listening are src/http's). */
import { HttpError } from './errors.js';

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
