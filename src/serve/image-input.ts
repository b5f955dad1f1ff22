/**
 * The image a `POST /api/predict` carries, in any of three forms: the raw bytes as the body
 * (`content-type: image/…` or `application/octet-stream`), a multipart form with one file (busboy
 * parses it), or JSON with a data URL (`{"data": "data:image/png;base64,…"}`, or Gradio's
 * `{"data": ["data:…"]}`). Each body is read with a size limit; whatever is wrong with it becomes
 * an HttpError that says what to send instead.
 */
import type { IncomingMessage } from 'node:http';
import busboy from 'busboy';
import { HttpError } from './errors.js';

const mb = (n: number) => `${(n / 2 ** 20).toFixed(n < 2 ** 20 ? 2 : 1)} MB`;
const tooLarge = (what: string, limit: number) => new HttpError(413, `${what} is larger than this server's limit of ${mb(limit)} (--max-body-mb): send a smaller image`);

/** The body's bytes, at most `limit` (413 past it, without reading the rest). */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) return Promise.reject(tooLarge(`the request body (${mb(declared)})`, limit));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.off('data', onData);
        req.pause();
        reject(tooLarge('the request body', limit));
      } else chunks.push(chunk);
    };
    req.on('data', onData);
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', () => reject(new HttpError(400, 'the request was cut off before its end')));
    req.on('close', () => reject(new HttpError(400, 'the request was cut off before its end')));
  });
}

/** The one file of a multipart form. */
function readMultipart(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    let bb: busboy.Busboy;
    try {
      bb = busboy({ headers: req.headers, limits: { fileSize: limit, files: 1, fields: 20, fieldSize: 64 * 1024, parts: 21 } });
    } catch (e) {
      reject(new HttpError(400, `the multipart body cannot be read: ${(e as Error).message}`));
      return;
    }
    let file: Buffer | null = null;
    let failed = false;
    const fail = (e: HttpError) => {
      if (failed) return;
      failed = true;
      req.unpipe(bb);
      req.pause();
      reject(e);
    };
    bb.on('file', (_name, stream, _info) => {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('limit', () => fail(tooLarge('the uploaded file', limit)));
      stream.on('end', () => {
        if (!failed) file = Buffer.concat(chunks);
      });
    });
    bb.on('filesLimit', () => fail(new HttpError(400, 'the form has more than one file: send one image a request')));
    bb.on('partsLimit', () => fail(new HttpError(400, 'the form has too many parts: send one image file')));
    bb.on('error', (e: Error) => fail(new HttpError(400, `the multipart body cannot be read: ${e.message}`)));
    bb.on('close', () => {
      if (failed) return;
      if (file === null) fail(new HttpError(400, 'the form has no file: send the image as a file field (curl -F image=@photo.jpg)'));
      else resolve(file);
    });
    req.on('close', () => {
      if (!req.complete) fail(new HttpError(400, 'the request was cut off before its end'));
    });
    req.pipe(bb);
  });
}

/** The image of a JSON body `{"data": "data:image/…;base64,…"}` (or `{"data": ["data:…"]}`). */
export function imageFromJson(text: string, limit: number): Buffer {
  if (text.trim() === '') throw new HttpError(400, 'the request body is empty: send {"data": "data:image/jpeg;base64,…"}');
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (e) {
    throw new HttpError(400, `the request body is not valid JSON: ${(e as Error).message}`);
  }
  let data = (body as { data?: unknown } | null)?.data;
  if (Array.isArray(data)) data = data[0];
  if (typeof data !== 'string') throw new HttpError(400, 'the JSON has no "data" string: send {"data": "data:image/jpeg;base64,…"}');
  const m = /^data:([^;,]*)((?:;[^;,]*)*),/.exec(data.slice(0, 256));
  if (m === null) throw new HttpError(400, `"data" is not a data URL (it starts '${data.slice(0, 24)}'): send "data:image/jpeg;base64,…"`);
  if (!m[2]!.split(';').includes('base64')) throw new HttpError(400, '"data" is a data URL without ;base64: encode the image in base64');
  if (m[1] !== '' && !m[1]!.startsWith('image/') && m[1] !== 'application/octet-stream') throw new HttpError(415, `"data" holds '${m[1]}', not an image: send data:image/…`);
  const payload = data.slice(m[0].length);
  if (!/^[A-Za-z0-9+/_\-\s]*={0,2}\s*$/.test(payload)) throw new HttpError(400, '"data" is not valid base64');
  const bytes = Buffer.from(payload, 'base64');
  if (bytes.length > limit) throw tooLarge('the image in "data"', limit);
  return bytes;
}

/** The media type of a request, lower case, without its parameters ('' when absent). */
export function mediaType(req: IncomingMessage): string {
  return (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
}

/** The image bytes a request carries (not yet checked as an image: image-check.ts does that). */
export async function imageFromRequest(req: IncomingMessage, limit: number): Promise<Buffer> {
  const type = mediaType(req);
  if (type === 'multipart/form-data') return readMultipart(req, limit);
  if (type === 'application/json') return imageFromJson((await readBody(req, Math.ceil((limit * 4) / 3) + 4096)).toString('utf8'), limit);
  if (type === '' || type.startsWith('image/') || type === 'application/octet-stream') return readBody(req, limit);
  throw new HttpError(
    415,
    `content-type '${type}' is not one /api/predict takes: send the image's bytes as image/jpeg (or image/png, …, application/octet-stream), ` +
      "a multipart/form-data file, or application/json {\"data\": \"data:image/…;base64,…\"} (curl: -H 'content-type: image/jpeg' --data-binary @photo.jpg)",
  );
}
