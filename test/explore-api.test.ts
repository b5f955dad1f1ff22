/**
 * `owlet explore`'s JSON API, without a browser: owlet's gradient steps give the lesson's numbers,
 * every bad request gets a 4xx with a message, a diverging learning rate is reported, and the
 * server keeps answering after all of it.
 */
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, test } from 'node:test';
import { startExplore, type ExploreServer } from '../src/explore/index.js';

let server: ExploreServer;
const failures: unknown[] = [];
before(async () => {
  server = await startExplore({ port: 0, onError: (e) => failures.push(e) });
});
after(async () => {
  await server.close();
});

async function post(path: string, body: unknown, raw = false): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(new URL(path, server.url), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: raw ? (body as string) : JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

const round4 = (v: unknown) => Number((v as number).toFixed(4));

test('serves the page, its scripts and the lesson\'s data', async () => {
  const page = await fetch(server.url);
  assert.equal(page.status, 200);
  assert.match(await page.text(), /How does a neural net really work/);
  const js = await fetch(new URL('/js/main.js', server.url));
  assert.equal(js.status, 200);
  assert.match(js.headers.get('content-type') ?? '', /javascript/);
  const data = (await (await fetch(new URL('/api/data', server.url))).json()) as { x: number[]; y: number[] };
  assert.equal(data.x.length, 40);
  assert.equal(data.y.length, 40);
  assert.equal(round4(data.y[0]), 10.7783); // the lesson's first noisy point (np.random.seed(42))
});

test('gradient steps from a = b = c = 1.5 give the lesson\'s losses and those of reference/quadratic_fit.py', async () => {
  const one = await post('/api/quad/step', { a: 1.5, b: 1.5, c: 1.5, lr: 0.01 });
  assert.equal(one.status, 200, JSON.stringify(one.json));
  assert.deepEqual((one.json['losses'] as number[]).map(round4), [6.7798]); // the lesson: tensor(6.7798, ...)
  assert.equal(round4(one.json['loss']), 6.1349); // the lesson, after abc -= abc.grad * 0.01
  const rest = await post('/api/quad/step', { a: one.json['a'], b: one.json['b'], c: one.json['c'], lr: 0.01, steps: 99 });
  const losses = [6.7798, ...(rest.json['losses'] as number[])];
  // reference/quadratic_fit.py: "Step 10; loss: 3.4271" ... "Step 99; loss: 2.5647", then abc and the final loss.
  assert.deepEqual([10, 50, 99].map((i) => losses[i]!.toFixed(4)), ['3.4271', '2.6187', '2.5647']);
  assert.deepEqual([rest.json['a'], rest.json['b'], rest.json['c']].map(round4), [2.5582, 1.6579, 1.5381]);
  assert.equal(round4(rest.json['loss']), 2.564);
  assert.equal(rest.json['diverged'], false);
});

test('ReLUs start as torch.manual_seed(42) makes them and fit as examples/how-nets-work/relu-fit does', async () => {
  const init = await post('/api/relus/init', { n: 5, seed: 42 });
  assert.equal(init.status, 200);
  assert.deepEqual((init.json['m'] as number[]).map(round4), [0.3367, 0.1288, 0.2345, 0.2303, -1.1229]);
  const data = (await (await fetch(new URL('/api/data', server.url))).json()) as { x: number[]; y: number[] };
  let p = init.json;
  const losses: number[] = [];
  for (let i = 0; i < 2; i++) {
    const r = await post('/api/relus/step', { m: p['m'], b: p['b'], w: p['w'], x: data.x, y: data.y, lr: 0.01, steps: 101 });
    assert.equal(r.status, 200, JSON.stringify(r.json));
    losses.push(...(r.json['losses'] as number[]));
    p = r.json;
  }
  assert.equal(losses[0]!.toFixed(4), '39.7134'); // n=5; step 0 in reference/relu_fit.py
  assert.equal(losses[200]!.toFixed(4), '4.2818'); // n=5; step 200
});

test('a learning rate that blows the loss up is reported as diverged, and the server goes on', async () => {
  const r = await post('/api/quad/step', { a: 1.5, b: 1.5, c: 1.5, lr: 5, steps: 200 });
  assert.equal(r.status, 200);
  assert.equal(r.json['diverged'], true);
  assert.ok((r.json['losses'] as unknown[]).length < 200, 'the run stops when it diverges');
  for (const k of ['a', 'b', 'c']) assert.ok(Number.isFinite(r.json[k]), `${k} is a finite number in the answer`);
  const relu = await post('/api/relus/init', { n: 20 });
  const data = (await (await fetch(new URL('/api/data', server.url))).json()) as { x: number[]; y: number[] };
  const d = await post('/api/relus/step', { ...relu.json, x: data.x, y: data.y, lr: 0.1, steps: 200 });
  assert.equal(d.json['diverged'], true); // n=20 at lr 0.1 goes to nan, as in PyTorch
  const ok = await post('/api/quad/loss', { a: 3, b: 2, c: 1 });
  assert.equal(ok.status, 200);
});

const BAD: [string, string, unknown, RegExp][] = [
  ['not JSON', '/api/quad/step', '{"a": 1,', /not valid JSON/],
  ['an empty body', '/api/quad/step', '', /empty/],
  ['an array', '/api/quad/step', '[1, 2]', /must be a JSON object/],
  ['a string for a number', '/api/quad/step', JSON.stringify({ a: 'one', b: 1, c: 1, lr: 0.1 }), /"a" must be a number/],
  ['a missing field', '/api/quad/step', JSON.stringify({ a: 1, b: 1, lr: 0.1 }), /"c" is missing/],
  ['a zero learning rate', '/api/quad/step', JSON.stringify({ a: 1, b: 1, c: 1, lr: 0 }), /"lr" must be a number greater than 0/],
  ['too many steps', '/api/quad/step', JSON.stringify({ a: 1, b: 1, c: 1, lr: 0.1, steps: 1e9 }), /"steps" must be an integer/],
  ['fractional steps', '/api/quad/step', JSON.stringify({ a: 1, b: 1, c: 1, lr: 0.1, steps: 1.5 }), /"steps" must be an integer/],
  ['an unknown field', '/api/quad/loss', JSON.stringify({ a: 1, b: 1, c: 1, d: 1 }), /unknown field "d"/],
  ['a huge parameter', '/api/quad/loss', JSON.stringify({ a: 1e300, b: 1, c: 1 }), /"a" must be a number from -1000 to 1000/],
  ['too many ReLUs', '/api/relus/init', JSON.stringify({ n: 1000 }), /"n" must be an integer from 1 to 100/],
  ['ragged ReLU parameters', '/api/relus/step', JSON.stringify({ m: [1, 2], b: [1], w: [1, 2], x: [0, 1], y: [0, 1], lr: 0.1 }), /same length/],
  ['a null in the points', '/api/relus/step', JSON.stringify({ m: [1], b: [1], w: [1], x: [0, null], y: [0, 1], lr: 0.1 }), /"x\[1\]" must be a number/],
  ['too few points', '/api/relus/step', JSON.stringify({ m: [1], b: [1], w: [1], x: [0], y: [0], lr: 0.1 }), /"x" must hold from 2 to 400/],
  ['a body over the size limit', '/api/quad/loss', JSON.stringify({ a: 1, b: 1, c: 1, pad: 'x'.repeat(100_000) }), /limit is 65536/],
];

for (const [what, path, body, message] of BAD) {
  test(`answers 400 with a message for ${what}`, async () => {
    const r = await post(path, body, true);
    assert.equal(r.status, 400, JSON.stringify(r.json));
    assert.match(String(r.json['error']), message);
  });
}

test('answers 404 and 405 with messages, and survives a cut-off request', async () => {
  const missing = await fetch(new URL('/api/nothing', server.url));
  assert.equal(missing.status, 404);
  assert.match(((await missing.json()) as { error: string }).error, /nothing at \/api\/nothing/);
  const wrong = await fetch(new URL('/api/quad/step', server.url));
  assert.equal(wrong.status, 405);
  await new Promise<void>((resolve) => {
    const req = request(new URL('/api/quad/step', server.url), { method: 'POST', headers: { 'content-length': '1000' } });
    req.on('error', () => resolve());
    req.write('{"a": 1');
    setTimeout(() => {
      req.destroy();
      resolve();
    }, 50);
  });
  const still = await post('/api/quad/loss', { a: 3, b: 2, c: 1 });
  assert.equal(still.status, 200);
  assert.deepEqual(failures, [], 'no request failed unexpectedly (500)');
});
