/** `owlet serve <model> [options]`: a web page and an HTTP API for an exported image classifier. */
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { defaultServeThreads, startServe, type ServeServer } from '../../serve/index.js';
import { UserError } from '../errors.js';
import { parseInteger, parseNumber } from '../options.js';

interface ServeCliOptions {
  port: number;
  host: string;
  examples?: string;
  maxBatch: number;
  maxWaitMs: number;
  threads?: number;
  workers?: number;
  maxBodyMb: number;
  maxPixels: number;
  timeoutMs: number;
  topk: number;
}

function parsePort(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || n > 65535) throw new InvalidArgumentError('the port must be a whole number from 0 to 65535 (0: any free port)');
  return n;
}

export function serveCommand(): Command {
  const split = defaultServeThreads();
  return new Command('serve')
    .description('serve an exported model: a web page to classify images (drop, paste, pick, camera) and an HTTP API (POST /api/predict)')
    .argument('<model>', 'the exported model (a .safetensors file written by owlet train --export or learn.export)')
    .option('-p, --port <port>', 'the port (0: any free port)', parsePort, 7860)
    .option('--host <host>', 'the address to listen on (0.0.0.0: every network interface)', '127.0.0.1')
    .option('--examples <folder>', 'a folder of example images to show on the page')
    .option('--max-batch <n>', 'the most images one model call takes (dynamic batching)', parseInteger('--max-batch', 1), 16)
    .option('--max-wait-ms <ms>', 'how long the first image of a batch waits for others', parseNumber('--max-wait-ms', (n) => n >= 0 && n <= 10_000, 'a number of milliseconds from 0 to 10000'), 5)
    .option('--threads <n>', `libtorch threads for the model (default: the cores the decoding threads leave, here ${split.threads})`, parseInteger('--threads', 1))
    .option('--workers <n>', `image-decoding threads (default: a quarter of the cores, 1 to 4, here ${split.workers})`, parseInteger('--workers', 0))
    .option('--max-body-mb <mb>', 'the largest request body, in MB', parseNumber('--max-body-mb', (n) => n > 0 && n <= 1024, 'a number of MB above 0, at most 1024'), 10)
    .option('--max-pixels <n>', 'the most pixels an uploaded image may have (read from its header, before decoding)', parseInteger('--max-pixels', 1), 40_000_000)
    .option('--timeout-ms <ms>', 'how long a request may take to arrive, and its prediction to be made', parseInteger('--timeout-ms', 1), 30_000)
    .option('--topk <k>', 'labels in an answer when the request gives no ?topk=', parseInteger('--topk', 1), 5)
    .action(async (model: string, opts: ServeCliOptions) => {
      const file = resolve(model);
      if (!existsSync(file)) throw new UserError(`the model file ${file} does not exist (owlet train --export <file> writes one)`);
      if (statSync(file).isDirectory()) throw new UserError(`${file} is a folder: give the exported .safetensors file`);
      if (opts.examples !== undefined && !existsSync(opts.examples)) throw new UserError(`the examples folder ${resolve(opts.examples)} does not exist`);
      let server: ServeServer;
      try {
        server = await startServe(file, {
          port: opts.port, host: opts.host, examples: opts.examples ?? null, maxBatch: opts.maxBatch, maxWaitMs: opts.maxWaitMs,
          ...(opts.threads !== undefined ? { threads: opts.threads } : {}), ...(opts.workers !== undefined ? { workers: opts.workers } : {}),
          maxBodyBytes: Math.round(opts.maxBodyMb * 2 ** 20), maxPixels: opts.maxPixels, timeoutMs: opts.timeoutMs, topk: opts.topk,
        });
      } catch (e) {
        const err = e as NodeJS.ErrnoException;
        if (err.code === 'EADDRINUSE') throw new UserError(`port ${opts.port} is in use: choose another with --port, or --port 0 for any free one`);
        if (err.code === 'EADDRNOTAVAIL' || err.code === 'ENOTFOUND') throw new UserError(`cannot listen on ${opts.host}: it is not an address of this machine`);
        // loadLearner's diagnoses (not an owlet export, damaged, a newer format) and a bad examples folder are the user's to fix
        throw new UserError(err.message, { cause: e });
      }
      const i = server.info;
      console.log(`owlet serve: ${i.name} (${i.arch ?? 'custom model'}, ${i.numClasses} classes${i.inputSize ? `, ${i.inputSize[0]}×${i.inputSize[1]} px` : ''})`);
      console.log(`  batches of up to ${i.batching.maxBatch} (waiting at most ${i.batching.maxWaitMs} ms), ${i.threads.libtorch} libtorch thread${i.threads.libtorch > 1 ? 's' : ''}, ${i.threads.decode} decoding thread${i.threads.decode === 1 ? '' : 's'}`);
      console.log(`owlet serve: open ${server.url}  (API: POST ${server.url}api/predict; Ctrl+C to stop)`);
      await new Promise<void>((done) => {
        const stop = (signal: string) => {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          console.log(`owlet serve: ${signal}: finishing the requests in flight, then stopping`);
          void server.close().then(() => {
            console.log('owlet serve: stopped');
            done();
          });
        };
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
      });
    });
}
