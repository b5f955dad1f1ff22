// `owlet serve`'s HTTP API in process: good images in every form (raw bytes, multipart, a JSON data
// URL) give the Label shape with `learn.predict`'s probabilities; every bad input gets a 4xx with a
// JSON error and the server keeps serving; concurrent requests share model calls; info, health,
// examples, the page's files; graceful shutdown.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import sharp from 'sharp';
import { owletVersion } from '../src/engine/index.js';
import { loadLearner, type Learner } from '../src/learner/index.js';
import { startServe, type ServeServer } from '../src/serve/index.js';
import { colourImage, COLOURS, makeColourModel } from './serve-helpers.js';

process.env['OWLET_PROGRESS'] = 'none';
const tmp = mkdtempSync(join(tmpdir(), 'owlet-serve-api-'));
process.on('exit', () => rmSync(tmp, { recursive: true, force: true }));
let model = '';
let server: ServeServer;
let learn: Learner;
let red: Buffer;
const MAX_BODY = 256 * 1024;

before(async () => {
  model = await makeColourModel(tmp);
  const examples = join(tmp, 'examples');
  mkdirSync(examples);
  writeFileSync(join(examples, 'green.png'), await colourImage(COLOURS['green']!, { seed: 7 }));
  writeFileSync(join(examples, 'notes.txt'), 'not an example');
  server = await startServe(model, { port: 0, maxBatch: 8, maxWaitMs: 30, timeoutMs: 60_000, maxBodyBytes: MAX_BODY, maxPixels: 4e6, examples, onError: (e) => assert.fail(`a 500: ${String(e)}`) });
  learn = await loadLearner(model);
  red = await colourImage(COLOURS['red']!, { seed: 11, format: 'jpeg' });
});

after(async () => {
  await server?.close();
});

type Body = NonNullable<Parameters<typeof fetch>[1]>["body"];

interface Label {
  label: string;
  confidences: { label: string; confidence: number }[];
}

async function post(body: Body, headers: Record<string, string> = {}, query = ''): Promise<{ status: number; json: Record<string, unknown> }> {
  const r = await fetch(`${server.url}api/predict${query}`, { method: 'POST', body, headers });
  assert.match(r.headers.get('content-type') ?? '', /^application\/json/);
  return { status: r.status, json: (await r.json()) as Record<string, unknown> };
}

/** A 200 answer's Label. */
async function predictOk(body: Body, headers: Record<string, string> = {}, query = ''): Promise<Label> {
  const r = await post(body, headers, query);
  assert.equal(r.status, 200, JSON.stringify(r.json));
  return r.json as unknown as Label;
}

/** The answer equals learn.predict's on the same bytes: the label, and the probabilities, highest first. */
async function assertLike(out: Label, bytes: Buffer, topk = 3): Promise<void> {
  const p = await learn.predict(bytes);
  assert.equal(out.label, p.label);
  assert.equal(out.confidences.length, topk);
  const want = p.probs.map((c, i) => ({ label: learn.dls.vocab[i]!, confidence: c })).sort((a, b) => b.confidence - a.confidence).slice(0, topk);
  out.confidences.forEach((c, i) => {
    assert.equal(c.label, want[i]!.label);
    assert.ok(Math.abs(c.confidence - want[i]!.confidence) < 1e-5, `${c.label}: ${c.confidence} vs ${want[i]!.confidence}`);
  });
}

/** After a bad request: a good one still gets its answer. */
async function stillServing(): Promise<void> {
  const r = await post(red, { 'content-type': 'image/jpeg' });
  assert.equal(r.status, 200, JSON.stringify(r.json));
}

async function bad(status: number, error: RegExp, body: Body, headers: Record<string, string> = {}, query = ''): Promise<void> {
  const r = await post(body, headers, query);
  assert.equal(r.status, status, JSON.stringify(r.json));
  assert.match(String(r.json['error']), error);
  await stillServing();
}

test('POST /api/predict: raw bytes, multipart and a JSON data URL give learn.predict\'s labels in Gradio\'s Label shape', async () => {
  const raw = await predictOk(red, { 'content-type': 'image/jpeg' });
  await assertLike(raw, red);
  const blue = await colourImage(COLOURS['blue']!, { seed: 3 });
  await assertLike(await predictOk(blue, { 'content-type': 'application/octet-stream' }), blue);
  await assertLike(await predictOk(blue), blue);
  const form = new FormData();
  form.append('note', 'a text field is ignored');
  form.append('image', new Blob([blue], { type: 'image/png' }), 'blue.png');
  await assertLike(await predictOk(form), blue);
  const dataUrl = `data:image/png;base64,${blue.toString('base64')}`;
  await assertLike(await predictOk(JSON.stringify({ data: dataUrl }), { 'content-type': 'application/json' }), blue);
  await assertLike(await predictOk(JSON.stringify({ data: [dataUrl] }), { 'content-type': 'application/json; charset=utf-8' }), blue);
  const top1 = await predictOk(red, { 'content-type': 'image/jpeg' }, '?topk=1');
  await assertLike(top1, red, 1);
  await assertLike(await predictOk(red, { 'content-type': 'image/jpeg' }, '?topk=50'), red, 3);
  const sum = raw.confidences.reduce((s, c) => s + c.confidence, 0);
  assert.ok(Math.abs(sum - 1) < 1e-5, `the probabilities sum to ${sum}`);
});

test('bad inputs get a 4xx with a JSON error, and the server keeps serving after each', async () => {
  const jpeg = { 'content-type': 'image/jpeg' };
  await bad(400, /not an image owlet reads .*starts as text/, 'hello, I am not a picture', jpeg);
  await bad(400, /cannot be decoded: .*premature end of JPEG/i, red.subarray(0, Math.floor(red.length * 0.6)), jpeg);
  await bad(400, /the image is empty \(0 bytes\)/, new Uint8Array(0), jpeg);
  const png = await colourImage(COLOURS['green']!, { w: 64, h: 64 });
  await bad(400, /cannot be decoded/, png.subarray(0, Math.floor(png.length * 0.5)), { 'content-type': 'image/png' });
  // a real PNG past the pixel limit, and a decompression bomb's header (50000 × 50000) refused before decoding
  const big = await sharp({ create: { width: 2500, height: 2000, channels: 3, background: { r: 0, g: 0, b: 0 } } }).png().toBuffer();
  assert.ok(big.length < MAX_BODY, 'the large PNG is small on the wire');
  await bad(413, /2500 × 2000 \(5\.0 megapixels\); this server decodes at most 4\.0 megapixels/, big, { 'content-type': 'image/png' });
  const bomb = Buffer.from(await colourImage(COLOURS['red']!));
  bomb.writeUInt32BE(50_000, 16);
  bomb.writeUInt32BE(50_000, 20);
  await bad(413, /50000 × 50000 \(2500 megapixels\)/, bomb, { 'content-type': 'image/png' });
  await bad(413, /larger than this server's limit of 0\.25 MB/, Buffer.alloc(MAX_BODY + 10, 1), jpeg);
  await bad(415, /content-type 'text\/plain' is not one \/api\/predict takes/, red, { 'content-type': 'text/plain' });
  await bad(415, /application\/x-www-form-urlencoded/, red, { 'content-type': 'application/x-www-form-urlencoded' });
  const noFile = new FormData();
  noFile.append('image', 'just text');
  await bad(400, /the form has no file/, noFile);
  const two = new FormData();
  two.append('a', new Blob([red]), 'a.jpg');
  two.append('b', new Blob([red]), 'b.jpg');
  await bad(400, /more than one file/, two);
  const bigForm = new FormData();
  bigForm.append('image', new Blob([Buffer.alloc(MAX_BODY + 10, 1)]), 'big.jpg');
  await bad(413, /the uploaded file is larger than this server's limit/, bigForm);
  const json = { 'content-type': 'application/json' };
  await bad(400, /not valid JSON/, '{"data": ', json);
  await bad(400, /the request body is empty/, '', json);
  await bad(400, /no "data" string/, '{"image": 1}', json);
  await bad(400, /not a data URL/, '{"data": "https://example.com/cat.jpg"}', json);
  await bad(415, /holds 'text\/plain', not an image/, '{"data": "data:text/plain;base64,aGVsbG8="}', json);
  await bad(400, /without ;base64/, '{"data": "data:image/png,abc"}', json);
  await bad(400, /not valid base64/, '{"data": "data:image/png;base64,@@@@"}', json);
  await bad(400, /not an image owlet reads/, JSON.stringify({ data: `data:image/png;base64,${Buffer.from('plain text').toString('base64')}` }), json);
  await bad(400, /topk must be a whole number from 1 \(the model has 3 classes\), got '0'/, red, jpeg, '?topk=0');
  await bad(400, /got 'many'/, red, jpeg, '?topk=many');
  const get = await fetch(`${server.url}api/predict`);
  assert.equal(get.status, 405);
  assert.match(((await get.json()) as { error: string }).error, /GET is not allowed on \/api\/predict/);
  const missing = await fetch(`${server.url}nothing/here`);
  assert.equal(missing.status, 404);
  assert.match(((await missing.json()) as { error: string }).error, /nothing at \/nothing\/here/);
  await stillServing();
});

/** Sends raw bytes on a socket; resolves with what the server answers before closing. */
function rawRequest(port: number, text: string, closeAfterMs: number | null = null): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(text));
    let got = '';
    socket.on('data', (d) => (got += d.toString()));
    socket.on('end', () => resolve(got));
    socket.on('close', () => resolve(got));
    socket.on('error', (e) => (got === '' && closeAfterMs === null ? reject(e) : resolve(got)));
    if (closeAfterMs !== null) setTimeout(() => socket.destroy(), closeAfterMs);
  });
}

test('a body that never finishes gets a 408 with a JSON error; a client that goes away, malformed HTTP: the server keeps serving', async () => {
  const s = await startServe(model, { port: 0, timeoutMs: 1000 });
  const head = `POST /api/predict HTTP/1.1\r\nhost: x\r\ncontent-type: image/jpeg\r\ncontent-length: ${red.length}\r\n\r\n`;
  const slow = await rawRequest(s.port, head + red.subarray(0, 100).toString('latin1'));
  assert.match(slow, /^HTTP\/1\.1 408 Request Timeout/);
  assert.match(slow, /"error":"the request did not arrive within 1000 ms \(--timeout-ms\)"/);
  await rawRequest(s.port, head + red.subarray(0, 100).toString('latin1'), 50);
  const garbage = await rawRequest(s.port, 'this is not HTTP at all\r\n\r\n');
  assert.match(garbage, /^HTTP\/1\.1 400 Bad Request/);
  const after = await fetch(`${s.url}api/predict`, { method: 'POST', body: red, headers: { 'content-type': 'image/jpeg' } });
  assert.equal(after.status, 200);
  await s.close();
});

test('concurrent requests are batched: fewer model calls than requests, each answer as learn.predict\'s', async () => {
  const images = await Promise.all(Array.from({ length: 8 }, (_, i) => colourImage(Object.values(COLOURS)[i % 3]!, { seed: 100 + i, format: i % 2 ? 'jpeg' : 'png' })));
  const before = { ...server.predictor.batcher.stats };
  const outs = await Promise.all(images.map(async (img) => await predictOk(img)));
  const batches = server.predictor.batcher.stats.batches - before.batches;
  assert.equal(server.predictor.batcher.stats.items - before.items, 8);
  assert.ok(batches < 8 && server.predictor.batcher.stats.largest > 1, `8 requests in ${batches} model calls`);
  for (let i = 0; i < 8; i++) await assertLike(outs[i]!, images[i]!);
});

test('GET /api/info, /healthz, /api/health, the page and the examples', async () => {
  const info = (await (await fetch(`${server.url}api/info`)).json()) as Record<string, unknown>;
  assert.equal(info['name'], 'colours');
  assert.equal(info['arch'], 'small_cnn');
  assert.deepEqual(info['classes'], ['blue', 'green', 'red']);
  assert.deepEqual(info['inputSize'], [24, 24]);
  assert.equal(info['owlet'], owletVersion());
  assert.deepEqual(info['examples'], [{ name: 'green.png', url: '/examples/green.png' }]);
  for (const path of ['healthz', 'api/health']) {
    const h = await fetch(`${server.url}${path}`);
    assert.equal(h.status, 200);
    const body = (await h.json()) as Record<string, unknown>;
    assert.equal(body['status'], 'ok');
    assert.ok(Number(body['predictions']) > 0 && Number(body['rssBytes']) > 0);
  }
  const page = await fetch(server.url);
  assert.match(page.headers.get('content-type') ?? '', /text\/html/);
  assert.match(await page.text(), /<script src="\/app\.js"/);
  for (const f of ['app.js', 'style.css']) assert.equal((await fetch(`${server.url}${f}`)).status, 200);
  const ex = await fetch(`${server.url}examples/green.png`);
  assert.equal(ex.headers.get('content-type'), 'image/png');
  assert.deepEqual((await sharp(Buffer.from(await ex.arrayBuffer())).metadata()).width, 40);
  for (const p of ['examples/notes.txt', 'examples/..%2Fcolours.safetensors', 'examples/../colours.safetensors']) assert.equal((await fetch(`${server.url}${p}`)).status, 404, p);
});

test('shutdown finishes the requests in flight, then refuses connections', async () => {
  const s = await startServe(model, { port: 0, maxBatch: 4, maxWaitMs: 50 });
  const images = await Promise.all([0, 1, 2, 3, 4, 5].map((i) => colourImage(COLOURS['blue']!, { seed: 200 + i })));
  const pending = images.map((img) => fetch(`${s.url}api/predict`, { method: 'POST', body: img, headers: { 'content-type': 'image/png' } }));
  for (let i = 0; i < 500 && s.inFlight() < 6; i++) await new Promise((r) => setTimeout(r, 10));
  assert.equal(s.inFlight(), 6);
  const closing = s.close();
  const answers = await Promise.all(pending);
  assert.deepEqual(answers.map((a) => a.status), [200, 200, 200, 200, 200, 200]);
  await closing;
  await s.close();
  await assert.rejects(fetch(`${s.url}healthz`), /fetch failed/);
});
