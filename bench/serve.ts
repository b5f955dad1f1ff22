/**
 * `npm run bench -- serve`: a bounded load test of `owlet serve` on loopback with autocannon —
 * requests per second and p50 / p99 latency with 1 and with 16 concurrent clients, the errors, and
 * the server's memory (RSS, from /healthz) before and after 10,000 requests (flat memory: no leak).
 *
 * The model is a zoo architecture from scratch (random weights: the speed does not depend on what it
 * learned) with an image head, exported as `owlet train --export` does; each request POSTs one JPEG
 * photo-sized image (raw bytes), decoded and resized by the server. The server runs as its own
 * process (`owlet serve`, default threads), autocannon in this one.
 *
 * Last line: `RESULT serve c1_rps=… c1_p50_ms=… c1_p99_ms=… c1_errors=… c16_… mem_requests=… mem_errors=… rss_before_mb=… rss_after_mb=…`.
 *
 * Options: --arch=small_cnn --size=64 (the model's input), --image=320x240 (the JPEG sent),
 * --duration=10 (seconds a concurrency level), --requests=10000 (the memory run), --warmup=1000
 * (requests before the memory run: the allocators' arenas and libtorch's caches fill up first), --max-batch=16,
 * --max-wait-ms=5, --threads=<serve's default>, --workers=<serve's default>.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import sharp from 'sharp';
import { ImageDataLoaders, Resize, visionLearner } from '../src/index.js';
import { numOpt, opt } from './lib/common.js';

const arch = opt('arch', 'small_cnn');
const size = numOpt('size', 64);
const [imgW, imgH] = opt('image', '320x240').split('x').map(Number) as [number, number];
const duration = numOpt('duration', 10);
const requests = numOpt('requests', 10_000);
const warmup = numOpt('warmup', 1000);
const serveArgs = ['max-batch', 'max-wait-ms', 'threads', 'workers'].flatMap((k) => (opt(k, '') !== '' ? [`--${k}`, opt(k, '')] : []));

const tmp = mkdtempSync(join(tmpdir(), 'owlet-bench-serve-'));
process.on('exit', () => rmSync(tmp, { recursive: true, force: true }));

/** A noisy image (JPEG), like a photo to the decoder. */
async function photo(w: number, h: number, seed: number): Promise<Buffer> {
  let s = seed >>> 0;
  const px = Buffer.alloc(w * h * 3);
  for (let i = 0; i < px.length; i++) px[i] = (s = (s * 1664525 + 1013904223) >>> 0) >>> 24;
  return sharp(px, { raw: { width: w, height: h, channels: 3 } }).blur(2).jpeg({ quality: 85 }).toBuffer();
}

async function exportModel(): Promise<string> {
  const data = join(tmp, 'data');
  for (const c of ['cat', 'dog', 'owl']) {
    mkdirSync(join(data, c), { recursive: true });
    for (let i = 0; i < 4; i++) writeFileSync(join(data, c, `${i}.jpg`), await photo(64, 48, i * 7 + c.length));
  }
  const dls = ImageDataLoaders.fromFolder(data, { validPct: 0.25, itemTfms: Resize(size), bs: 4, numWorkers: 0 });
  const learn = await visionLearner(dls, arch, { pretrained: false, logger: null });
  const file = join(tmp, `${arch}.safetensors`);
  learn.export(file);
  return file;
}

function startServer(model: string): Promise<{ url: string; stop: () => Promise<number | null>; banner: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['bin/owlet.js', 'serve', model, '--port', '0', ...serveArgs], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /open (http:\/\/[^ ]+\/)/.exec(out);
      if (m) resolve({ url: m[1]!, banner: out.trim(), stop: () => new Promise((r) => { child.once('exit', r); child.kill('SIGTERM'); }) });
    });
    child.once('exit', (code) => reject(new Error(`owlet serve exited (${code}):\n${out}`)));
  });
}

const health = async (url: string) => (await (await fetch(`${url}healthz`)).json()) as { rssBytes: number; cpuSeconds: number };
const rss = async (url: string): Promise<number> => (await health(url)).rssBytes / 2 ** 20;

async function load(url: string, body: Buffer, o: { connections: number; duration?: number; amount?: number }) {
  return autocannon({ url: `${url}api/predict`, method: 'POST', headers: { 'content-type': 'image/jpeg' }, body, timeout: 30, ...o });
}

const model = await exportModel();
const body = await photo(imgW, imgH, 1);
const server = await startServer(model);
console.log(`owlet serve on loopback: ${arch} at ${size} px, a ${imgW}×${imgH} JPEG (${(body.length / 1024).toFixed(0)} KB) a request; ${availableParallelism()} CPUs (${cpus()[0]?.model.trim()})`);
console.log(server.banner.split('\n').map((l) => `  ${l}`).join('\n'));
await load(server.url, body, { connections: 4, amount: 200 }); // warm-up
console.log('\nclients  requests/s  p50 ms  p99 ms  errors  non-2xx  server CPU ms a request');
const result: string[] = [];
for (const connections of [1, 16]) {
  const cpu0 = (await health(server.url)).cpuSeconds;
  const r = await load(server.url, body, { connections, duration });
  const cpuMs = (((await health(server.url)).cpuSeconds - cpu0) * 1000) / Math.max(1, r.requests.total);
  result.push(`c${connections}_rps=${r.requests.average.toFixed(1)} c${connections}_p50_ms=${r.latency.p50} c${connections}_p99_ms=${r.latency.p99} c${connections}_errors=${r.errors + r.timeouts + r.non2xx} c${connections}_cpu_ms=${cpuMs.toFixed(1)}`);
  console.log(`${String(connections).padStart(7)}  ${r.requests.average.toFixed(1).padStart(10)}  ${String(r.latency.p50).padStart(6)}  ${String(r.latency.p99).padStart(6)}  ${String(r.errors + r.timeouts).padStart(6)}  ${String(r.non2xx).padStart(7)}  ${cpuMs.toFixed(1).padStart(23)}`);
}
await load(server.url, body, { connections: 16, amount: warmup });
const before = await rss(server.url);
const samples: number[] = [];
const sampler = setInterval(() => void rss(server.url).then((m) => samples.push(m), () => undefined), 2000);
const t0 = Date.now();
const mem = await load(server.url, body, { connections: 16, amount: requests });
clearInterval(sampler);
const after = await rss(server.url);
console.log(`\nmemory: ${mem['2xx']} of ${requests} requests answered 200 in ${((Date.now() - t0) / 1000).toFixed(1)} s (${mem.errors + mem.timeouts} errors, ${mem.non2xx} non-2xx), after ${warmup} warm-up requests`);
console.log(`  the server's RSS: ${before.toFixed(0)} MB before, ${after.toFixed(0)} MB after (${after >= before ? '+' : ''}${(after - before).toFixed(0)} MB); ` +
  `sampled every 2 s during the run: min ${Math.min(...samples, after).toFixed(0)}, max ${Math.max(...samples, after).toFixed(0)} MB`);
const code = await server.stop();
console.log(`SIGTERM: the server stopped with exit code ${code}`);
console.log(`RESULT serve ${result.join(' ')} mem_requests=${mem['2xx']} mem_errors=${mem.errors + mem.timeouts + mem.non2xx} rss_before_mb=${before.toFixed(0)} rss_after_mb=${after.toFixed(0)}`);
