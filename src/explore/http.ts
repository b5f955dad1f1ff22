/** The lesson server's request bodies: read with a size limit, parsed as JSON (answers are src/http's). */
import type { IncomingMessage } from 'node:http';
import { BadRequest } from './validate.js';

/** Bodies past this are refused (400) without being kept. */
export const BODY_LIMIT = 64 * 1024;
/** Past this much, the connection is dropped rather than drained. */
const DRAIN_LIMIT = 8 * 1024 * 1024;

/** The body as text; a BadRequest when it is larger than `limit` bytes (read to its end first). */
export function readBody(req: IncomingMessage, limit = BODY_LIMIT): Promise<string> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > DRAIN_LIMIT) {
      reject(new BadRequest(`the request body is ${declared} bytes; the limit is ${limit}`));
      req.destroy();
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
      else if (size > DRAIN_LIMIT) req.destroy();
    });
    req.on('end', () => {
      if (size > limit) reject(new BadRequest(`the request body is ${size} bytes; the limit is ${limit}`));
      else resolve(Buffer.concat(chunks).toString('utf8'));
    });
    // A client that goes away mid-body: nothing to answer, and nothing wrong with the server.
    req.on('error', () => reject(new BadRequest('the request was cut off')));
    req.on('close', () => reject(new BadRequest('the request was cut off')));
  });
}

/** Parses JSON, or throws a BadRequest saying what is wrong with it. */
export function parseJson(text: string): unknown {
  if (text.trim() === '') throw new BadRequest('the request body is empty: send a JSON object');
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new BadRequest(`the request body is not valid JSON: ${(e as Error).message}`);
  }
}
