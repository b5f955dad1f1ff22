/**
 * The entry of a decoding worker thread (worker-pool.ts starts it): decodes batches of images with
 * sharp and sends each back as one transferred buffer.
 */
import { parentPort } from 'node:worker_threads';
import sharp from 'sharp';
import { decodeBatch, type BatchRequest } from './batch-decode.js';

if (parentPort === null) throw new Error('decode-worker.js runs as a worker thread (see worker-pool.ts)');
const port = parentPort;
// Every image is decoded once per pass: libvips' operation cache only costs time and memory here.
sharp.cache(false);
port.on('message', (req: BatchRequest) => {
  decodeBatch(req).then(
    (reply) => port.postMessage(reply, [reply.data, reply.floats].filter((b): b is ArrayBuffer => b instanceof ArrayBuffer)),
    (e: unknown) => port.postMessage({ id: req.id, data: null, height: 0, width: 0, ok: [], bad: [], sizeError: `worker failure: ${(e as Error).message}` }),
  );
});
